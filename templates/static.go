package templates

import (
	"net/url"
	"strings"
)

// StaticFileURL returns the URL of the static file name, as the static helpers write it: Env.Static
// when set, otherwise STATIC_URL joined with the name percent-encoded (Django's static tag
// without the staticfiles app: urljoin(STATIC_URL, quote(name))).
func (env *Env) StaticFileURL(name string) (string, error) {
	if env.Static != nil {
		return env.Static(name)
	}
	prefix := env.StaticURL
	if prefix == "" {
		prefix = "/static/"
	}
	return joinURL(prefix, quotePath(name)), nil
}

// joinURL is Python's urljoin(base, ref) for a reference that quotePath made (no scheme, no
// query): appended to base unless it is absolute or has dot segments.
func joinURL(base, ref string) string {
	if !strings.HasPrefix(ref, "/") && !hasDotSegment(ref) && strings.HasSuffix(base, "/") {
		return base + ref
	}
	b, err := url.Parse(base)
	if err != nil {
		return base + ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return base + ref
	}
	return b.ResolveReference(r).String()
}

func hasDotSegment(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// quotePath is Python's urllib.parse.quote(s, safe="/"): every byte but letters, digits,
// "_.-~" and "/" is percent-encoded, with upper-case hex digits.
func quotePath(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '.' || c == '-' || c == '~' || c == '/'
}
