package web_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/canter-go/canter/web"
)

func statusOf(err error) int {
	if err == nil {
		return 0
	}
	return web.StatusOf(err)
}

// chunked hides the length of a body, as a chunked upload does.
type chunked struct{ io.Reader }

func TestBodyLimits(t *testing.T) {
	small := web.Site{Limits: web.Limits{MaxMemorySize: 10, MaxNumberFields: 3, MaxNumberFiles: 2, FileMemorySize: 4}}
	tests := []struct {
		name    string
		body    io.Reader
		length  int64 // -1: unknown (chunked)
		ctype   string
		status  int
		message string
	}{
		{"declared length over the limit, refused before reading", strings.NewReader("a=1"), 11, "application/x-www-form-urlencoded", 400, "DATA_UPLOAD_MAX_MEMORY_SIZE"},
		{"chunked body over the limit", chunked{strings.NewReader("a=123456789")}, -1, "application/x-www-form-urlencoded", 400, "DATA_UPLOAD_MAX_MEMORY_SIZE"},
		{"at the limit", strings.NewReader("a=12345678"), 10, "application/x-www-form-urlencoded", 0, ""},
		{"too many fields", strings.NewReader("a&b&c&d"), 7, "application/x-www-form-urlencoded", 400, "DATA_UPLOAD_MAX_NUMBER_FIELDS"},
		{"latin-1 form", strings.NewReader("a=1"), 3, "application/x-www-form-urlencoded; charset=latin-1", 400, "must be UTF-8 encoded"},
		{"utf-8 form", strings.NewReader("a=%C3%A9"), 8, "application/x-www-form-urlencoded; charset=UTF-8", 0, ""},
		{"multipart without boundary", strings.NewReader("x"), 1, "multipart/form-data", 400, "boundary"},
		{"broken multipart", strings.NewReader("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"), -1, "multipart/form-data; boundary=b", 400, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hr := httptest.NewRequest("POST", "/", tt.body)
			hr.ContentLength = tt.length
			hr.Header.Set("Content-Type", tt.ctype)
			r := web.NewRequest(hr, &small)
			_, err := r.Form()
			if got := statusOf(err); got != tt.status {
				t.Fatalf("status %d (%v), want %d", got, err, tt.status)
			}
			if tt.message != "" && !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q lacks %q", err, tt.message)
			}
		})
	}
}

func multipartBody(t *testing.T, fields map[string]string, files map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for name, content := range files {
		fw, err := w.CreateFormFile("upload", name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, content)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func TestMultipart(t *testing.T) {
	site := web.Site{Limits: web.Limits{MaxMemorySize: 20, MaxNumberFields: 10, MaxNumberFiles: 2, FileMemorySize: 8}}
	body, ctype := multipartBody(t, map[string]string{"title": "hello"}, map[string]string{"small.txt": "tiny", "big.txt": strings.Repeat("x", 100)})
	hr := httptest.NewRequest("POST", "/", body)
	hr.Header.Set("Content-Type", ctype)
	r := web.NewRequest(hr, &site)
	form, err := r.Form()
	if err != nil {
		t.Fatal(err)
	}
	if form.Get("title") != "hello" {
		t.Errorf("title = %q", form.Get("title"))
	}
	files, _ := r.Files()
	if len(files["upload"]) != 2 {
		t.Fatalf("files = %v", files)
	}
	var temp string
	for _, f := range files["upload"] {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if int64(len(data)) != f.Size {
			t.Errorf("%s: read %d bytes, size %d", f.Filename, len(data), f.Size)
		}
		if f.Filename == "big.txt" {
			if osf, ok := rc.(*os.File); ok {
				temp = osf.Name()
			}
		}
	}
	if temp == "" {
		t.Fatal("the large file was not spooled to a temporary file")
	}
	r.Close()
	if _, err := os.Stat(temp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary upload %s survives the request: %v", temp, err)
	}

	// Limits: three files, and field bytes beyond the limit.
	body, ctype = multipartBody(t, nil, map[string]string{"a": "1", "b": "2", "c": "3"})
	hr = httptest.NewRequest("POST", "/", body)
	hr.Header.Set("Content-Type", ctype)
	if _, err := web.NewRequest(hr, &site).Form(); err == nil || !strings.Contains(err.Error(), "DATA_UPLOAD_MAX_NUMBER_FILES") {
		t.Errorf("too many files: %v", err)
	}
	body, ctype = multipartBody(t, map[string]string{"a": strings.Repeat("x", 15), "b": strings.Repeat("y", 15)}, nil)
	hr = httptest.NewRequest("POST", "/", body)
	hr.Header.Set("Content-Type", ctype)
	if _, err := web.NewRequest(hr, &site).Form(); err == nil || !strings.Contains(err.Error(), "DATA_UPLOAD_MAX_MEMORY_SIZE") {
		t.Errorf("field bytes: %v", err)
	}
}

// TestBodyAndMultipartForm reads a multipart body both as bytes and as a form: a middleware that
// reads Body (to check a signature, say) must not leave the view an unreadable form, and Body
// after the form consumed the stream must say so rather than return nothing.
func TestBodyAndMultipartForm(t *testing.T) {
	body, ctype := multipartBody(t, map[string]string{"title": "hello"}, map[string]string{"a.txt": "file content"})
	raw := body.String()
	newRequest := func() *web.Request {
		hr := httptest.NewRequest("POST", "/", strings.NewReader(raw))
		hr.Header.Set("Content-Type", ctype)
		return web.NewRequest(hr, nil)
	}

	r := newRequest()
	got, err := r.Body()
	if err != nil || string(got) != raw {
		t.Fatalf("Body() = %d bytes, %v; want the %d bytes sent", len(got), err, len(raw))
	}
	form, err := r.Form()
	if err != nil || form.Get("title") != "hello" {
		t.Errorf("Form() after Body() = %v, %v; want title=hello", form, err)
	}
	if files, _ := r.Files(); len(files["upload"]) != 1 || files["upload"][0].Size != int64(len("file content")) {
		t.Errorf("Files() after Body() = %v", files)
	}
	r.Close()

	r = newRequest()
	if form, err := r.Form(); err != nil || form.Get("title") != "hello" {
		t.Fatalf("Form() = %v, %v", form, err)
	}
	if got, err := r.Body(); err == nil || !strings.Contains(err.Error(), "read Body before") {
		t.Errorf("Body() after the form consumed the stream = %d bytes, %v; want an error that says to read Body first", len(got), err)
	}
	r.Close()
}

func TestQueryLimitPanicsWithBadRequest(t *testing.T) {
	site := web.Site{Limits: web.Limits{MaxNumberFields: 2}}
	r := web.NewRequest(httptest.NewRequest("GET", "/?a=1&b=2&c=3", nil), &site)
	defer func() {
		err, _ := recover().(error)
		if statusOf(err) != 400 || !strings.Contains(err.Error(), "DATA_UPLOAD_MAX_NUMBER_FIELDS") {
			t.Errorf("recovered %v", err)
		}
	}()
	r.Query()
	t.Error("Query did not refuse the request")
}

func TestJSONBody(t *testing.T) {
	var v struct{ Name string }
	r := web.NewRequest(httptest.NewRequest("POST", "/", strings.NewReader(`{"Name":"ada"}`)), nil)
	if err := r.DecodeJSON(&v); err != nil || v.Name != "ada" {
		t.Errorf("DecodeJSON = %v, %+v", err, v)
	}
	r = web.NewRequest(httptest.NewRequest("POST", "/", strings.NewReader(`{"Name":`)), nil)
	if err := r.DecodeJSON(&v); statusOf(err) != 400 {
		t.Errorf("bad JSON: %v", err)
	}
	r = web.NewRequest(httptest.NewRequest("POST", "/", strings.NewReader(``)), nil)
	if err := r.DecodeJSON(&v); statusOf(err) != 400 || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty body: %v", err)
	}
}

// TestBuildAbsoluteURL pins Django's build_absolute_uri: a location is joined to the request's
// URL as a browser would (urljoin); the expected values are Python's urljoin results.
func TestBuildAbsoluteURL(t *testing.T) {
	site := &web.Site{AllowedHosts: []string{"testserver"}}
	tests := []struct{ location, want string }{
		{"", "http://testserver/dir/page?x=1"},
		{"/other", "http://testserver/other"},
		{"other", "http://testserver/dir/other"},
		{"?page=2", "http://testserver/dir/page?page=2"},
		{"#top", "http://testserver/dir/page#top"},
		{"../up", "http://testserver/up"},
		{"/a/../b", "http://testserver/b"},
		{"//cdn.example.com/x.js", "http://cdn.example.com/x.js"},
		{"https://example.com/x", "https://example.com/x"},
		{"/login?next=http://evil.com/", "http://testserver/login?next=http://evil.com/"},
	}
	for _, tt := range tests {
		r := web.NewRequest(httptest.NewRequest("GET", "http://testserver/dir/page?x=1", nil), site)
		got, err := r.BuildAbsoluteURL(tt.location)
		if err != nil || got != tt.want {
			t.Errorf("BuildAbsoluteURL(%q) = %q, %v; want %q", tt.location, got, err, tt.want)
		}
	}
	r := web.NewRequest(httptest.NewRequest("GET", "http://evil.test/", nil), site)
	if _, err := r.BuildAbsoluteURL("/x"); statusOf(err) != 400 {
		t.Errorf("a disallowed host: %v, want the 400 DisallowedHost error", err)
	}
}

func TestHost(t *testing.T) {
	tests := []struct {
		host    string
		allowed []string
		debug   bool
		xfh     string
		useXFH  bool
		want    string // "" means refused
		reason  string
	}{
		{host: "example.com", allowed: []string{"example.com"}, want: "example.com"},
		{host: "example.com:8000", allowed: []string{"example.com"}, want: "example.com:8000"},
		{host: "EXAMPLE.com", allowed: []string{"example.com"}, want: "EXAMPLE.com"},
		{host: "example.com.", allowed: []string{"example.com"}, want: "example.com."},
		{host: "www.example.com", allowed: []string{".example.com"}, want: "www.example.com"},
		{host: "example.com", allowed: []string{".example.com"}, want: "example.com"},
		{host: "badexample.com", allowed: []string{".example.com"}, reason: "You may need to add 'badexample.com' to ALLOWED_HOSTS."},
		{host: "anything.test", allowed: []string{"*"}, want: "anything.test"},
		{host: "EXAMPLE.COM", allowed: []string{"Example.Com"}, want: "EXAMPLE.COM"},
		{host: "www.example.com", allowed: []string{"", "other.com", ".EXAMPLE.com"}, want: "www.example.com"},
		{host: ".example.com", allowed: []string{".example.com"}, want: ".example.com"},
		{host: "example.com", allowed: []string{"xample.com", ".xample.com", "example.co"}, reason: "You may need to add 'example.com'"},
		// Django lower-cases patterns with Python's str.lower, which maps the Kelvin sign to k.
		{host: "ka.test", allowed: []string{"\u212Aa.test"}, want: "ka.test"},
		{host: "x.ka.test", allowed: []string{".\u212Aa.test"}, want: "x.ka.test"},
		{host: "[::1]:8000", allowed: []string{"[::1]"}, want: "[::1]:8000"},
		{host: "[::1]", debug: true, want: "[::1]"},
		{host: "127.0.0.1:8000", debug: true, want: "127.0.0.1:8000"},
		{host: "app.localhost", debug: true, want: "app.localhost"},
		{host: "example.com", debug: true, reason: "You may need to add 'example.com'"},
		{host: "example.com", allowed: nil, reason: "You may need to add"},
		{host: "exa mple.com", allowed: []string{"*"}, reason: "not valid according to RFC 1034/1035"},
		{host: "example.com:port", allowed: []string{"*"}, reason: "not valid according to RFC 1034/1035"},
		{host: "[::1", allowed: []string{"*"}, reason: "not valid"},
		{host: "example.com:", allowed: []string{"*"}, reason: "not valid according to RFC 1034/1035"},
		{host: ":8000", allowed: []string{"*"}, reason: "not valid according to RFC 1034/1035"},
		{host: "Example.COM.:8000", allowed: []string{"example.com"}, want: "Example.COM.:8000"},
		{host: "127.0.0.1:8000:1", allowed: []string{"*"}, reason: "not valid according to RFC 1034/1035"},
		{host: "proxy.internal", xfh: "example.com", useXFH: true, allowed: []string{"example.com"}, want: "example.com"},
		{host: "example.com", xfh: "evil.com", useXFH: false, allowed: []string{"example.com"}, want: "example.com"},
	}
	for _, tt := range tests {
		hr := httptest.NewRequest("GET", "/", nil)
		hr.Host = tt.host
		if tt.xfh != "" {
			hr.Header.Set("X-Forwarded-Host", tt.xfh)
		}
		site := &web.Site{AllowedHosts: tt.allowed, Debug: tt.debug, UseXForwardedHost: tt.useXFH}
		got, err := web.NewRequest(hr, site).Host()
		if tt.want != "" {
			if err != nil || got != tt.want {
				t.Errorf("Host(%q, %v) = %q, %v; want %q", tt.host, tt.allowed, got, err, tt.want)
			}
			continue
		}
		var e *web.Error
		if !errors.As(err, &e) || e.Status != 400 || e.Kind != "DisallowedHost" || !strings.Contains(e.Message, tt.reason) {
			t.Errorf("Host(%q, %v) = %q, %v; want DisallowedHost with %q", tt.host, tt.allowed, got, err, tt.reason)
		}
		if e != nil && !strings.HasPrefix(e.Message, "Invalid HTTP_HOST header: '"+tt.host+"'.") {
			t.Errorf("message %q does not start as Django's", e.Message)
		}
	}
}

func TestSchemeAndClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		remote, xff, proto string
		trusted            []netip.Prefix
		header             [2]string
		wantIP, wantScheme string
	}{
		{remote: "192.0.2.1:1234", xff: "203.0.113.9", wantIP: "192.0.2.1", wantScheme: "http"},                       // no proxy trusted: XFF ignored
		{remote: "10.1.1.1:1234", xff: "203.0.113.9", trusted: proxies, wantIP: "203.0.113.9", wantScheme: "http"},    // trusted proxy
		{remote: "10.1.1.1:1234", xff: "6.6.6.6, 203.0.113.9, 10.2.2.2", trusted: proxies, wantIP: "203.0.113.9"},     // rightmost untrusted
		{remote: "192.0.2.1:1234", xff: "10.0.0.5", trusted: proxies, wantIP: "192.0.2.1"},                            // peer not a proxy
		{remote: "10.1.1.1:1234", xff: "garbage", trusted: proxies, wantIP: "10.1.1.1"},                               // unparsable hop
		{remote: "[::ffff:10.1.1.1]:1234", xff: "2001:db8::1", trusted: proxies, wantIP: "2001:db8::1"},               // mapped IPv4 peer
		{remote: "192.0.2.1:1", proto: "https", header: [2]string{"X-Forwarded-Proto", "https"}, wantScheme: "https"}, // proxy says https
		{remote: "192.0.2.1:1", proto: "https, http", header: [2]string{"X-Forwarded-Proto", "https"}, wantScheme: "https"},
		{remote: "192.0.2.1:1", proto: "http", header: [2]string{"X-Forwarded-Proto", "https"}, wantScheme: "http"},
		{remote: "192.0.2.1:1", proto: "https", wantScheme: "http"}, // header not configured: ignored
	}
	for _, tt := range tests {
		hr := httptest.NewRequest("GET", "/", nil)
		hr.RemoteAddr = tt.remote
		if tt.xff != "" {
			hr.Header.Set("X-Forwarded-For", tt.xff)
		}
		if tt.proto != "" {
			hr.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		r := web.NewRequest(hr, &web.Site{TrustedProxies: tt.trusted, SecureProxyHeader: tt.header})
		if tt.wantIP != "" && r.ClientIP().String() != tt.wantIP {
			t.Errorf("%+v: ClientIP = %v, want %s", tt, r.ClientIP(), tt.wantIP)
		}
		if tt.wantScheme != "" && r.Scheme() != tt.wantScheme {
			t.Errorf("%+v: Scheme = %s, want %s", tt, r.Scheme(), tt.wantScheme)
		}
	}
}

// TestHandlerResponseStatus checks that a response written by an http.Handler answers with the
// Response's status when the handler leaves the status to it, whether it writes a body or
// nothing at all, and keeps a status the handler chose.
func TestHandlerResponseStatus(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		status  int
		want    int
	}{
		{"writes nothing", func(http.ResponseWriter, *http.Request) {}, 204, 204},
		{"writes a body", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "x") }, 201, 201},
		{"chooses its own status", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(409) }, 201, 409},
		{"no status set", func(http.ResponseWriter, *http.Request) {}, 0, 200},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		resp := web.FromHandler(tt.handler).WithStatus(tt.status)
		if err := resp.Write(rec, httptest.NewRequest("GET", "/", nil)); err != nil {
			t.Fatal(err)
		}
		if rec.Code != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, rec.Code, tt.want)
		}
	}
}

func TestResponses(t *testing.T) {
	write := func(resp *web.Response, method string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		if err := resp.Write(rec, httptest.NewRequest(method, "/f.txt", nil)); err != nil {
			t.Fatal(err)
		}
		return rec
	}
	rec := write(web.Text("hi").WithStatus(201), "GET")
	if rec.Code != 201 || rec.Header().Get("Content-Type") != web.TextPlain || rec.Body.String() != "hi" {
		t.Errorf("Text: %d %v %q", rec.Code, rec.Header(), rec.Body.String())
	}
	resp, err := web.JSON(map[string]any{"a": []int{1}, "b": "<x>"})
	if err != nil {
		t.Fatal(err)
	}
	if rec := write(resp, "GET"); rec.Body.String() != `{"a":[1],"b":"\u003cx\u003e"}` || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("JSON: %q", rec.Body.String())
	}
	if _, err := web.JSON(make(chan int)); err == nil {
		t.Error("JSON of a channel should fail")
	}
	if rec := write(web.Redirect("/next?a=1"), "GET"); rec.Code != 302 || rec.Header().Get("Location") != "/next?a=1" {
		t.Errorf("Redirect: %d %v", rec.Code, rec.Header())
	}
	if rec := write(web.PermanentRedirect("https://example.com/"), "GET"); rec.Code != 301 {
		t.Errorf("PermanentRedirect: %d", rec.Code)
	}
	for _, bad := range []string{"javascript:alert(1)", "data:text/html,x", "JaVaScRiPt:alert(1)"} {
		func() {
			defer func() {
				if err, _ := recover().(error); statusOf(err) != 400 {
					t.Errorf("Redirect(%q) did not refuse: %v", bad, err)
				}
			}()
			web.Redirect(bad)
		}()
	}
	if rec := write(web.NotModified(), "GET"); rec.Code != 304 || rec.Body.Len() != 0 {
		t.Errorf("NotModified: %d", rec.Code)
	}
	r := web.Text("x")
	r.SetCookie(&http.Cookie{Name: "a", Value: "1"})
	r.SetCookie(&http.Cookie{Name: "a", Value: "2"})
	r.DeleteCookie("__Host-old", "", "")
	rec = write(r, "GET")
	cookies := rec.Result().Cookies()
	if len(cookies) != 2 || cookies[0].Value != "2" || cookies[1].MaxAge != -1 || !cookies[1].Secure {
		t.Errorf("cookies: %v", rec.Header()["Set-Cookie"])
	}
	if !strings.Contains(rec.Header()["Set-Cookie"][1], "Max-Age=0") || !strings.Contains(rec.Header()["Set-Cookie"][1], "1970") {
		t.Errorf("deleted cookie: %q", rec.Header()["Set-Cookie"][1])
	}
	big := bytes.Repeat([]byte("z"), 5000)
	if rec := write(web.Bytes("application/octet-stream", big), "GET"); rec.Header().Get("Content-Length") != "5000" {
		t.Errorf("Content-Length of a large body: %q", rec.Header().Get("Content-Length"))
	}
}

func TestFileResponses(t *testing.T) {
	fsys := fstest.MapFS{"docs/a.txt": {Data: []byte("0123456789"), ModTime: time.Unix(1700000000, 0)}}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Range", "bytes=2-4")
	rec := httptest.NewRecorder()
	web.FileFS(fsys, "docs/a.txt").Write(rec, req)
	if rec.Code != 206 || rec.Body.String() != "234" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("range: %d %q %v", rec.Code, rec.Body.String(), rec.Header())
	}
	rec = httptest.NewRecorder()
	web.FileFS(fsys, "missing.txt").Write(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 404 {
		t.Errorf("missing file: %d", rec.Code)
	}
	dir := t.TempDir()
	os.WriteFile(dir+"/r.csv", []byte("a,b"), 0o644)
	rec = httptest.NewRecorder()
	web.File(dir+"/r.csv").Attachment("report.csv").Write(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Body.String() != "a,b" || rec.Header().Get("Content-Disposition") != `attachment; filename="report.csv"` {
		t.Errorf("attachment: %q %v", rec.Body.String(), rec.Header())
	}
}

func TestViewAttributes(t *testing.T) {
	type key struct{}
	base := func(*web.Request) (*web.Response, error) { return web.Text("base"), nil }
	marked := web.WithAttr(web.WithAttr(base, key{}, "one"), "other", 2)
	if web.Attr(marked, key{}) != "one" || web.Attr(marked, "other") != 2 || web.Attr(base, key{}) != nil {
		t.Error("attributes not found")
	}
	wrapper := func(r *web.Request) (*web.Response, error) { return marked(r) }
	if web.Attr(wrapper, key{}) != nil {
		t.Error("a plain wrapper should not carry attributes")
	}
	kept := web.CopyAttrs(wrapper, marked)
	if web.Attr(kept, key{}) != "one" || web.Attr(kept, "other") != 2 {
		t.Error("CopyAttrs lost attributes")
	}
	resp, _ := kept(web.NewRequest(httptest.NewRequest("GET", "/", nil), nil))
	if string(resp.Body) != "base" {
		t.Errorf("marked view answers %q", resp.Body)
	}
}

func TestErrors(t *testing.T) {
	err := fmt.Errorf("loading: %w", web.NotFound("no item %d", 5))
	if web.StatusOf(err) != 404 || !errors.Is(err, web.ErrNotFound) || errors.Is(err, web.ErrBadRequest) {
		t.Errorf("wrapped 404: %v", err)
	}
	if web.StatusOf(errors.New("x")) != 500 {
		t.Error("plain errors are 500")
	}
	if got := web.MethodNotAllowed("GET", "POST").Error(); got != "Method Not Allowed: allowed methods: GET, POST" {
		t.Errorf("405 text %q", got)
	}
}

func ExampleRequest_Form() {
	hr := httptest.NewRequest("POST", "/polls/1/vote/", strings.NewReader("choice=3"))
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r := web.NewRequest(hr, nil)
	form, err := r.Form()
	fmt.Println(form.Get("choice"), err)
	// Output: 3 <nil>
}

func ExampleText() {
	resp := web.Text("created").WithStatus(http.StatusCreated)
	resp.Header().Set("Location", "/items/7/")
	fmt.Println(resp.StatusCode(), resp.ContentType(), string(resp.Body))
	// Output: 201 text/plain; charset=utf-8 created
}

// A part's headers are kept with its file, so their size is bounded: a client that sent a
// hundred files, each with megabytes of headers, would otherwise make the server hold them all
// until the request ends.
func TestMultipartPartHeadersAreBounded(t *testing.T) {
	site := web.Site{Limits: web.DefaultLimits()}
	for _, tt := range []struct {
		name   string
		extra  int // bytes of an extra header on the file part
		status int
	}{
		{"ordinary headers", 100, 0},
		{"a megabyte of headers", 1 << 20, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			h := make(map[string][]string)
			h["Content-Disposition"] = []string{`form-data; name="upload"; filename="a.txt"`}
			h["X-Padding"] = []string{strings.Repeat("p", tt.extra)}
			part, err := w.CreatePart(h)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(part, "content")
			w.Close()
			hr := httptest.NewRequest("POST", "/", &buf)
			hr.Header.Set("Content-Type", w.FormDataContentType())
			r := web.NewRequest(hr, &site)
			defer r.Close()
			_, err = r.Files()
			if got := statusOf(err); got != tt.status {
				t.Fatalf("status %d (%v), want %d", got, err, tt.status)
			}
			if err != nil && !strings.Contains(err.Error(), "header") {
				t.Errorf("error %q does not say that the part's headers are too large", err)
			}
		})
	}
}

// Limits.FileMemorySize bounds the uploaded files a request keeps in memory together, as
// Django keeps files in memory only when the whole body fits FILE_UPLOAD_MAX_MEMORY_SIZE:
// otherwise a hundred files just under the size would hold a hundred times it.
func TestMultipartFilesShareTheMemoryBudget(t *testing.T) {
	site := web.Site{Limits: web.Limits{MaxMemorySize: 1000, MaxNumberFields: 10, MaxNumberFiles: 10, FileMemorySize: 8}}
	body, ctype := multipartBody(t, nil, map[string]string{"a.txt": "123456", "b.txt": "abcdef", "c.txt": "uvwxyz"})
	hr := httptest.NewRequest("POST", "/", body)
	hr.Header.Set("Content-Type", ctype)
	r := web.NewRequest(hr, &site)
	defer r.Close()
	files, err := r.Files()
	if err != nil {
		t.Fatal(err)
	}
	inMemory := 0
	for _, f := range files["upload"] {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, onDisk := rc.(*os.File); !onDisk {
			inMemory += int(f.Size)
		}
		rc.Close()
	}
	if inMemory > 8 {
		t.Errorf("%d bytes of files kept in memory, more than FileMemorySize (8)", inMemory)
	}
}

// With the body limit off, the declared Content-Length is still only a claim: reading a short
// body must not allocate what the header announces (a client could claim terabytes).
func TestBodyDoesNotTrustDeclaredLength(t *testing.T) {
	site := web.Site{Limits: web.Limits{MaxMemorySize: -1, MaxNumberFields: -1, MaxNumberFiles: -1, FileMemorySize: -1}}
	hr := httptest.NewRequest("POST", "/", strings.NewReader("a=1"))
	hr.ContentLength = 1 << 28
	r := web.NewRequest(hr, &site)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	body, err := r.Body()
	runtime.ReadMemStats(&after)
	if err != nil || string(body) != "a=1" {
		t.Fatalf("Body() = %q, %v", body, err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
		t.Errorf("reading a 3-byte body declared as 256 MB allocated %d MB", n>>20)
	}
}

func TestAttachmentNames(t *testing.T) {
	for name, want := range map[string]string{
		"report.csv":           `attachment; filename="report.csv"`,
		`dir/evil".csv`:        `attachment; filename="evil_.csv"`,
		`a\`:                   `attachment; filename="a"`,
		"r\u00e9sum\u00e9.pdf": `attachment; filename="r__sum__.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
		"line\nbreak.txt":      `attachment; filename="line_break.txt"`,
	} {
		if got := web.Text("x").Attachment(name).Header().Get("Content-Disposition"); got != want {
			t.Errorf("Attachment(%q) = %s, want %s", name, got, want)
		}
	}
}

// TestProxyHeadersOnlyFromTrustedProxies: once trusted proxies are listed, a client that
// reaches the site directly cannot claim HTTPS or another host.
func TestProxyHeadersOnlyFromTrustedProxies(t *testing.T) {
	site := &web.Site{
		TrustedProxies:    []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
		SecureProxyHeader: [2]string{"X-Forwarded-Proto", "https"},
		UseXForwardedHost: true,
		UseXForwardedPort: true,
		AllowedHosts:      []string{"example.com", "internal"},
	}
	for _, tt := range []struct {
		remote, scheme, host, port string
	}{
		{"10.1.2.3:5555", "https", "example.com", "8443"},
		{"203.0.113.7:5555", "http", "internal", "80"},
	} {
		hr := httptest.NewRequest("GET", "/", nil)
		hr.Host = "internal"
		hr.RemoteAddr = tt.remote
		hr.Header.Set("X-Forwarded-Proto", "https")
		hr.Header.Set("X-Forwarded-Host", "example.com")
		hr.Header.Set("X-Forwarded-Port", "8443")
		r := web.NewRequest(hr, site)
		host, _ := r.Host()
		if r.Scheme() != tt.scheme || host != tt.host || r.Port() != tt.port {
			t.Errorf("from %s: scheme %s host %s port %s; want %s %s %s", tt.remote, r.Scheme(), host, r.Port(), tt.scheme, tt.host, tt.port)
		}
	}
}
