package sqlitestore

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// formSite is a site whose one view reads a value of the session and saves a new one, as a
// multi-step form does on every request.
func formSite(tb testing.TB, store sessions.Store) http.Handler {
	mw, err := sessions.New(sessions.Config{Store: store})
	if err != nil {
		tb.Fatal(err)
	}
	router, err := urls.New(urls.Path("form/", func(r *web.Request) (*web.Response, error) {
		s := sessions.Get(r)
		step, _ := s.GetInt("step")
		s.Set("step", step+1)
		return web.Text("step " + strconv.FormatInt(step+1, 10)), nil
	}))
	if err != nil {
		tb.Fatal(err)
	}
	return handler.New(handler.Config{
		Site:       web.Site{AllowedHosts: []string{"example.com"}, Resolver: router},
		Middleware: []web.Middleware{mw},
	})
}

// newSession makes a session through the site and returns its cookie.
func newSession(tb testing.TB, h http.Handler) *http.Cookie {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "http://example.com/form/", nil))
	for _, c := range w.Result().Cookies() {
		if c.Name == "sessionid" {
			return c
		}
	}
	tb.Fatalf("no session cookie in %d %q", w.Code, w.Body)
	return nil
}

func TestFormFlow(t *testing.T) {
	h := formSite(t, open(t, ":memory:", Config{}))
	c := newSession(t, h)
	for want := 2; want <= 4; want++ {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "http://example.com/form/", nil)
		r.AddCookie(c)
		h.ServeHTTP(w, r)
		if got := w.Body.String(); got != "step "+strconv.Itoa(want) {
			t.Fatalf("request %d: %d %q", want, w.Code, got)
		}
	}
}

// BenchmarkFormFlow is the whole request (gateway, session middleware, store) of a form that
// loads and saves its session on every request. Run it with -cpu 1 for one core.
func BenchmarkFormFlow(b *testing.B) {
	for _, l := range layouts {
		b.Run(l.name, func(b *testing.B) {
			s, err := Open(benchPath(b), l.cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			h := formSite(b, s)
			cookies := make([]*http.Cookie, 100)
			for i := range cookies {
				cookies[i] = newSession(b, h)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				w := httptest.NewRecorder()
				r := httptest.NewRequest("GET", "http://example.com/form/", nil)
				r.AddCookie(cookies[i%len(cookies)])
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
			reportCPU(b, cpu)
		})
	}
}
