// Package cantertest is Canter's test client, like Django's django.test.Client: it sends
// requests straight to a handler (no network), keeps cookies between requests, encodes form and
// JSON bodies, follows redirects when asked, and gives access to the whole response.
//
//	func TestIndex(t *testing.T) {
//		c := cantertest.New(t, app)
//		resp := c.Get("/")
//		if resp.StatusCode != 200 || !strings.Contains(resp.Text(), "Hello") {
//			t.Fatalf("GET / = %d %q", resp.StatusCode, resp.Text())
//		}
//	}
//
// Requests go to the host "testserver", as with Django's client; a site that validates hosts
// must allow it (or set Client.Host).
package cantertest

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/canter-go/canter/csrf"
)

// Client sends requests to a handler in memory. It is not safe for concurrent use.
type Client struct {
	// Host is the host name requests are addressed to; "testserver" by default.
	Host string
	// Secure sends requests as HTTPS (the request has TLS state, the URL scheme is https).
	Secure bool
	// Header is sent with every request.
	Header http.Header
	// FollowRedirects makes every request follow redirects, as Django's follow=True. A redirect
	// to another scheme or host is followed there (over HTTPS for an https URL), still to the
	// same handler.
	FollowRedirects bool
	// MaxRedirects bounds redirect chains; 10 by default.
	MaxRedirects int
	// EnforceCSRFChecks makes the CSRF protection check this client's requests as it checks a
	// browser's. By default, as with Django's test client, the checks accept them, so tests of
	// views need no tokens; tests of the protection itself set it.
	EnforceCSRFChecks bool

	t       testing.TB
	handler http.Handler
	jar     *cookiejar.Jar
}

// New returns a client for h. Failures to build a request (a bad path, a value that cannot be
// encoded as JSON) fail the test through t.
func New(t testing.TB, h http.Handler) *Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatalf("cantertest: cookie jar: %v", err)
	}
	return &Client{Host: "testserver", Header: http.Header{}, t: t, handler: h, jar: jar}
}

// Response is a response received by the client.
type Response struct {
	*http.Response
	// Content is the whole body.
	Content []byte
	// Redirects lists the URLs the client followed to get here, in order.
	Redirects []string
	t         testing.TB
}

// Text returns the body as a string.
func (r *Response) Text() string { return string(r.Content) }

// JSON decodes the body into v, failing the test if it is not valid JSON.
func (r *Response) JSON(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Content, v); err != nil {
		r.t.Fatalf("cantertest: response body is not JSON (%v): %q", err, truncate(r.Content))
	}
}

// Cookie returns the cookie of that name the response set, or nil.
func (r *Response) Cookie(name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// Get sends a GET request. Optional query values are added to the path's query.
func (c *Client) Get(path string, query ...url.Values) *Response {
	c.t.Helper()
	return c.Request(http.MethodGet, withQuery(path, query), nil, nil)
}

// Head sends a HEAD request.
func (c *Client) Head(path string) *Response {
	c.t.Helper()
	return c.Request(http.MethodHead, path, nil, nil)
}

// Options sends an OPTIONS request.
func (c *Client) Options(path string) *Response {
	c.t.Helper()
	return c.Request(http.MethodOptions, path, nil, nil)
}

// Post sends a POST request with a urlencoded form body.
func (c *Client) Post(path string, form url.Values) *Response {
	c.t.Helper()
	return c.Request(http.MethodPost, path, strings.NewReader(form.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
}

// PostJSON sends a POST request whose body is v encoded as JSON.
func (c *Client) PostJSON(path string, v any) *Response {
	c.t.Helper()
	return c.sendJSON(http.MethodPost, path, v)
}

// Put sends a PUT request whose body is v encoded as JSON.
func (c *Client) Put(path string, v any) *Response {
	c.t.Helper()
	return c.sendJSON(http.MethodPut, path, v)
}

// Patch sends a PATCH request whose body is v encoded as JSON.
func (c *Client) Patch(path string, v any) *Response {
	c.t.Helper()
	return c.sendJSON(http.MethodPatch, path, v)
}

// Delete sends a DELETE request.
func (c *Client) Delete(path string) *Response {
	c.t.Helper()
	return c.Request(http.MethodDelete, path, nil, nil)
}

func (c *Client) sendJSON(method, path string, v any) *Response {
	c.t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		c.t.Fatalf("cantertest: %s %s: encoding the JSON body: %v", method, path, err)
	}
	return c.Request(method, path, bytes.NewReader(body), http.Header{"Content-Type": {"application/json"}})
}

// Request sends a request with any method, body and extra headers.
func (c *Client) Request(method, path string, body io.Reader, header http.Header) *Response {
	c.t.Helper()
	var content []byte
	if body != nil {
		var err error
		if content, err = io.ReadAll(body); err != nil {
			c.t.Fatalf("cantertest: reading the body for %s %s: %v", method, path, err)
		}
	}
	resp := c.send(method, path, content, header)
	if !c.FollowRedirects {
		return resp
	}
	max := c.MaxRedirects
	if max == 0 {
		max = 10
	}
	var chain []string
	for isRedirect(resp.StatusCode) {
		loc := resp.Header.Get("Location")
		if loc == "" {
			break
		}
		if len(chain) == max {
			c.t.Fatalf("cantertest: more than %d redirects, last to %s", max, loc)
		}
		target := resp.Request.URL.ResolveReference(mustParse(c.t, loc))
		chain = append(chain, target.String())
		if resp.StatusCode != http.StatusTemporaryRedirect && resp.StatusCode != http.StatusPermanentRedirect {
			if method != http.MethodHead {
				method = http.MethodGet
			}
			content, header = nil, nil
		}
		resp = c.send(method, target.String(), content, header) // its scheme and host too
	}
	resp.Redirects = chain
	return resp
}

func isRedirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

func mustParse(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("cantertest: bad URL %q: %v", s, err)
	}
	return u
}

// Do sends a request built by the caller (its cookies are added from the jar).
func (c *Client) Do(r *http.Request) *Response {
	c.t.Helper()
	for _, ck := range c.jar.Cookies(r.URL) {
		r.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.handler.ServeHTTP(rec, r)
	result := rec.Result()
	content, _ := io.ReadAll(result.Body)
	result.Body = io.NopCloser(bytes.NewReader(content))
	result.Request = r
	if cookies := result.Cookies(); len(cookies) > 0 {
		c.jar.SetCookies(r.URL, cookies)
	}
	return &Response{Response: result, Content: content, t: c.t}
}

func (c *Client) send(method, path string, body []byte, header http.Header) *Response {
	c.t.Helper()
	target := c.base().ResolveReference(mustParse(c.t, path))
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r := httptest.NewRequest(method, target.String(), rd)
	if target.Scheme == "https" {
		r.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: target.Hostname()}
	} else {
		r.TLS = nil
	}
	if !c.EnforceCSRFChecks {
		r = csrf.DontEnforceChecks(r)
	}
	for k, v := range c.Header {
		r.Header[k] = append([]string(nil), v...)
	}
	for k, v := range header {
		r.Header[k] = append([]string(nil), v...)
	}
	return c.Do(r)
}

func (c *Client) base() *url.URL {
	scheme := "http"
	if c.Secure {
		scheme = "https"
	}
	return &url.URL{Scheme: scheme, Host: c.Host, Path: "/"}
}

// Cookie returns the cookie of that name the client would send to path "/", or nil.
func (c *Client) Cookie(name string) *http.Cookie {
	for _, ck := range c.jar.Cookies(c.base()) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// SetCookie stores a cookie in the client's jar, as if the site had set it.
func (c *Client) SetCookie(ck *http.Cookie) {
	if ck.Path == "" {
		ck.Path = "/"
	}
	c.jar.SetCookies(c.base(), []*http.Cookie{ck})
}

// ClearCookies forgets every cookie.
func (c *Client) ClearCookies() {
	jar, _ := cookiejar.New(nil)
	c.jar = jar
}

func withQuery(path string, query []url.Values) string {
	if len(query) == 0 || len(query[0]) == 0 {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + query[0].Encode()
}
