package middleware

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// must returns mw, panicking (which fails the test) when its constructor failed.
func must(mw web.Middleware, err error) web.Middleware {
	if err != nil {
		panic("constructor: " + err.Error())
	}
	return mw
}

// newSite builds a gateway for site (with "testserver" allowed when site has no hosts and is
// not in debug mode), the middleware and the routes.
func newSite(t testing.TB, site web.Site, mws []web.Middleware, routes ...urls.Entry) *handler.Handler {
	t.Helper()
	router, err := urls.New(routes...)
	if err != nil {
		t.Fatalf("routes: %v", err)
	}
	site.Resolver = router
	if site.AllowedHosts == nil && !site.Debug {
		site.AllowedHosts = []string{"testserver"}
	}
	return handler.New(handler.Config{Site: site, Middleware: mws})
}

// client returns a test client for a site built by newSite.
func client(t testing.TB, site web.Site, mws []web.Middleware, routes ...urls.Entry) *cantertest.Client {
	t.Helper()
	return cantertest.New(t, newSite(t, site, mws, routes...))
}

// text is a view answering s.
func text(s string) web.View {
	return func(*web.Request) (*web.Response, error) { return web.Text(s), nil }
}

// request builds a request for path on host "testserver" with extra headers.
func request(method, path string, header map[string]string) *http.Request {
	r := httptest.NewRequest(method, "http://testserver"+path, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	return r
}

// call runs one middleware around next for r, without the gateway, so tests can see the error
// a layer returns before the gateway turns it into a page.
func call(mw web.Middleware, site *web.Site, next web.View, r *http.Request) (*web.Response, error) {
	return mw.Wrap(next)(web.NewRequest(r, site))
}

func clientFor(t testing.TB, h http.Handler) *cantertest.Client { return cantertest.New(t, h) }

func tlsState() *tls.ConnectionState { return &tls.ConnectionState{HandshakeComplete: true} }

func urlsPath(pattern string, view web.View) urls.Entry { return urls.Path(pattern, view) }
