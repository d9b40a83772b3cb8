package urls

import (
	"fmt"
	"reflect"
	"regexp"
	"runtime"
	"strings"

	"github.com/canter-go/canter/web"
)

// Entry is one line of a URL configuration: a route (Path, RePath) or a group of them under a
// prefix and namespace (Include). Entries are descriptions; a Router checks and compiles them.
type Entry struct {
	pattern   string
	regex     bool
	view      web.View
	viewName  string
	name      string
	methods   []string
	extra     any
	namespace string
	children  []Entry
	include   bool
}

// Option sets a property of an entry.
type Option func(*Entry)

// Name names the route, for Reverse and templates' url helper (Django's name=).
func Name(name string) Option { return func(e *Entry) { e.name = name } }

// Methods restricts the route to the given HTTP methods. A route for GET also answers HEAD.
// Without Methods a route answers every method, as a Django view does.
func Methods(methods ...string) Option {
	return func(e *Entry) {
		e.methods = make([]string, len(methods))
		for i, m := range methods {
			e.methods[i] = strings.ToUpper(m)
		}
	}
}

// Extra attaches a value to the route, found again in the request's Match.
func Extra(v any) Option { return func(e *Entry) { e.extra = v } }

// ViewName sets the view's name as listings show it (by default, the function's name).
func ViewName(name string) Option { return func(e *Entry) { e.viewName = name } }

// Path is a route in Django's and Flask's path syntax: literal text with parameters in angle
// brackets, <converter:name> or <name> (a str):
//
//	urls.Path("articles/<int:year>/<slug:title>/", views.Article, urls.Name("article"))
//
// The leading slash is optional. Built-in converters are int, str, slug, uuid and path (which
// matches slashes too); Router.RegisterConverter adds others.
func Path(pattern string, view web.View, opts ...Option) Entry {
	e := Entry{pattern: pattern, view: view, viewName: funcName(view)}
	for _, o := range opts {
		o(&e)
	}
	return e
}

// RePath is a route given by a regular expression (Go's RE2 syntax, with (?P<name>…) groups
// becoming parameters), as Django's re_path. As in Django, it is matched against the path
// without its leading slash: `^archive/(?P<year>[0-9]{4})/$`. Path routes are tried before
// regex routes, which are tried in registration order.
func RePath(expr string, view web.View, opts ...Option) Entry {
	e := Entry{pattern: expr, regex: true, view: view, viewName: funcName(view)}
	for _, o := range opts {
		o(&e)
	}
	return e
}

// Include mounts entries under a path prefix (which may hold parameters) and a namespace, as
// Django's include(…, namespace=…): their names are reversed as "namespace:name". An empty
// namespace adds none.
func Include(prefix, namespace string, entries ...Entry) Entry {
	return Entry{pattern: prefix, namespace: namespace, children: entries, include: true}
}

// funcName returns the name of a function for listings: "polls.Detail" for a function
// Detail of package …/polls, "" for closures.
func funcName(f any) string {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return ""
	}
	fn := runtime.FuncForPC(v.Pointer())
	if fn == nil {
		return ""
	}
	name := fn.Name()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// token is one piece of a path pattern: literal text or a parameter.
type token struct {
	text     string // literal text, or "" for a parameter
	name     string // parameter name
	convName string
	conv     web.Converter
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parsePath splits a path pattern (with its leading slash) into tokens.
func parsePath(pattern string, convs map[string]web.Converter) ([]token, error) {
	var toks []token
	seen := map[string]bool{}
	rest := pattern
	for rest != "" {
		open := strings.IndexByte(rest, '<')
		if open < 0 {
			toks = append(toks, token{text: rest})
			break
		}
		if open > 0 {
			toks = append(toks, token{text: rest[:open]})
		}
		end := strings.IndexByte(rest[open:], '>')
		if end < 0 {
			return nil, fmt.Errorf("URL route %q has a '<' without its '>'", pattern)
		}
		inside := rest[open+1 : open+end]
		rest = rest[open+end+1:]
		if strings.ContainsAny(inside, " \t\r\n") {
			return nil, fmt.Errorf("URL route %q cannot contain whitespace in angle brackets <…>", pattern)
		}
		convName, name, typed := strings.Cut(inside, ":")
		if !typed {
			convName, name = "str", inside
		}
		if !identifier.MatchString(name) {
			return nil, fmt.Errorf("URL route %q uses parameter name %q which is not a valid identifier", pattern, name)
		}
		if seen[name] {
			return nil, fmt.Errorf("URL route %q uses the parameter name %q twice", pattern, name)
		}
		seen[name] = true
		conv, ok := convs[convName]
		if !ok {
			return nil, fmt.Errorf("URL route %q uses invalid converter %q (known: %s; add one with RegisterConverter)", pattern, convName, knownConverters(convs))
		}
		toks = append(toks, token{name: name, convName: convName, conv: conv})
	}
	if strings.ContainsRune(pattern, '>') && strings.Count(pattern, "<") != strings.Count(pattern, ">") {
		return nil, fmt.Errorf("URL route %q has a '>' without its '<'", pattern)
	}
	return toks, nil
}

func knownConverters(convs map[string]web.Converter) string {
	names := make([]string, 0, len(convs))
	for n := range convs {
		names = append(names, n)
	}
	sortStrings(names)
	return strings.Join(names, ", ")
}

// joinPattern joins an include prefix and a child pattern: Django's concatenation
// ("polls/" + "<int:id>/") or Flask's slash join ("/admin" + "/users").
func joinPattern(prefix, child string) string {
	switch {
	case prefix == "":
		return child
	case child == "":
		return prefix
	case strings.HasSuffix(prefix, "/") && strings.HasPrefix(child, "/"):
		return prefix + child[1:]
	case !strings.HasSuffix(prefix, "/") && !strings.HasPrefix(child, "/"):
		return prefix + "/" + child
	}
	return prefix + child
}

// withSlash gives a path pattern its leading slash.
func withSlash(p string) string {
	if strings.HasPrefix(p, "/") {
		return p
	}
	return "/" + p
}

// regexpOf returns the regular expression (without anchors) that a token list matches.
func regexpOf(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		if t.conv == nil {
			b.WriteString(regexp.QuoteMeta(t.text))
			continue
		}
		b.WriteString("(?P<" + t.name + ">" + t.conv.Regexp() + ")")
	}
	return b.String()
}
