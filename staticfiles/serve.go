package staticfiles

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/canter-go/canter/web"
)

// immutableCache is the Cache-Control of files served under their hashed names: their content
// never changes under that name, so browsers and proxies may keep them for a year without
// asking again.
const immutableCache = "public, max-age=31536000, immutable"

var (
	varyEncoding = []string{"Accept-Encoding"}
	gzipEncoding = []string{"gzip"}
)

// Handler returns an http.Handler that serves the static files whose URLs start with the path
// of STATIC_URL ("/static/css/site.css" serves "css/site.css"); other paths, directories and
// unknown files get 404, and methods other than GET and HEAD 405.
//
// With DEBUG on it serves straight from the finders, so an edited file shows at once: with
// Last-Modified and an ETag (Cache-Control: no-cache, so that the browser asks again each
// time and gets 304 Not Modified while the file is unchanged).
//
// In production it serves the collected files, from Config.Collected or STATIC_ROOT (indexed
// once, at the first request): files under their hashed names with
// "Cache-Control: public, max-age=31536000, immutable", others with a short max-age
// (Config.MaxAge); a strong ETag and 304 for If-None-Match; byte ranges; and the
// precompressed .gz copy with Content-Encoding: gzip to clients that accept gzip, with
// "Vary: Accept-Encoding".
//
// Names go through fs.FS and os.Root, so "..", absolute paths and symbolic links cannot reach
// outside the static files. When STATIC_URL names another host, the handler serves nothing.
func (f *Files) Handler() http.Handler { return handler{f} }

type handler struct{ f *Files }

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t, ok := h.f.resolve(r.URL.Path)
	if !ok {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h.f.serve(w, r, t)
}

// Wrap returns a handler that serves static files as Handler does and passes every request
// outside STATIC_URL to next: the gateway-level wrapper Django's runserver puts around a
// project with DEBUG on, and what WhiteNoise does in production.
func (f *Files) Wrap(next http.Handler) http.Handler {
	static := f.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.prefix != "" && strings.HasPrefix(r.URL.Path, f.prefix) {
			static.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Middleware returns a middleware layer (WhiteNoise's) that answers requests under STATIC_URL
// with the static file, as Handler does, and passes the others on. Put it near the top of
// MIDDLEWARE, right after "security", so that static files skip sessions and CSRF while still
// getting the security headers. An unknown static file is a web.NotFound error, which the
// site's 404 page answers.
func (f *Files) Middleware() web.Middleware { return middleware{f} }

type middleware struct{ f *Files }

// Wrap implements web.Middleware.
func (m middleware) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		if m.f.prefix == "" || !strings.HasPrefix(r.URL.Path, m.f.prefix) {
			return next(r)
		}
		t, ok := m.f.resolve(r.URL.Path)
		if !ok {
			return nil, web.NotFound("The static file %q could not be found.", strings.TrimPrefix(r.URL.Path, m.f.prefix))
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return nil, web.MethodNotAllowed(http.MethodGet, http.MethodHead)
		}
		return web.FromHandler(http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
			m.f.serve(w, hr, t)
		})), nil
	}
}

// servable is a static file found for a request: a finder's file with DEBUG on, an entry of
// the index of collected files otherwise.
type servable struct {
	name  string
	found Location
	asset *asset
	fsys  fs.FS // the collected files the asset is in
}

// resolve maps a URL path to the file to serve.
func (f *Files) resolve(urlPath string) (servable, bool) {
	if f.prefix == "" || !strings.HasPrefix(urlPath, f.prefix) {
		return servable{}, false
	}
	name := urlPath[len(f.prefix):]
	if _, err := cleanName(name); err != nil {
		return servable{}, false
	}
	if f.cfg.Debug {
		locs, err := f.find(name, false)
		if err != nil {
			return servable{}, false
		}
		return servable{name: name, found: locs[0]}, true
	}
	ix := f.collectedIndex()
	if ix == nil {
		return servable{}, false
	}
	a := ix.assets[name]
	if a == nil {
		return servable{}, false
	}
	return servable{name: name, asset: a, fsys: ix.fsys}, true
}

func (f *Files) serve(w http.ResponseWriter, r *http.Request, t servable) {
	if t.asset != nil {
		f.serveAsset(w, r, t.fsys, t.asset)
		return
	}
	fh, err := t.found.FS.Open(t.found.Path)
	if err != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	content, err := seekable(fh)
	if err != nil {
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	if ct := contentType(t.name); ct != "" {
		h.Set("Content-Type", ct)
	}
	h.Set("Cache-Control", "no-cache")
	if mod := info.ModTime(); !mod.IsZero() {
		h.Set("Etag", fmt.Sprintf(`W/"%x-%x"`, mod.UnixNano(), info.Size()))
	} else {
		// Files compiled into the program have no time: name the content instead.
		etag, err := contentETag(content)
		if err != nil {
			http.Error(w, "500 internal server error", http.StatusInternalServerError)
			return
		}
		h.Set("Etag", etag)
	}
	http.ServeContent(w, r, t.name, info.ModTime(), content)
}

// seekable returns the file as an io.ReadSeeker, reading it into memory if its file system
// cannot seek.
func seekable(fh fs.File) (io.ReadSeeker, error) {
	if rs, ok := fh.(io.ReadSeeker); ok {
		return rs, nil
	}
	b, err := io.ReadAll(fh)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(b), nil
}

// contentETag returns a strong ETag naming the content of rs, and rewinds it.
func contentETag(rs io.ReadSeeker) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, rs); err != nil {
		return "", err
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	var buf [34]byte
	buf[0], buf[33] = '"', '"'
	hex.Encode(buf[1:33], h.Sum(nil)[:16])
	return string(buf[:]), nil
}

// index lists the collected files, for production.
type index struct {
	fsys   fs.FS
	assets map[string]*asset
}

// asset is a collected file with what its responses need.
// The header values are slices shared by every response (len == cap, so an append makes a
// copy), which spares allocating them per request.
type asset struct {
	contentType  []string
	cacheControl []string
	plain        variant
	gzip         *variant // the precompressed copy, if any
}

// variant is one representation of an asset: the file itself or its .gz copy.
type variant struct {
	path    string
	size    int64
	modTime time.Time
	etag    atomic.Pointer[[]string] // the ETag header value, computed at the first request
}

// collectedIndex returns the index of the collected files, building it at the first call that
// finds them (until then each call looks again, so files collected after the program started
// are found).
func (f *Files) collectedIndex() *index {
	if ix := f.indexPtr.Load(); ix != nil {
		return ix
	}
	f.indexMu.Lock()
	defer f.indexMu.Unlock()
	if ix := f.indexPtr.Load(); ix != nil {
		return ix
	}
	fsys, _, err := f.collected()
	if err != nil {
		return nil
	}
	ix, err := f.buildIndex(fsys)
	if err != nil {
		return nil
	}
	f.indexPtr.Store(ix)
	return ix
}

func (f *Files) buildIndex(fsys fs.FS) (*index, error) {
	type file struct {
		name string
		size int64
		mod  time.Time
	}
	var files []file
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if f.ignoredEntry(p, d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		files = append(files, file{p, info.Size(), info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var m *Manifest
	if _, err := fs.Stat(fsys, ManifestName); err == nil {
		if m, err = f.Manifest(); err != nil {
			return nil, err
		}
	}
	ix := &index{fsys: fsys, assets: make(map[string]*asset, len(files))}
	byName := make(map[string]file, len(files))
	for _, fl := range files {
		byName[fl.name] = fl
	}
	for _, fl := range files {
		ct := contentType(fl.name)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a := &asset{contentType: []string{ct}, cacheControl: []string{f.maxAge}}
		a.plain.path, a.plain.size, a.plain.modTime = fl.name, fl.size, fl.mod
		if m != nil && m.IsHashed(fl.name) {
			a.cacheControl = []string{immutableCache}
		}
		if gz, ok := byName[fl.name+".gz"]; ok && !strings.HasSuffix(fl.name, ".gz") {
			a.gzip = &variant{path: gz.name, size: gz.size, modTime: gz.mod}
		}
		ix.assets[fl.name] = a
	}
	return ix, nil
}

func (f *Files) serveAsset(w http.ResponseWriter, r *http.Request, fsys fs.FS, a *asset) {
	v := &a.plain
	gz := a.gzip != nil && acceptsGzip(r.Header["Accept-Encoding"])
	if gz {
		v = a.gzip
	}
	fh, err := fsys.Open(v.path)
	if err != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	defer fh.Close()
	content, err := seekable(fh)
	if err != nil {
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	etag := v.etag.Load()
	if etag == nil {
		e, err := contentETag(content)
		if err != nil {
			http.Error(w, "500 internal server error", http.StatusInternalServerError)
			return
		}
		etag = &[]string{e}
		v.etag.Store(etag)
	}
	h := w.Header()
	h["Content-Type"] = a.contentType
	h["Cache-Control"] = a.cacheControl
	h["Etag"] = *etag
	if a.gzip != nil {
		if vary := h["Vary"]; len(vary) == 0 {
			h["Vary"] = varyEncoding
		} else {
			h["Vary"] = append(vary[:len(vary):len(vary)], "Accept-Encoding")
		}
	}
	if gz {
		h["Content-Encoding"] = gzipEncoding
		if _, ranged := r.Header["Range"]; !ranged {
			// http.ServeContent leaves out Content-Length when the content is encoded.
			h["Content-Length"] = []string{strconv.FormatInt(v.size, 10)}
		}
	}
	http.ServeContent(w, r, "", v.modTime, content)
}

// acceptsGzip reports whether Accept-Encoding values accept gzip: "gzip" (or "x-gzip") with a
// non-zero quality, or else "*" with a non-zero quality.
func acceptsGzip(values []string) bool {
	gzipQ, anyQ := -1, -1
	for _, v := range values {
		for v != "" {
			var item string
			item, v, _ = strings.Cut(v, ",")
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.TrimSpace(coding)
			q := quality(params)
			switch {
			case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
				gzipQ = max(gzipQ, q)
			case coding == "*":
				anyQ = max(anyQ, q)
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return anyQ > 0
}

// quality reads the q parameter of an Accept-Encoding item in thousandths (1000 when absent).
func quality(params string) int {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		v = strings.TrimSpace(v)
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 {
			return 0
		}
		return int(min(f, 1) * 1000)
	}
	return 1000
}

// contentTypes are the types of the usual static files, so that they do not depend on the
// machine's MIME tables.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".html":  "text/html; charset=utf-8",
	".htm":   "text/html; charset=utf-8",
	".txt":   "text/plain; charset=utf-8",
	".xml":   "text/xml; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/vnd.microsoft.icon",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".ttf":   "font/ttf",
	".otf":   "font/otf",
	".wasm":  "application/wasm",
	".pdf":   "application/pdf",
	".gz":    "application/gzip",
}

// contentType returns the Content-Type of a file name by its extension, or "" when unknown
// (http.ServeContent then sniffs the content).
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ext == "" {
		return ""
	}
	return mime.TypeByExtension(ext)
}
