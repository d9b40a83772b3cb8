package csrf_test

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// siteWithout builds a gateway without the CSRF middleware, for the decorators alone.
func siteWithout(t testing.TB, mw []web.Middleware, entries ...urls.Entry) *handler.Handler {
	t.Helper()
	router, err := urls.New(entries...)
	if err != nil {
		t.Fatal(err)
	}
	return handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"testserver"}},
		Middleware: mw,
		Logger:     quiet,
	})
}

func TestProtectWithoutMiddleware(t *testing.T) {
	logs := &logRecorder{}
	cfg := csrf.DefaultConfig()
	cfg.Logger = slog.New(logs)
	m, err := csrf.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := siteWithout(t, nil,
		urls.Path("form/", csrf.Protect(formView)),
		urls.Path("own/", m.Protect(formView)),
		urls.Path("open/", formView),
	)
	c := cantertest.New(t, h)
	c.EnforceCSRFChecks = true

	// The decorator hands out tokens and writes the cookie.
	token := csrf.FindToken(c.Get("/form/").Content)
	if token == "" || c.Cookie("csrftoken") == nil {
		t.Fatal("Protect did not set up the token and the cookie")
	}
	if resp := c.Post("/form/", form(token)); resp.StatusCode != 200 {
		t.Fatalf("POST with the token: %d", resp.StatusCode)
	}
	if resp := c.Post("/form/", nil); resp.StatusCode != 403 || !strings.Contains(resp.Text(), "CSRF verification failed. Request aborted.") {
		t.Fatalf("POST without token: %d %s", resp.StatusCode, resp.Text())
	}
	if resp := c.Post("/own/", nil); resp.StatusCode != 403 {
		t.Fatalf("Middleware.Protect, POST without token: %d", resp.StatusCode)
	}
	if got := logs.take(); len(got) != 1 || got[0].Message != "Forbidden (CSRF token missing.): /own/" {
		t.Errorf("Middleware.Protect logged %v to its own logger", got)
	}
	// An undecorated view is not protected and gets no token.
	if resp := c.Post("/open/", nil); resp.StatusCode != 200 {
		t.Fatalf("undecorated view: %d", resp.StatusCode)
	}
	if page := c.Get("/open/"); csrf.FindToken(page.Content) != "" {
		t.Errorf("an unprotected view rendered a token: %s", page.Text())
	}

	// Django's decorator semantics: a rejection returns at once, without process_response, so a
	// malformed cookie is not replaced by the decorator's 403.
	resp := s403(t, h, gatewayCase{method: "POST", path: "/form/", cookie: "bad", form: form(tokenA)})
	if len(resp.Cookies()) != 0 {
		t.Errorf("the decorator's rejection wrote a cookie: %v", resp.Cookies())
	}
}

func s403(t *testing.T, h http.Handler, c gatewayCase) *http.Response {
	t.Helper()
	rec := newRecorder()
	h.ServeHTTP(rec, c.request())
	resp := rec.Result()
	if resp.StatusCode != 403 {
		t.Fatalf("%s %s: status %d, want 403", c.method, c.path, resp.StatusCode)
	}
	return resp
}

func TestProtectUnderMiddlewareChecksOnce(t *testing.T) {
	s := newSite(t, siteConfig(), false)
	router, _ := urls.New(urls.Path("p/", csrf.Protect(okView)))
	h := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"testserver"}},
		Middleware: []web.Middleware{s.mw},
		Logger:     quiet,
	})
	s.logs.take()
	rec := newRecorder()
	h.ServeHTTP(rec, gatewayCase{method: "POST", path: "/p/"}.request())
	if rec.Code != 403 {
		t.Fatalf("status %d, want 403", rec.Code)
	}
	if logs := s.logs.take(); len(logs) != 1 {
		t.Errorf("%d rejections logged, want 1 (the middleware's)", len(logs))
	}
	rec = newRecorder()
	h.ServeHTTP(rec, gatewayCase{method: "POST", path: "/p/", cookie: secretA, form: form(tokenA)}.request())
	if rec.Code != 200 {
		t.Fatalf("status %d, want 200", rec.Code)
	}
}

func TestRequiresTokenNeverRejects(t *testing.T) {
	h := siteWithout(t, nil, urls.Path("err/", csrf.RequiresToken(formView)))
	c := cantertest.New(t, h)
	c.EnforceCSRFChecks = true
	resp := c.Post("/err/", nil) // no cookie, no token: still answered
	if resp.StatusCode != 200 {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	page := c.Get("/err/")
	if tok := csrf.FindToken(page.Content); len(tok) != 64 || page.Cookie("csrftoken") == nil {
		t.Errorf("token %q, cookie %v", tok, page.Cookie("csrftoken"))
	}
}

func TestEnsureCookie(t *testing.T) {
	h := siteWithout(t, nil,
		urls.Path("spa/", csrf.EnsureCookie(okView)),
		urls.Path("plain/", csrf.RequiresToken(okView)),
	)
	c := cantertest.New(t, h)
	c.EnforceCSRFChecks = true
	if resp := c.Get("/plain/"); resp.Cookie("csrftoken") != nil {
		t.Errorf("RequiresToken wrote the cookie without a token being asked for")
	}
	resp := c.Get("/spa/")
	ck := resp.Cookie("csrftoken")
	if ck == nil || len(ck.Value) != 32 {
		t.Fatalf("EnsureCookie: cookie %v", ck)
	}
	if resp := c.Post("/spa/", nil); resp.StatusCode != 200 {
		t.Errorf("EnsureCookie rejected a POST: %d", resp.StatusCode)
	}
}

func TestExempt(t *testing.T) {
	v := csrf.Exempt(okView)
	if !csrf.IsExempt(v) || csrf.IsExempt(okView) {
		t.Fatal("IsExempt does not see the mark")
	}
	// A decorator keeps the mark of the view it wraps.
	if !csrf.IsExempt(csrf.RequiresToken(v)) {
		t.Error("RequiresToken lost the exempt mark")
	}
	// Exempt views still send the cookie when they hand out a token.
	s := newSite(t, siteConfig(), false)
	router, _ := urls.New(urls.Path("x/", csrf.Exempt(tokenView)))
	h := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"testserver"}},
		Middleware: []web.Middleware{s.mw},
		Logger:     quiet,
	})
	c := cantertest.New(t, h)
	c.EnforceCSRFChecks = true
	resp := c.Post("/x/", nil)
	if resp.StatusCode != 200 || resp.Cookie("csrftoken") == nil {
		t.Errorf("exempt view: %d, cookie %v", resp.StatusCode, resp.Cookie("csrftoken"))
	}
}

func TestTokenWithoutProtection(t *testing.T) {
	var got string
	var field string
	h := siteWithout(t, nil, urls.Path("x/", func(r *web.Request) (*web.Response, error) {
		got, field = csrf.Token(r), string(csrf.Field(r))
		csrf.Rotate(r) // nothing to rotate: no panic
		return web.Text("ok"), nil
	}))
	resp := cantertest.New(t, h).Get("/x/")
	if got != "" || field != "" || resp.Cookie("csrftoken") != nil {
		t.Errorf("unprotected request: Token %q, Field %q, cookie %v", got, field, resp.Cookie("csrftoken"))
	}
}

func TestDecoratorPassesViewErrors(t *testing.T) {
	boom := errors.New("boom")
	h := siteWithout(t, nil, urls.Path("x/", csrf.Protect(func(r *web.Request) (*web.Response, error) {
		csrf.Token(r)
		return nil, boom
	})))
	resp := cantertest.New(t, h).Get("/x/")
	if resp.StatusCode != 500 {
		t.Errorf("status %d, want 500", resp.StatusCode)
	}
}
