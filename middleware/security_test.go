package middleware

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

func TestSecurityHeaders(t *testing.T) {
	setAll := func(r *web.Request) (*web.Response, error) {
		resp := web.Text("mine")
		h := resp.Header()
		h.Set("Strict-Transport-Security", "max-age=1")
		h.Set("X-Content-Type-Options", "custom")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "unsafe-none")
		return resp, nil
	}
	tests := []struct {
		name   string
		cfg    SecurityConfig
		secure bool
		view   web.View
		want   map[string]string // "" means absent
	}{
		{"defaults", SecurityConfig{}, false, nil, map[string]string{
			"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
			"Cross-Origin-Opener-Policy": "same-origin", "Strict-Transport-Security": "",
		}},
		{"hsts on https", SecurityConfig{HSTSSeconds: 3600}, true, nil, map[string]string{
			"Strict-Transport-Security": "max-age=3600",
		}},
		{"hsts with subdomains and preload", SecurityConfig{HSTSSeconds: 31536000, HSTSIncludeSubdomains: true, HSTSPreload: true}, true, nil, map[string]string{
			"Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
		}},
		{"hsts preload only", SecurityConfig{HSTSSeconds: 60, HSTSPreload: true}, true, nil, map[string]string{
			"Strict-Transport-Security": "max-age=60; preload",
		}},
		{"no hsts on http", SecurityConfig{HSTSSeconds: 3600}, false, nil, map[string]string{
			"Strict-Transport-Security": "",
		}},
		{"view's values kept", SecurityConfig{HSTSSeconds: 3600}, true, setAll, map[string]string{
			"Strict-Transport-Security": "max-age=1", "X-Content-Type-Options": "custom",
			"Referrer-Policy": "no-referrer", "Cross-Origin-Opener-Policy": "unsafe-none",
		}},
		{"referrer list", SecurityConfig{ReferrerPolicy: []string{"same-origin", "strict-origin"}}, false, nil, map[string]string{
			"Referrer-Policy": "same-origin,strict-origin",
		}},
		{"referrer comma string", SecurityConfig{ReferrerPolicy: []string{" no-referrer , strict-origin-when-cross-origin"}}, false, nil, map[string]string{
			"Referrer-Policy": "no-referrer,strict-origin-when-cross-origin",
		}},
		{"coop value", SecurityConfig{CrossOriginOpenerPolicy: "same-origin-allow-popups"}, false, nil, map[string]string{
			"Cross-Origin-Opener-Policy": "same-origin-allow-popups",
		}},
		{"all disabled", SecurityConfig{DisableContentTypeNosniff: true, DisableReferrerPolicy: true, DisableCrossOriginOpenerPolicy: true}, false, nil, map[string]string{
			"X-Content-Type-Options": "", "Referrer-Policy": "", "Cross-Origin-Opener-Policy": "",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			view := tt.view
			if view == nil {
				view = text("ok")
			}
			c := client(t, web.Site{}, []web.Middleware{must(Security(tt.cfg))}, urls.Path("", view))
			c.Secure = tt.secure
			resp := c.Get("/")
			if resp.StatusCode != 200 {
				t.Fatalf("status %d, want 200", resp.StatusCode)
			}
			for k, want := range tt.want {
				got, present := resp.Header[k]
				switch {
				case want == "" && present:
					t.Errorf("%s = %q, want no header", k, got)
				case want != "" && (len(got) != 1 || got[0] != want):
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestSecurityHeadersOnErrorPages(t *testing.T) {
	// The gateway turns a 404 into a response that passes out through every layer.
	c := client(t, web.Site{}, []web.Middleware{must(Security(SecurityConfig{}))}, urls.Path("", text("ok")))
	resp := c.Get("/missing")
	if resp.StatusCode != 404 || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("404: status %d, nosniff %q", resp.StatusCode, resp.Header.Get("X-Content-Type-Options"))
	}
}

func TestSecuritySSLRedirect(t *testing.T) {
	routes := []urls.Entry{urls.Path("<path:p>", text("ok")), urls.Path("", text("ok"))}
	tests := []struct {
		name     string
		cfg      SecurityConfig
		path     string
		secure   bool
		header   map[string]string
		status   int
		location string
	}{
		{"redirected", SecurityConfig{SSLRedirect: true}, "/some/path?a=1&b=2", false, nil, 301, "https://testserver/some/path?a=1&b=2"},
		{"root", SecurityConfig{SSLRedirect: true}, "/", false, nil, 301, "https://testserver/"},
		{"escaped path kept", SecurityConfig{SSLRedirect: true}, "/caf%C3%A9/a%20b", false, nil, 301, "https://testserver/caf%C3%A9/a%20b"},
		{"ssl host", SecurityConfig{SSLRedirect: true, SSLHost: "secure.example.com"}, "/x", false, nil, 301, "https://secure.example.com/x"},
		{"already https", SecurityConfig{SSLRedirect: true}, "/x", true, nil, 200, ""},
		{"off", SecurityConfig{}, "/x", false, nil, 200, ""},
		{"exempt", SecurityConfig{SSLRedirect: true, RedirectExempt: []string{`^health/`}}, "/health/live", false, nil, 200, ""},
		{"exempt searched, not anchored", SecurityConfig{SSLRedirect: true, RedirectExempt: []string{`live$`}}, "/health/live", false, nil, 200, ""},
		{"exempt sees no leading slash", SecurityConfig{SSLRedirect: true, RedirectExempt: []string{`^/health`}}, "/health/live", false, nil, 301, "https://testserver/health/live"},
		{"exempt other path", SecurityConfig{SSLRedirect: true, RedirectExempt: []string{`^health/`}}, "/admin/", false, nil, 301, "https://testserver/admin/"},
		{"proxy says https", SecurityConfig{SSLRedirect: true}, "/x", false, map[string]string{"X-Forwarded-Proto": "https"}, 200, ""},
		{"proxy says http", SecurityConfig{SSLRedirect: true}, "/x", false, map[string]string{"X-Forwarded-Proto": "http"}, 301, "https://testserver/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := web.Site{SecureProxyHeader: [2]string{"X-Forwarded-Proto", "https"}}
			c := client(t, site, []web.Middleware{must(Security(tt.cfg))}, routes...)
			r := request("GET", tt.path, tt.header)
			if tt.secure {
				r.TLS = &tls.ConnectionState{HandshakeComplete: true}
			}
			resp := c.Do(r)
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
				t.Fatalf("GET %s: %d %q, want %d %q", tt.path, resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
			}
		})
	}
}

func TestSecuritySSLRedirectValidatesHost(t *testing.T) {
	mw := must(Security(SecurityConfig{SSLRedirect: true}))
	c := client(t, web.Site{AllowedHosts: []string{"example.com"}}, []web.Middleware{mw}, urls.Path("", text("ok")))
	r := request("GET", "/", nil)
	r.Host = "evil.com"
	if resp := c.Do(r); resp.StatusCode != 400 {
		t.Fatalf("redirect for a disallowed host: status %d, want 400", resp.StatusCode)
	}
	// With SECURE_SSL_HOST the request's host is not needed.
	mw = must(Security(SecurityConfig{SSLRedirect: true, SSLHost: "example.com"}))
	c = client(t, web.Site{AllowedHosts: []string{"example.com"}}, []web.Middleware{mw}, urls.Path("", text("ok")))
	if resp := c.Do(r); resp.StatusCode != 301 || resp.Header.Get("Location") != "https://example.com/" {
		t.Fatalf("SSLHost: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestSecurityConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  SecurityConfig
		want []string
	}{
		{"bad exempt regex", SecurityConfig{RedirectExempt: []string{"ok", "(unclosed"}}, []string{"SECURE_REDIRECT_EXEMPT", `"(unclosed"`}},
		{"negative hsts", SecurityConfig{HSTSSeconds: -1}, []string{"SECURE_HSTS_SECONDS", "-1"}},
		{"bad referrer", SecurityConfig{ReferrerPolicy: []string{"same-origin, sameorigin"}}, []string{
			"SECURE_REFERRER_POLICY", `"sameorigin" is not a valid value`,
			"no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url",
		}},
		{"empty referrer part", SecurityConfig{ReferrerPolicy: []string{"same-origin,"}}, []string{"SECURE_REFERRER_POLICY", `""`}},
		{"bad coop", SecurityConfig{CrossOriginOpenerPolicy: "same-site"}, []string{
			"SECURE_CROSS_ORIGIN_OPENER_POLICY", `"same-site"`, "same-origin, same-origin-allow-popups, unsafe-none",
		}},
		{"every problem at once", SecurityConfig{HSTSSeconds: -5, CrossOriginOpenerPolicy: "x", RedirectExempt: []string{"["}}, []string{
			"SECURE_HSTS_SECONDS", "SECURE_CROSS_ORIGIN_OPENER_POLICY", "SECURE_REDIRECT_EXEMPT",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mw, err := Security(tt.cfg)
			if err == nil || mw != nil {
				t.Fatalf("Security(%+v) = %v, %v; want an error", tt.cfg, mw, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	// A disabled header's value is not checked.
	if _, err := Security(SecurityConfig{DisableReferrerPolicy: true, ReferrerPolicy: []string{"x"}}); err != nil {
		t.Errorf("disabled Referrer-Policy: %v", err)
	}
}

func TestSecurityHeaderValuesNotShared(t *testing.T) {
	// Values that one response's middleware set must be its own: changing them in place must
	// not change another response.
	mw := must(Security(SecurityConfig{}))
	next := text("ok")
	a, _ := call(mw, nil, next, request("GET", "/", nil))
	b, _ := call(mw, nil, next, request("GET", "/", nil))
	a.Header()["Referrer-Policy"][0] = "changed"
	a.Header().Add("X-Content-Type-Options", "more")
	if got := b.Header()["Referrer-Policy"]; len(got) != 1 || got[0] != "same-origin" {
		t.Fatalf("other response's Referrer-Policy = %q", got)
	}
	if got := a.Header()["Cross-Origin-Opener-Policy"]; len(got) != 1 || got[0] != "same-origin" {
		t.Fatalf("appending to one header changed another: COOP = %q", got)
	}
}
