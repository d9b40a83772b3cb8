package staticfiles

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
)

// fileKind says whether collectstatic rewrites a file's references, and how. As Django's
// patterns ("*.css", "*.js"), the extension is matched case-sensitively.
type fileKind uint8

const (
	plainFile fileKind = iota
	cssFile
	jsFile
)

func kindOf(name string) fileKind {
	switch {
	case strings.HasSuffix(name, ".css"):
		return cssFile
	case strings.HasSuffix(name, ".js"):
		return jsFile
	}
	return plainFile
}

// refForm is the syntax a reference was written in, which decides how it is written back.
type refForm uint8

const (
	formURL    refForm = iota // url(…) in CSS
	formImport                // @import "…" in CSS
	formCSSMap                // /*# sourceMappingURL=… */ in CSS
	formJSMap                 // //# sourceMappingURL=… in JavaScript
)

// reference is one URL a CSS or JavaScript file refers to: src[start:end] is replaced when the
// URL names a static file.
type reference struct {
	start, end int
	url        string
	form       refForm
}

// rewrite returns the text that replaces a reference to the URL u.
func (r reference) rewrite(u string) string {
	switch r.form {
	case formImport:
		return `@import url("` + u + `")`
	case formCSSMap:
		return "/*# sourceMappingURL=" + u + " */"
	case formJSMap:
		return "//# sourceMappingURL=" + u
	}
	return `url("` + u + `")`
}

// what describes the reference for messages.
func (r reference) what() string {
	switch r.form {
	case formImport:
		return fmt.Sprintf("@import %q", r.url)
	case formCSSMap, formJSMap:
		return fmt.Sprintf("sourceMappingURL=%s", r.url)
	}
	return fmt.Sprintf("url(%q)", r.url)
}

// findRefs returns the references of a CSS or JavaScript file, in order.
func findRefs(kind fileKind, src []byte) []reference {
	switch kind {
	case cssFile:
		return cssRefs(src)
	case jsFile:
		return jsRefs(src)
	}
	return nil
}

// cssRefs finds the url(…) functions, @import "…" rules and source map comments of a style
// sheet, as Django's patterns do, but with a scanner that knows CSS: a url( inside a comment,
// inside a quoted string or after a backslash escape is not a reference (Django's regular
// expressions take those too, which is its long-standing ticket #21080).
func cssRefs(src []byte) []reference {
	var refs []reference
	n := len(src)
	for i := 0; i < n; {
		c := src[i]
		switch {
		case c == '/' && i+1 < n && src[i+1] == '*':
			end := n
			if k := bytes.Index(src[i+2:], []byte("*/")); k >= 0 {
				end = i + 2 + k + 2
			}
			if r, ok := cssMapComment(src, i, end); ok {
				refs = append(refs, r)
			}
			i = end
		case c == '\\':
			i += 2
		case c == '"' || c == '\'':
			i = skipString(src, i)
		case (c == 'u' || c == 'U') && hasPrefixFold(src[i:], "url(") && (i == 0 || !isNameByte(src[i-1])):
			if r, ok := parseURLFunc(src, i); ok {
				refs = append(refs, r)
				i = r.end
			} else {
				i += 4
			}
		case c == '@' && hasPrefixFold(src[i:], "@import") && (i+7 == n || !isNameByte(src[i+7])):
			j := i + 7
			for j < n && isSpace(src[j]) {
				j++
			}
			if j < n && (src[j] == '"' || src[j] == '\'') {
				end := skipString(src, j)
				if end <= n && end > j+1 && src[end-1] == src[j] {
					u := strings.TrimSpace(string(src[j+1 : end-1]))
					refs = append(refs, reference{start: i, end: end, url: u, form: formImport})
				}
				i = end
				continue
			}
			i = j // url(…) after @import is found by the url( case
		default:
			i++
		}
	}
	return refs
}

// cssMapComment recognises a source map comment, "/*# sourceMappingURL=… */" alone on its
// line, in src[start:end].
func cssMapComment(src []byte, start, end int) (reference, bool) {
	const key = "sourceMappingURL="
	c := src[start:end]
	if start > 0 && src[start-1] != '\n' {
		return reference{}, false
	}
	if len(c) < 4+len(key)+2 || c[2] != '#' || (c[3] != ' ' && c[3] != '\t') || !bytes.HasPrefix(c[4:], []byte(key)) ||
		!bytes.HasSuffix(c, []byte("*/")) || bytes.IndexByte(c, '\n') >= 0 {
		return reference{}, false
	}
	if end < len(src) && src[end] != '\n' && src[end] != '\r' {
		return reference{}, false
	}
	u := strings.Trim(string(c[4+len(key):len(c)-2]), " \t")
	return reference{start: start, end: end, url: u, form: formCSSMap}, true
}

// jsRefs finds the "//# sourceMappingURL=…" lines of a script, as Django's pattern does.
func jsRefs(src []byte) []reference {
	const prefix = "//# sourceMappingURL="
	var refs []reference
	for start := 0; start < len(src); {
		end := len(src)
		next := end
		if k := bytes.IndexByte(src[start:], '\n'); k >= 0 {
			end, next = start+k, start+k+1
		}
		line := src[start:end]
		if bytes.HasPrefix(line, []byte(prefix)) {
			lineEnd := end
			if lineEnd > start && src[lineEnd-1] == '\r' {
				lineEnd-- // keep a CRLF line ending as it is
			}
			u := strings.Trim(string(src[start+len(prefix):lineEnd]), " \t")
			refs = append(refs, reference{start: start, end: lineEnd, url: u, form: formJSMap})
		}
		start = next
	}
	return refs
}

// parseURLFunc reads url(…) at src[i:], quoted or not.
func parseURLFunc(src []byte, i int) (reference, bool) {
	n := len(src)
	j := i + 4
	for j < n && isSpace(src[j]) {
		j++
	}
	if j >= n {
		return reference{}, false
	}
	var u string
	if q := src[j]; q == '"' || q == '\'' {
		end := skipString(src, j)
		if end > n || end <= j+1 || src[end-1] != q {
			return reference{}, false
		}
		u = strings.TrimSpace(string(src[j+1 : end-1]))
		j = end
		for j < n && isSpace(src[j]) {
			j++
		}
		if j >= n || src[j] != ')' {
			return reference{}, false
		}
	} else {
		k := bytes.IndexByte(src[j:], ')')
		if k < 0 {
			return reference{}, false
		}
		u = strings.TrimSpace(string(src[j : j+k]))
		j += k
	}
	return reference{start: i, end: j + 1, url: u, form: formURL}, true
}

// skipString returns the index just past the quoted string that starts at src[i] (or past the
// end of the line, for a string CSS leaves unterminated).
func skipString(src []byte, i int) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case q:
			return j + 1
		case '\n':
			return j
		}
	}
	return len(src)
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

func isNameByte(c byte) bool {
	return isAlnum(c) || c == '-' || c == '_' || c >= 0x80
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// target works out which static file a reference in the file source points to, as Django's
// url_converter does. It returns skip for the references left alone: URLs with a scheme
// (data:, http:, …), protocol-relative and absolute URLs outside STATIC_URL, bare fragments
// (#id), and directories. Otherwise name is the static name (possibly outside the static tree,
// "../x", when a relative path climbs too far) and the returned function builds the rewritten
// URL from the target's hashed name.
func target(source, u, staticURL string) (name string, build func(hashed string) string, skip bool) {
	if hasScheme(u) || strings.HasPrefix(u, "//") {
		return "", nil, true
	}
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, staticURL) {
		return "", nil, true
	}
	urlPath, fragment, hasFragment := strings.Cut(u, "#")
	p, query, hasQuery := strings.Cut(urlPath, "?")
	if p == "" || strings.HasSuffix(p, "/") {
		return "", nil, true
	}
	if strings.HasPrefix(p, "/") {
		name = strings.TrimPrefix(p, staticURL)
	} else {
		name = path.Join(path.Dir(source), p)
	}
	name = path.Clean(unquote(name))
	dir := p[:strings.LastIndexByte(p, '/')+1]
	build = func(hashed string) string {
		out := dir + path.Base(hashed)
		if hasQuery && query != "" {
			out += "?" + query
		}
		if hasFragment && fragment != "" {
			if hasQuery && query == "" {
				out += "?#" + fragment // the @font-face "?#iefix" hack keeps its "?"
			} else {
				out += "#" + fragment
			}
		}
		// Django writes the URL percent-decoded; what would end the quoted CSS string stays
		// encoded.
		return cssQuoteSafe.Replace(unquote(out))
	}
	return name, build, false
}

var cssQuoteSafe = strings.NewReplacer(`"`, "%22", `'`, "%27", `\`, "%5C", "\n", "%0A", "\r", "%0D")

// hasScheme reports whether u starts with a URL scheme ("data:", "https:").
func hasScheme(u string) bool {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c == ':':
			return i > 0
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return false
}

// unquote decodes %XX escapes as Python's urllib.parse.unquote does, leaving malformed ones.
func unquote(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// fileHash is Django's file_hash: the first 12 hex digits of the MD5 of the content.
func fileHash(content []byte) string {
	sum := md5.Sum(content)
	return hex.EncodeToString(sum[:])[:12]
}

// HashedName returns the name collectstatic gives a file of that name whose content has the
// given hash, as Django's hashed_name does: the hash goes before the extension
// ("css/site.css" → "css/site.3f2a1b9c0d4e.css", "LICENSE" → "LICENSE.3f2a1b9c0d4e"), where
// the extension is what Python's os.path.splitext finds (".htaccess" has none).
func HashedName(name, hash string) string {
	dir, base := path.Split(name)
	root, ext := splitExt(base)
	return dir + root + "." + hash + ext
}

// splitExt splits a base name as Python's os.path.splitext does: at the last dot, unless
// only dots come before it.
func splitExt(base string) (root, ext string) {
	i := strings.LastIndexByte(base, '.')
	if i <= 0 || strings.Trim(base[:i], ".") == "" {
		return base, ""
	}
	return base[:i], base[i:]
}

// entry is a file being collected.
type entry struct {
	loc     Location
	kind    fileKind
	content []byte // the original content of a CSS or JavaScript file
	out     []byte // its content with the references rewritten
	hash    string // the hash of the content collected under the hashed name
	hashed  string
	refs    []reference
	deps    []*entry // the CSS and JavaScript files it references
	state   uint8    // for the depth-first walk: 0 new, 1 in progress, 2 done
}

// postProcess gives every entry its hashed name. Plain files are already hashed; CSS and
// JavaScript files are rewritten in dependency order, so that a file is hashed after the files
// it references and the hash of a style sheet covers the hashed names inside it (Django reaches
// the same fixed point with up to five passes over the files; a dependency order needs one and
// can name a cycle, which has no fixed point). It reports every problem at once.
func postProcess(entries map[string]*entry, order []string, staticURL string) error {
	var problems []string
	type link struct {
		ref   reference
		name  string
		build func(string) string
	}
	links := map[*entry][]link{}
	for _, name := range order {
		e := entries[name]
		if e.kind == plainFile {
			continue
		}
		e.refs = findRefs(e.kind, e.content)
		for _, r := range e.refs {
			tname, build, skip := target(name, r.url, staticURL)
			if skip {
				continue
			}
			dep := entries[tname]
			if dep == nil {
				problems = append(problems, missingRef(e, r, tname, staticURL))
				continue
			}
			if dep.kind != plainFile {
				e.deps = append(e.deps, dep)
			}
			links[e] = append(links[e], link{ref: r, name: tname, build: build})
		}
	}
	if len(problems) > 0 {
		return &CollectError{Problems: problems}
	}
	var visit func(e *entry, stack []*entry) error
	visit = func(e *entry, stack []*entry) error {
		switch e.state {
		case 2:
			return nil
		case 1:
			return cycleError(append(stack, e))
		}
		e.state = 1
		stack = append(stack, e)
		for _, d := range e.deps {
			if err := visit(d, stack); err != nil {
				return err
			}
		}
		var b bytes.Buffer
		b.Grow(len(e.content) + 16*len(links[e]))
		last := 0
		for _, l := range links[e] {
			b.Write(e.content[last:l.ref.start])
			b.WriteString(l.ref.rewrite(l.build(entries[l.name].hashed)))
			last = l.ref.end
		}
		b.Write(e.content[last:])
		e.out = b.Bytes()
		e.hash = fileHash(e.out)
		e.hashed = HashedName(e.loc.Name, e.hash)
		e.state = 2
		return nil
	}
	for _, name := range order {
		if e := entries[name]; e.kind != plainFile {
			if err := visit(e, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func missingRef(e *entry, r reference, name, staticURL string) string {
	line := 1 + bytes.Count(e.content[:r.start], []byte("\n"))
	why := "no static file has that name"
	if name == ".." || strings.HasPrefix(name, "../") {
		why = "the path climbs out of the static files"
		if !strings.HasPrefix(r.url, "/") {
			why += fmt.Sprintf(" (relative URLs are resolved from the file's own folder; an absolute %s… URL starts from the top)", staticURL)
		}
	}
	return fmt.Sprintf("%s, line %d: %s refers to the static file '%s', which could not be found: %s. "+
		"Fix the reference, or add the file to STATICFILES_DIRS or an app's static files (%s)",
		e.loc.Name, line, r.what(), name, why, e.loc)
}

func cycleError(stack []*entry) error {
	last := stack[len(stack)-1]
	i := 0
	for stack[i] != last {
		i++
	}
	names := make([]string, 0, len(stack)-i)
	for _, e := range stack[i:] {
		names = append(names, e.loc.Name)
	}
	return &CollectError{Problems: []string{fmt.Sprintf(
		"%s: these files reference each other in a circle, so none of their hashed names can be computed "+
			"(a file's hash covers the hashed names of the files it references); break the circle by removing one of the references",
		strings.Join(names, " → "))}}
}

// CollectError lists the problems that stopped collectstatic before it wrote anything.
type CollectError struct {
	Problems []string
}

// Error lists the problems, one per line when there are several.
func (e *CollectError) Error() string {
	if len(e.Problems) == 1 {
		return "staticfiles: " + e.Problems[0]
	}
	return fmt.Sprintf("staticfiles: %d problems:\n\t%s", len(e.Problems), strings.Join(e.Problems, "\n\t"))
}
