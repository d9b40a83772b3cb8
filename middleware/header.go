package middleware

import (
	"net/http"
	"net/url"
	"strings"
)

// headerSetter adds headers with Django's setdefault semantics (a header a view already set is
// kept). The values of one batch share one small array, allocated on first use, so that
// several security headers cost one allocation instead of one each. Every value slice is
// capped at its length, so appending to one header never touches another.
type headerSetter struct {
	h    http.Header
	vals *[4]string
	n    int
}

// setDefault sets key (canonical) to value unless the header is present.
func (s *headerSetter) setDefault(key, value string) {
	if _, ok := s.h[key]; ok {
		return
	}
	if s.vals == nil || s.n == len(s.vals) {
		s.vals, s.n = new([4]string), 0
	}
	i := s.n
	s.vals[i] = value
	s.h[key] = s.vals[i : i+1 : i+1]
	s.n++
}

// fullPath returns the request's path, escaped, with its query: Django's get_full_path. With
// slash, a "/" is appended to a path that does not end in one (force_append_slash).
func fullPath(u *url.URL, slash bool) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if slash && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// escapeLeadingSlashes turns a leading "//" into "/%2F", so that a redirect to a path can never
// be read as a scheme-relative URL to another host (Django's escape_leading_slashes).
func escapeLeadingSlashes(p string) string {
	if strings.HasPrefix(p, "//") {
		return "/%2F" + p[2:]
	}
	return p
}

// patchVary adds name to the Vary header unless it is already there (compared without case), as
// Django's patch_vary_headers does; a Vary of "*" stays "*".
func patchVary(h http.Header, name string) {
	values := h["Vary"]
	if len(values) == 0 {
		h["Vary"] = []string{name}
		return
	}
	var parts []string
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				parts = append(parts, part)
			}
		}
	}
	present := false
	for _, p := range parts {
		if p == "*" {
			h["Vary"] = []string{"*"}
			return
		}
		if strings.EqualFold(p, name) {
			present = true
		}
	}
	if !present {
		parts = append(parts, name)
	}
	h["Vary"] = []string{strings.Join(parts, ", ")}
}

// splitList splits a comma-separated header or setting value into trimmed parts.
func splitList(s string) []string {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
