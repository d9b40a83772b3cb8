package csrf_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// The reference algorithm of the spec (Django's masking), written from its text so that the
// package's own code is not used to check itself.
const refChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func refIdx(c byte) int { return strings.IndexByte(refChars, c) }

// refMask: cipher[i] = C[(idx(secret[i]) + idx(mask[i])) % 62]; the token is mask + cipher.
func refMask(secret, mask string) string {
	cipher := make([]byte, 32)
	for i := range 32 {
		cipher[i] = refChars[(refIdx(secret[i])+refIdx(mask[i]))%62]
	}
	return mask + string(cipher)
}

// refUnmask: secret[i] = C[(idx(tok[32+i]) - idx(tok[i])) mod 62].
func refUnmask(tok string) string {
	secret := make([]byte, 32)
	for i := range 32 {
		d := ((refIdx(tok[32+i])-refIdx(tok[i]))%62 + 62) % 62
		secret[i] = refChars[d]
	}
	return string(secret)
}

// logRecorder keeps the records logged through it.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r.Clone())
	return nil
}
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler      { return l }

// take returns the records logged so far and forgets them.
func (l *logRecorder) take() []slog.Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.records
	l.records = nil
	return out
}

func attr(r slog.Record, key string) string {
	var v string
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value.String()
			return false
		}
		return true
	})
	return v
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// views of the test sites.
func formView(r *web.Request) (*web.Response, error) {
	if r.Method == http.MethodPost {
		return web.Text("posted"), nil
	}
	return web.HTML(`<form method="post">` + string(csrf.Field(r)) + `<button>Go</button></form>`), nil
}

func okView(r *web.Request) (*web.Response, error) { return web.Text("ok"), nil }

func tokenView(r *web.Request) (*web.Response, error) { return web.Text(csrf.Token(r)), nil }

func twoTokensView(r *web.Request) (*web.Response, error) {
	return web.Text(csrf.Token(r) + " " + csrf.Token(r)), nil
}

func loginView(r *web.Request) (*web.Response, error) {
	csrf.Rotate(r)
	return web.Text("logged in"), nil
}

var trusted = []string{"https://*.trusted.example", "https://partner.example", "http://dev.example:5173"}

// testSite is a gateway with the CSRF middleware in front of the test views.
type testSite struct {
	h    *handler.Handler
	mw   *csrf.Middleware
	logs *logRecorder
}

func newSite(t testing.TB, cfg csrf.Config, debug bool) *testSite {
	t.Helper()
	logs := &logRecorder{}
	cfg.Logger = slog.New(logs)
	mw, err := csrf.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	router, err := urls.New(
		urls.Path("form/", formView),
		urls.Path("api/", okView),
		urls.Path("token/", tokenView),
		urls.Path("two/", twoTokensView),
		urls.Path("login/", loginView),
		urls.Path("exempt/", csrf.Exempt(okView)),
	)
	if err != nil {
		t.Fatal(err)
	}
	h := handler.New(handler.Config{
		Site: web.Site{
			Resolver:     router,
			Debug:        debug,
			AllowedHosts: []string{"testserver", "www.example.com"},
		},
		Middleware: []web.Middleware{mw},
		Logger:     quiet,
	})
	return &testSite{h: h, mw: mw, logs: logs}
}

func siteConfig() csrf.Config {
	cfg := csrf.DefaultConfig()
	cfg.TrustedOrigins = trusted
	return cfg
}

// do sends one request through the gateway.
func (s *testSite) do(req *http.Request) *http.Response {
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func setCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
