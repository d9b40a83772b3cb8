package csrf_test

import (
	"crypto/tls"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Two browsers' secrets and tokens made from them by the reference algorithm.
var (
	secretA = "abcdefghijklmnopqrstuvwxyzABCDEF"
	secretB = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvu"
	tokenA  = refMask(secretA, "0123456789ABCDEFGHIJKLMNOPQRSTUV")
	tokenA2 = refMask(secretA, "kq3ZP0aLx9TmWc81RbEo5uHjNy2dVgIs")
	tokenB  = refMask(secretB, "0123456789ABCDEFGHIJKLMNOPQRSTUV")
)

// gatewayCase is one request through the real gateway and what it must get.
type gatewayCase struct {
	name   string
	method string
	path   string // "/api/" when empty
	secure bool
	header map[string]string
	cookie string     // the csrftoken cookie's value; none when empty
	form   url.Values // a urlencoded body
	json   string     // a JSON body
	status int        // 200 when zero
	reason string     // the rejection's reason; a 200 has none
}

func (c gatewayCase) request() *http.Request {
	path := c.path
	if path == "" {
		path = "/api/"
	}
	scheme := "http"
	if c.secure {
		scheme = "https"
	}
	var req *http.Request
	switch {
	case c.form != nil:
		req = httptest.NewRequest(c.method, scheme+"://testserver"+path, strings.NewReader(c.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case c.json != "":
		req = httptest.NewRequest(c.method, scheme+"://testserver"+path, strings.NewReader(c.json))
		req.Header.Set("Content-Type", "application/json")
	default:
		req = httptest.NewRequest(c.method, scheme+"://testserver"+path, nil)
	}
	if c.secure {
		req.TLS = &tls.ConnectionState{HandshakeComplete: true}
	} else {
		req.TLS = nil
	}
	for k, v := range c.header {
		req.Header[http.CanonicalHeaderKey(k)] = []string{v} // as sent, even when empty
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", "sessionid=x; csrftoken="+c.cookie)
	}
	return req
}

func form(token string) url.Values { return url.Values{"csrfmiddlewaretoken": {token}, "name": {"x"}} }

func hdr(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

var gatewayCases = []gatewayCase{
	// Safe methods pass whatever they carry.
	{name: "GET with nothing", method: "GET"},
	{name: "GET cross-site", method: "GET", header: hdr("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")},
	{name: "HEAD cross-site", method: "HEAD", header: hdr("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")},
	{name: "OPTIONS cross-site", method: "OPTIONS", header: hdr("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")},
	{name: "TRACE cross-site", method: "TRACE", header: hdr("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")},
	{name: "GET with a bad Origin over HTTPS", method: "GET", secure: true, header: hdr("Origin", "null")},

	// The token, from the form or the header.
	{name: "POST with the form token", method: "POST", cookie: secretA, form: form(tokenA)},
	{name: "POST with another masking of the same secret", method: "POST", cookie: secretA, form: form(tokenA2)},
	{name: "POST with the header instead of the form field", method: "POST", cookie: secretA, header: hdr("X-CSRFToken", tokenA)},
	{name: "POST JSON with the header", method: "POST", cookie: secretA, json: `{"a":1}`, header: hdr("X-CSRFToken", tokenA)},
	{name: "POST with the 32-character secret in the header", method: "POST", cookie: secretA, header: hdr("X-CSRFToken", secretA)},
	{name: "POST with the 32-character secret in the form", method: "POST", cookie: secretA, form: form(secretA)},
	{name: "POST with an empty form field falls back to the header", method: "POST", cookie: secretA,
		form: form(""), header: hdr("X-CSRFToken", tokenA)},
	{name: "POST: the form field wins over the header", method: "POST", cookie: secretA,
		form: form(tokenB), header: hdr("X-CSRFToken", tokenA),
		status: 403, reason: "CSRF token from POST incorrect."},
	{name: "POST without cookie", method: "POST", form: form(tokenA),
		status: 403, reason: "CSRF cookie not set."},
	{name: "POST without token", method: "POST", cookie: secretA, form: url.Values{"name": {"x"}},
		status: 403, reason: "CSRF token missing."},
	{name: "POST with a wrong token", method: "POST", cookie: secretA, form: form(strings.Repeat("x", 64)),
		status: 403, reason: "CSRF token from POST incorrect."},
	{name: "POST with another browser's token", method: "POST", cookie: secretA, form: form(tokenB),
		status: 403, reason: "CSRF token from POST incorrect."},
	{name: "POST with a token of bad length", method: "POST", cookie: secretA, form: form(tokenA[:63]),
		status: 403, reason: "CSRF token from POST has incorrect length."},
	{name: "POST with a token of bad characters", method: "POST", cookie: secretA, form: form(tokenA[:63] + "-"),
		status: 403, reason: "CSRF token from POST has invalid characters."},
	{name: "POST with a token of 32 non-ASCII characters", method: "POST", cookie: secretA, form: form(strings.Repeat("é", 32)),
		status: 403, reason: "CSRF token from POST has invalid characters."},
	{name: "header with a token of bad length", method: "POST", cookie: secretA, header: hdr("X-CSRFToken", "abc"),
		status: 403, reason: "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."},
	{name: "header counts bytes, as Django's Latin-1 headers", method: "POST", cookie: secretA, header: hdr("X-CSRFToken", strings.Repeat("é", 32)),
		status: 403, reason: "CSRF token from the 'X-Csrftoken' HTTP header has invalid characters."},
	{name: "header with non-ASCII, counted in bytes", method: "POST", cookie: secretA, header: hdr("X-CSRFToken", strings.Repeat("é", 16)+strings.Repeat("a", 16)),
		status: 403, reason: "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."},
	{name: "empty header", method: "POST", cookie: secretA, header: hdr("X-CSRFToken", ""),
		status: 403, reason: "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."},
	{name: "header with another browser's token", method: "POST", cookie: secretA, header: hdr("X-CSRFToken", tokenB),
		status: 403, reason: "CSRF token from the 'X-Csrftoken' HTTP header incorrect."},

	// The cookie.
	{name: "malformed cookie (length)", method: "POST", cookie: "short", form: form(tokenA),
		status: 403, reason: "CSRF cookie has incorrect length."},
	{name: "malformed cookie (characters)", method: "POST", cookie: secretA[:31] + "-", form: form(tokenA),
		status: 403, reason: "CSRF cookie has invalid characters."},
	{name: "Django 3.2 masked cookie", method: "POST", cookie: tokenA2, form: form(tokenA)},

	// The Origin header (no Sec-Fetch-Site: an old browser).
	{name: "cross-origin POST", method: "POST", cookie: secretA, form: form(tokenA), header: hdr("Origin", "http://evil.example"),
		status: 403, reason: "Origin checking failed - http://evil.example does not match any trusted origins."},
	{name: "null Origin", method: "POST", cookie: secretA, form: form(tokenA), header: hdr("Origin", "null"),
		status: 403, reason: "Origin checking failed - null does not match any trusted origins."},
	{name: "own Origin", method: "POST", cookie: secretA, form: form(tokenA), header: hdr("Origin", "http://testserver")},
	{name: "own host on another port", method: "POST", cookie: secretA, form: form(tokenA), header: hdr("Origin", "http://testserver:8000"),
		status: 403, reason: "Origin checking failed - http://testserver:8000 does not match any trusted origins."},
	{name: "own host with another scheme", method: "POST", cookie: secretA, form: form(tokenA), header: hdr("Origin", "https://testserver"),
		status: 403, reason: "Origin checking failed - https://testserver does not match any trusted origins."},
	{name: "trusted Origin with its port", method: "POST", cookie: secretA, form: form(tokenA), header: hdr("Origin", "http://dev.example:5173")},
	{name: "good Origin but no token", method: "POST", cookie: secretA, header: hdr("Origin", "http://testserver"),
		status: 403, reason: "CSRF token missing."},

	// HTTPS: Origin, or else the strict Referer check.
	{name: "HTTPS POST with no Origin and no Referer", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		status: 403, reason: "Referer checking failed - no Referer."},
	{name: "HTTPS POST with an http:// Referer", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Referer", "http://testserver/form/"),
		status: 403, reason: "Referer checking failed - Referer is insecure while host is secure."},
	{name: "HTTPS POST with a Referer from an untrusted host", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Referer", "https://evil.example/page?x=1"),
		status: 403, reason: "Referer checking failed - https://evil.example/page?x=1 does not match any trusted origins."},
	{name: "HTTPS POST with a Referer without host", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Referer", "https://"),
		status: 403, reason: "Referer checking failed - Referer is malformed."},
	{name: "HTTPS POST with an empty Referer", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Referer", ""),
		status: 403, reason: "Referer checking failed - Referer is malformed."},
	{name: "HTTPS POST with a broken IPv6 Referer", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Referer", "https://[::1/"),
		status: 403, reason: "Referer checking failed - Referer is malformed."},
	{name: "HTTPS POST with its own Referer", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Referer", "https://testserver/form/")},
	{name: "HTTPS POST from a trusted wildcard subdomain (Referer)", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Referer", "https://app.trusted.example/x")},
	{name: "HTTPS POST from a trusted wildcard's own domain (Referer)", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Referer", "https://trusted.example/")},
	{name: "HTTPS POST from a trusted wildcard subdomain (Origin)", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Origin", "https://app.trusted.example")},
	{name: "trusted wildcard with another scheme", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Origin", "http://app.trusted.example"),
		status: 403, reason: "Origin checking failed - http://app.trusted.example does not match any trusted origins."},
	{name: "trusted wildcard with another port", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Origin", "https://app.trusted.example:8443"),
		status: 403, reason: "Origin checking failed - https://app.trusted.example:8443 does not match any trusted origins."},
	{name: "exact trusted Origin", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Origin", "https://partner.example")},
	{name: "look-alike of a trusted Origin", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Origin", "https://partner.example.evil"),
		status: 403, reason: "Origin checking failed - https://partner.example.evil does not match any trusted origins."},
	{name: "HTTPS with Origin skips the Referer check", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Origin", "https://testserver", "Referer", "http://evil.example/")},

	// Fetch Metadata.
	{name: "Sec-Fetch-Site cross-site", method: "POST", cookie: secretA, form: form(tokenA),
		header: hdr("Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"),
		status: 403, reason: "Fetch Metadata checking failed - Sec-Fetch-Site is cross-site and Origin http://evil.example does not match any trusted origins."},
	{name: "Sec-Fetch-Site cross-site without Origin", method: "POST", cookie: secretA, form: form(tokenA),
		header: hdr("Sec-Fetch-Site", "cross-site"),
		status: 403, reason: "Fetch Metadata checking failed - Sec-Fetch-Site is cross-site and no Origin was sent."},
	{name: "Sec-Fetch-Site cross-site from our own origin", method: "POST", cookie: secretA, form: form(tokenA),
		header: hdr("Sec-Fetch-Site", "cross-site", "Origin", "http://testserver"),
		status: 403, reason: "Fetch Metadata checking failed - Sec-Fetch-Site is cross-site and Origin http://testserver does not match any trusted origins."},
	{name: "Sec-Fetch-Site same-site from an untrusted sibling", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Sec-Fetch-Site", "same-site", "Origin", "https://blog.example.com"),
		status: 403, reason: "Fetch Metadata checking failed - Sec-Fetch-Site is same-site and Origin https://blog.example.com does not match any trusted origins."},
	{name: "Sec-Fetch-Site with an unknown value", method: "PUT", cookie: secretA, header: hdr("Sec-Fetch-Site", "sideways", "X-CSRFToken", tokenA),
		status: 403, reason: "Fetch Metadata checking failed - Sec-Fetch-Site is sideways and no Origin was sent."},
	{name: "Sec-Fetch-Site same-site from a trusted origin", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Sec-Fetch-Site", "same-site", "Origin", "https://app.trusted.example")},
	{name: "Sec-Fetch-Site cross-site from a trusted origin still needs the token", method: "POST", secure: true, cookie: secretA,
		header: hdr("Sec-Fetch-Site", "cross-site", "Origin", "https://partner.example"),
		status: 403, reason: "CSRF token missing."},
	{name: "Sec-Fetch-Site same-origin passes to the token check", method: "POST", secure: true, cookie: secretA,
		header: hdr("Sec-Fetch-Site", "same-origin"),
		status: 403, reason: "CSRF token missing."},
	{name: "Sec-Fetch-Site same-origin with the token, no Referer needed", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Sec-Fetch-Site", "same-origin")},
	{name: "Sec-Fetch-Site same-origin behind a proxy that rewrote Host", method: "POST", secure: true, cookie: secretA, form: form(tokenA),
		header: hdr("Sec-Fetch-Site", "same-origin", "Origin", "https://public.example")},
	{name: "Sec-Fetch-Site none (the user's own action)", method: "POST", cookie: secretA, form: form(tokenA),
		header: hdr("Sec-Fetch-Site", "none")},

	// Other unsafe methods; they read the token from the header only.
	{name: "PUT without token", method: "PUT", cookie: secretA,
		status: 403, reason: "CSRF token missing."},
	{name: "PUT ignores a form field", method: "PUT", cookie: secretA, form: form(tokenA),
		status: 403, reason: "CSRF token missing."},
	{name: "PUT with the header", method: "PUT", cookie: secretA, header: hdr("X-CSRFToken", tokenA)},
	{name: "PATCH without token", method: "PATCH", cookie: secretA, json: `{}`,
		status: 403, reason: "CSRF token missing."},
	{name: "PATCH with the header", method: "PATCH", cookie: secretA, json: `{}`, header: hdr("X-CSRFToken", tokenA)},
	{name: "DELETE without token", method: "DELETE", cookie: secretA,
		status: 403, reason: "CSRF token missing."},
	{name: "DELETE cross-origin", method: "DELETE", cookie: secretA, header: hdr("X-CSRFToken", tokenA, "Origin", "http://evil.example"),
		status: 403, reason: "Origin checking failed - http://evil.example does not match any trusted origins."},
	{name: "DELETE with the header", method: "DELETE", cookie: secretA, header: hdr("X-CSRFToken", tokenA)},
	{name: "an unknown method is unsafe", method: "PROPFIND", cookie: secretA,
		status: 403, reason: "CSRF token missing."},

	// Exempt views.
	{name: "exempt view", method: "POST", path: "/exempt/"},
	{name: "exempt view, cross-site", method: "DELETE", path: "/exempt/", header: hdr("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")},
}

func TestGateway(t *testing.T) {
	s := newSite(t, siteConfig(), true)
	for _, c := range gatewayCases {
		t.Run(c.name, func(t *testing.T) {
			s.logs.take()
			resp := s.do(c.request())
			text := body(t, resp)
			want := c.status
			if want == 0 {
				want = http.StatusOK
			}
			if resp.StatusCode != want {
				t.Fatalf("status = %d, want %d; body:\n%s", resp.StatusCode, want, text)
			}
			logs := s.logs.take()
			if c.reason == "" {
				if len(logs) != 0 {
					t.Errorf("accepted request logged %q", logs[0].Message)
				}
				return
			}
			if len(logs) != 1 {
				t.Fatalf("got %d log records, want 1", len(logs))
			}
			wantMsg := fmt.Sprintf("Forbidden (%s): %s", c.reason, c.request().URL.Path)
			if logs[0].Message != wantMsg || logs[0].Level.String() != "WARN" || attr(logs[0], "logger") != "security.csrf" {
				t.Errorf("log = %s %q logger=%q, want WARN %q logger=security.csrf",
					logs[0].Level, logs[0].Message, attr(logs[0], "logger"), wantMsg)
			}
			if !strings.Contains(text, "Forbidden <span>(403)</span>") || !strings.Contains(text, template.HTMLEscapeString(c.reason)) {
				t.Errorf("debug page lacks the heading or the reason %q:\n%s", c.reason, text)
			}
		})
	}
}
