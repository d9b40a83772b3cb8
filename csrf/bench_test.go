package csrf_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// sinkWriter is a ResponseWriter that keeps nothing, so that allocations measured are the
// gateway's and the middleware's.
type sinkWriter struct{ h http.Header }

func (w *sinkWriter) Header() http.Header         { return w.h }
func (w *sinkWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *sinkWriter) WriteHeader(int)             {}

func benchHandler(tb testing.TB, withCSRF bool) http.Handler {
	tb.Helper()
	router, err := urls.New(urls.Path("api/", okView), urls.Path("token/", tokenView))
	if err != nil {
		tb.Fatal(err)
	}
	var mw []web.Middleware
	if withCSRF {
		mw = append(mw, csrf.Default())
	}
	return handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"testserver"}},
		Middleware: mw,
		Logger:     quiet,
	})
}

func safeRequest(cookie string) *http.Request {
	req := httptest.NewRequest("GET", "http://testserver/api/", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept", "text/html")
	if cookie != "" {
		req.Header.Set("Cookie", "sessionid=abc; csrftoken="+cookie+"; theme=dark")
	}
	return req
}

func serveLoop(h http.Handler, req *http.Request) func() {
	w := &sinkWriter{h: http.Header{}}
	return func() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// A safe request that never asks for a token costs no allocation in the CSRF middleware: the
// same request allocates as much with it as without it, with or without a cookie.
func TestSafeRequestAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	base := testing.AllocsPerRun(200, serveLoop(benchHandler(t, false), safeRequest("")))
	for _, cookie := range []string{"", secretA, tokenA} {
		with := testing.AllocsPerRun(200, serveLoop(benchHandler(t, true), safeRequest(cookie)))
		if with != base {
			t.Errorf("cookie %q: %v allocs/op with the middleware, %v without", cookie, with, base)
		}
	}
}

// go test ./csrf -run '^$' -bench SafeRequest -benchmem
func BenchmarkSafeRequest(b *testing.B) {
	for _, c := range []struct {
		name   string
		csrf   bool
		cookie string
	}{
		{"without-csrf", false, ""},
		{"csrf", true, ""},
		{"csrf-with-cookie", true, secretA},
	} {
		b.Run(c.name, func(b *testing.B) {
			serve := serveLoop(benchHandler(b, c.csrf), safeRequest(c.cookie))
			b.ReportAllocs()
			for b.Loop() {
				serve()
			}
		})
	}
}

// An accepted POST: Fetch Metadata, form parsing and the token check.
func BenchmarkUnsafeRequest(b *testing.B) {
	h := benchHandler(b, true)
	body := form(tokenA).Encode()
	w := &sinkWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "http://testserver/api/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Cookie", "csrftoken="+secretA)
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// A page that renders a token: a fresh mask and the cookie.
func BenchmarkTokenRequest(b *testing.B) {
	h := benchHandler(b, true)
	req := httptest.NewRequest("GET", "http://testserver/token/", nil)
	req.Header.Set("Cookie", "csrftoken="+secretA)
	serve := serveLoop(h, req)
	b.ReportAllocs()
	for b.Loop() {
		serve()
	}
}
