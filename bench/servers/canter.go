package servers

import (
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"github.com/canter-go/canter"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// The Canter servers. "canter" and "canter-sqlite" are Flask-style apps made by canter.New()
// with the default middleware stack (security, sessions, common, CSRF, x-frame) as stack.go
// provides it; "canter-core" is the gateway and router alone, to show what the stack costs.

// quietLogger keeps server errors and drops the warning Canter logs for every 4xx answer,
// which the checks provoke on purpose.
var quietLogger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))

// allowedHosts are the loopback names the load generator uses.
var allowedHosts = []string{"127.0.0.1", "localhost", "[::1]"}

func plaintextView(*web.Request) (*web.Response, error) { return web.Text(helloWorld), nil }

func jsonView(*web.Request) (*web.Response, error) { return web.JSON(message{Message: helloWorld}) }

func userPostView(r *web.Request) (*web.Response, error) {
	id, err := r.Params().Int("id")
	if err != nil {
		return nil, err
	}
	return web.Text(userPost(int64(id), r.Param("slug"))), nil
}

func newCanter(o Options) (http.Handler, func() error, error) {
	return newCanterApp(o, CookieSessions)
}

func newCanterSQLite(o Options) (http.Handler, func() error, error) {
	return newCanterApp(o, SQLiteSessions)
}

func newCanterApp(o Options, store SessionStore) (http.Handler, func() error, error) {
	st, err := defaultStack(store, o.Dir)
	if err != nil {
		return nil, nil, err
	}
	app := canter.New()
	app.Settings.AllowedHosts = allowedHosts
	app.Settings.SecretKey = benchSecretKey
	if store == SQLiteSessions {
		app.Settings.SessionEngine = settings.SessionDB
		app.Settings.Databases = map[string]settings.Database{
			"default": {Engine: settings.DatabaseSQLite, Name: filepath.Join(o.Dir, "canter-sessions.sqlite3")},
		}
	}
	app.Logger = quietLogger
	app.Use(st.Middleware...)
	app.Get("/plaintext", plaintextView)
	app.Get("/json", jsonView)
	app.Get("/users/<int:id>/posts/<slug>", userPostView)
	app.Get("/form", func(r *web.Request) (*web.Response, error) {
		if !st.Wired {
			return nil, web.StatusError(http.StatusNotImplemented, "the form page waits for Canter's sessions and CSRF packages")
		}
		n, err := st.Visits(r)
		if err != nil {
			return nil, err
		}
		field, token, err := st.Token(r)
		if err != nil {
			return nil, err
		}
		return web.Bytes(contentHTML, formPage(n, field, token)), nil
	})
	app.Post("/form", func(r *web.Request) (*web.Response, error) {
		if !st.Wired {
			return nil, web.StatusError(http.StatusNotImplemented, "the form page waits for Canter's sessions and CSRF packages")
		}
		form, err := r.Form()
		if err != nil {
			return nil, err
		}
		_ = form.Get("note")
		return web.RedirectWith(http.StatusSeeOther, "/form"), nil
	})
	site, err := app.Site()
	if err != nil {
		return nil, nil, err
	}
	return app, site.Close, nil
}

// benchSecretKey signs the sessions and CSRF cookies of the Canter servers (the rival's
// gorilla/csrf and scs get keys of their own).
const benchSecretKey = "bench-only-secret-key-7c2f9a4e1b8d3c6a5e0f9b2d7c1a8e4f6b3d9c0a"

func newCanterCore(Options) (http.Handler, func() error, error) {
	rt, err := urls.New(
		urls.Path("/plaintext", plaintextView, urls.Methods(http.MethodGet)),
		urls.Path("/json", jsonView, urls.Methods(http.MethodGet)),
		urls.Path("/users/<int:id>/posts/<slug>", userPostView, urls.Methods(http.MethodGet)),
	)
	if err != nil {
		return nil, nil, err
	}
	h := handler.New(handler.Config{Site: web.Site{Resolver: rt, AllowedHosts: allowedHosts}, Logger: quietLogger})
	return h, nothingToClose, nil
}
