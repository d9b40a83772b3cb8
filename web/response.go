package web

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// Content types used by the response constructors.
const (
	TextPlain = "text/plain; charset=utf-8"
	TextHTML  = "text/html; charset=utf-8"
	JSONType  = "application/json"
)

// Response is the value a view returns: a status, headers, cookies and a body. Middleware reads
// and changes it on the way out; the gateway writes it once, after the outermost layer is done.
//
// The body is one of, in order of precedence: Handler (any http.Handler writes the answer),
// Stream (a function that writes the body as it is produced), or Body (bytes).
type Response struct {
	// Status is the HTTP status code; zero means 200.
	Status int
	// Body holds the content of a non-streaming response.
	Body []byte
	// Stream, when set, writes the body instead of Body. The writer flushes to the client when
	// the function calls Flush on it (see Flush).
	Stream func(w io.Writer) error
	// Handler, when set, writes the whole answer; the headers and cookies of the Response are
	// applied first. File responses and mounted net/http handlers use it.
	Handler http.Handler

	// Until Header is called, well-known headers live in names and values, so that a
	// response whose headers are its content type and the defaults middleware adds
	// (SetDefaultHeader) costs no map. Header moves them into header, which holds every header
	// from then on. names[i] indexes inlineNames; a slice of values[i] becomes the header's
	// value, so values[i] is never written again once set.
	header  http.Header
	names   [inlineFields]uint8
	nfields uint8
	flags   responseFlags
	values  [inlineFields]string
	cookies []*http.Cookie
}

// inlineFields is how many headers a Response holds before it needs a map: the content type,
// the security middleware's headers (Strict-Transport-Security on HTTPS,
// X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy) and X-Frame-Options.
const inlineFields = 6

// inlineNames are the headers a Response can hold without a map, in canonical form; index 0
// is unused. Any other header goes to the map.
var inlineNames = [...]string{
	"",
	"Content-Type",
	"Location",
	"X-Frame-Options",
	"X-Content-Type-Options",
	"Referrer-Policy",
	"Cross-Origin-Opener-Policy",
	"Strict-Transport-Security",
	"Vary",
	"Cache-Control",
	"Content-Disposition",
	"Content-Language",
	"Expires",
	"Last-Modified",
	"Etag",
}

// Indexes of inlineNames used by the constructors.
const (
	nameContentType = 1
	nameLocation    = 2
)

// inlineName returns the index of key in inlineNames, or 0. Matching a canonical name exactly
// also tells that key needs no canonicalizing.
func inlineName(key string) uint8 {
	switch key {
	case "Content-Type":
		return nameContentType
	case "Location":
		return nameLocation
	case "X-Frame-Options":
		return 3
	case "X-Content-Type-Options":
		return 4
	case "Referrer-Policy":
		return 5
	case "Cross-Origin-Opener-Policy":
		return 6
	case "Strict-Transport-Security":
		return 7
	case "Vary":
		return 8
	case "Cache-Control":
		return 9
	case "Content-Disposition":
		return 10
	case "Content-Language":
		return 11
	case "Expires":
		return 12
	case "Last-Modified":
		return 13
	case "Etag":
		return 14
	}
	return 0
}

type responseFlags uint8

const (
	// Per-response markers set by middleware and decorators.
	flagXFrameExempt responseFlags = 1 << iota
	flagLogged
)

// NewResponse returns an empty response with the given status.
func NewResponse(status int) *Response { return &Response{Status: status} }

// Text returns a 200 text/plain response.
func Text(s string) *Response { return withString(TextPlain, s) }

// withString returns a 200 response whose body is a copy of s. A short body shares the
// response's allocation.
func withString(contentType, s string) *Response {
	if len(s) > shortBody {
		return withBody(contentType, []byte(s))
	}
	r := new(responseWithBody)
	n := copy(r.body[:], s)
	r.Body = r.body[:n:n]
	r.setContentType(contentType)
	return &r.Response
}

// shortBody is the longest body that Text and HTML keep in the response's own allocation:
// "OK", "Hello, World!" and the like cost one allocation instead of two. With it, a response
// is 224 bytes, an allocation size class.
const shortBody = 32

// responseWithBody is a Response with room for a short body.
type responseWithBody struct {
	Response
	body [shortBody]byte
}

// withBody returns a 200 response with a body and, unless contentType is empty, a Content-Type.
func withBody(contentType string, body []byte) *Response {
	r := &Response{Body: body}
	r.setContentType(contentType)
	return r
}

// setContentType sets the Content-Type of a new response, unless contentType is empty.
func (r *Response) setContentType(contentType string) {
	if contentType != "" {
		r.names[0], r.values[0], r.nfields = nameContentType, contentType, 1
	}
}

// HTML returns a 200 text/html response. The string is sent as is: escape user input, or use a
// template engine that does.
func HTML(s string) *Response { return withString(TextHTML, s) }

// Bytes returns a 200 response with the given content type and body.
func Bytes(contentType string, body []byte) *Response { return withBody(contentType, body) }

// JSON returns a 200 application/json response holding v encoded as JSON. It returns an error,
// answered with 500, when v cannot be encoded. The two results let a view end with
// `return web.JSON(v)`.
func JSON(v any) (*Response, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	return withBody(JSONType, b[:len(b)-1]), nil
}

// Stream returns a 200 streaming response: write is called with the client connection once the
// headers are out. Call Flush(w) to push what was written so far.
func Stream(contentType string, write func(w io.Writer) error) *Response {
	r := withBody(contentType, nil)
	r.Stream = write
	return r
}

// Flush sends what a streaming response has written so far to the client, when w can flush.
func Flush(w io.Writer) {
	switch f := w.(type) {
	case http.Flusher:
		f.Flush()
	case interface{ Flush() error }:
		_ = f.Flush()
	}
}

// FromHandler returns a response that is written by h. Middleware still sees and may change the
// status-less response's headers and cookies; h then writes status and body.
func FromHandler(h http.Handler) *Response { return &Response{Handler: h} }

// NoContent returns a 204 response.
func NoContent() *Response { return &Response{Status: http.StatusNoContent} }

// NotModified returns a 304 response, for views that answer conditional requests themselves.
func NotModified() *Response { return &Response{Status: http.StatusNotModified} }

// Redirect returns a 302 (temporary) redirect to url. Relative URLs are allowed. As Django
// does, Redirect refuses schemes other than http, https and ftp: it panics with a 400 *Error,
// which the gateway answers (a redirect target taken from user input can then never become
// javascript:…).
func Redirect(url string) *Response { return redirect(http.StatusFound, url) }

// PermanentRedirect returns a 301 (permanent) redirect to url, with Redirect's safety rule.
func PermanentRedirect(url string) *Response { return redirect(http.StatusMovedPermanently, url) }

// RedirectWith returns a redirect with any 3xx status, such as 303 See Other or 307/308, with
// Redirect's safety rule.
func RedirectWith(status int, url string) *Response { return redirect(status, url) }

func redirect(status int, target string) *Response {
	if u, err := url.Parse(target); err != nil {
		panic(Suspicious("DisallowedRedirect", "Unsafe redirect to URL %q: %v", target, err))
	} else if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ftp" {
		panic(Suspicious("DisallowedRedirect", "Unsafe redirect to URL with protocol %q", u.Scheme))
	}
	r := &Response{Status: status}
	r.names[0], r.values[0], r.nfields = nameLocation, target, 1
	return r
}

// File returns a response that serves the named file from the operating system, with
// Content-Type from the extension, Last-Modified, Range and conditional requests handled by
// http.ServeContent. A missing file answers 404; the name must come from trusted code, never
// straight from the URL (use FileFS with an os.Root or a sub-filesystem for that).
func File(name string) *Response {
	return FromHandler(fileHandler{open: func() (fs.File, error) { return os.Open(name) }, name: name})
}

// FileFS returns a response that serves name from fsys, as File does. fs.FS names cannot climb
// out of fsys, so a name taken from the URL is safe here.
func FileFS(fsys fs.FS, name string) *Response {
	return FromHandler(fileHandler{open: func() (fs.File, error) { return fsys.Open(name) }, name: name})
}

// Attachment marks the response as a download with the given file name
// (Content-Disposition: attachment).
func (r *Response) Attachment(filename string) *Response {
	r.Header().Set("Content-Disposition", contentDisposition(path.Base(strings.ReplaceAll(filename, `\`, "/"))))
	return r
}

// contentDisposition writes an attachment's file name as RFC 6266 asks: an ASCII fallback in
// filename="…" (quotes, backslashes and control characters replaced) and, when the name is not
// plain ASCII, the exact name in filename*=UTF-8”….
func contentDisposition(name string) string {
	ascii := []byte(name)
	nonASCII := false
	for i, c := range ascii {
		switch {
		case c >= 0x7f:
			nonASCII = true
			ascii[i] = '_'
		case c < 0x20 || c == '"' || c == '\\':
			ascii[i] = '_'
		}
	}
	v := `attachment; filename="` + string(ascii) + `"`
	if nonASCII {
		v += "; filename*=UTF-8''" + url.PathEscape(name)
	}
	return v
}

type fileHandler struct {
	open func() (fs.File, error)
	name string
}

func (h fileHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, err := h.open()
	if err != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.IsDir() {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	if rs, ok := f.(io.ReadSeeker); ok {
		http.ServeContent(w, r, h.name, info.ModTime(), rs)
		return
	}
	// A file system without seeking: serve the whole file.
	if ct := w.Header().Get("Content-Type"); ct == "" {
		w.Header().Set("Content-Type", contentTypeByName(h.name))
	}
	w.Header().Set("Last-Modified", info.ModTime().UTC().Format(http.TimeFormat))
	_, _ = io.Copy(w, f)
}

func contentTypeByName(name string) string {
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// WithStatus sets the status and returns the response, for one-line views:
// `return web.Text("created").WithStatus(201), nil`.
func (r *Response) WithStatus(status int) *Response {
	r.Status = status
	return r
}

// StatusCode returns the status, treating zero as 200.
func (r *Response) StatusCode() int {
	if r.Status == 0 {
		return http.StatusOK
	}
	return r.Status
}

// Header returns the response headers, which middleware may read and change. The first call
// makes the header map; code that only adds headers that may already be there should use
// SetDefaultHeader, which does not.
func (r *Response) Header() http.Header {
	if r.header == nil {
		r.header = make(http.Header, int(r.nfields)+2)
		for i := range r.names[:r.nfields] {
			r.header[inlineNames[r.names[i]]] = r.values[i : i+1 : i+1]
		}
		r.nfields = 0
	}
	return r.header
}

// SetDefaultHeader sets the header key to value unless the response has that header already,
// as Django's HttpResponse.setdefault does: a value chosen by the view or an inner layer wins.
// The key is canonicalized as http.Header.Set does. Until Header is called, common headers
// (the content type, the security headers, X-Frame-Options, …) are kept without a map, so
// middleware that adds them to every response costs no allocation.
func (r *Response) SetDefaultHeader(key, value string) {
	name := inlineName(key)
	if name == 0 {
		key = http.CanonicalHeaderKey(key)
		name = inlineName(key)
	}
	if r.header == nil && name != 0 {
		for _, n := range r.names[:r.nfields] {
			if n == name {
				return
			}
		}
		if r.nfields < inlineFields {
			r.names[r.nfields], r.values[r.nfields] = name, value
			r.nfields++
			return
		}
	}
	h := r.Header()
	if _, ok := h[key]; !ok {
		h[key] = []string{value}
	}
}

// ContentType returns the Content-Type header.
func (r *Response) ContentType() string {
	if r.header != nil {
		return r.header.Get("Content-Type")
	}
	for i, n := range r.names[:r.nfields] {
		if n == nameContentType {
			return r.values[i]
		}
	}
	return ""
}

// SetCookie adds a cookie to the response, replacing an earlier one of the same name, path and
// domain (as Django's set_cookie replaces by name).
func (r *Response) SetCookie(c *http.Cookie) {
	for i, old := range r.cookies {
		if old.Name == c.Name && old.Path == c.Path && old.Domain == c.Domain {
			r.cookies[i] = c
			return
		}
	}
	r.cookies = append(r.cookies, c)
}

// DeleteCookie tells the browser to forget a cookie, as Django's delete_cookie does: an empty
// value, Max-Age 0 and an expiry in 1970. Secure is added for __Secure- and __Host- names.
func (r *Response) DeleteCookie(name, path, domain string) {
	if path == "" {
		path = "/"
	}
	r.SetCookie(&http.Cookie{
		Name:    name,
		Path:    path,
		Domain:  domain,
		MaxAge:  -1,
		Expires: time.Unix(0, 0),
		Secure:  strings.HasPrefix(name, "__Secure-") || strings.HasPrefix(name, "__Host-"),
	})
}

// Cookies returns the cookies the response will set, in the order they were added.
func (r *Response) Cookies() []*http.Cookie { return r.cookies }

// Cookie returns the cookie of that name the response will set, or nil.
func (r *Response) Cookie(name string) *http.Cookie {
	for _, c := range r.cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// IsStreaming reports whether the body is produced while it is sent (a Stream or a Handler),
// so that middleware cannot read it as bytes.
func (r *Response) IsStreaming() bool { return r.Stream != nil || r.Handler != nil }

// SetXFrameExempt marks the response as exempt from the X-Frame-Options middleware
// (Django's xframe_options_exempt).
func (r *Response) SetXFrameExempt() { r.flags |= flagXFrameExempt }

// XFrameExempt reports whether SetXFrameExempt was called.
func (r *Response) XFrameExempt() bool { return r.flags&flagXFrameExempt != 0 }

// MarkLogged records that the failure this response answers was already logged (by the CSRF
// middleware, say), so that the gateway does not log it a second time, as Django's
// _has_been_logged does.
func (r *Response) MarkLogged() { r.flags |= flagLogged }

// Logged reports whether MarkLogged was called.
func (r *Response) Logged() bool { return r.flags&flagLogged != 0 }

// Write sends the response to w: headers, cookies, status, then the body. The gateway calls it
// once per request; tests and adapters may call it too. A streaming body's error is returned;
// when the stream failed before writing anything, the status has not been sent yet (only
// w.Header() is filled), so the caller can still answer with an error page, as the gateway does.
func (r *Response) Write(w http.ResponseWriter, req *http.Request) error {
	h := w.Header()
	if r.header != nil {
		for k, v := range r.header {
			h[k] = v
		}
	} else {
		for i := range r.names[:r.nfields] {
			h[inlineNames[r.names[i]]] = r.values[i : i+1 : i+1]
		}
	}
	for _, c := range r.cookies {
		if v := c.String(); v != "" {
			h.Add("Set-Cookie", v)
		}
	}
	switch {
	case r.Handler != nil:
		if r.Status == 0 {
			r.Handler.ServeHTTP(w, req)
			return nil
		}
		sw := &statusWriter{ResponseWriter: w, status: r.Status}
		r.Handler.ServeHTTP(sw, req)
		if !sw.written {
			sw.WriteHeader(http.StatusOK) // the handler wrote nothing: send the Response's status
		}
		return nil
	case r.Stream != nil:
		lw := &lazyHeaderWriter{ResponseWriter: w, status: r.StatusCode()}
		if err := r.Stream(lw); err != nil {
			return err // when nothing was written, nothing was sent: the caller may answer err
		}
		lw.send()
		return nil
	}
	status := r.StatusCode()
	if len(r.Body) > 2048 && bodyAllowed(status) && h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(len(r.Body)))
	}
	w.WriteHeader(status)
	if len(r.Body) > 0 && bodyAllowed(status) {
		_, err := w.Write(r.Body)
		return err
	}
	return nil
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// statusWriter makes a handler's default 200 become the Response's status.
type statusWriter struct {
	http.ResponseWriter
	status  int
	written bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.written {
		w.written = true
		if code == http.StatusOK {
			code = w.status
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// lazyHeaderWriter sends the status line with the first byte (or flush) of a stream, so that a
// stream that fails before writing anything can still be answered with an error status.
type lazyHeaderWriter struct {
	http.ResponseWriter
	status int
	sent   bool
}

func (w *lazyHeaderWriter) send() {
	if !w.sent {
		w.sent = true
		w.ResponseWriter.WriteHeader(w.status)
	}
}

func (w *lazyHeaderWriter) WriteHeader(code int) {
	if !w.sent {
		w.status = code
	}
	w.send()
}

func (w *lazyHeaderWriter) Write(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil // nothing to send yet: the status may still change
	}
	w.send()
	return w.ResponseWriter.Write(b)
}

func (w *lazyHeaderWriter) Flush() {
	w.send()
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *lazyHeaderWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
