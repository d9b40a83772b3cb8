package middleware

import (
	"io"
	"net/http"
	"testing"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// md5("hello") in hex, a well-known vector (RFC 1321 test suites list it).
const helloETag = `"5d41402abc4b2a76b9719d911017c592"`

func TestConditionalGetETag(t *testing.T) {
	withHeader := func(body, key, value string) web.View {
		return func(*web.Request) (*web.Response, error) {
			resp := web.Text(body)
			if key != "" {
				resp.Header().Set(key, value)
			}
			return resp, nil
		}
	}
	stream := func(*web.Request) (*web.Response, error) {
		return web.Stream("text/plain", func(w io.Writer) error { _, err := io.WriteString(w, "hello"); return err }), nil
	}
	tests := []struct {
		name   string
		method string
		view   web.View
		etag   string
	}{
		{"md5 of the body", "GET", withHeader("hello", "", ""), helloETag},
		{"own etag kept", "GET", withHeader("hello", "ETag", `W/"v1"`), `W/"v1"`},
		{"no-store", "GET", withHeader("hello", "Cache-Control", "no-store"), ""},
		{"no-store among others", "GET", withHeader("hello", "Cache-Control", "private, No-Store"), ""},
		{"other cache-control", "GET", withHeader("hello", "Cache-Control", "max-age=0, no-cache"), helloETag},
		{"empty body", "GET", withHeader("", "", ""), ""},
		{"streaming", "GET", stream, ""},
		{"POST", "POST", withHeader("hello", "", ""), ""},
		{"HEAD", "HEAD", withHeader("hello", "", ""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, web.Site{}, []web.Middleware{must(ConditionalGet(ConditionalGetConfig{}))}, urls.Path("", tt.view))
			resp := c.Do(request(tt.method, "/", nil))
			if got := resp.Header.Get("ETag"); got != tt.etag {
				t.Fatalf("ETag = %q, want %q", got, tt.etag)
			}
		})
	}
}

func TestConditionalGetPreconditions(t *testing.T) {
	const (
		lastModified = "Sun, 06 Nov 1994 08:49:37 GMT"
		earlier      = "Sun, 06 Nov 1994 08:49:36 GMT"
		later        = "Sun, 06 Nov 1994 08:49:38 GMT"
	)
	view := func(status int, etag, lm string) web.View {
		return func(*web.Request) (*web.Response, error) {
			resp := web.Text("hello").WithStatus(status)
			if etag != "" {
				resp.Header().Set("ETag", etag)
			}
			if lm != "" {
				resp.Header().Set("Last-Modified", lm)
			}
			return resp, nil
		}
	}
	tests := []struct {
		name    string
		method  string
		status  int
		etag    string // the response's own ETag; "" lets the middleware compute helloETag
		lm      string
		headers map[string]string
		want    int
	}{
		{"no conditions", "GET", 200, "", "", nil, 200},
		{"if-none-match matches", "GET", 200, "", "", map[string]string{"If-None-Match": helloETag}, 304},
		{"if-none-match in a list", "GET", 200, `"a"`, "", map[string]string{"If-None-Match": `"x", "a"`}, 304},
		{"if-none-match weak against strong", "GET", 200, `"a"`, "", map[string]string{"If-None-Match": `W/"a"`}, 304},
		{"if-none-match strong against weak", "GET", 200, `W/"a"`, "", map[string]string{"If-None-Match": `"a"`}, 304},
		{"if-none-match star", "GET", 200, `"a"`, "", map[string]string{"If-None-Match": "*"}, 304},
		{"if-none-match other", "GET", 200, `"a"`, "", map[string]string{"If-None-Match": `"b"`}, 200},
		{"if-none-match malformed", "GET", 200, `"a"`, "", map[string]string{"If-None-Match": `a`}, 200},
		{"if-match matches", "GET", 200, `"a"`, "", map[string]string{"If-Match": `"b", "a"`}, 200},
		{"if-match fails", "GET", 200, `"a"`, "", map[string]string{"If-Match": `"b"`}, 412},
		{"if-match star", "GET", 200, `"a"`, "", map[string]string{"If-Match": "*"}, 200},
		{"if-match star, weak etag", "GET", 200, `W/"a"`, "", map[string]string{"If-Match": "*"}, 200},
		{"if-match weak etag never matches", "GET", 200, `W/"a"`, "", map[string]string{"If-Match": `W/"a"`}, 412},
		{"if-match fails before if-none-match", "GET", 200, `"a"`, "", map[string]string{"If-Match": `"b"`, "If-None-Match": `"a"`}, 412},
		{"if-unmodified-since earlier", "GET", 200, `"a"`, lastModified, map[string]string{"If-Unmodified-Since": earlier}, 412},
		{"if-unmodified-since equal", "GET", 200, `"a"`, lastModified, map[string]string{"If-Unmodified-Since": lastModified}, 200},
		{"if-unmodified-since without last-modified", "GET", 200, `"a"`, "", map[string]string{"If-Unmodified-Since": later}, 412},
		{"if-unmodified-since ignored after if-match", "GET", 200, `"a"`, lastModified, map[string]string{"If-Match": `"a"`, "If-Unmodified-Since": earlier}, 200},
		{"if-unmodified-since invalid", "GET", 200, `"a"`, lastModified, map[string]string{"If-Unmodified-Since": "yesterday"}, 200},
		{"if-modified-since equal", "GET", 200, `"a"`, lastModified, map[string]string{"If-Modified-Since": lastModified}, 304},
		{"if-modified-since later", "GET", 200, `"a"`, lastModified, map[string]string{"If-Modified-Since": later}, 304},
		{"if-modified-since earlier", "GET", 200, `"a"`, lastModified, map[string]string{"If-Modified-Since": earlier}, 200},
		{"if-modified-since RFC 850", "GET", 200, `"a"`, lastModified, map[string]string{"If-Modified-Since": "Sunday, 06-Nov-94 08:49:37 GMT"}, 304},
		{"if-modified-since asctime", "GET", 200, `"a"`, lastModified, map[string]string{"If-Modified-Since": "Sun Nov  6 08:49:37 1994"}, 304},
		{"if-modified-since ignored with if-none-match", "GET", 200, `"a"`, lastModified, map[string]string{"If-None-Match": `"b"`, "If-Modified-Since": later}, 200},
		{"if-modified-since without last-modified", "GET", 200, `"a"`, "", map[string]string{"If-Modified-Since": later}, 200},
		{"last-modified only", "GET", 200, "", lastModified, map[string]string{"If-Modified-Since": lastModified}, 304},
		{"not 2xx", "GET", 404, `"a"`, "", map[string]string{"If-None-Match": `"a"`}, 404},
		{"201 is 2xx", "GET", 201, `"a"`, "", map[string]string{"If-None-Match": `"a"`}, 304},
		{"HEAD untouched", "HEAD", 200, `"a"`, "", map[string]string{"If-None-Match": `"a"`}, 200},
		{"POST untouched", "POST", 200, `"a"`, "", map[string]string{"If-Match": `"b"`}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, web.Site{}, []web.Middleware{must(ConditionalGet(ConditionalGetConfig{}))}, urls.Path("", view(tt.status, tt.etag, tt.lm)))
			resp := c.Do(request(tt.method, "/", tt.headers))
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestConditionalGetNotModifiedHeaders(t *testing.T) {
	kept := map[string]string{
		"Cache-Control":    "max-age=60",
		"Content-Location": "/doc.en",
		"Date":             "Sun, 06 Nov 1994 08:49:37 GMT",
		"Etag":             `"v1"`,
		"Expires":          "Sun, 06 Nov 1994 09:49:37 GMT",
		"Last-Modified":    "Sun, 06 Nov 1994 08:00:00 GMT",
		"Vary":             "Cookie",
	}
	view := func(*web.Request) (*web.Response, error) {
		resp := web.HTML("<p>hello</p>")
		for k, v := range kept {
			resp.Header().Set(k, v)
		}
		resp.Header().Set("X-Custom", "dropped")
		resp.SetCookie(&http.Cookie{Name: "sessionid", Value: "abc", Path: "/"})
		return resp, nil
	}
	c := client(t, web.Site{}, []web.Middleware{must(ConditionalGet(ConditionalGetConfig{}))}, urls.Path("", view))
	resp := c.Do(request("GET", "/", map[string]string{"If-None-Match": `"v1"`}))
	if resp.StatusCode != 304 {
		t.Fatalf("status %d, want 304", resp.StatusCode)
	}
	for k, v := range kept {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	for _, k := range []string{"X-Custom", "Content-Type"} {
		if got := resp.Header.Get(k); got != "" {
			t.Errorf("%s = %q, want it dropped", k, got)
		}
	}
	if ck := resp.Cookie("sessionid"); ck == nil || ck.Value != "abc" {
		t.Errorf("cookie lost: %v", resp.Header["Set-Cookie"])
	}
	if len(resp.Content) != 0 {
		t.Errorf("304 with a body: %q", resp.Content)
	}
}
