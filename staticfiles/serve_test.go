package staticfiles_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/staticfiles"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

func get(h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	return do(h, http.MethodGet, target, header...)
}

func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "http://testserver"+target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("body is not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestServeCollected(t *testing.T) {
	c := collectTree(t)
	f, err := staticfiles.New(staticfiles.Config{Root: c.root, MaxAge: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	h := f.Handler()
	hashedCSS := c.want["css/site.css"]
	content := readFile(t, filepath.Join(c.root, hashedCSS))

	// A hashed name: cached for a year, with a gzip copy on offer.
	plain := get(h, "/static/"+hashedCSS)
	if plain.Code != 200 || plain.Body.String() != content {
		t.Fatalf("GET hashed: %d %q", plain.Code, plain.Body)
	}
	ph := plain.Header()
	if ph.Get("Cache-Control") != "public, max-age=31536000, immutable" || ph.Get("Content-Type") != "text/css; charset=utf-8" ||
		ph.Get("Vary") != "Accept-Encoding" || ph.Get("Content-Encoding") != "" || ph.Get("Etag") == "" || ph.Get("Last-Modified") == "" {
		t.Errorf("hashed file headers: %v", ph)
	}

	zipped := get(h, "/static/"+hashedCSS, "Accept-Encoding", "br, gzip")
	zh := zipped.Header()
	if zipped.Code != 200 || zh.Get("Content-Encoding") != "gzip" || zh.Get("Vary") != "Accept-Encoding" ||
		zh.Get("Content-Length") != strconv.Itoa(zipped.Body.Len()) || zh.Get("Etag") == ph.Get("Etag") {
		t.Errorf("gzip response: %d %v", zipped.Code, zh)
	}
	if got := gunzip(t, zipped.Body.Bytes()); got != content {
		t.Errorf("gzip body holds %q", got)
	}
	if refused := get(h, "/static/"+hashedCSS, "Accept-Encoding", "gzip;q=0, br"); refused.Header().Get("Content-Encoding") != "" {
		t.Error("gzip sent to a client that refuses it")
	}

	// Conditional requests, for each representation.
	for _, tt := range []struct{ etag, enc string }{{ph.Get("Etag"), ""}, {zh.Get("Etag"), "gzip"}} {
		nm := get(h, "/static/"+hashedCSS, "If-None-Match", tt.etag, "Accept-Encoding", tt.enc)
		if nm.Code != http.StatusNotModified || nm.Body.Len() != 0 || nm.Header().Get("Etag") != tt.etag ||
			nm.Header().Get("Cache-Control") == "" {
			t.Errorf("If-None-Match %s (%q): %d %v", tt.etag, tt.enc, nm.Code, nm.Header())
		}
	}
	if other := get(h, "/static/"+hashedCSS, "If-None-Match", `"something-else"`); other.Code != 200 {
		t.Errorf("If-None-Match of another ETag: %d", other.Code)
	}

	// The unhashed name: a short max-age.
	orig := get(h, "/static/css/site.css")
	if orig.Code != 200 || orig.Body.String() != siteCSS || orig.Header().Get("Cache-Control") != "public, max-age=120" {
		t.Errorf("unhashed name: %d %v", orig.Code, orig.Header())
	}

	// Ranges, HEAD, methods.
	rg := get(h, "/static/"+c.want["img/logo.png"], "Range", "bytes=1-3")
	if rg.Code != http.StatusPartialContent || rg.Body.String() != logoPNG[1:4] || rg.Header().Get("Content-Type") != "image/png" {
		t.Errorf("Range: %d %q %v", rg.Code, rg.Body, rg.Header())
	}
	if rg.Header().Get("Vary") != "" {
		t.Errorf("Vary on a file without a gzip copy: %v", rg.Header())
	}
	head := do(h, http.MethodHead, "/static/"+hashedCSS)
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != strconv.Itoa(len(content)) {
		t.Errorf("HEAD: %d %d %v", head.Code, head.Body.Len(), head.Header())
	}
	post := do(h, http.MethodPost, "/static/"+hashedCSS)
	if post.Code != http.StatusMethodNotAllowed || post.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d %v", post.Code, post.Header())
	}
}

func TestServeRefusesTraversal(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "public")
	src := filepath.Join(dir, "src")
	writeTree(t, dir, map[string]string{"secret.txt": "top secret"})
	writeTree(t, src, map[string]string{"css/a.css": "a{}", ".env": "KEY=1"})
	if err := os.Symlink(filepath.Join(dir, "secret.txt"), filepath.Join(src, "css", "link.txt")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	for _, debug := range []bool{true, false} {
		f, err := staticfiles.New(staticfiles.Config{Root: root, Dirs: []staticfiles.Dir{{Path: src}}, Debug: debug})
		if err != nil {
			t.Fatal(err)
		}
		if !debug {
			if _, err := f.Collect(staticfiles.CollectOptions{}); err != nil {
				t.Fatal(err)
			}
			// A link planted in STATIC_ROOT cannot lead out either.
			if err := os.Symlink(filepath.Join(dir, "secret.txt"), filepath.Join(root, "planted.txt")); err != nil {
				t.Fatal(err)
			}
		}
		h := f.Handler()
		if w := get(h, "/static/css/a.css"); w.Code != 200 || w.Body.String() != "a{}" {
			t.Fatalf("debug=%v: the legitimate file: %d %q", debug, w.Code, w.Body)
		}
		for _, p := range []string{
			"/static/../secret.txt", "/static/css/../../secret.txt", "/static/%2e%2e/secret.txt", "/static//secret.txt",
			"/static/css/link.txt", "/static/planted.txt", "/static/.env", "/static/css/", "/static/css", "/static/",
			"/static", "/secret.txt", `/static/css\..\..\secret.txt`, "/static/css/a.css/", "/static/./css/a.css",
		} {
			w := get(h, p)
			if w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "top secret") {
				t.Errorf("debug=%v: GET %s = %d %q, want 404", debug, p, w.Code, w.Body)
			}
		}
	}
}

func TestServeEmbedded(t *testing.T) {
	css := strings.Repeat(".a{color:red}\n", 50)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(css))
	zw.Close()
	collected := fstest.MapFS{
		"staticfiles.json":         {Data: []byte(`{"paths": {"site.css": "site.0123456789ab.css"}, "version": "1.1", "hash": "x"}`)},
		"site.css":                 {Data: []byte(css)},
		"site.0123456789ab.css":    {Data: []byte(css)},
		"site.0123456789ab.css.gz": {Data: gz.Bytes()},
		"dir/file.txt":             {Data: []byte("in a dir")},
	}
	f, err := staticfiles.New(staticfiles.Config{Collected: collected, URL: "/s/"})
	if err != nil {
		t.Fatal(err)
	}
	h := f.Handler()
	w := get(h, "/s/site.0123456789ab.css", "Accept-Encoding", "gzip")
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || gunzip(t, w.Body.Bytes()) != css ||
		w.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" || w.Header().Get("Last-Modified") != "" {
		t.Errorf("embedded hashed file: %d %v", w.Code, w.Header())
	}
	etag := w.Header().Get("Etag")
	if len(etag) < 10 || strings.HasPrefix(etag, "W/") {
		t.Errorf("embedded files need a strong content ETag, got %q", etag)
	}
	if nm := get(h, "/s/site.0123456789ab.css", "Accept-Encoding", "gzip", "If-None-Match", etag); nm.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", nm.Code)
	}
	if w := get(h, "/s/site.css"); w.Code != 200 || w.Header().Get("Cache-Control") != "public, max-age=60" || w.Header().Get("Vary") != "" {
		t.Errorf("unhashed embedded file: %d %v", w.Code, w.Header())
	}
	for _, p := range []string{"/s/dir", "/s/dir/", "/s/nope.css", "/static/site.css"} {
		if w := get(h, p); w.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, w.Code)
		}
	}
}

func TestServeDebug(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"css/a.css": "a{}"})
	f, err := staticfiles.New(staticfiles.Config{
		Debug: true,
		Dirs:  []staticfiles.Dir{{Path: dir}},
		Apps:  []staticfiles.AppFiles{{Label: "polls", FS: fstest.MapFS{"polls/app.js": {Data: []byte("app()")}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := f.Handler()
	w := get(h, "/static/css/a.css", "Accept-Encoding", "gzip")
	if w.Code != 200 || w.Body.String() != "a{}" || w.Header().Get("Cache-Control") != "no-cache" ||
		w.Header().Get("Last-Modified") == "" || w.Header().Get("Content-Encoding") != "" || w.Header().Get("Content-Type") != "text/css; charset=utf-8" {
		t.Fatalf("debug GET: %d %q %v", w.Code, w.Body, w.Header())
	}
	etag := w.Header().Get("Etag")
	if nm := get(h, "/static/css/a.css", "If-None-Match", etag); nm.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", nm.Code)
	}
	// An edit shows at once.
	later := time.Now().Add(time.Hour)
	writeTree(t, dir, map[string]string{"css/a.css": "b{}"})
	os.Chtimes(filepath.Join(dir, "css/a.css"), later, later)
	w = get(h, "/static/css/a.css", "If-None-Match", etag)
	if w.Code != 200 || w.Body.String() != "b{}" {
		t.Errorf("after an edit: %d %q", w.Code, w.Body)
	}
	// App files, without a modification time, get a content ETag.
	w = get(h, "/static/polls/app.js")
	if w.Code != 200 || w.Body.String() != "app()" || !strings.HasPrefix(w.Header().Get("Etag"), `"`) {
		t.Errorf("app file: %d %v", w.Code, w.Header())
	}
	if nm := get(h, "/static/polls/app.js", "If-None-Match", w.Header().Get("Etag")); nm.Code != http.StatusNotModified {
		t.Errorf("app file If-None-Match: %d", nm.Code)
	}
}

func TestWrap(t *testing.T) {
	f, _ := staticfiles.New(staticfiles.Config{Debug: true, Apps: []staticfiles.AppFiles{{Label: "a", FS: fstest.MapFS{"x.txt": {Data: []byte("x")}}}}})
	site := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "site "+r.URL.Path) })
	h := f.Wrap(site)
	if w := get(h, "/static/x.txt"); w.Body.String() != "x" {
		t.Errorf("static: %q", w.Body)
	}
	if w := get(h, "/static/missing.txt"); w.Code != 404 {
		t.Errorf("missing static file: %d", w.Code)
	}
	if w := get(h, "/about/"); w.Body.String() != "site /about/" {
		t.Errorf("site: %q", w.Body)
	}
	// STATIC_URL on another host: nothing is served here.
	cdn, _ := staticfiles.New(staticfiles.Config{URL: "https://cdn.example.com/static/", Debug: true, Apps: []staticfiles.AppFiles{{Label: "a", FS: fstest.MapFS{"x.txt": {}}}}})
	if w := get(cdn.Wrap(site), "/static/x.txt"); w.Body.String() != "site /static/x.txt" {
		t.Errorf("with a CDN STATIC_URL: %q", w.Body)
	}
	if w := get(cdn.Handler(), "/static/x.txt"); w.Code != 404 {
		t.Errorf("Handler with a CDN STATIC_URL: %d", w.Code)
	}
}

func TestMiddleware(t *testing.T) {
	f, _ := staticfiles.New(staticfiles.Config{Debug: true, Apps: []staticfiles.AppFiles{{Label: "a", FS: fstest.MapFS{"x.css": {Data: []byte("x{}")}}}}})
	router, err := urls.New(urls.Path("", func(*web.Request) (*web.Response, error) { return web.Text("home"), nil }))
	if err != nil {
		t.Fatal(err)
	}
	// An outer layer sees the static response and may add headers to it.
	outer := web.MiddlewareFunc(func(next web.View) web.View {
		return func(r *web.Request) (*web.Response, error) {
			resp, err := next(r)
			if resp != nil {
				resp.Header().Set("X-Outer", "seen")
			}
			return resp, err
		}
	})
	h := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"testserver"}},
		Middleware: []web.Middleware{outer, f.Middleware()},
		Logger:     slog.New(slog.DiscardHandler),
	})
	if w := get(h, "/static/x.css"); w.Code != 200 || w.Body.String() != "x{}" || w.Header().Get("X-Outer") != "seen" || w.Header().Get("Etag") == "" {
		t.Errorf("static through the middleware: %d %q %v", w.Code, w.Body, w.Header())
	}
	if w := get(h, "/"); w.Body.String() != "home" {
		t.Errorf("view: %d %q", w.Code, w.Body)
	}
	if w := get(h, "/static/nope.css"); w.Code != 404 {
		t.Errorf("missing static file: %d", w.Code)
	}
	if w := do(h, http.MethodPost, "/static/x.css"); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
}

func TestServeAfterCollectingAgain(t *testing.T) {
	dir := t.TempDir()
	src, root := filepath.Join(dir, "src"), filepath.Join(dir, "public")
	writeTree(t, src, map[string]string{"a.css": "a{}"})
	f, _ := staticfiles.New(staticfiles.Config{Root: root, Dirs: []staticfiles.Dir{{Path: src}}})
	h := f.Handler()
	if w := get(h, "/static/a.css"); w.Code != 404 {
		t.Fatalf("before collectstatic: %d", w.Code)
	}
	if _, err := f.Collect(staticfiles.CollectOptions{}); err != nil {
		t.Fatal(err)
	}
	first := "a." + md5hex12("a{}") + ".css"
	if w := get(h, "/static/"+first); w.Code != 200 || w.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("after collectstatic: %d %v", w.Code, w.Header())
	}
	// Serve while collecting a changed file; the race detector watches.
	writeTree(t, src, map[string]string{"a.css": "b{}"})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 50 {
			get(h, "/static/"+first)
			get(h, "/static/a.css")
		}
	}()
	if _, err := f.Collect(staticfiles.CollectOptions{}); err != nil {
		t.Fatal(err)
	}
	<-done
	second := "a." + md5hex12("b{}") + ".css"
	if w := get(h, "/static/"+second); w.Code != 200 || w.Body.String() != "b{}" {
		t.Errorf("the new hashed file: %d %q", w.Code, w.Body)
	}
	if w := get(h, "/static/a.css"); w.Body.String() != "b{}" {
		t.Errorf("the original name serves %q", w.Body)
	}
	if u, _ := f.URL("a.css"); u != "/static/"+second {
		t.Errorf("URL = %q", u)
	}
}
