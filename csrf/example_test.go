package csrf_test

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// serve sends one request to h and returns the status and the response.
func serve(h http.Handler, method, target string, header http.Header, body string) *http.Response {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

// A site with the CSRF middleware: the form page hands out a token, the POST must send it back.
func ExampleNew() {
	cfg := csrf.DefaultConfig()
	cfg.TrustedOrigins = []string{"https://*.example.com"}
	cfg.Logger = quiet
	mw, err := csrf.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	router, _ := urls.New(urls.Path("comment/", func(r *web.Request) (*web.Response, error) {
		if r.Method == http.MethodPost {
			return web.Text("thanks"), nil
		}
		return web.HTML(`<form method="post">` + string(csrf.Field(r)) + `<textarea name="text"></textarea></form>`), nil
	}))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{mw},
		Logger:     quiet,
	})

	page := serve(site, "GET", "http://example.com/comment/", nil, "")
	var buf bytes.Buffer
	buf.ReadFrom(page.Body)
	cookie := page.Cookies()[0]
	token := csrf.FindToken(buf.Bytes())

	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Cookie": {cookie.Name + "=" + cookie.Value}}
	fmt.Println("without the token:", serve(site, "POST", "http://example.com/comment/", form, "text=hi").StatusCode)
	fmt.Println("with the token:", serve(site, "POST", "http://example.com/comment/", form,
		url.Values{"text": {"hi"}, "csrfmiddlewaretoken": {token}}.Encode()).StatusCode)
	// Output:
	// without the token: 403
	// with the token: 200
}

// A New with a mistake says what is wrong and how to fix it.
func ExampleNew_error() {
	cfg := csrf.DefaultConfig()
	cfg.TrustedOrigins = []string{"example.com"}
	_, err := csrf.New(cfg)
	fmt.Println(err)
	// Output:
	// csrf: TrustedOrigins (CSRF_TRUSTED_ORIGINS) entry "example.com" must start with a scheme (usually http:// or https://), such as "https://example.com" or "https://*.example.com"
}

// Default is the middleware with Django's settings, ready for the onion.
func ExampleDefault() {
	site := handler.New(handler.Config{Middleware: []web.Middleware{csrf.Default()}})
	_ = site
	cfg := csrf.DefaultConfig()
	fmt.Println(cfg.CookieName, int(cfg.CookieAge.Seconds()), cfg.CookiePath, cfg.HeaderName)
	// Output: csrftoken 31449600 / X-CSRFToken
}

// The token-free mode for a JSON API: a browser's cross-site request is refused from its
// Sec-Fetch-Site header, a same-origin one passes without any token.
func ExampleModeOrigin() {
	cfg := csrf.DefaultConfig()
	cfg.Mode = csrf.ModeOrigin
	cfg.Logger = quiet
	mw, _ := csrf.New(cfg)
	router, _ := urls.New(urls.Path("api/items/", func(r *web.Request) (*web.Response, error) {
		return web.JSON(map[string]string{"status": "created"})
	}))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"api.example.com"}},
		Middleware: []web.Middleware{mw},
		Logger:     quiet,
	})
	for _, from := range []string{"same-origin", "cross-site"} {
		h := http.Header{"Sec-Fetch-Site": {from}, "Origin": {"https://evil.example"}, "Content-Type": {"application/json"}}
		fmt.Println(from, serve(site, "POST", "https://api.example.com/api/items/", h, `{}`).StatusCode)
	}
	// Output:
	// same-origin 200
	// cross-site 403
}

// A webhook authenticated by its sender's signature takes no CSRF token.
func ExampleExempt() {
	webhook := func(r *web.Request) (*web.Response, error) { return web.NoContent(), nil }
	router, _ := urls.New(urls.Path("hooks/payment/", csrf.Exempt(webhook)))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{csrf.Default()},
		Logger:     quiet,
	})
	fmt.Println(serve(site, "POST", "http://example.com/hooks/payment/", nil, "").StatusCode)
	// Output: 204
}

// Protect guards one view on a site without the middleware.
func ExampleProtect() {
	transfer := func(r *web.Request) (*web.Response, error) { return web.Text("done"), nil }
	router, _ := urls.New(urls.Path("transfer/", csrf.Protect(transfer)))
	site := handler.New(handler.Config{
		Site:   web.Site{Resolver: router, AllowedHosts: []string{"bank.example"}},
		Logger: quiet,
	})
	fmt.Println(serve(site, "POST", "http://bank.example/transfer/", nil, "").StatusCode)
	// Output: 403
}

// EnsureCookie sends the cookie with a page whose script reads it and sends it back in the
// X-CSRFToken header.
func ExampleEnsureCookie() {
	app := func(r *web.Request) (*web.Response, error) { return web.HTML(`<script src="/app.js"></script>`), nil }
	router, _ := urls.New(urls.Path("", csrf.EnsureCookie(app)))
	site := handler.New(handler.Config{
		Site:   web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Logger: quiet,
	})
	c := serve(site, "GET", "http://example.com/", nil, "").Cookies()[0]
	fmt.Println(c.Name, len(c.Value))
	// Output: csrftoken 32
}

// RequiresToken lets an error page render a form without ever rejecting the request.
func ExampleRequiresToken() {
	notFound := func(r *web.Request) (*web.Response, error) {
		return web.HTML(`<form action="/search/" method="post">` + string(csrf.Field(r)) + `</form>`).WithStatus(404), nil
	}
	router, _ := urls.New(urls.Path("missing/", csrf.RequiresToken(notFound)))
	site := handler.New(handler.Config{
		Site:   web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Logger: quiet,
	})
	resp := serve(site, "POST", "http://example.com/missing/", nil, "")
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	fmt.Println(resp.StatusCode, len(csrf.FindToken(buf.Bytes())))
	// Output: 404 64
}

// A login view rotates the secret, so that tokens handed out before the login stop working.
func ExampleRotate() {
	login := func(r *web.Request) (*web.Response, error) {
		// … check the password, then:
		csrf.Rotate(r)
		return web.Redirect("/"), nil
	}
	router, _ := urls.New(urls.Path("login/", login))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{csrf.Default()},
		Logger:     quiet,
	})
	old := strings.Repeat("a", 32) // the browser's secret before the login
	resp := serve(site, "POST", "http://example.com/login/", http.Header{
		"Cookie":      {"csrftoken=" + old},
		"X-Csrftoken": {old}, // a script may send the secret itself
	}, "")
	fmt.Println(resp.StatusCode, resp.Cookies()[0].Value != old)
	// Output: 302 true
}

// Token gives a script what it must send in the X-CSRFToken header; every call masks the secret
// anew.
func ExampleToken() {
	view := func(r *web.Request) (*web.Response, error) {
		a, b := csrf.Token(r), csrf.Token(r)
		return web.Text(fmt.Sprint(len(a), len(b), a != b)), nil
	}
	router, _ := urls.New(urls.Path("", view))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{csrf.Default()},
	})
	var buf bytes.Buffer
	buf.ReadFrom(serve(site, "GET", "http://example.com/", nil, "").Body)
	fmt.Println(buf.String())
	// Output: 64 64 true
}

// Field is the hidden input for a form.
func ExampleField() {
	view := func(r *web.Request) (*web.Response, error) {
		return web.HTML(string(csrf.Field(r))), nil
	}
	router, _ := urls.New(urls.Path("", view))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{csrf.Default()},
	})
	var buf bytes.Buffer
	buf.ReadFrom(serve(site, "GET", "http://example.com/", nil, "").Body)
	fmt.Println(strings.Replace(buf.String(), csrf.FindToken(buf.Bytes()), "…", 1))
	// Output: <input type="hidden" name="csrfmiddlewaretoken" value="…">
}

// FuncMap lets html/template pages call the helpers with the request they render.
func ExampleFuncMap() {
	tmpl := template.Must(template.New("form").Funcs(csrf.FuncMap()).Parse(
		`<form method="post">{{ csrf_field .Request }}<button>Save</button></form>`))
	view := func(r *web.Request) (*web.Response, error) {
		var buf bytes.Buffer
		err := tmpl.Execute(&buf, map[string]any{"Request": r})
		return web.HTML(buf.String()), err
	}
	router, _ := urls.New(urls.Path("", view))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{csrf.Default()},
	})
	var buf bytes.Buffer
	buf.ReadFrom(serve(site, "GET", "http://example.com/", nil, "").Body)
	fmt.Println(len(csrf.FindToken(buf.Bytes())))
	// Output: 64
}

// FindToken reads the token a page carries, as a test posting a form needs it.
func ExampleFindToken() {
	page := []byte(`<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>`)
	fmt.Println(csrf.FindToken(page))
	// Output: abc123
}

// A failure view of one's own answers rejections; Failure is Django's page.
func ExampleFailure() {
	cfg := csrf.DefaultConfig()
	cfg.Logger = quiet
	cfg.FailureView = func(r *web.Request, reason string) (*web.Response, error) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			return web.Text("CSRF check failed: " + reason).WithStatus(http.StatusForbidden), nil
		}
		return csrf.Failure(r, reason)
	}
	mw, _ := csrf.New(cfg)
	router, _ := urls.New(urls.Path("api/x/", okView))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{mw},
		Logger:     quiet,
	})
	var buf bytes.Buffer
	buf.ReadFrom(serve(site, "DELETE", "http://example.com/api/x/", nil, "").Body)
	fmt.Println(buf.String())
	// Output: CSRF check failed: CSRF cookie not set.
}

// With sessions, the secret lives in the user's session and no cookie is written.
func ExampleConfig_sessions() {
	store := &sessions{byID: map[string]*mapSession{}}
	cfg := csrf.DefaultConfig()
	cfg.UseSessions = true
	cfg.Session = func(r *web.Request) (csrf.Session, error) {
		if s, ok := r.Get(sessionKey{}).(*mapSession); ok {
			return s, nil
		}
		return nil, nil // answered with csrf.ErrNoSession
	}
	mw, _ := csrf.New(cfg)
	router, _ := urls.New(urls.Path("", tokenView))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{store, mw},
	})
	resp := serve(site, "GET", "http://example.com/", http.Header{"Cookie": {"sessionid=s1"}}, "")
	fmt.Println(len(resp.Cookies()), len(store.get("s1").values[csrf.SessionKey]))
	// Output: 0 32
}

// Middleware.Protect guards a view with a configuration of one's own, here a __Host- cookie
// for a site served over HTTPS only.
func ExampleMiddleware_Protect() {
	cfg := csrf.DefaultConfig()
	cfg.CookieName = "__Host-csrftoken"
	cfg.CookieSecure = true
	mw, err := csrf.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	router, _ := urls.New(urls.Path("settings/", mw.Protect(tokenView)))
	site := handler.New(handler.Config{
		Site:   web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Logger: quiet,
	})
	c := serve(site, "GET", "https://example.com/settings/", nil, "").Cookies()[0]
	fmt.Println(c.Name, c.Secure, c.Path)
	// Output: __Host-csrftoken true /
}

// IsExempt tells whether a view was marked with Exempt.
func ExampleIsExempt() {
	fmt.Println(csrf.IsExempt(csrf.Exempt(okView)), csrf.IsExempt(okView))
	// Output: true false
}
