package canter_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/canter-go/canter"
	"github.com/canter-go/canter/web"
)

// plaintextApp is canter.New() with its default middleware (security, sessions in a signed
// cookie, common, CSRF, x-frame, and the template engines) and one plaintext view: the
// "canter" server of the benchmark suite.
func plaintextApp(tb testing.TB) http.Handler {
	app := canter.New()
	app.Settings.SecretKey = "benchmark-secret-key-0123456789abcdef0123456789abcdef"
	app.Settings.AllowedHosts = []string{"127.0.0.1", "localhost", "[::1]"}
	app.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	app.Get("/plaintext", func(*web.Request) (*web.Response, error) { return web.Text("Hello, World!"), nil })
	if _, err := app.Site(); err != nil {
		tb.Fatal(err)
	}
	return app
}

// plaintextMux is the same endpoint on a bare net/http ServeMux.
func plaintextMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /plaintext", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = []string{web.TextPlain}
		w.Write([]byte("Hello, World!"))
	})
	return mux
}

// discardWriter is a ResponseWriter that keeps its header map and drops the rest.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }

func plaintextRequest() *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/plaintext", nil)
	req.Host = "127.0.0.1:8080"
	return req
}

func servePlaintext(h http.Handler) func() {
	req := plaintextRequest()
	w := &discardWriter{h: http.Header{}}
	return func() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// BenchmarkPlaintext is a plaintext request through canter.New()'s full default stack,
// against the same request through a bare ServeMux.
func BenchmarkPlaintext(b *testing.B) {
	b.Run("ServeMux", func(b *testing.B) {
		serve := servePlaintext(plaintextMux())
		b.ReportAllocs()
		for b.Loop() {
			serve()
		}
	})
	b.Run("DefaultStack", func(b *testing.B) {
		serve := servePlaintext(plaintextApp(b))
		b.ReportAllocs()
		for b.Loop() {
			serve()
		}
	})
}

// TestPlaintextAllocations holds a plaintext request through canter.New()'s full default stack
// to its budget: two allocations, the *web.Request and the *web.Response (which holds the short
// body and, without a map, the content type and the headers security and x-frame add). Sessions
// and CSRF cost nothing on a request that does not use them.
func TestPlaintextAllocations(t *testing.T) {
	serve := servePlaintext(plaintextApp(t))
	serve()
	if allocs := testing.AllocsPerRun(200, serve); allocs > 2 {
		t.Errorf("plaintext through the default stack: %.0f allocations per request, want 2", allocs)
	}
}

// TestPlaintextThroughDefaultStack checks what the benchmark measures: the view's answer with
// the headers of the security and x-frame middleware.
func TestPlaintextThroughDefaultStack(t *testing.T) {
	w := &discardWriter{h: http.Header{}}
	plaintextApp(t).ServeHTTP(w, plaintextRequest())
	want := http.Header{
		"Content-Type":               {web.TextPlain},
		"X-Content-Type-Options":     {"nosniff"},
		"Referrer-Policy":            {"same-origin"},
		"Cross-Origin-Opener-Policy": {"same-origin"},
		"X-Frame-Options":            {"DENY"},
	}
	if w.status != http.StatusOK || !reflect.DeepEqual(w.h, want) {
		t.Errorf("status %d, headers %v; want 200 with %v", w.status, w.h, want)
	}
}
