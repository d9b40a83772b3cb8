package urls

import (
	"fmt"
	"net/url"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
)

// Kw holds named arguments for Reverse: urls.Kw{"year": 2024, "slug": "hello"}.
type Kw = map[string]any

// ReverseError reports that no route could be built for a name and arguments.
type ReverseError struct {
	// Name is the name asked for.
	Name string
	// Args describes the arguments given.
	Args string
	// Tried lists the patterns of the routes with that name.
	Tried []string
	// Reasons says, per tried pattern, why it did not fit.
	Reasons []string
	// Namespace is set when the namespace itself is unknown.
	Namespace string
}

// Error says which name and arguments could not be reversed and, per pattern tried, why.
func (e *ReverseError) Error() string {
	if e.Namespace != "" {
		return fmt.Sprintf("'%s' is not a registered namespace", e.Namespace)
	}
	if len(e.Tried) == 0 {
		return fmt.Sprintf("Reverse for '%s' not found. '%s' is not a valid view function or pattern name.", e.Name, e.Name)
	}
	quoted := make([]string, len(e.Tried))
	for i, p := range e.Tried {
		quoted[i] = "'" + p + "'"
	}
	msg := fmt.Sprintf("Reverse for '%s'%s not found. %d pattern(s) tried: [%s]", e.Name, e.Args, len(e.Tried), strings.Join(quoted, ", "))
	for i, r := range e.Reasons {
		if r != "" {
			msg += fmt.Sprintf("\n  %s: %s", e.Tried[i], r)
		}
	}
	return msg
}

// Reverse returns the path of the route called name ("name", or "namespace:name" for routes
// under an Include) built with args: positional values in pattern order, or one Kw of named
// values. Each value goes through its converter's ToURL and must match the converter, as in
// Django. When several routes share the name, the first that fits wins. The result is
// percent-encoded, and never starts with "//" (a second leading slash is escaped as %2F, as in
// Django), so that a reversed path used as a redirect cannot leave the site.
func (rt *Router) Reverse(name string, args ...any) (string, error) {
	var kw Kw
	if len(args) == 1 {
		kw, _ = args[0].(Kw)
	}
	desc := ""
	switch {
	case kw != nil:
		desc = fmt.Sprintf(" with keyword arguments '%v'", kw)
	case len(args) > 0:
		desc = fmt.Sprintf(" with arguments '%v'", args)
	}
	return rt.reverse(name, desc, func(r *route) (string, []string, error) {
		if kw != nil {
			return r.build(nil, kw, false)
		}
		return r.build(args, nil, false)
	})
}

// URLFor builds the path of the route called name from named values, as Flask's url_for does:
// values that are not parameters of the route become the query string (sorted by key).
func (rt *Router) URLFor(name string, values map[string]any) (string, error) {
	return rt.reverse(name, fmt.Sprintf(" with values '%v'", values), func(r *route) (string, []string, error) {
		return r.build(nil, values, true)
	})
}

func (rt *Router) reverse(name, desc string, build func(*route) (string, []string, error)) (string, error) {
	cands := rt.byName[name]
	if len(cands) == 0 {
		if i := strings.LastIndexByte(name, ':'); i >= 0 {
			ns := name[:i]
			if _, ok := rt.namespaces[ns]; !ok {
				return "", &ReverseError{Name: name, Namespace: firstUnknownNamespace(rt, ns)}
			}
		}
		return "", &ReverseError{Name: name}
	}
	e := &ReverseError{Name: name, Args: desc}
	for _, r := range cands {
		path, extra, err := build(r)
		if err == nil {
			path = escapeLeadingSlashes(path)
			if len(extra) > 0 {
				path += "?" + strings.Join(extra, "&")
			}
			return path, nil
		}
		e.Tried = append(e.Tried, r.pattern)
		e.Reasons = append(e.Reasons, err.Error())
	}
	return "", e
}

func firstUnknownNamespace(rt *Router, ns string) string {
	parts := strings.Split(ns, ":")
	for i := range parts {
		if _, ok := rt.namespaces[strings.Join(parts[:i+1], ":")]; !ok {
			return parts[i]
		}
	}
	return ns
}

// build fills the route's parameters from positional args or named values. With query, named
// values that are not parameters are returned encoded for the query string; otherwise they are
// an error.
func (r *route) build(args []any, named map[string]any, query bool) (string, []string, error) {
	if named == nil && len(args) != countNamed(r.params) {
		return "", nil, fmt.Errorf("takes %d argument(s), got %d", countNamed(r.params), len(args))
	}
	var extra []string
	if named != nil {
		params := map[string]bool{}
		for _, p := range r.params {
			if p == "" {
				continue
			}
			params[p] = true
			if _, ok := named[p]; !ok {
				return "", nil, fmt.Errorf("missing value for %q", p)
			}
		}
		keys := make([]string, 0, len(named))
		for k := range named {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if params[k] {
				continue
			}
			if !query {
				return "", nil, fmt.Errorf("has no parameter %q", k)
			}
			extra = append(extra, url.QueryEscape(k)+"="+url.QueryEscape(fmt.Sprint(named[k])))
		}
	}
	value := func(i int) any {
		if named != nil {
			return named[r.params[i]]
		}
		return args[positional(r.params, i)]
	}
	if r.regex {
		path, err := r.buildRegex(value)
		return path, extra, err
	}
	var b strings.Builder
	i := 0
	for _, t := range r.toks {
		if t.conv == nil {
			b.WriteString(t.text)
			continue
		}
		s, err := t.conv.ToURL(value(i))
		if err != nil {
			return "", nil, fmt.Errorf("parameter %q: %v", t.name, err)
		}
		b.WriteString(s)
		i++
	}
	path := b.String()
	if r.re != nil && !r.re.MatchString(path) {
		return "", nil, fmt.Errorf("the values do not form a path the pattern matches: %q", path)
	}
	return escapePath(path), extra, nil
}

func countNamed(params []string) int {
	n := 0
	for _, p := range params {
		if p != "" {
			n++
		}
	}
	return n
}

// positional maps the i-th parameter to its index among named parameters.
func positional(params []string, i int) int {
	n := 0
	for _, p := range params[:i] {
		if p != "" {
			n++
		}
	}
	return n
}

// buildRegex reverses a regex route made of literal text and capture groups.
func (r *route) buildRegex(value func(int) any) (string, error) {
	parsed, err := syntax.Parse(r.pattern, syntax.Perl)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteByte('/')
	group := 0
	var walk func(re *syntax.Regexp) error
	walk = func(re *syntax.Regexp) error {
		switch re.Op {
		case syntax.OpBeginText, syntax.OpEndText, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpEmptyMatch:
			return nil
		case syntax.OpLiteral:
			if re.Flags&syntax.FoldCase != 0 {
				return fmt.Errorf("a case-insensitive literal cannot be reversed")
			}
			b.WriteString(string(re.Rune))
			return nil
		case syntax.OpConcat:
			for _, sub := range re.Sub {
				if err := walk(sub); err != nil {
					return err
				}
			}
			return nil
		case syntax.OpCapture:
			i := group
			group++
			if r.params[i] == "" {
				return fmt.Errorf("an unnamed group beside named ones cannot be reversed")
			}
			s := fmt.Sprint(value(i))
			check, err := regexp.Compile(`^(?:` + re.Sub[0].String() + `)$`)
			if err != nil {
				return err
			}
			if !check.MatchString(s) {
				return fmt.Errorf("parameter %q: %q does not match %s", r.params[i], s, re.Sub[0].String())
			}
			b.WriteString(s)
			return nil
		}
		return fmt.Errorf("the regular expression is too complex to reverse (it has %v)", re.Op)
	}
	if err := walk(parsed.Simplify()); err != nil {
		return "", err
	}
	return escapePath(b.String()), nil
}

// escapeLeadingSlashes keeps a reversed path from starting with "//", which browsers read as a
// URL on another host: the second slash is escaped, as Django's escape_leading_slashes does.
func escapeLeadingSlashes(path string) string {
	if strings.HasPrefix(path, "//") {
		return "/%2F" + path[2:]
	}
	return path
}

// escapePath percent-encodes a path the way Django's reverse does: unreserved characters,
// RFC 3986 sub-delimiters and "/~:@" stay as they are.
func escapePath(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !pathSafe(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if pathSafe(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

func pathSafe(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=/:@", c) >= 0
}
