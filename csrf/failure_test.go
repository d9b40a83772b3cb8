package csrf_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/web"
)

func TestFailurePage(t *testing.T) {
	for _, debug := range []bool{false, true} {
		s := newSite(t, siteConfig(), debug)
		resp := s.do(gatewayCase{method: "POST", cookie: secretA, header: hdr("Origin", "https://evil.example")}.request())
		text := body(t, resp)
		if resp.StatusCode != 403 || resp.Header.Get("Content-Type") != web.TextHTML {
			t.Fatalf("debug=%v: %d %q", debug, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, want := range []string{"<title>403 Forbidden</title>", "<h1>Forbidden <span>(403)</span></h1>", "<p>CSRF verification failed. Request aborted.</p>"} {
			if !strings.Contains(text, want) {
				t.Errorf("debug=%v: page lacks %q", debug, want)
			}
		}
		reason := "Origin checking failed - https://evil.example does not match any trusted origins."
		if debug {
			for _, want := range []string{reason, "Help", "Reason given for failure", "http://testserver", "https://*.trusted.example", "TrustedOrigins"} {
				if !strings.Contains(text, want) {
					t.Errorf("debug page lacks %q", want)
				}
			}
		} else {
			if strings.Contains(text, "evil.example") || strings.Contains(text, "Help") {
				t.Errorf("the page shows the reason with debug off:\n%s", text)
			}
			if !strings.Contains(text, "More information is available with DEBUG=True.") {
				t.Errorf("the page lacks the pointer to debug mode")
			}
		}
	}
}

// The explanations for a missing cookie and a missing Referer are shown to every user, as
// Django shows them.
func TestFailurePageExplains(t *testing.T) {
	s := newSite(t, siteConfig(), false)
	text := body(t, s.do(gatewayCase{method: "POST", form: form(tokenA)}.request()))
	if !strings.Contains(text, "requires a CSRF cookie") {
		t.Errorf("no-cookie page lacks the explanation:\n%s", text)
	}
	text = body(t, s.do(gatewayCase{method: "POST", secure: true, cookie: secretA, form: form(tokenA)}.request()))
	if !strings.Contains(text, "Referer header") || strings.Contains(text, "requires a CSRF cookie") {
		t.Errorf("no-referer page:\n%s", text)
	}
}

func TestCustomFailureView(t *testing.T) {
	var got string
	cfg := siteConfig()
	cfg.FailureView = func(r *web.Request, reason string) (*web.Response, error) {
		got = reason
		return web.Text("nope: " + reason).WithStatus(http.StatusForbidden), nil
	}
	s := newSite(t, cfg, false)
	resp := s.do(gatewayCase{method: "POST", cookie: "short"}.request())
	if text := body(t, resp); resp.StatusCode != 403 || text != "nope: CSRF cookie has incorrect length." {
		t.Errorf("custom failure view: %d %q", resp.StatusCode, text)
	}
	if got != "CSRF cookie has incorrect length." {
		t.Errorf("reason passed = %q", got)
	}
	// The response of the failure view still passes the cookie step: the bad cookie is replaced.
	if c := setCookie(resp, "csrftoken"); c == nil || len(c.Value) != 32 {
		t.Errorf("the malformed cookie was not replaced: %v", c)
	}

	cfg.FailureView = func(*web.Request, string) (*web.Response, error) { return nil, nil }
	s = newSite(t, cfg, false)
	if resp := s.do(gatewayCase{method: "POST"}.request()); resp.StatusCode != 500 {
		t.Errorf("a failure view without a response: %d, want 500", resp.StatusCode)
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	cfg := csrf.DefaultConfig()
	cfg.TrustedOrigins = []string{
		"example.com",                  // Django 3.2's form: no scheme
		"https://example.com/",         // a path
		"https://*example.com",         // a star that is not "*."
		"https://",                     // no host
		"https://Example.com",          // upper case
		"https://*.ok.example",         // fine
		"http://localhost:3000",        // fine
		"https://user@example.com",     // user information
		"https://a.*.example.com",      // a star inside
		"https://example.com?x",        // a query
		"https://[::1]:8443",           // fine
		"https://*.ok.example:8443",    // fine
		"chrome-extension://abcdefghi", // fine
	}
	cfg.HeaderName = "X CSRF"
	cfg.CookieName = "bad name"
	cfg.CookieAge = -1
	cfg.Mode = 7
	cfg.UseSessions = true
	cfg.CookieSameSite = http.SameSiteNoneMode
	_, err := csrf.New(cfg)
	if err == nil {
		t.Fatal("New accepted a bad configuration")
	}
	msg := err.Error()
	for _, want := range []string{
		`"example.com" must start with a scheme (usually http:// or https://)`,
		`"https://example.com/" has a path, query or fragment`,
		`"https://*example.com" has a * that is not a leading "*."`,
		`"https://" has no host`,
		`"https://Example.com" has upper-case letters`,
		`"https://user@example.com" has user information`,
		`"https://a.*.example.com" has a *`,
		`"https://example.com?x" has a path, query or fragment`,
		`HeaderName (CSRF_HEADER_NAME) "X CSRF" is not a valid header name`,
		`CookieName (CSRF_COOKIE_NAME) "bad name" is not a valid cookie name`,
		`CookieAge (CSRF_COOKIE_AGE) is -1ns`,
		`Mode Mode(7) is not ModeToken or ModeOrigin`,
		`UseSessions (CSRF_USE_SESSIONS) is set but Config.Session is nil`,
		`CookieSameSite None needs CookieSecure`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	for _, fine := range []string{"ok.example", "localhost:3000", "[::1]", "chrome-extension"} {
		if strings.Contains(msg, fine) {
			t.Errorf("error names the valid origin %q:\n%s", fine, msg)
		}
	}

	for _, cfg := range []csrf.Config{
		{CookieName: "__Host-csrftoken"},
		{CookieName: "__Host-csrftoken", CookieSecure: true, CookieDomain: "example.com"},
		{CookieName: "__Secure-csrftoken"},
		{CookiePath: "app/"},
	} {
		if _, err := csrf.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted a cookie browsers refuse", cfg)
		}
	}
	if _, err := csrf.New(csrf.Config{}); err != nil {
		t.Errorf("New(Config{}) = %v", err)
	}
}

func TestHeaderName(t *testing.T) {
	for _, name := range []string{"X-XSRF-TOKEN", "HTTP_X_XSRF_TOKEN"} {
		cfg := siteConfig()
		cfg.HeaderName = name
		s := newSite(t, cfg, false)
		if resp := s.do(gatewayCase{method: "PUT", cookie: secretA, header: hdr("X-Xsrf-Token", tokenA)}.request()); resp.StatusCode != 200 {
			t.Errorf("%s: status %d", name, resp.StatusCode)
		}
		s.logs.take()
		s.do(gatewayCase{method: "PUT", cookie: secretA, header: hdr("X-Xsrf-Token", "x")}.request())
		if logs := s.logs.take(); len(logs) != 1 || logs[0].Message != "Forbidden (CSRF token from the 'X-Xsrf-Token' HTTP header has incorrect length.): /api/" {
			t.Errorf("%s: logs %v", name, logs)
		}
		if resp := s.do(gatewayCase{method: "PUT", cookie: secretA, header: hdr("X-CSRFToken", tokenA)}.request()); resp.StatusCode != 403 {
			t.Errorf("%s: the default header was still read", name)
		}
	}
}
