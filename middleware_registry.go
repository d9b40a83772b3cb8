package canter

import (
	"github.com/canter-go/canter/apps"
)

// builtinMiddleware maps the names MIDDLEWARE may list to Canter's own layers, each built from
// the settings.
var builtinMiddleware = map[string]apps.MiddlewareFactory{}
