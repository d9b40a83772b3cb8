package canter_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/canter-go/canter"
	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

func quietApp() *canter.App {
	app := canter.New()
	app.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	return app
}

// traced builds an app with hooks on the app, a blueprint "admin" and a nested blueprint
// "users", each recording its calls.
func traced(trace *[]string, opts map[string]bool) *canter.App {
	app := quietApp()
	rec := func(s string) { *trace = append(*trace, s) }
	before := func(who string) func(*web.Request) (*web.Response, error) {
		return func(r *web.Request) (*web.Response, error) {
			rec(who + ".before")
			if opts[who+".before.answers"] {
				return web.Text(who + " answered"), nil
			}
			if opts[who+".before.fails"] {
				return nil, errors.New(who + " before failed")
			}
			return nil, nil
		}
	}
	after := func(who string) func(*web.Request, *web.Response) (*web.Response, error) {
		return func(r *web.Request, resp *web.Response) (*web.Response, error) {
			rec(who + ".after")
			resp.Header().Add("X-After", who)
			return resp, nil
		}
	}
	teardown := func(who string) func(*web.Request, error) {
		return func(r *web.Request, err error) {
			msg := "nil"
			if err != nil {
				msg = "err"
			}
			rec(who + ".teardown(" + msg + ")")
		}
	}
	app.BeforeRequest(before("app1"))
	app.BeforeRequest(before("app2"))
	app.AfterRequest(after("app1"))
	app.AfterRequest(after("app2"))
	app.TeardownRequest(teardown("app1"))
	app.TeardownRequest(teardown("app2"))

	admin := canter.NewBlueprint("admin")
	admin.BeforeRequest(before("admin"))
	admin.AfterRequest(after("admin"))
	admin.TeardownRequest(teardown("admin"))
	users := canter.NewBlueprint("users")
	users.BeforeRequest(before("users"))
	users.AfterRequest(after("users"))
	users.TeardownRequest(teardown("users"))
	users.Get("/<int:id>", func(r *web.Request) (*web.Response, error) {
		rec("view")
		if opts["view.fails"] {
			return nil, errors.New("view failed")
		}
		return web.Text("user " + r.Param("id")), nil
	}, urls.Name("detail"))
	users.ErrorHandler(500, func(r *web.Request, err error) (*web.Response, error) {
		rec("users.error500")
		return web.Text("users handled: " + err.Error()).WithStatus(500), nil
	})
	admin.Register(users, "/users")
	app.Register(admin, "/admin")
	app.Get("/", func(r *web.Request) (*web.Response, error) { rec("view"); return web.Text("home"), nil })
	return app
}

// TestFlaskHookOrder pins the order of Flask's request hooks (the spec, 8.2): before_request
// app first then blueprints outer to inner, each group in registration order; after_request
// blueprints inner to outer then the app, each group in reverse; teardown likewise, always.
func TestFlaskHookOrder(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		opts   map[string]bool
		status int
		body   string
		trace  string
	}{
		{"nested blueprint", "/admin/users/5", nil, 200, "user 5",
			"app1.before app2.before admin.before users.before view users.after admin.after app2.after app1.after users.teardown(nil) admin.teardown(nil) app2.teardown(nil) app1.teardown(nil)"},
		{"app route", "/", nil, 200, "home",
			"app1.before app2.before view app2.after app1.after app2.teardown(nil) app1.teardown(nil)"},
		{"a before hook answers: the rest and the view are skipped, after hooks run", "/admin/users/5", map[string]bool{"admin.before.answers": true}, 200, "admin answered",
			"app1.before app2.before admin.before users.after admin.after app2.after app1.after users.teardown(nil) admin.teardown(nil) app2.teardown(nil) app1.teardown(nil)"},
		{"the view fails: the blueprint's 500 handler answers, after hooks and teardown see it", "/admin/users/5", map[string]bool{"view.fails": true}, 500, "users handled: view failed",
			"app1.before app2.before admin.before users.before view users.error500 users.after admin.after app2.after app1.after users.teardown(err) admin.teardown(err) app2.teardown(err) app1.teardown(err)"},
		{"a before hook fails: handled as an error", "/admin/users/5", map[string]bool{"app2.before.fails": true}, 500, "users handled: app2 before failed",
			"app1.before app2.before users.error500 users.after admin.after app2.after app1.after users.teardown(err) admin.teardown(err) app2.teardown(err) app1.teardown(err)"},
		{"no route: app hooks still run around the 404", "/nowhere", nil, 404, "Not Found",
			"app1.before app2.before app2.after app1.after app2.teardown(err) app1.teardown(err)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var trace []string
			c := cantertest.New(t, traced(&trace, tt.opts))
			resp := c.Get(tt.path)
			if resp.StatusCode != tt.status || !strings.Contains(resp.Text(), tt.body) {
				t.Errorf("got %d %q, want %d containing %q", resp.StatusCode, resp.Text(), tt.status, tt.body)
			}
			if got := strings.Join(trace, " "); got != tt.trace {
				t.Errorf("trace\n got %s\nwant %s", got, tt.trace)
			}
		})
	}
}

// TestHooksOfOneKind checks that a hook runs when it is the only one of the app, on the app or
// on a nested blueprint: an app without hooks leaves them out of every request.
func TestHooksOfOneKind(t *testing.T) {
	tests := []struct {
		name  string
		setup func(app *canter.App, bp *canter.Blueprint, rec func(string))
		path  string
		trace string
	}{
		{"app teardown only", func(app *canter.App, bp *canter.Blueprint, rec func(string)) {
			app.TeardownRequest(func(*web.Request, error) { rec("teardown") })
		}, "/outer/inner/x", "view teardown"},
		{"blueprint teardown only", func(app *canter.App, bp *canter.Blueprint, rec func(string)) {
			bp.TeardownRequest(func(*web.Request, error) { rec("teardown") })
		}, "/outer/inner/x", "view teardown"},
		{"blueprint before only", func(app *canter.App, bp *canter.Blueprint, rec func(string)) {
			bp.BeforeRequest(func(*web.Request) (*web.Response, error) { rec("before"); return nil, nil })
		}, "/outer/inner/x", "before view"},
		{"blueprint after only", func(app *canter.App, bp *canter.Blueprint, rec func(string)) {
			bp.AfterRequest(func(r *web.Request, resp *web.Response) (*web.Response, error) { rec("after"); return resp, nil })
		}, "/outer/inner/x", "view after"},
		{"app before only", func(app *canter.App, bp *canter.Blueprint, rec func(string)) {
			app.BeforeRequest(func(*web.Request) (*web.Response, error) { rec("before"); return nil, nil })
		}, "/outer/inner/x", "before view"},
		{"no hooks", func(app *canter.App, bp *canter.Blueprint, rec func(string)) {}, "/outer/inner/x", "view"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var trace []string
			rec := func(s string) { trace = append(trace, s) }
			app := quietApp()
			outer, inner := canter.NewBlueprint("outer"), canter.NewBlueprint("inner")
			tt.setup(app, inner, rec)
			inner.Get("/x", func(*web.Request) (*web.Response, error) { rec("view"); return web.Text("x"), nil })
			outer.Register(inner, "/inner")
			app.Register(outer, "/outer")
			if resp := cantertest.New(t, app).Get(tt.path); resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := strings.Join(trace, " "); got != tt.trace {
				t.Errorf("trace %q, want %q", got, tt.trace)
			}
		})
	}
}

func TestErrorHandlerLookup(t *testing.T) {
	errQuota := errors.New("quota exceeded")
	app := quietApp()
	app.ErrorHandler(404, func(r *web.Request, err error) (*web.Response, error) {
		return web.Text("app 404").WithStatus(404), nil
	})
	app.ErrorHandler(errQuota, func(r *web.Request, err error) (*web.Response, error) {
		return web.Text("app quota").WithStatus(429), nil
	})
	app.ErrorHandler(func(err error) bool { return strings.Contains(err.Error(), "custom") },
		func(r *web.Request, err error) (*web.Response, error) {
			return web.Text("app custom").WithStatus(409), nil
		})
	api := canter.NewBlueprint("api")
	api.ErrorHandler(404, func(r *web.Request, err error) (*web.Response, error) {
		return web.Text("api 404").WithStatus(404), nil
	})
	api.Get("/missing", func(*web.Request) (*web.Response, error) { return nil, web.NotFound("gone") })
	api.Get("/quota", func(*web.Request) (*web.Response, error) { return nil, fmt.Errorf("wrapped: %w", errQuota) })
	app.Register(api, "/api")
	app.Get("/custom", func(*web.Request) (*web.Response, error) { return nil, errors.New("a custom failure") })
	app.Get("/plain", func(*web.Request) (*web.Response, error) { return nil, errors.New("plain") })
	c := cantertest.New(t, app)
	for path, want := range map[string]string{
		"/api/missing": "404 api 404", // the blueprint's handler wins for its routes
		"/nowhere":     "404 app 404", // unmatched paths use the app's
		"/api/quota":   "429 app quota",
		"/custom":      "409 app custom",
		"/plain":       "500 \n<!doctype html>",
	} {
		resp := c.Get(path)
		if got := fmt.Sprintf("%d %s", resp.StatusCode, resp.Text()); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
}

// TestErrorHandlerOrderFor500 pins Flask's lookup for errors that are not HTTP errors: the
// handlers registered for the error (blueprint, then app) come before those registered for 500,
// which receive what no error handler took (Flask's handle_exception).
func TestErrorHandlerOrderFor500(t *testing.T) {
	errQuota := errors.New("quota exceeded")
	app := quietApp()
	app.ErrorHandler(500, func(r *web.Request, err error) (*web.Response, error) {
		return web.Text("app 500").WithStatus(500), nil
	})
	app.ErrorHandler(errQuota, func(r *web.Request, err error) (*web.Response, error) {
		return web.Text("app quota").WithStatus(429), nil
	})
	api := canter.NewBlueprint("api")
	api.ErrorHandler(500, func(r *web.Request, err error) (*web.Response, error) {
		return web.Text("api 500").WithStatus(500), nil
	})
	api.Get("/quota", func(*web.Request) (*web.Response, error) { return nil, errQuota })
	api.Get("/plain", func(*web.Request) (*web.Response, error) { return nil, errors.New("plain") })
	api.Get("/status500", func(*web.Request) (*web.Response, error) {
		return nil, fmt.Errorf("%w (%w)", web.StatusError(500, "store down"), errQuota)
	})
	app.Register(api, "/api")
	app.Get("/quota", func(*web.Request) (*web.Response, error) { return nil, errQuota })
	app.Get("/plain", func(*web.Request) (*web.Response, error) { return nil, errors.New("plain") })
	tests := []struct{ path, want string }{
		{"/quota", "429 app quota"},     // the error's handler, not the 500 one
		{"/api/quota", "429 app quota"}, // even the blueprint's 500 handler comes after it
		{"/plain", "500 app 500"},
		{"/api/plain", "500 api 500"},
		// An HTTP error of status 500 is looked up by its status first, as Flask does for an
		// HTTPException.
		{"/api/status500", "500 api 500"},
	}
	c := cantertest.New(t, app)
	for _, tt := range tests {
		resp := c.Get(tt.path)
		if got := fmt.Sprintf("%d %s", resp.StatusCode, resp.Text()); got != tt.want {
			t.Errorf("%s = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestCookieSameSiteSettings checks that the SameSite settings reach the cookies in any case,
// as validation accepts them ("strict" is Strict, never the Lax default).
func TestCookieSameSiteSettings(t *testing.T) {
	tests := []struct {
		setting string
		secure  bool
		want    http.SameSite
	}{
		{"Strict", false, http.SameSiteStrictMode},
		{"strict", false, http.SameSiteStrictMode},
		{"STRICT", false, http.SameSiteStrictMode},
		{"lax", false, http.SameSiteLaxMode},
		{"none", true, http.SameSiteNoneMode},
		{"", false, 0}, // no attribute
	}
	for _, tt := range tests {
		app := quietApp()
		app.Settings.CSRFCookieSameSite, app.Settings.CSRFCookieSecure = tt.setting, tt.secure
		app.Settings.SessionCookieSameSite, app.Settings.SessionCookieSecure = tt.setting, tt.secure
		app.Get("/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Set("seen", true)
			return web.Text(csrf.Token(r)), nil
		})
		c := cantertest.New(t, app)
		c.Secure = tt.secure
		resp := c.Get("/")
		for _, name := range []string{app.Settings.CSRFCookieName, app.Settings.SessionCookieName} {
			ck := resp.Cookie(name)
			if ck == nil {
				t.Errorf("SAMESITE %q: no %s cookie (status %d)", tt.setting, name, resp.StatusCode)
				continue
			}
			if ck.SameSite != tt.want {
				t.Errorf("SAMESITE %q: the %s cookie has SameSite %v, want %v (%s)", tt.setting, name, ck.SameSite, tt.want, resp.Header.Values("Set-Cookie"))
			}
		}
	}
}

func TestURLForAndNames(t *testing.T) {
	app := quietApp()
	app.Get("/items/<int:id>/", showItem)
	app.Post("/items/", showItem, urls.Name("create"))
	shop := canter.NewBlueprint("shop")
	shop.Get("/<slug:product>", showItem, urls.Name("product"))
	app.Register(shop, "/shop")
	tests := []struct {
		name  string
		pairs []any
		want  string
	}{
		{"showItem", []any{"id", 5}, "/items/5/"},
		{"showItem", []any{"id", 5, "page", 2}, "/items/5/?page=2"},
		{"create", nil, "/items/"},
		{"shop:product", []any{"product", "red-hat"}, "/shop/red-hat"},
	}
	for _, tt := range tests {
		got, err := app.URLFor(tt.name, tt.pairs...)
		if err != nil || got != tt.want {
			t.Errorf("URLFor(%q, %v) = %q, %v; want %q", tt.name, tt.pairs, got, err, tt.want)
		}
	}
	if _, err := app.URLFor("showItem", "id"); err == nil {
		t.Error("an odd number of values should fail")
	}
	if _, err := app.URLFor("nope"); err == nil || !strings.Contains(err.Error(), "not a valid view function or pattern name") {
		t.Errorf("unknown name: %v", err)
	}
}

func showItem(r *web.Request) (*web.Response, error) { return web.Text("item"), nil }

func TestRegistrationMistakesPanic(t *testing.T) {
	mustPanic := func(name, want string, f func()) {
		t.Helper()
		defer func() {
			msg := fmt.Sprint(recover())
			if !strings.Contains(msg, want) {
				t.Errorf("%s: panic %q, want it to contain %q", name, msg, want)
			}
		}()
		f()
	}
	mustPanic("conflict", "conflicts with", func() {
		app := quietApp()
		app.Get("/a/<int:id>", showItem)
		app.Get("/a/<int:pk>", showItem)
	})
	mustPanic("route after registration", "after it was registered", func() {
		app := quietApp()
		bp := canter.NewBlueprint("bp")
		app.Register(bp, "/bp")
		bp.Get("/x", showItem)
	})
	mustPanic("blueprint twice", "already registered", func() {
		app := quietApp()
		bp := canter.NewBlueprint("bp")
		app.Register(bp, "/one")
		app.Register(bp, "/two")
	})
	mustPanic("bad blueprint name", "may not be empty or contain", func() { canter.NewBlueprint("a.b") })
	mustPanic("hook after serving", "after the app started serving", func() {
		app := quietApp()
		app.Get("/", showItem)
		app.Handler()
		app.BeforeRequest(func(*web.Request) (*web.Response, error) { return nil, nil })
	})
	mustPanic("bad error handler key", "must be a status code", func() {
		quietApp().ErrorHandler("404", nil)
	})
}

func TestAppServesLikeAHandler(t *testing.T) {
	app := quietApp()
	app.Get("/hello/<name>", func(r *web.Request) (*web.Response, error) { return web.Text("hi " + r.Param("name")), nil })
	app.Handle("/std/<id>", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "std "+r.PathValue("id"))
	}))
	app.Post("/echo", func(r *web.Request) (*web.Response, error) {
		form, err := r.Form()
		if err != nil {
			return nil, err
		}
		return web.Text(form.Get("msg")), nil
	})
	app.UseHTTP(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Inner", "yes")
			next.ServeHTTP(w, r)
		})
	})
	c := cantertest.New(t, app)
	if resp := c.Get("/hello/ada"); resp.Text() != "hi ada" || resp.Header.Get("X-Inner") != "yes" {
		t.Errorf("GET: %q %v", resp.Text(), resp.Header)
	}
	if resp := c.Get("/std/9"); resp.Text() != "std 9" {
		t.Errorf("net/http handler: %q", resp.Text())
	}
	if resp := c.Post("/echo", url.Values{"msg": {"bonjour"}}); resp.Text() != "bonjour" {
		t.Errorf("POST: %q", resp.Text())
	}
	if resp := c.Get("/echo"); resp.StatusCode != 405 || resp.Header.Get("Allow") != "OPTIONS, POST" {
		t.Errorf("405: %d %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func ExampleNew() {
	app := canter.New()
	app.Get("/hello/<name>", func(r *web.Request) (*web.Response, error) {
		return web.Text("Hello, " + r.Param("name") + "!"), nil
	}, urls.Name("hello"))

	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/hello/ada", nil))
	fmt.Println(rec.Code, rec.Body.String())

	path, _ := app.URLFor("hello", "name", "bob", "lang", "fr")
	fmt.Println(path)
	// app.Run() serves it on 127.0.0.1:8000 (or $CANTER_ADDR).

	// Output:
	// 200 Hello, ada!
	// /hello/bob?lang=fr
}

func TestFlash(t *testing.T) {
	app := quietApp()
	app.Post("/save", func(r *web.Request) (*web.Response, error) {
		canter.Flash(r, "Saved.", "success")
		canter.Flash(r, "Plain.")
		return web.RedirectWith(303, "/"), nil
	})
	app.Get("/", func(r *web.Request) (*web.Response, error) {
		var out []string
		for _, m := range canter.FlashedMessages(r) {
			out = append(out, m.Tags()+"="+m.Text)
		}
		return web.Text(strings.Join(out, ",")), nil
	})
	c := cantertest.New(t, app)
	c.FollowRedirects = true
	if got := c.Post("/save", nil).Text(); got != "success=Saved.,info=Plain." {
		t.Errorf("after redirect %q", got)
	}
	if got := c.Get("/").Text(); got != "" {
		t.Errorf("flashed twice: %q", got)
	}
}

// SameSite settings are read without regard to case, as the settings check accepts them and as
// Django does: "strict" must give a Strict cookie, not silently the default Lax.
func TestSameSiteSettingsIgnoreCase(t *testing.T) {
	app := quietApp()
	app.Settings.CSRFCookieSameSite = "strict"
	app.Settings.SessionCookieSameSite = "strict"
	app.Get("/", func(r *web.Request) (*web.Response, error) {
		token := csrf.Token(r)
		sessions.Get(r).Set("seen", true)
		return web.Text(token), nil
	})
	resp := cantertest.New(t, app).Get("/")
	cookies := resp.Header.Values("Set-Cookie")
	if len(cookies) != 2 {
		t.Fatalf("Set-Cookie = %q, want the CSRF and the session cookie", cookies)
	}
	for _, c := range cookies {
		if !strings.Contains(c, "SameSite=Strict") {
			t.Errorf("Set-Cookie %q, want SameSite=Strict", c)
		}
	}
}

func TestTeardownPanicDoesNotStopTheOthers(t *testing.T) {
	app := quietApp()
	var ran []string
	app.TeardownRequest(func(*web.Request, error) { ran = append(ran, "first registered") })
	app.TeardownRequest(func(*web.Request, error) { panic("teardown broke") })
	app.Get("/", func(*web.Request) (*web.Response, error) { return web.Text("ok"), nil })
	c := cantertest.New(t, app)
	if resp := c.Get("/"); resp.Text() != "ok" {
		t.Fatalf("GET / = %q", resp.Text())
	}
	if len(ran) != 1 {
		t.Errorf("after a panicking teardown, the others ran %v", ran)
	}
}

func TestBuildPanicBecomesAnError(t *testing.T) {
	app := quietApp()
	app.Use(web.MiddlewareFunc(func(web.View) web.View { panic("a middleware factory broke") }))
	if _, err := app.Site(); err == nil || !strings.Contains(err.Error(), "a middleware factory broke") {
		t.Fatalf("Site() error = %v", err)
	}
	c := cantertest.New(t, app)
	if resp := c.Get("/"); resp.StatusCode != 500 {
		t.Errorf("a request to an app that cannot start: %d", resp.StatusCode)
	}
}
