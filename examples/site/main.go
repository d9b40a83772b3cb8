// Command site is a Django-style Canter project: two apps (pages and polls) driven by
// settings, run by its own management commands.
//
//	go run ./examples/site runserver        # http://127.0.0.1:8000/
//	go run ./examples/site check --deploy
//	go run ./examples/site urls
package main

import (
	_ "embed"

	"github.com/canter-go/canter"
	"github.com/canter-go/canter/examples/site/pages"
	"github.com/canter-go/canter/examples/site/polls"
	"github.com/canter-go/canter/urls"
)

// settings.toml travels inside the binary; a settings.toml in the working directory and
// CANTER_* variables override it.
//
//go:embed settings.toml
var settingsTOML []byte

// Project is the site, for main and for the tests.
var Project = &canter.Project{
	Name:             "site",
	EmbeddedSettings: settingsTOML,
	URLs: []urls.Entry{
		urls.Include("", "pages", pages.URLs...),
		urls.Include("polls/", "polls", polls.URLs...),
	},
}

func main() { canter.Main(Project) }
