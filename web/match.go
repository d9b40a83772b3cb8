package web

import (
	"strconv"
)

// Converter turns one path parameter between its text in the URL and its Go value, like a Django
// path converter or a Flask/Werkzeug converter. The urls package provides int, str, slug, uuid
// and path, and builds custom ones.
type Converter interface {
	// Match reports whether s (the text of the parameter, already split out of the path) is a
	// valid value. It is called while routing and must not allocate.
	Match(s string) bool
	// ToGo converts the matched text to its Go value (Django's to_python).
	ToGo(s string) (any, error)
	// ToURL converts a Go value to its text in a URL (Django's to_url).
	ToURL(v any) (string, error)
	// Regexp returns the regular expression (without anchors) that the text matches, for
	// patterns that mix parameters and text in one segment and for listings.
	Regexp() string
}

// Param is one path parameter of the matched route.
type Param struct {
	// Name is the parameter's name in the pattern (a regex group's name, or its number).
	Name string
	// Raw is the parameter's text as it appeared in the (decoded) path.
	Raw string
	// Converter is the converter that accepted Raw; nil for regex groups.
	Converter Converter
}

// Value returns the parameter converted by its converter (an int for <int:id>, a string for
// <str:name>), or the raw text when it has none.
func (p Param) Value() any {
	if p.Converter == nil {
		return p.Raw
	}
	v, err := p.Converter.ToGo(p.Raw)
	if err != nil {
		return p.Raw
	}
	return v
}

// Params are the path parameters of the matched route, in the order of the pattern.
type Params []Param

// Get returns the raw text of the named parameter, or "" when there is none.
func (ps Params) Get(name string) string {
	for i := range ps {
		if ps[i].Name == name {
			return ps[i].Raw
		}
	}
	return ""
}

// Lookup returns the named parameter and whether it exists.
func (ps Params) Lookup(name string) (Param, bool) {
	for i := range ps {
		if ps[i].Name == name {
			return ps[i], true
		}
	}
	return Param{}, false
}

// Value returns the named parameter converted to its Go value (see Param.Value), or nil.
func (ps Params) Value(name string) any {
	if p, ok := ps.Lookup(name); ok {
		return p.Value()
	}
	return nil
}

// Int returns the named parameter as an int. For an <int:…> parameter the router has already
// checked it, so the error only reports a missing parameter or one of another type.
func (ps Params) Int(name string) (int, error) {
	p, ok := ps.Lookup(name)
	if !ok {
		return 0, NotFound("no path parameter %q", name)
	}
	n, err := strconv.Atoi(p.Raw)
	if err != nil {
		return 0, NotFound("path parameter %q is not an integer: %q", name, p.Raw)
	}
	return n, nil
}

// Map returns the parameters as a map of converted values, like Django's view kwargs.
func (ps Params) Map() map[string]any {
	m := make(map[string]any, len(ps))
	for _, p := range ps {
		m[p.Name] = p.Value()
	}
	return m
}

// Match describes the route that matched a request: Django's ResolverMatch.
type Match struct {
	// View is the view that will answer.
	View View
	// Params are the path parameters.
	Params Params
	// Name is the route's name without its namespace ("" when unnamed).
	Name string
	// Namespace is the namespace path of the route, such as "polls" or "admin:auth".
	Namespace string
	// Pattern is the route's full pattern as written, prefixes included.
	Pattern string
	// Extra is attached by whoever registered the route (the Flask-style app keeps the route's
	// blueprint here).
	Extra any
}

// FullName returns the route's name with its namespace, as Reverse takes it ("polls:detail").
func (m *Match) FullName() string {
	if m.Namespace == "" || m.Name == "" {
		return m.Name
	}
	return m.Namespace + ":" + m.Name
}

// Resolver maps request paths to views and names back to paths. urls.Router implements it.
type Resolver interface {
	// Resolve finds the view for method and path and fills m. It returns a 404 *Error when no
	// route matches the path, and a 405 *Error (with Allow) when routes match the path but not
	// the method. m.Params must be appended to, not replaced, so callers can supply storage.
	Resolve(method, path string, m *Match) error
	// Reverse returns the path of the named route with the given arguments.
	Reverse(name string, args ...any) (string, error)
}
