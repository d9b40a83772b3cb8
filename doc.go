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
// Views are plain functions from request to response, URL configurations are lists of
// urls.Path, urls.RePath and urls.Include entries, and middleware are web.Middleware values in
// the order Django's MIDDLEWARE setting lists them. Both faces share one gateway, router and
// middleware; an App is an http.Handler, and any http.Handler can be a view.
package canter
