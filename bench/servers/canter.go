package servers

import (
	"log/slog"
	"net/http"
	"os"

	"github.com/canter-go/canter"
	"github.com/canter-go/canter/handler"
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
	app.AllowedHosts = allowedHosts
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
	return app, st.Close, nil
}

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
