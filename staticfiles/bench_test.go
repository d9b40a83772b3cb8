package staticfiles_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/canter-go/canter/staticfiles"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmarks measure the handler.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

func benchFiles(b *testing.B, debug bool) (*staticfiles.Files, string) {
	b.Helper()
	css := strings.Repeat(".a{color:red}\n", 200)
	collected := fstest.MapFS{
		"staticfiles.json":         {Data: []byte(`{"paths": {"site.css": "site.0123456789ab.css"}, "version": "1.1", "hash": "x"}`)},
		"site.0123456789ab.css":    {Data: []byte(css)},
		"site.0123456789ab.css.gz": {Data: []byte("pretend gzip")},
	}
	f, err := staticfiles.New(staticfiles.Config{
		Debug:     debug,
		Collected: collected,
		Apps:      []staticfiles.AppFiles{{Label: "a", FS: fstest.MapFS{"site.css": {Data: []byte(css)}}}},
	})
	if err != nil {
		b.Fatal(err)
	}
	if debug {
		return f, "/static/site.css"
	}
	return f, "/static/site.0123456789ab.css"
}

func benchServe(b *testing.B, debug bool, header http.Header) {
	f, target := benchFiles(b, debug)
	h := f.Handler()
	r := httptest.NewRequest("GET", target, nil)
	r.Header = header
	w := &discard{h: http.Header{}}
	h.ServeHTTP(w, r) // index and ETag built once
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

func BenchmarkServeHashed(b *testing.B) { benchServe(b, false, http.Header{}) }

func BenchmarkServeHashedGzip(b *testing.B) {
	benchServe(b, false, http.Header{"Accept-Encoding": {"gzip, deflate, br"}})
}

func BenchmarkServeNotModified(b *testing.B) {
	f, target := benchFiles(b, false)
	w := httptest.NewRecorder()
	f.Handler().ServeHTTP(w, httptest.NewRequest("GET", target, nil))
	benchServe(b, false, http.Header{"If-None-Match": {w.Header().Get("Etag")}})
}

func BenchmarkServeDebug(b *testing.B) { benchServe(b, true, http.Header{}) }

func BenchmarkURL(b *testing.B) {
	f, _ := benchFiles(b, false)
	if _, err := f.URL("site.css"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.URL("site.css"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrapPassThrough(b *testing.B) {
	f, _ := benchFiles(b, false)
	h := f.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r := httptest.NewRequest("GET", "/polls/1/", nil)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, r)
	}
}
