package csrf

import (
	"net/netip"
	"strings"

	"github.com/canter-go/canter/web"
)

// splitURL is a URL cut into parts as Python's urllib.parse.urlsplit cuts it: no decoding and
// no validation beyond what urlsplit does, so that the checks below see what Django sees.
type splitURL struct {
	scheme, netloc, path, query, fragment string
}

// urlSplit splits s like urlsplit. It reports false where urlsplit raises ValueError: unbalanced
// brackets in the network location, or brackets around something that is not an IPv6 address.
func urlSplit(s string) (u splitURL, ok bool) {
	s = strings.TrimLeft(s, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	if strings.ContainsAny(s, "\t\r\n") {
		s = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(s)
	}
	if i := strings.IndexByte(s, ':'); i > 0 && isAlpha(s[0]) && isSchemeChars(s[:i]) {
		u.scheme, s = strings.ToLower(s[:i]), s[i+1:]
	}
	if strings.HasPrefix(s, "//") {
		rest := s[2:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		u.netloc, s = rest[:end], rest[end:]
		open, closed := strings.Contains(u.netloc, "["), strings.Contains(u.netloc, "]")
		if open != closed {
			return u, false
		}
		if open && !bracketedHostOK(u.netloc) {
			return u, false
		}
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		u.fragment, s = s[i+1:], s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		u.query, s = s[i+1:], s[:i]
	}
	u.path = s
	return u, true
}

// geturl puts the parts back together as urlsplit's geturl does.
func (u splitURL) geturl() string {
	s := u.scheme + "://" + u.netloc + u.path
	if u.query != "" {
		s += "?" + u.query
	}
	if u.fragment != "" {
		s += "#" + u.fragment
	}
	return s
}

func bracketedHostOK(netloc string) bool {
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		netloc = netloc[i+1:]
	}
	start, end := strings.IndexByte(netloc, '['), strings.IndexByte(netloc, ']')
	if start != 0 || end < start {
		return false
	}
	host := netloc[1:end]
	if strings.HasPrefix(host, "v") || strings.HasPrefix(host, "V") { // IPvFuture
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Is6()
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSchemeChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// isSameDomain is Django's is_same_domain: host matches pattern exactly, or, for a pattern
// starting with a dot, is that domain or a subdomain of it. The pattern is lower-cased, the host
// is not (browsers send host names in lower case).
func isSameDomain(host, pattern string) bool {
	if pattern == "" {
		return false
	}
	pattern = strings.ToLower(pattern)
	if pattern[0] == '.' && (strings.HasSuffix(host, pattern) || host == pattern[1:]) {
		return true
	}
	return host == pattern
}

// ownOrigin returns the request's own origin, scheme://host, or "" when the host is not allowed.
func ownOrigin(r *web.Request) string {
	host, err := r.Host()
	if err != nil {
		return ""
	}
	return r.Scheme() + "://" + host
}

// isOwnOrigin reports whether origin is scheme://host of the request (Django compares the
// port and the scheme too). A host that ALLOWED_HOSTS refuses skips this test.
func isOwnOrigin(r *web.Request, origin string) bool {
	host, err := r.Host()
	if err != nil {
		return false
	}
	scheme := r.Scheme()
	rest, ok := strings.CutPrefix(origin, scheme)
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, "://")
	return ok && rest == host
}

// originVerified is Django's _origin_verified: the request's own origin, an exact trusted
// origin, or a subdomain of a wildcard trusted origin with the same scheme.
func (m *Middleware) originVerified(r *web.Request, origin string) bool {
	return isOwnOrigin(r, origin) || m.isTrusted(origin)
}

// isTrusted reports whether origin is one of TrustedOrigins, by Django's rules.
func (m *Middleware) isTrusted(origin string) bool {
	if m.exact[origin] {
		return true
	}
	if len(m.wildcards) == 0 {
		return false
	}
	u, ok := urlSplit(origin)
	if !ok {
		return false
	}
	for _, pattern := range m.wildcards[u.scheme] {
		if isSameDomain(u.netloc, pattern) {
			return true
		}
	}
	return false
}

// checkReferer is Django's _check_referer, run for HTTPS requests without an Origin header. It
// returns the reason for a rejection, or "".
func (m *Middleware) checkReferer(r *web.Request) string {
	values, present := r.Header["Referer"]
	if !present || len(values) == 0 {
		return ReasonNoReferer
	}
	ref, ok := urlSplit(values[0])
	if !ok || ref.scheme == "" || ref.netloc == "" {
		return ReasonMalformedReferer
	}
	if ref.scheme != "https" {
		return ReasonInsecureReferer
	}
	for _, h := range m.referHosts {
		if isSameDomain(ref.netloc, h) {
			return ""
		}
	}
	good := m.goodDomain
	if good == "" {
		host, err := r.Host()
		if err != nil {
			return sprintf(ReasonBadReferer, ref.geturl())
		}
		good = host
	} else if port := r.Port(); port != "443" && port != "80" {
		good += ":" + port
	}
	if !isSameDomain(ref.netloc, good) {
		return sprintf(ReasonBadReferer, ref.geturl())
	}
	return ""
}
