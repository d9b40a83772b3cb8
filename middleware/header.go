package middleware

import (
	"net/http"
	"net/url"
	"strings"
)

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
