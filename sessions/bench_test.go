package sessions_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// discard is a ResponseWriter that keeps nothing, reused between requests.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// gateway returns a site with one view at "/", with or without the session middleware.
func gateway(tb testing.TB, withSessions bool, view web.View) http.Handler {
	tb.Helper()
	router, err := urls.New(urls.Path("", view))
	if err != nil {
		tb.Fatal(err)
	}
	cfg := handler.Config{Site: web.Site{Resolver: router}}
	if withSessions {
		mw, err := sessions.New(sessions.Config{Store: memstore.New()})
		if err != nil {
			tb.Fatal(err)
		}
		cfg.Middleware = []web.Middleware{mw}
	}
	return handler.New(cfg)
}

func untouched(*web.Request) (*web.Response, error) { return web.Text("hello"), nil }

func serveAllocs(tb testing.TB, h http.Handler, r *http.Request) float64 {
	w := &discard{h: http.Header{}}
	return testing.AllocsPerRun(200, func() {
		clear(w.h)
		h.ServeHTTP(w, r)
	})
}

// TestUntouchedSessionAllocatesNothing compares a request whose view never uses the session
// with the same request on a site without the middleware: the middleware adds no allocation,
// with or without a session cookie.
func TestUntouchedSessionAllocatesNothing(t *testing.T) {
	for _, cookie := range []string{"", "sessionid=abcdefghijklmnopqrstuvwxyz012345; csrftoken=x"} {
		r := httptest.NewRequest("GET", "/", nil)
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		without := serveAllocs(t, gateway(t, false, untouched), r)
		with := serveAllocs(t, gateway(t, true, untouched), r)
		if with != without {
			t.Errorf("cookie %q: %v allocations per request with the session middleware, %v without", cookie, with, without)
		}
	}
}

func benchServe(b *testing.B, h http.Handler, r *http.Request) {
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

func BenchmarkRequestWithoutMiddleware(b *testing.B) {
	benchServe(b, gateway(b, false, untouched), httptest.NewRequest("GET", "/", nil))
}

func BenchmarkRequestSessionUntouched(b *testing.B) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", "sessionid=abcdefghijklmnopqrstuvwxyz012345")
	benchServe(b, gateway(b, true, untouched), r)
}

// BenchmarkRequestSessionRead reads a value of a stored session (memstore).
func BenchmarkRequestSessionRead(b *testing.B) {
	h, r := sessionSite(b, func(r *web.Request) (*web.Response, error) {
		v, _ := sessions.Get(r).GetString("user")
		return web.Text(v), nil
	})
	benchServe(b, h, r)
}

// BenchmarkRequestSessionWrite changes a value of a stored session (memstore): load, update,
// cookie.
func BenchmarkRequestSessionWrite(b *testing.B) {
	h, r := sessionSite(b, func(r *web.Request) (*web.Response, error) {
		sessions.Get(r).Set("page", "/items/")
		return web.Text("ok"), nil
	})
	benchServe(b, h, r)
}

// sessionSite returns a site and a request carrying the key of a stored session.
func sessionSite(b *testing.B, view web.View) (http.Handler, *http.Request) {
	h := gateway(b, true, func(r *web.Request) (*web.Response, error) {
		if r.Header.Get("X-Seed") != "" {
			s := sessions.Get(r)
			s.Set("user", "42")
			s.Set("theme", "dark")
			return web.Text("seeded"), nil
		}
		return view(r)
	})
	w := httptest.NewRecorder()
	seed := httptest.NewRequest("GET", "/", nil)
	seed.Header.Set("X-Seed", "yes")
	h.ServeHTTP(w, seed)
	cookie := w.Result().Cookies()
	if len(cookie) != 1 {
		b.Fatal("no session cookie")
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(cookie[0])
	return h, r
}
