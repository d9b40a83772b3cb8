// Package canter is a web framework for Go with Django's architecture and Flask's lightness,
// built on net/http.
//
// A request goes through the same system Django uses to serve one: a gateway (package handler)
// turns the *http.Request into a *web.Request, runs the middleware onion with Django's exact
// semantics, resolves the URL (package urls: <int:id> converters, namespaces, reversing), calls
// the view and writes its *web.Response once. Errors are Go errors: web.NotFound,
// web.PermissionDenied, web.BadRequest; anything else, or a panic, is a logged 500.
//
// # The Flask-style face
//
// One file is a site:
//
//	app := canter.New()
//	app.Get("/", index)
//	app.Get("/items/<int:id>/", item)
//	app.Post("/items/", createItem)
//	app.Run() // 127.0.0.1:8000, or $CANTER_ADDR
//
// Blueprints group routes under a prefix and a namespace ("admin:index") with hooks and error
// handlers of their own; BeforeRequest, AfterRequest, TeardownRequest and ErrorHandler behave
// as in Flask; request-scoped values (Flask's g) are Request.Set and Request.Get; URLFor builds
// paths from route names.
//
// # The Django-style face
//
// A Project is a site made of installed apps and driven by settings (settings.toml, CANTER_*
// environment variables, code); its main package is its manage.py:
//
//	func main() {
//		canter.Main(&canter.Project{
//			Name: "mysite",
//			URLs: []urls.Entry{urls.Include("polls/", "polls", polls.URLs...)},
//		})
//	}
//
//	$ mysite runserver          # development server that rebuilds and restarts on changes
//	$ mysite check --deploy     # Django's system checks, production ones included
//	$ mysite serve --cert c.pem --key k.pem :443
//
// Views are plain functions from request to response, URL configurations are lists of
// urls.Path, urls.RePath and urls.Include entries, and MIDDLEWARE names the layers in Django's
// order: "security", "sessions", "common", "csrf", "xframe" by default. Both faces share one
// gateway, router and middleware, built from the same settings: an App has them too (App.Settings),
// with sessions in a signed cookie by default. An App and a Site are http.Handlers, and any
// http.Handler can be a view.
package canter
