package web

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Host returns the host the client asked for, with its port, after checking it against the
// site's allowed hosts the way Django's get_host does: X-Forwarded-Host when
// Site.UseXForwardedHost is set, else the Host header; the domain must match an AllowedHosts
// entry ("*", an exact name, or ".example.com" for the domain and its subdomains; ports are
// ignored). With debug on and no allowed hosts, localhost names are allowed. A bad host is a
// 400 *Error of kind DisallowedHost with Django's message.
func (r *Request) Host() (string, error) {
	host := r.rawHost()
	domain, ok := splitDomain(host)
	allowed := r.site.AllowedHosts
	if len(allowed) == 0 && r.site.Debug {
		allowed = debugHosts
	}
	if ok && lowerHostAllowed(domain, allowed) {
		return host, nil
	}
	msg := "Invalid HTTP_HOST header: '" + host + "'."
	if ok {
		msg += " You may need to add '" + domain + "' to ALLOWED_HOSTS."
	} else {
		msg += " The domain name provided is not valid according to RFC 1034/1035."
	}
	return "", &Error{Status: http.StatusBadRequest, Kind: "DisallowedHost", Message: msg}
}

var debugHosts = []string{".localhost", "127.0.0.1", "[::1]"}

func (r *Request) rawHost() string {
	if r.site.UseXForwardedHost && r.proxyHeadersBelieved() {
		if v := r.Header.Get("X-Forwarded-Host"); v != "" {
			return v
		}
	}
	return r.Request.Host
}

// Port returns the port the client connected to: X-Forwarded-Port when Site.UseXForwardedPort
// is set, else the port of the Host header, else the scheme's default.
func (r *Request) Port() string {
	if r.site.UseXForwardedPort && r.proxyHeadersBelieved() {
		if v := r.Header.Get("X-Forwarded-Port"); v != "" {
			return v
		}
	}
	if _, port, err := net.SplitHostPort(r.Request.Host); err == nil && port != "" {
		return port
	}
	if r.IsSecure() {
		return "443"
	}
	return "80"
}

// BuildAbsoluteURL returns location as an absolute URL, as Django's build_absolute_uri does:
// an empty location means the request's own URL (with its query); any other location is joined
// to the request's URL as a browser joins a link ("other", "../up", "?page=2", "/path",
// "//cdn.example.com/x"), on the request's scheme and host; a location with a scheme and a host
// is returned as is. It fails like Host when the request's host is not allowed, and with a
// plain error when location is not a URL.
func (r *Request) BuildAbsoluteURL(location string) (string, error) {
	var ref *url.URL
	if location != "" {
		var err error
		if ref, err = url.Parse(location); err != nil {
			return "", fmt.Errorf("web: BuildAbsoluteURL: the location %q is not a URL: %w", location, err)
		}
		if ref.Scheme != "" && ref.Host != "" {
			return location, nil
		}
	}
	host, err := r.Host()
	if err != nil {
		return "", err
	}
	base := &url.URL{Scheme: r.Scheme(), Host: host, Path: r.URL.Path, RawPath: r.URL.RawPath}
	if ref == nil {
		base.RawQuery = r.URL.RawQuery
		return base.String(), nil
	}
	return base.ResolveReference(ref).String(), nil
}

// splitDomain lower-cases host and splits off its port as Django's split_domain_port does. It
// reports false when the host is not a valid name or bracketed IPv6 address.
func splitDomain(host string) (string, bool) {
	// The common case, a lower-case name with an optional port, in one pass.
	for i := 0; i < len(host); i++ {
		c := host[i]
		if domainBytes[c] {
			continue
		}
		if c != ':' || i == 0 {
			return splitAnyDomain(host)
		}
		if port := host[i+1:]; port == "" || !only(port, digitBytes) {
			return "", false
		}
		return strings.TrimSuffix(host[:i], "."), true
	}
	if host == "" {
		return "", false
	}
	return strings.TrimSuffix(host, "."), true
}

// splitAnyDomain is splitDomain for hosts in any case and bracketed IPv6 addresses.
func splitAnyDomain(host string) (string, bool) {
	host = strings.ToLower(host)
	if host == "" {
		return "", false
	}
	if host[0] == '[' {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return "", false
		}
		addr := host[1:end]
		if !strings.Contains(addr, ":") || !only(addr, ipv6Bytes) || !validPort(host[end+1:]) {
			return "", false
		}
		return host[:end+1], true
	}
	domain, port, hasPort := strings.Cut(host, ":")
	if hasPort && (port == "" || !only(port, digitBytes)) {
		return "", false
	}
	if domain == "" || !only(domain, domainBytes) {
		return "", false
	}
	return strings.TrimSuffix(domain, "."), true
}

func validPort(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != ':' || len(s) == 1 {
		return false
	}
	return only(s[1:], digitBytes)
}

// byteSet is a set of ASCII bytes, made once: checking a host against it costs no allocation
// and no per-call set building, as the Host check runs on every request.
type byteSet [256]bool

func newByteSet(chars string) *byteSet {
	var set byteSet
	for i := 0; i < len(chars); i++ {
		set[chars[i]] = true
	}
	return &set
}

var (
	digitBytes  = newByteSet("0123456789")
	ipv6Bytes   = newByteSet("0123456789abcdef:.")
	domainBytes = newByteSet("abcdefghijklmnopqrstuvwxyz0123456789.-")
)

// only reports whether every byte of s is in set.
func only(s string, set *byteSet) bool {
	for i := 0; i < len(s); i++ {
		if !set[s[i]] {
			return false
		}
	}
	return true
}

// HostAllowed reports whether domain (lower case, without port) matches one of the patterns
// with Django's rules: "*" matches anything, ".example.com" matches example.com and every
// subdomain of it, anything else must be equal.
func HostAllowed(domain string, patterns []string) bool {
	for _, p := range patterns {
		if p == "*" || IsSameDomain(domain, p) {
			return true
		}
	}
	return false
}

// lowerHostAllowed is HostAllowed for a domain already in lower case (as splitDomain returns
// it): ASCII patterns are compared folding their case on the fly, without the lower-cased
// copies of both sides that IsSameDomain makes, as the Host check runs on every request.
func lowerHostAllowed(domain string, patterns []string) bool {
	for _, p := range patterns {
		switch {
		case p == "*":
			return true
		case p == "":
		case !isASCII(p):
			if IsSameDomain(domain, p) {
				return true
			}
		case p[0] == '.':
			if equalFoldASCII(domain, p[1:]) ||
				len(domain) >= len(p) && equalFoldASCII(domain[len(domain)-len(p):], p) {
				return true
			}
		case equalFoldASCII(domain, p):
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// equalFoldASCII reports whether lower, a lower-case string, equals the ASCII string s
// lower-cased.
func equalFoldASCII(lower, s string) bool {
	if len(lower) != len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if lower[i] != c {
			return false
		}
	}
	return true
}

// IsSameDomain reports whether host matches pattern: exactly, or, for a pattern that begins with
// a dot, as that domain or a subdomain of it (Django's is_same_domain). Both are compared in
// lower case.
func IsSameDomain(host, pattern string) bool {
	if pattern == "" {
		return false
	}
	pattern = strings.ToLower(pattern)
	host = strings.ToLower(host)
	if pattern[0] == '.' {
		return strings.HasSuffix(host, pattern) || host == pattern[1:]
	}
	return host == pattern
}
