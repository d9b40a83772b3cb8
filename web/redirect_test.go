package web_test

import (
	"testing"

	"github.com/canter-go/canter/web"
)

// TestIsSafeRedirect follows the cases of Django's tests for url_has_allowed_host_and_scheme.
func TestIsSafeRedirect(t *testing.T) {
	hosts := []string{"testserver", "example.com:8443"}
	bad := []string{
		"", "   ", "http://example.com", "http:///example.com", "https://example.com", "ftp://example.com",
		`\\example.com`, `\\\example.com`, `/\\/example.com`, `\\\\example.com`, `\\//example.com`,
		`/\/example.com`, `\/example.com`, `/\example.com`, "http:///example.com", `http:/\//example.com`,
		`http:\/example.com`, `http:/\example.com`, `javascript:alert("XSS")`, "\njavascript:alert(x)",
		"\x08//example.com", "///example.com", "//example.com", "http://user@testserver/",
		"\u200b//example.com", "mailto:a@b.c", "data:text/html,x",
	}
	good := []string{
		"/view/?param=http://example.com", "/view/?param=https://example.com", "/view?param=ftp://example.com",
		"view/?param=//example.com", "https://testserver/", "HTTPS://testserver/", "//testserver/",
		"http://testserver/confirm?email=me@example.com", "/url%20with%20spaces/", "path/http:2222222222",
		"https://example.com:8443/next",
	}
	for _, u := range bad {
		if web.IsSafeRedirect(u, hosts, false) {
			t.Errorf("IsSafeRedirect(%q) = true, want false", u)
		}
	}
	for _, u := range good {
		if !web.IsSafeRedirect(u, hosts, false) {
			t.Errorf("IsSafeRedirect(%q) = false, want true", u)
		}
	}
	if web.IsSafeRedirect("http://testserver/", hosts, true) || !web.IsSafeRedirect("https://testserver/", hosts, true) {
		t.Error("requireHTTPS")
	}
}
