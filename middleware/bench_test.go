package middleware

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/canter-go/canter/web"
)

// discardWriter is a ResponseWriter that keeps nothing, so benchmarks measure the framework.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

func benchServe(b *testing.B, mws []web.Middleware, view web.View, header map[string]string) {
	h := newSite(b, web.Site{}, mws, urlsPath("plaintext", view))
	r := httptest.NewRequest("GET", "http://testserver/plaintext", nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := &discardWriter{h: make(http.Header, 8)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

func plaintext(*web.Request) (*web.Response, error) { return web.Text("Hello, World!"), nil }

// BenchmarkPlaintext compares a plain GET through no middleware and through Django's default
// security stack (security, common, xframe).
func BenchmarkPlaintext(b *testing.B) {
	b.Run("none", func(b *testing.B) { benchServe(b, nil, plaintext, nil) })
	b.Run("security", func(b *testing.B) {
		benchServe(b, []web.Middleware{must(Security(SecurityConfig{}))}, plaintext, nil)
	})
	b.Run("common", func(b *testing.B) {
		benchServe(b, []web.Middleware{must(Common(CommonConfig{}))}, plaintext, nil)
	})
	b.Run("xframe", func(b *testing.B) {
		benchServe(b, []web.Middleware{must(XFrameOptions(XFrameConfig{}))}, plaintext, nil)
	})
	b.Run("security+common+xframe", func(b *testing.B) {
		benchServe(b, []web.Middleware{
			must(Security(SecurityConfig{})), must(Common(CommonConfig{})), must(XFrameOptions(XFrameConfig{})),
		}, plaintext, nil)
	})
	b.Run("security+common+xframe+hsts", func(b *testing.B) {
		h := newSite(b, web.Site{}, []web.Middleware{
			must(Security(SecurityConfig{HSTSSeconds: 3600})), must(Common(CommonConfig{})), must(XFrameOptions(XFrameConfig{})),
		}, urlsPath("plaintext", plaintext))
		r := httptest.NewRequest("GET", "https://testserver/plaintext", nil)
		w := &discardWriter{h: make(http.Header, 8)}
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			h.ServeHTTP(w, r)
		}
	})
}

func BenchmarkRequestID(b *testing.B) {
	benchServe(b, []web.Middleware{must(RequestIDs(RequestIDConfig{}))}, plaintext, nil)
}

func BenchmarkConditionalGet(b *testing.B) {
	mw := []web.Middleware{must(ConditionalGet(ConditionalGetConfig{}))}
	b.Run("etag", func(b *testing.B) { benchServe(b, mw, plaintext, nil) })
	b.Run("304", func(b *testing.B) {
		benchServe(b, mw, plaintext, map[string]string{"If-None-Match": `"65a8e27d8879283831b664bd8b7f0ad4"`})
	})
}

func BenchmarkGZip(b *testing.B) {
	page := strings.Repeat("<tr><td>Canter</td><td>compresses</td><td>this table</td></tr>\n", 64) // 4 KB
	view := func(*web.Request) (*web.Response, error) { return web.HTML(page), nil }
	mw := []web.Middleware{must(GZip(GZipConfig{}))}
	b.Run("4KB", func(b *testing.B) { benchServe(b, mw, view, map[string]string{"Accept-Encoding": "gzip"}) })
	b.Run("4KB-not-accepted", func(b *testing.B) { benchServe(b, mw, view, nil) })
	b.Run("small", func(b *testing.B) { benchServe(b, mw, plaintext, map[string]string{"Accept-Encoding": "gzip"}) })
}
