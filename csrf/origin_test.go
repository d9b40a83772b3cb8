package csrf_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/canter-go/canter/csrf"
)

// In origin mode, a request a browser marks with Sec-Fetch-Site gets the same answer as from
// net/http's CrossOriginProtection with the same trusted origin; so does one with an Origin on
// the same scheme, or with neither header over plain HTTP.
func TestFetchMetadataMatchesCrossOriginProtection(t *testing.T) {
	cfg := csrf.DefaultConfig()
	cfg.Mode = csrf.ModeOrigin
	cfg.TrustedOrigins = []string{"https://partner.example"}
	s := newSite(t, cfg, false)

	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin("https://partner.example"); err != nil {
		t.Fatal(err)
	}

	compared := 0
	for _, method := range []string{"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"} {
		for _, site := range []string{"", "same-origin", "none", "same-site", "cross-site", "sideways"} {
			for _, origin := range []string{"", "http://testserver", "https://partner.example", "https://evil.example", "null", "http://partner.example"} {
				if site == "" && origin == "http://partner.example" {
					continue // Go compares hosts only; see TestOriginModeDiffers
				}
				h := map[string]string{}
				if site != "" {
					h["Sec-Fetch-Site"] = site
				}
				if origin != "" {
					h["Origin"] = origin
				}
				c := gatewayCase{method: method, header: h}
				goErr := cop.Check(c.request())
				resp := s.do(c.request())
				if (goErr == nil) != (resp.StatusCode == 200) {
					t.Errorf("%s Sec-Fetch-Site=%q Origin=%q: Canter %d, CrossOriginProtection %v",
						method, site, origin, resp.StatusCode, goErr)
				}
				compared++
			}
		}
	}
	if compared < 200 {
		t.Fatalf("only %d requests compared", compared)
	}
}

// Where origin mode deliberately differs from CrossOriginProtection (Django's rules when the
// browser sends no Sec-Fetch-Site), and what it needs.
func TestOriginMode(t *testing.T) {
	cfg := csrf.DefaultConfig()
	cfg.Mode = csrf.ModeOrigin
	cfg.TrustedOrigins = trusted
	s := newSite(t, cfg, false)
	for _, c := range []gatewayCase{
		{name: "plain HTTP with neither header: a non-browser client", method: "POST"},
		{name: "no token needed, even with a malformed cookie", method: "POST", cookie: "bad", json: `{}`},
		{name: "same-origin", method: "POST", secure: true, header: hdr("Sec-Fetch-Site", "same-origin")},
		{name: "own Origin", method: "PUT", header: hdr("Origin", "http://testserver")},
		{name: "trusted same-site", method: "POST", secure: true, header: hdr("Sec-Fetch-Site", "same-site", "Origin", "https://app.trusted.example")},
		{name: "HTTPS with a good Referer", method: "POST", secure: true, header: hdr("Referer", "https://testserver/x")},
		{name: "cross-site", method: "POST", header: hdr("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"),
			status: 403, reason: "Fetch Metadata checking failed - Sec-Fetch-Site is cross-site and Origin https://evil.example does not match any trusted origins."},
		{name: "HTTPS with neither header needs a Referer", method: "POST", secure: true,
			status: 403, reason: csrf.ReasonNoReferer},
		{name: "the scheme of the Origin is compared (CrossOriginProtection ignores it)", method: "POST",
			header: hdr("Origin", "https://testserver"),
			status: 403, reason: "Origin checking failed - https://testserver does not match any trusted origins."},
	} {
		t.Run(c.name, func(t *testing.T) {
			s.logs.take()
			resp := s.do(c.request())
			want := c.status
			if want == 0 {
				want = 200
			}
			if resp.StatusCode != want {
				t.Fatalf("status %d, want %d", resp.StatusCode, want)
			}
			if c.reason != "" {
				logs := s.logs.take()
				if len(logs) != 1 || !strings.Contains(logs[0].Message, "("+c.reason+")") {
					t.Errorf("logs = %v, want the reason %q", logs, c.reason)
				}
			}
		})
	}
}

// Behind a proxy, the origin is compared with the host users see (X-Forwarded-Host and the
// proxy's scheme header, when the site trusts them).
func TestOriginBehindProxy(t *testing.T) {
	s := newSite(t, siteConfig(), false)
	site := s.h.Site()
	site.UseXForwardedHost = true
	site.SecureProxyHeader = [2]string{"X-Forwarded-Proto", "https"}
	req := httptest.NewRequest("POST", "http://10.0.0.5:8080/api/", strings.NewReader(form(tokenA).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "csrftoken="+secretA)
	req.Header.Set("X-Forwarded-Host", "www.example.com")
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("Origin", "https://www.example.com")
	if resp := s.do(req); resp.StatusCode != 200 {
		t.Errorf("Origin of the public host: %d", resp.StatusCode)
	}
	req.Header.Del("Origin")
	req.Header.Set("Referer", "https://www.example.com/form/")
	req.Body = http.NoBody
	req.TLS = (*tls.ConnectionState)(nil)
	req.Header.Set("X-CSRFToken", tokenA)
	if resp := s.do(req); resp.StatusCode != 200 {
		t.Errorf("Referer of the public host over the proxy's HTTPS: %d", resp.StatusCode)
	}
}
