package middleware_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"

	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/middleware"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

func hello(*web.Request) (*web.Response, error) { return web.Text("Hello"), nil }

// serve builds a site with the middleware and routes, sends one request to it and returns the
// recorded answer.
func serve(mws []web.Middleware, method, target string, header map[string]string, routes ...urls.Entry) *httptest.ResponseRecorder {
	router, err := urls.New(routes...)
	if err != nil {
		panic(err)
	}
	h := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com", "www.example.com"}},
		Middleware: mws,
	})
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func ExampleSecurity() {
	security, err := middleware.Security(middleware.SecurityConfig{
		SSLRedirect:    true,
		RedirectExempt: []string{`^health$`},
		HSTSSeconds:    3600,
	})
	if err != nil {
		panic(err)
	}
	mws := []web.Middleware{security}
	routes := []urls.Entry{urls.Path("", hello), urls.Path("health", hello)}

	w := serve(mws, "GET", "http://example.com/?page=2", nil, routes...)
	fmt.Println(w.Code, w.Header().Get("Location"))

	w = serve(mws, "GET", "https://example.com/", nil, routes...)
	fmt.Println(w.Code, w.Header().Get("Strict-Transport-Security"))
	fmt.Println(w.Header().Get("X-Content-Type-Options"), w.Header().Get("Referrer-Policy"), w.Header().Get("Cross-Origin-Opener-Policy"))

	w = serve(mws, "GET", "http://example.com/health", nil, routes...)
	fmt.Println(w.Code)

	_, err = middleware.Security(middleware.SecurityConfig{ReferrerPolicy: []string{"same-site"}})
	fmt.Println(err)
	// Output:
	// 301 https://example.com/?page=2
	// 200 max-age=3600
	// nosniff same-origin same-origin
	// 200
	// middleware "security": SECURE_REFERRER_POLICY: "same-site" is not a valid value; valid values are: no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url (or disable the header)
}

func ExampleCommon() {
	common, err := middleware.Common(middleware.CommonConfig{DisallowedUserAgents: []string{`(?i)badbot`}})
	if err != nil {
		panic(err)
	}
	mws := []web.Middleware{common}
	routes := []urls.Entry{urls.Path("articles/", hello)}

	w := serve(mws, "GET", "http://example.com/articles?page=2", nil, routes...)
	fmt.Println(w.Code, w.Header().Get("Location"))

	w = serve(mws, "GET", "http://evil.example.org/articles/", nil, routes...)
	fmt.Println(w.Code)

	w = serve(mws, "GET", "http://example.com/articles/", map[string]string{"User-Agent": "BadBot/2.0"}, routes...)
	fmt.Println(w.Code)
	// Output:
	// 301 /articles/?page=2
	// 400
	// 403
}

func ExampleNoAppendSlash() {
	common, _ := middleware.Common(middleware.CommonConfig{})
	routes := []urls.Entry{
		urls.Path("api/items/", middleware.NoAppendSlash(hello)),
		urls.Path("about/", hello),
	}
	fmt.Println(serve([]web.Middleware{common}, "GET", "http://example.com/api/items", nil, routes...).Code)
	fmt.Println(serve([]web.Middleware{common}, "GET", "http://example.com/about", nil, routes...).Code)
	// Output:
	// 404
	// 301
}

func ExampleXFrameOptions() {
	xframe, err := middleware.XFrameOptions(middleware.XFrameConfig{Value: "sameorigin"})
	if err != nil {
		panic(err)
	}
	routes := []urls.Entry{
		urls.Path("", hello),
		urls.Path("embed/", middleware.XFrameExempt(hello)),
		urls.Path("private/", middleware.XFrameDeny(hello)),
	}
	for _, path := range []string{"/", "/embed/", "/private/"} {
		w := serve([]web.Middleware{xframe}, "GET", "http://example.com"+path, nil, routes...)
		fmt.Printf("%s %q\n", path, w.Header().Get("X-Frame-Options"))
	}
	// Output:
	// / "SAMEORIGIN"
	// /embed/ ""
	// /private/ "DENY"
}

func ExampleXFrameExempt() {
	// A widget other sites may show in a frame.
	widget := middleware.XFrameExempt(func(*web.Request) (*web.Response, error) {
		return web.HTML("<p>widget</p>"), nil
	})
	xframe, _ := middleware.XFrameOptions(middleware.XFrameConfig{})
	w := serve([]web.Middleware{xframe}, "GET", "http://example.com/widget/", nil, urls.Path("widget/", widget))
	fmt.Printf("%q\n", w.Header().Get("X-Frame-Options"))
	// Output:
	// ""
}

func ExampleGZip() {
	gz, err := middleware.GZip(middleware.GZipConfig{})
	if err != nil {
		panic(err)
	}
	page := strings.Repeat("<p>Canter</p>\n", 100)
	view := func(*web.Request) (*web.Response, error) { return web.HTML(page), nil }

	w := serve([]web.Middleware{gz}, "GET", "http://example.com/", map[string]string{"Accept-Encoding": "gzip"}, urls.Path("", view))
	fmt.Println(w.Header().Get("Content-Encoding"), w.Header().Get("Vary"), w.Body.Len() < len(page))

	w = serve([]web.Middleware{gz}, "GET", "http://example.com/", nil, urls.Path("", view))
	fmt.Printf("%q %s %d\n", w.Header().Get("Content-Encoding"), w.Header().Get("Vary"), w.Body.Len())
	// Output:
	// gzip Accept-Encoding true
	// "" Accept-Encoding 1400
}

func ExampleConditionalGet() {
	cg, err := middleware.ConditionalGet(middleware.ConditionalGetConfig{})
	if err != nil {
		panic(err)
	}
	routes := []urls.Entry{urls.Path("", hello)}
	w := serve([]web.Middleware{cg}, "GET", "http://example.com/", nil, routes...)
	etag := w.Header().Get("ETag")
	fmt.Println(w.Code, etag)

	w = serve([]web.Middleware{cg}, "GET", "http://example.com/", map[string]string{"If-None-Match": etag}, routes...)
	fmt.Println(w.Code, w.Body.Len())
	// Output:
	// 200 "8b1a9953c4611296a827abf8c47804d7"
	// 304 0
}

func ExampleRequestIDs() {
	ids, err := middleware.RequestIDs(middleware.RequestIDConfig{TrustIncoming: true})
	if err != nil {
		panic(err)
	}
	view := func(r *web.Request) (*web.Response, error) {
		return web.Text("handling " + middleware.RequestID(r)), nil
	}
	w := serve([]web.Middleware{ids}, "GET", "http://example.com/", map[string]string{"X-Request-ID": "req-42"}, urls.Path("", view))
	fmt.Println(w.Header().Get("X-Request-ID"), "|", w.Body.String())
	// Output:
	// req-42 | handling req-42
}

func ExampleAccessLog() {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		// Drop the time and duration so the output is the same on every run.
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		},
	}))
	access, err := middleware.AccessLog(middleware.AccessLogConfig{Logger: logger})
	if err != nil {
		panic(err)
	}
	ids, _ := middleware.RequestIDs(middleware.RequestIDConfig{Generate: func() string { return "r1" }})
	serve([]web.Middleware{access, ids}, "GET", "http://example.com/?q=secret", nil, urls.Path("", hello))
	fmt.Print(buf.String())
	// Output:
	// level=INFO msg=request method=GET path=/ status=200 bytes=5 request_id=r1
}

func ExampleBuild() {
	// A MIDDLEWARE setting, outermost first, and the configuration the settings map to.
	mws, err := middleware.Build(
		[]string{"security", "gzip", "conditional_get", "common", "xframe"},
		middleware.Config{Security: middleware.SecurityConfig{HSTSSeconds: 60}},
	)
	fmt.Println(len(mws), err)

	_, err = middleware.Build([]string{"security", "csrf"}, middleware.Config{})
	fmt.Println(err)
	// Output:
	// 5 <nil>
	// MIDDLEWARE: unknown middleware "csrf"; known names: access_log, common, conditional_get, gzip, request_id, security, xframe
}

func ExampleNames() {
	construct := middleware.Names()["xframe"]
	mw, err := construct(middleware.Config{XFrame: middleware.XFrameConfig{Value: "SAMEORIGIN"}})
	fmt.Println(mw != nil, err)
	// Output:
	// true <nil>
}

func ExampleDeployChecks() {
	msgs := middleware.DeployChecks(
		[]string{"security", "common", "xframe"},
		middleware.Config{Security: middleware.SecurityConfig{SSLRedirect: true, HSTSSeconds: 3600}},
		[]string{"example.com"},
	)
	for _, m := range msgs {
		fmt.Println(m.ID, m.Level)
	}
	// Output:
	// security.W005 WARNING
	// security.W021 WARNING
}

func ExampleCheckReferrerPolicy() {
	m := middleware.CheckReferrerPolicy([]string{"security"}, []string{"same-origin", "strict"}, false)
	fmt.Printf("%s: %s\n%s\n", m.ID, m.Text, m.Hint)
	// Output:
	// security.E023: You have set the SECURE_REFERRER_POLICY setting to an invalid value.
	// Valid values are: no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url.
}

func ExampleXFrameDeny() {
	// The site allows framing by its own pages, except for the account page.
	xframe, _ := middleware.XFrameOptions(middleware.XFrameConfig{Value: middleware.SameOrigin})
	w := serve([]web.Middleware{xframe}, "GET", "http://example.com/account/", nil, urls.Path("account/", middleware.XFrameDeny(hello)))
	fmt.Println(w.Header().Get("X-Frame-Options"))
	// Output:
	// DENY
}

func ExampleXFrameSameOrigin() {
	// No X-Frame-Options middleware: the decorator alone sets the header.
	w := serve(nil, "GET", "http://example.com/preview/", nil, urls.Path("preview/", middleware.XFrameSameOrigin(hello)))
	fmt.Println(w.Header().Get("X-Frame-Options"))
	// Output:
	// SAMEORIGIN
}

func ExampleRequestID() {
	ids, _ := middleware.RequestIDs(middleware.RequestIDConfig{Generate: func() string { return "abc" }})
	view := func(r *web.Request) (*web.Response, error) {
		slog.New(slog.DiscardHandler).Info("working", "request_id", middleware.RequestID(r))
		return web.Text(middleware.RequestID(r)), nil
	}
	w := serve([]web.Middleware{ids}, "GET", "http://example.com/", nil, urls.Path("", view))
	fmt.Println(w.Body.String())
	// Output:
	// abc
}

func ExampleCheckHSTS() {
	if m := middleware.CheckHSTS([]string{"security", "common"}, 0); m != nil {
		fmt.Println(m.ID, m.Level)
	}
	fmt.Println(middleware.CheckHSTS([]string{"security", "common"}, 31536000) == nil)
	// Output:
	// security.W004 WARNING
	// true
}
