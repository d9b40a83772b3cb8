package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsSafeRedirect reports whether target may be redirected to: a path on this site, or an
// absolute URL whose host (with its port, compared exactly) is one of allowedHosts, with an
// http or https scheme (https only when requireHTTPS). It is Django's
// url_has_allowed_host_and_scheme: use it before redirecting to a target taken from the
// request, such as a login form's ?next=, so the site cannot be made an open redirect.
//
//	next := r.QueryValue("next")
//	host, _ := r.Host()
//	if !web.IsSafeRedirect(next, []string{host}, r.IsSecure()) {
//		next = "/"
//	}
//	return web.Redirect(next), nil
//
// Browsers read "//evil.example", "/\evil.example" and "///evil.example" as other hosts; all are
// refused unless that host is allowed.
func IsSafeRedirect(target string, allowedHosts []string, requireHTTPS bool) bool {
	target = strings.TrimSpace(target)
	if target == "" {
		return false
	}
	// Browsers treat backslashes as slashes: check both readings, as Django does.
	return safeRedirect(target, allowedHosts, requireHTTPS) &&
		safeRedirect(strings.ReplaceAll(target, `\`, "/"), allowedHosts, requireHTTPS)
}

func safeRedirect(target string, allowedHosts []string, requireHTTPS bool) bool {
	if strings.HasPrefix(target, "///") {
		return false
	}
	u, err := url.Parse(target)
	if err != nil {
		return false
	}
	if u.Host == "" && u.Scheme != "" {
		return false // such as http:///example.com, which browsers read as a host
	}
	if r, _ := utf8.DecodeRuneInString(target); unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
		return false
	}
	scheme := u.Scheme
	if scheme == "" && u.Host != "" {
		scheme = "http"
	}
	if scheme != "" && scheme != "https" && (requireHTTPS || scheme != "http") {
		return false
	}
	if u.Host == "" {
		return true
	}
	host := u.Host
	if u.User != nil {
		return false
	}
	for _, h := range allowedHosts {
		if h == host {
			return true
		}
	}
	return false
}
