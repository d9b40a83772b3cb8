package handler_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// logSink collects log records for assertions.
type logSink struct {
	mu      sync.Mutex
	records []slog.Record
}

func (s *logSink) Enabled(context.Context, slog.Level) bool { return true }
func (s *logSink) Handle(_ context.Context, r slog.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = append(s.records, r)
	return nil
}
func (s *logSink) WithAttrs([]slog.Attr) slog.Handler { return s }
func (s *logSink) WithGroup(string) slog.Handler      { return s }

func (s *logSink) find(msg string) (slog.Record, map[string]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.records {
		if strings.Contains(r.Message, msg) {
			attrs := map[string]string{}
			r.Attrs(func(a slog.Attr) bool {
				attrs[a.Key] = a.Value.String()
				return true
			})
			return r, attrs, true
		}
	}
	return slog.Record{}, nil, false
}

type fixture struct {
	h    *handler.Handler
	logs *logSink
}

func newFixture(t *testing.T, cfg handler.Config, entries ...urls.Entry) *fixture {
	t.Helper()
	router, err := urls.New(entries...)
	if err != nil {
		t.Fatal(err)
	}
	sink := &logSink{}
	cfg.Site.Resolver = router
	cfg.Logger = slog.New(sink)
	return &fixture{h: handler.New(cfg), logs: sink}
}

func (f *fixture) do(method, target string, body io.Reader) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, target, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	f.h.ServeHTTP(rec, req)
	return rec
}

func text(s string) web.View {
	return func(*web.Request) (*web.Response, error) { return web.Text(s), nil }
}

func TestErrorsBecomeResponses(t *testing.T) {
	f := newFixture(t, handler.Config{},
		urls.Path("ok", text("ok")),
		urls.Path("panic", func(*web.Request) (*web.Response, error) { panic("boom: secret detail") }),
		urls.Path("error", func(*web.Request) (*web.Response, error) { return nil, errors.New("db password=hunter2 failed") }),
		urls.Path("nil", func(*web.Request) (*web.Response, error) { return nil, nil }),
		urls.Path("denied", func(*web.Request) (*web.Response, error) { return nil, web.PermissionDenied("not yours") }),
		urls.Path("bad", func(*web.Request) (*web.Response, error) { return nil, web.BadRequest("bad input") }),
		urls.Path("gone", func(*web.Request) (*web.Response, error) { return nil, web.NotFound("no such item") }),
		urls.Path("busy", func(*web.Request) (*web.Response, error) { return nil, web.StatusError(503, "store down") }),
		urls.Path("get-only", text("x"), urls.Methods("GET")),
		urls.Path("query", func(r *web.Request) (*web.Response, error) { return web.Text(r.QueryValue("a")), nil }),
		urls.Path("redirect", func(r *web.Request) (*web.Response, error) { return web.Redirect(r.QueryValue("next")), nil }),
	)
	tests := []struct {
		method, path string
		status       int
		body         string // substring
		allow        string
	}{
		{"GET", "/ok", 200, "ok", ""},
		{"GET", "/panic", 500, "Server Error (500)", ""},
		{"GET", "/error", 500, "Server Error (500)", ""},
		{"GET", "/nil", 500, "Server Error (500)", ""},
		{"GET", "/denied", 403, "403 Forbidden", ""},
		{"GET", "/bad", 400, "Bad Request (400)", ""},
		{"GET", "/gone", 404, "The requested resource was not found on this server.", ""},
		{"GET", "/nowhere", 404, "<h1>Not Found</h1>", ""},
		{"GET", "/busy", 503, "503 Service Unavailable", ""},
		{"POST", "/get-only", 405, "405 Method Not Allowed", "GET, HEAD, OPTIONS"},
		{"GET", "/query?" + strings.Repeat("a=1&", 1000) + "a=2", 400, "Bad Request (400)", ""},
		{"GET", "/redirect?next=javascript:alert(1)", 400, "Bad Request (400)", ""},
		{"GET", "/ok", 200, "ok", ""}, // still serving after all of the above
	}
	for _, tt := range tests {
		rec := f.do(tt.method, tt.path, nil)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("%s %s = %d %q, want %d containing %q", tt.method, tt.path, rec.Code, rec.Body.String(), tt.status, tt.body)
		}
		if got := rec.Header().Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow = %q, want %q", tt.method, tt.path, got, tt.allow)
		}
		for _, leak := range []string{"secret detail", "hunter2", "goroutine"} {
			if strings.Contains(rec.Body.String(), leak) {
				t.Errorf("%s %s leaks %q with debug off", tt.method, tt.path, leak)
			}
		}
	}
	// The panic is logged at Error with its stack; a 404 at Warn; suspicious input on the
	// security logger.
	rec, attrs, ok := f.logs.find("Internal Server Error: /panic")
	if !ok || rec.Level != slog.LevelError || !strings.Contains(attrs["stack"], "goroutine") || !strings.Contains(attrs["error"], "boom") {
		t.Errorf("panic log = %v %v", rec, attrs)
	}
	if rec, _, ok := f.logs.find("Not Found: /nowhere"); !ok || rec.Level != slog.LevelWarn {
		t.Errorf("404 log = %v", rec)
	}
	if _, attrs, ok := f.logs.find("DATA_UPLOAD_MAX_NUMBER_FIELDS"); !ok || attrs["logger"] != "security.TooManyFieldsSent" {
		t.Errorf("suspicious log = %v", attrs)
	}
}

func TestDebugPages(t *testing.T) {
	settings := map[string]any{
		"SECRET_KEY": "super-secret-value",
		"DEBUG":      true,
		"DATABASES":  map[string]any{"default": map[string]string{"URL": "postgres://app:pw123@db/app"}},
		"API_TOKEN":  "tok-999",
		"TIME_ZONE":  "UTC",
	}
	f := newFixture(t, handler.Config{Site: web.Site{Debug: true}, Settings: settings},
		urls.Path("items/<int:id>/", func(*web.Request) (*web.Response, error) { panic("item <b>exploded</b>") }, urls.Name("item")),
		urls.Path("ok", text("ok"), urls.Name("ok")),
	)
	rec := f.do("GET", "/items/5/?q=1", nil)
	body := rec.Body.String()
	if rec.Code != 500 {
		t.Fatalf("status %d", rec.Code)
	}
	for _, want := range []string{
		"item &lt;b&gt;exploded&lt;/b&gt;", // escaped
		"goroutine",                        // the stack
		"/items/&lt;int:id&gt;/",           // the route tried
		"name: item",
		"TIME_ZONE", "UTC",
		"********************",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("debug 500 page lacks %q", want)
		}
	}
	for _, secret := range []string{"super-secret-value", "tok-999", "pw123", "<b>exploded"} {
		if strings.Contains(body, secret) {
			t.Errorf("debug page shows %q", secret)
		}
	}
	rec = f.do("GET", "/missing", nil)
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "Page not found") || !strings.Contains(rec.Body.String(), "/items/&lt;int:id&gt;/") {
		t.Errorf("debug 404 = %d %s", rec.Code, rec.Body.String())
	}
	if !strings.Contains(rec.Body.String(), "didn’t match any of these") {
		t.Errorf("debug 404 for an unmatched path does not say it matched nothing: %s", rec.Body.String())
	}
}

// TestDebug404RaisedByView checks that the debug 404 page of a path that did match a route,
// whose view then answered 404, says so (Django's "matched the last one") instead of claiming
// that no pattern matched.
func TestDebug404RaisedByView(t *testing.T) {
	f := newFixture(t, handler.Config{Site: web.Site{Debug: true}},
		urls.Path("items/<int:id>/", func(r *web.Request) (*web.Response, error) {
			return nil, web.NotFound("no item %s", r.Param("id"))
		}, urls.Name("item")),
	)
	rec := f.do("GET", "/items/7/", nil)
	body := rec.Body.String()
	if rec.Code != 404 || !strings.Contains(body, "no item 7") {
		t.Fatalf("debug 404 = %d %s", rec.Code, body)
	}
	if strings.Contains(body, "didn’t match") {
		t.Errorf("the page says the path matched no pattern, but it matched /items/<int:id>/: %s", body)
	}
	if !strings.Contains(body, "matched the route <code>/items/&lt;int:id&gt;/</code>") {
		t.Errorf("the page does not name the route the path matched: %s", body)
	}
}

func TestErrorViewsAndHandler(t *testing.T) {
	f := newFixture(t, handler.Config{
		ErrorViews: map[int]web.ErrorView{
			404: func(r *web.Request, err error) (*web.Response, error) {
				return web.Text("custom 404 for " + r.URL.Path).WithStatus(404), nil
			},
			500: func(r *web.Request, err error) (*web.Response, error) {
				return nil, errors.New("the 500 page itself failed")
			},
			403: func(r *web.Request, err error) (*web.Response, error) { panic("403 view panics") },
		},
		ErrorHandler: func(r *web.Request, err error) (*web.Response, error) {
			if errors.Is(err, errTeapot) {
				return web.Text("teapot").WithStatus(418), nil
			}
			return nil, nil
		},
	},
		urls.Path("teapot", func(*web.Request) (*web.Response, error) { return nil, errTeapot }),
		urls.Path("boom", func(*web.Request) (*web.Response, error) { return nil, errors.New("boom") }),
		urls.Path("denied", func(*web.Request) (*web.Response, error) { return nil, web.ErrPermissionDenied }),
	)
	if rec := f.do("GET", "/x", nil); rec.Code != 404 || rec.Body.String() != "custom 404 for /x" {
		t.Errorf("404 view: %d %q", rec.Code, rec.Body.String())
	}
	if rec := f.do("GET", "/teapot", nil); rec.Code != 418 || rec.Body.String() != "teapot" {
		t.Errorf("error handler: %d %q", rec.Code, rec.Body.String())
	}
	// A failing error view falls back to the default 500 page.
	if rec := f.do("GET", "/boom", nil); rec.Code != 500 || !strings.Contains(rec.Body.String(), "Server Error (500)") {
		t.Errorf("failing 500 view: %d %q", rec.Code, rec.Body.String())
	}
	if rec := f.do("GET", "/denied", nil); rec.Code != 500 {
		t.Errorf("panicking 403 view: %d", rec.Code)
	}
}

var errTeapot = errors.New("short and stout")

// TestErrorViewWithoutResponse checks that an error view that returns neither a response nor
// an error is reported as the cause of the 500 that replaces its page.
func TestErrorViewWithoutResponse(t *testing.T) {
	f := newFixture(t, handler.Config{ErrorViews: map[int]web.ErrorView{
		404: func(*web.Request, error) (*web.Response, error) { return nil, nil },
	}})
	if rec := f.do("GET", "/x", nil); rec.Code != 500 {
		t.Errorf("GET /x = %d, want the 500 page", rec.Code)
	}
	if _, attrs, ok := f.logs.find("error view"); !ok || attrs["status"] != "404" || !strings.Contains(attrs["error"], "neither a response nor an error") {
		t.Errorf("the empty error view is not named in the log: %v %v", ok, attrs)
	}
}

func TestTeardownAndRequestValues(t *testing.T) {
	var got []string
	mw := web.MiddlewareFunc(func(next web.View) web.View {
		return func(r *web.Request) (*web.Response, error) {
			r.Set("user", "ada")
			return next(r)
		}
	})
	f := newFixture(t, handler.Config{
		Middleware: []web.Middleware{mw},
		Teardown: []func(*web.Request, error){func(r *web.Request, err error) {
			got = append(got, r.URL.Path+" "+errString(err)+" "+r.Get("user").(string))
		}},
	},
		urls.Path("ok", func(r *web.Request) (*web.Response, error) {
			user, _ := web.Value[string](r, "user")
			return web.Text(user), nil
		}),
		urls.Path("fail", func(*web.Request) (*web.Response, error) { return nil, errors.New("broken") }),
	)
	if rec := f.do("GET", "/ok", nil); rec.Body.String() != "ada" {
		t.Errorf("request value: %q", rec.Body.String())
	}
	f.do("GET", "/fail", nil)
	want := []string{"/ok <nil> ada", "/fail broken ada"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("teardown saw %q, want %q", got, want)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestNetHTTPMiddleware(t *testing.T) {
	var order []string
	// A net/http middleware that only adds a header passes the inner response through.
	addHeader := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			order = append(order, "header-in")
			w.Header().Set("X-Outer", "1")
			next.ServeHTTP(w, r)
			order = append(order, "header-out")
		})
	}
	// One that answers early for /blocked.
	blocker := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/blocked" {
				http.Error(w, "blocked by net/http middleware", http.StatusTeapot)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, "from-mw")))
		})
	}
	// One that wraps the writer and upper-cases the body.
	upper := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(bytes.ToUpper(rec.Body.Bytes()))
		})
	}
	// Outer middleware sees the whole site.
	outer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Site", "wrapped")
			next.ServeHTTP(w, r)
		})
	}
	var after []string
	tracer := web.MiddlewareFunc(func(next web.View) web.View {
		return func(r *web.Request) (*web.Response, error) {
			resp, err := next(r)
			after = append(after, resp.Header().Get("X-Outer"))
			return resp, err
		}
	})
	f := newFixture(t, handler.Config{
		Middleware: []web.Middleware{tracer, web.FromHTTP(addHeader), web.FromHTTP(blocker), web.FromHTTP(upper)},
		Outer:      []func(http.Handler) http.Handler{outer},
	},
		urls.Path("hello/<name>", func(r *web.Request) (*web.Response, error) {
			v, _ := r.Context().Value(ctxKey{}).(string)
			resp := web.Text("hello " + r.Param("name") + " " + v)
			resp.SetCookie(&http.Cookie{Name: "c", Value: "1"})
			return resp, nil
		}),
		urls.Path("std/<id>", web.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, isWeb := web.RequestOf(r).Get("x").(string)
			io.WriteString(w, "std "+r.PathValue("id")+" "+boolString(web.RequestOf(r) != nil)+boolString(!isWeb))
		})),
	)
	rec := f.do("GET", "/hello/ada", nil)
	if rec.Body.String() != "HELLO ADA FROM-MW" || rec.Header().Get("X-Outer") != "1" || rec.Header().Get("X-Site") != "wrapped" {
		t.Errorf("through net/http middleware: %q %v", rec.Body.String(), rec.Header())
	}
	if !strings.Contains(rec.Header().Get("Set-Cookie"), "c=1") {
		t.Errorf("cookie lost through the wrapping middleware: %v", rec.Header())
	}
	if strings.Join(order, ",") != "header-in,header-out" || after[0] != "1" {
		t.Errorf("order %v, outer layer saw X-Outer=%v", order, after)
	}
	rec = f.do("GET", "/blocked", nil)
	if rec.Code != http.StatusTeapot || !strings.Contains(rec.Body.String(), "blocked") {
		t.Errorf("early answer: %d %q", rec.Code, rec.Body.String())
	}
	rec = f.do("GET", "/std/42", nil)
	if rec.Body.String() != "STD 42 TRUETRUE" {
		t.Errorf("net/http view: %q", rec.Body.String())
	}
}

type ctxKey struct{}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestStreamingResponses(t *testing.T) {
	f := newFixture(t, handler.Config{},
		urls.Path("stream", func(*web.Request) (*web.Response, error) {
			return web.Stream("text/plain", func(w io.Writer) error {
				for i := 0; i < 3; i++ {
					io.WriteString(w, "chunk ")
					web.Flush(w)
				}
				return nil
			}), nil
		}),
		urls.Path("stream-panic", func(*web.Request) (*web.Response, error) {
			return web.Stream("text/plain", func(w io.Writer) error { panic("mid-stream") }), nil
		}),
	)
	rec := f.do("GET", "/stream", nil)
	if rec.Body.String() != "chunk chunk chunk " || !rec.Flushed {
		t.Errorf("stream: %q flushed=%v", rec.Body.String(), rec.Flushed)
	}
	rec = f.do("GET", "/stream-panic", nil)
	if rec.Code != 500 {
		t.Errorf("panic before the first byte: %d", rec.Code)
	}
	if _, _, ok := f.logs.find("Internal Server Error: /stream-panic"); !ok {
		t.Error("stream panic not logged")
	}
}

// TestStreamErrors checks that a stream failing before its first byte is answered like a view
// failing (the error's status and page, not an empty 200), and that one failing after the
// status went out is logged.
func TestStreamErrors(t *testing.T) {
	failing := func(before string, err error) web.View {
		return func(*web.Request) (*web.Response, error) {
			resp := web.Stream("text/csv", func(w io.Writer) error {
				io.WriteString(w, before)
				return err
			})
			resp.Header().Set("Content-Disposition", `attachment; filename="report.csv"`)
			return resp, nil
		}
	}
	f := newFixture(t, handler.Config{},
		urls.Path("fails-at-once", failing("", errors.New("database is down"))),
		urls.Path("not-found", failing("", web.NotFound("no report"))),
		urls.Path("fails-midway", failing("a,b\n", errors.New("connection lost"))),
	)
	tests := []struct {
		path        string
		status      int
		body        string
		disposition string
		log         string
	}{
		{"/fails-at-once", 500, "Server Error (500)", "", "Internal Server Error: /fails-at-once"},
		{"/not-found", 404, "<h1>Not Found</h1>", "", "Not Found: /not-found"},
		{"/fails-midway", 200, "a,b\n", `attachment; filename="report.csv"`, "the streamed response failed after it started"},
	}
	for _, tt := range tests {
		rec := f.do("GET", tt.path, nil)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("GET %s = %d %q, want %d containing %q", tt.path, rec.Code, rec.Body.String(), tt.status, tt.body)
		}
		if got := rec.Header().Get("Content-Disposition"); got != tt.disposition {
			t.Errorf("GET %s: Content-Disposition = %q, want %q", tt.path, got, tt.disposition)
		}
		if _, _, ok := f.logs.find(tt.log); !ok {
			t.Errorf("GET %s: nothing logged containing %q", tt.path, tt.log)
		}
	}
	if _, attrs, _ := f.logs.find("the streamed response failed"); !strings.Contains(attrs["error"], "connection lost") {
		t.Errorf("the mid-stream failure's log does not name the error: %v", attrs)
	}
}

func TestMiddlewareNotUsed(t *testing.T) {
	var calls int
	unused := web.MiddlewareFunc(func(next web.View) web.View { return nil })
	counting := &web.Hooks{View: func(*web.Request, web.View) (*web.Response, error) { calls++; return nil, nil }}
	f := newFixture(t, handler.Config{Middleware: []web.Middleware{unused, counting}}, urls.Path("x", text("x")))
	if rec := f.do("GET", "/x", nil); rec.Body.String() != "x" || calls != 1 {
		t.Errorf("%q calls=%d", rec.Body.String(), calls)
	}
}

// BenchmarkGateway compares a request through the gateway with three no-op middlewares against
// the same request through a bare http.ServeMux.
func BenchmarkGateway(b *testing.B) {
	b.Run("ServeMux", func(b *testing.B) { benchHandler(b, bareMux()) })
	b.Run("Canter3NoOp", func(b *testing.B) { benchHandler(b, gateway3()) })
}

func bareMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", web.TextPlain)
		w.Write([]byte("Hello, World!"))
	})
	return mux
}

func gateway3() http.Handler {
	noop := web.MiddlewareFunc(func(next web.View) web.View {
		return func(r *web.Request) (*web.Response, error) { return next(r) }
	})
	router, _ := urls.New(urls.Path("hello", func(*web.Request) (*web.Response, error) {
		return web.Text("Hello, World!"), nil
	}, urls.Methods("GET")))
	return handler.New(handler.Config{Site: web.Site{Resolver: router}, Middleware: []web.Middleware{noop, noop, noop}})
}

type nullWriter struct{ h http.Header }

func (w *nullWriter) Header() http.Header         { return w.h }
func (w *nullWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nullWriter) WriteHeader(int)             {}

func benchHandler(b *testing.B, h http.Handler) {
	req := httptest.NewRequest("GET", "/hello", nil)
	w := &nullWriter{h: http.Header{}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// TestGatewayAllocations holds the gateway to its budget: at most two allocations more than a
// bare ServeMux for the same request (the *web.Request and the *web.Response).
func TestGatewayAllocations(t *testing.T) {
	measure := func(h http.Handler) float64 {
		req := httptest.NewRequest("GET", "/hello", nil)
		w := &nullWriter{h: http.Header{}}
		return testing.AllocsPerRun(200, func() {
			clear(w.h)
			h.ServeHTTP(w, req)
		})
	}
	bare, canter := measure(bareMux()), measure(gateway3())
	if canter > bare+2 {
		t.Errorf("gateway with 3 no-op middlewares: %.0f allocs, bare ServeMux: %.0f; budget is +2", canter, bare)
	}
	t.Logf("allocs per request: ServeMux %.0f, Canter with 3 no-op middlewares %.0f", bare, canter)
}

// The debug page hides every request header whose name looks secret, as Django's debug page
// hides META entries matching HIDDEN_SETTINGS, not only a fixed list of well-known headers.
func TestDebugPageMasksSecretHeaders(t *testing.T) {
	f := newFixture(t, handler.Config{Site: web.Site{Debug: true}},
		urls.Path("boom", func(*web.Request) (*web.Response, error) { return nil, errors.New("boom") }),
	)
	req := httptest.NewRequest("GET", "/boom", nil)
	secrets := map[string]string{
		"Authorization":        "Bearer auth-secret",
		"X-Auth-Token":         "token-secret",
		"X-Amz-Security-Token": "amz-secret",
		"X-Upstream-Secret":    "upstream-secret",
		"X-Signature":          "sig-secret",
		"X-Session-Key":        "key-secret",
		"X-Passphrase":         "pass-secret",
	}
	for k, v := range secrets {
		req.Header.Set(k, v)
	}
	req.Header.Set("X-Trace", "plain-trace-value")
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	body := rec.Body.String()
	for k, v := range secrets {
		if strings.Contains(body, v) {
			t.Errorf("debug page shows the value of %s", k)
		}
	}
	if !strings.Contains(body, "plain-trace-value") {
		t.Error("debug page hides a header that does not look secret")
	}
}

// Settings nested in lists (TEMPLATES' OPTIONS) and passwords in key=value connection strings
// are masked too.
func TestDebugPageMasksNestedSettings(t *testing.T) {
	type template struct {
		Backend string         `setting:"BACKEND"`
		Options map[string]any `setting:"OPTIONS"`
	}
	type database struct {
		URL string `setting:"URL"`
	}
	settings := struct {
		Templates []template          `setting:"TEMPLATES"`
		Databases map[string]database `setting:"DATABASES"`
		Hosts     []string            `setting:"ALLOWED_HOSTS"`
	}{
		Templates: []template{{Backend: "django", Options: map[string]any{"API_KEY": "tpl-secret", "autoescape": true}}},
		Databases: map[string]database{"default": {URL: "host=db user=app password=kv-secret dbname=app"}},
		Hosts:     []string{"example.com"},
	}
	f := newFixture(t, handler.Config{Site: web.Site{Debug: true}, Settings: settings},
		urls.Path("boom", func(*web.Request) (*web.Response, error) { return nil, errors.New("boom") }),
	)
	body := f.do("GET", "/boom", nil).Body.String()
	for _, secret := range []string{"tpl-secret", "kv-secret"} {
		if strings.Contains(body, secret) {
			t.Errorf("debug page shows %q", secret)
		}
	}
	for _, want := range []string{"autoescape", "example.com", "host=db"} {
		if !strings.Contains(body, want) {
			t.Errorf("debug page lacks %q", want)
		}
	}
}
