package urls

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/canter-go/canter/web"
)

// Router resolves request paths to views and reverses route names to paths. It implements
// web.Resolver. Build it at start-up with Add (conflicts are reported there, not at request
// time); after the first request it must not change. Resolving is safe for concurrent use.
//
// Matching order: path routes by specificity — at each segment literal text first, then
// segments mixing text and parameters, then parameters from the narrowest converter (int, uuid,
// custom converters, slug, str) to path — and then regex routes in registration order. A route
// restricted to other methods does not stop the search; when only such routes match the path,
// the answer is 405 with their methods in Allow (or, for OPTIONS, 200 with Allow).
type Router struct {
	convs      map[string]web.Converter
	root       node
	static     map[string]*node
	regexes    []*route
	routes     []*route
	byName     map[string][]*route
	namespaces map[string]string // namespace path -> prefix where it was included
	shapes     map[string][]*route
}

// New returns a router holding entries, or an error listing every invalid or conflicting
// pattern.
func New(entries ...Entry) (*Router, error) {
	rt := NewRouter()
	if err := rt.Add(entries...); err != nil {
		return nil, err
	}
	return rt, nil
}

// NewRouter returns an empty router with the built-in converters.
func NewRouter() *Router {
	rt := &Router{
		convs:      make(map[string]web.Converter, len(builtinConverters)),
		static:     make(map[string]*node),
		byName:     make(map[string][]*route),
		namespaces: make(map[string]string),
		shapes:     make(map[string][]*route),
	}
	for name, c := range builtinConverters {
		rt.convs[name] = c
	}
	return rt
}

// RegisterConverter makes a custom converter available to patterns added afterwards as
// <name:param> (Django's register_converter). Replacing a built-in converter is refused.
func (rt *Router) RegisterConverter(name string, c web.Converter) error {
	if !identifier.MatchString(name) {
		return fmt.Errorf("urls: converter name %q is not a valid identifier", name)
	}
	if _, builtin := builtinConverters[name]; builtin {
		return fmt.Errorf("urls: converter %q is built in and cannot be replaced", name)
	}
	rt.convs[name] = c
	return nil
}

// route is a compiled route.
type route struct {
	pattern   string // full pattern as written: a path with its leading slash, or a regex
	regex     bool
	re        *regexp.Regexp // regex routes, and path routes that cannot be matched by segment
	toks      []token        // path routes
	params    []string
	convs     []web.Converter
	view      web.View
	viewName  string
	name      string
	namespace string
	methods   methodSet
	extra     any
}

func (r *route) fullName() string {
	if r.namespace == "" || r.name == "" {
		return r.name
	}
	return r.namespace + ":" + r.name
}

// Add compiles entries into the router. It reports every problem at once: invalid patterns,
// unknown converters, and conflicts — two routes that match the same paths for a common method,
// such as "/a/<int:id>" and "/a/<int:pk>" — naming both patterns.
func (rt *Router) Add(entries ...Entry) error {
	var errs []string
	rt.add(entries, "", regexPrefix{}, "", &errs)
	if len(errs) > 0 {
		return fmt.Errorf("urls: %d problem(s) in the URL patterns:\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
	return nil
}

// regexPrefix is what regex routes below an Include start with: the prefix as a regular
// expression, and the converters of its parameters, in order.
type regexPrefix struct {
	expr  string
	convs []web.Converter
}

func (rt *Router) add(entries []Entry, prefix string, rePrefix regexPrefix, namespace string, errs *[]string) {
	for _, e := range entries {
		if e.include {
			ns := namespace
			if e.namespace != "" {
				if strings.Contains(e.namespace, ":") {
					*errs = append(*errs, fmt.Sprintf("namespace %q may not contain ':'", e.namespace))
					continue
				}
				ns = joinNamespace(namespace, e.namespace)
				if where, dup := rt.namespaces[ns]; dup {
					*errs = append(*errs, fmt.Sprintf("namespace %q is included twice (at %q and %q); give each include its own namespace", ns, where, withSlash(joinPattern(prefix, e.pattern))))
					continue
				}
				rt.namespaces[ns] = withSlash(joinPattern(prefix, e.pattern))
			}
			child, err := rt.prefixRegexp(e.pattern)
			if err != nil {
				*errs = append(*errs, err.Error())
				continue
			}
			child.expr = rePrefix.expr + child.expr
			child.convs = append(slices.Clip(rePrefix.convs), child.convs...)
			rt.add(e.children, joinPattern(prefix, e.pattern), child, ns, errs)
			continue
		}
		if e.view == nil {
			*errs = append(*errs, fmt.Sprintf("route %q has no view", e.pattern))
			continue
		}
		if strings.Contains(e.name, ":") {
			*errs = append(*errs, fmt.Sprintf("route name %q may not contain ':' (namespaces come from Include)", e.name))
			continue
		}
		methods, err := newMethodSet(e.methods)
		if err != nil {
			*errs = append(*errs, fmt.Sprintf("route %q: %v", e.pattern, err))
			continue
		}
		r := &route{view: e.view, viewName: e.viewName, name: e.name, namespace: namespace, methods: methods, extra: e.extra}
		if e.regex {
			err = rt.compileRegex(r, rePrefix, e.pattern)
		} else {
			err = rt.compilePath(r, withSlash(joinPattern(prefix, e.pattern)))
		}
		if err != nil {
			*errs = append(*errs, err.Error())
			continue
		}
		if err := rt.insert(r); err != nil {
			*errs = append(*errs, err.Error())
		}
	}
}

func joinNamespace(outer, inner string) string {
	if outer == "" {
		return inner
	}
	return outer + ":" + inner
}

// prefixRegexp turns an include prefix into the regex that regex routes below it start with.
func (rt *Router) prefixRegexp(prefix string) (regexPrefix, error) {
	toks, err := parsePath(strings.TrimPrefix(prefix, "/"), rt.convs)
	if err != nil {
		return regexPrefix{}, err
	}
	p := regexPrefix{expr: regexpOf(toks)}
	for _, t := range toks {
		if t.conv != nil {
			p.convs = append(p.convs, t.conv)
		}
	}
	return p, nil
}

func (rt *Router) compileRegex(r *route, prefix regexPrefix, expr string) error {
	body, anchored := strings.CutPrefix(expr, "^")
	if !anchored {
		body = ".*?" + body
	}
	full := "^" + prefix.expr + body
	re, err := regexp.Compile(full)
	if err != nil {
		return fmt.Errorf("regex route %q does not compile: %v", expr, err)
	}
	r.pattern, r.regex, r.re = full, true, re
	named := false
	for _, n := range re.SubexpNames()[1:] {
		named = named || n != ""
	}
	for i, n := range re.SubexpNames()[1:] {
		if n == "" && named {
			n = "" // unnamed groups are ignored when there are named ones, as in Django
		} else if n == "" {
			n = fmt.Sprint(i + 1)
		}
		r.params = append(r.params, n)
		var conv web.Converter
		if i < len(prefix.convs) {
			conv = prefix.convs[i] // a parameter of an Include prefix keeps its converter
		}
		r.convs = append(r.convs, conv)
	}
	return nil
}

func (rt *Router) compilePath(r *route, pattern string) error {
	toks, err := parsePath(pattern, rt.convs)
	if err != nil {
		return err
	}
	if strings.Contains(pattern, "(?P<") || strings.HasSuffix(pattern, "$") {
		return fmt.Errorf("URL route %q looks like a regular expression; use RePath for regexes", pattern)
	}
	r.pattern, r.toks = pattern, toks
	for _, t := range toks {
		if t.conv != nil {
			r.params = append(r.params, t.name)
			r.convs = append(r.convs, t.conv)
		}
	}
	return nil
}

// segments splits a path route's tokens (after the leading slash) into segments.
func segments(toks []token) [][]token {
	segs := [][]token{nil}
	for i, t := range toks {
		if t.conv != nil {
			segs[len(segs)-1] = append(segs[len(segs)-1], t)
			continue
		}
		text := t.text
		if i == 0 {
			text = text[1:] // the leading slash
		}
		parts := strings.Split(text, "/")
		for j, p := range parts {
			if j > 0 {
				segs = append(segs, nil)
			}
			if p != "" {
				segs[len(segs)-1] = append(segs[len(segs)-1], token{text: p})
			}
		}
	}
	return segs
}

// insert places a compiled route in the tree (or the regex list) after checking conflicts.
func (rt *Router) insert(r *route) error {
	shape := "re:" + r.pattern
	var segs [][]token
	if !r.regex {
		segs = segments(r.toks)
		var b strings.Builder
		for _, seg := range segs {
			b.WriteByte('/')
			for _, t := range seg {
				if t.conv == nil {
					b.WriteString(t.text)
				} else {
					b.WriteString("<" + t.convName + ">")
				}
			}
		}
		shape = b.String()
	}
	for _, other := range rt.shapes[shape] {
		if r.methods.overlaps(other.methods) {
			return fmt.Errorf("pattern %q%s conflicts with %q%s: both match the same paths for %s",
				r.pattern, describeName(r), other.pattern, describeName(other), r.methods.commonWith(other.methods))
		}
	}
	rt.shapes[shape] = append(rt.shapes[shape], r)
	rt.routes = append(rt.routes, r)
	if r.name != "" {
		rt.byName[r.fullName()] = append(rt.byName[r.fullName()], r)
	}
	if r.regex {
		rt.regexes = append(rt.regexes, r)
		return nil
	}
	if !treeable(segs) {
		re, err := regexp.Compile("^" + regexpOf(r.toks) + "$")
		if err != nil {
			return fmt.Errorf("URL route %q: %v", r.pattern, err)
		}
		r.re = re
		rt.regexes = append(rt.regexes, r)
		return nil
	}
	n := &rt.root
	static := true
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		switch {
		case len(seg) == 0:
			n = n.emptyChild()
		case len(seg) == 1 && seg[0].conv == nil:
			n = n.staticChild(seg[0].text)
		case seg[0].conv != nil && slashy(seg[0].conv):
			// A slash-matching parameter takes the rest of the path but a literal suffix.
			n = n.edge(&n.rest, seg[0].convName, seg[0].conv, nil, literalTail(seg[1:], segs[i+1:]))
			i = len(segs)
			static = false
		case len(seg) == 1:
			n = n.edge(&n.params, seg[0].convName, seg[0].conv, nil, "")
			static = false
		default:
			expr := "^" + regexpOf(seg) + "$"
			re, err := regexp.Compile(expr)
			if err != nil {
				return fmt.Errorf("URL route %q: %v", r.pattern, err)
			}
			var convs []web.Converter
			for _, t := range seg {
				if t.conv != nil {
					convs = append(convs, t.conv)
				}
			}
			n = n.edge(&n.mixed, expr, nil, &mixedSegment{re: re, convs: convs}, "")
			static = false
		}
	}
	n.routes = append(n.routes, r)
	if static {
		rt.static[r.pattern] = n
	}
	return nil
}

// treeable reports whether a route can be matched segment by segment: a converter that can
// match a slash must begin its segment and be followed by literal text only.
func treeable(segs [][]token) bool {
	for i, seg := range segs {
		for j, t := range seg {
			if t.conv != nil && slashy(t.conv) {
				return j == 0 && literalOnly(seg[1:]) && literalOnly(flatten(segs[i+1:]))
			}
		}
	}
	return true
}

func literalOnly(toks []token) bool {
	for _, t := range toks {
		if t.conv != nil {
			return false
		}
	}
	return true
}

func flatten(segs [][]token) []token {
	var out []token
	for _, s := range segs {
		out = append(out, s...)
	}
	return out
}

// literalTail is the text that follows a rest parameter: the rest of its segment and the later
// segments, with their slashes.
func literalTail(seg []token, later [][]token) string {
	var b strings.Builder
	for _, t := range seg {
		b.WriteString(t.text)
	}
	for _, s := range later {
		b.WriteByte('/')
		for _, t := range s {
			b.WriteString(t.text)
		}
	}
	return b.String()
}

func describeName(r *route) string {
	if r.name == "" {
		return ""
	}
	return fmt.Sprintf(" (name %q)", r.fullName())
}

// Resolve implements web.Resolver.
func (rt *Router) Resolve(method, path string, m *web.Match) error {
	if path == "" || path[0] != '/' {
		path = "/" + path
	}
	st := matchState{method: method, bit: methodBit(method)}
	if n, ok := rt.static[path]; ok && n.accept(&st) {
		rt.fill(m, &st)
		return nil
	}
	st.found = nil
	if rt.root.find(path[1:], &st) {
		rt.fill(m, &st)
		return nil
	}
	for _, r := range rt.regexes {
		subject := path
		if r.regex {
			subject = path[1:]
		}
		idx := r.re.FindStringSubmatchIndex(subject)
		if idx == nil || !r.matchConverters(subject, idx) {
			continue
		}
		if !r.methods.allows(st.bit, method) {
			st.allowed = st.allowed.union(r.methods)
			continue
		}
		st.found, st.n = r, 0
		for g := 1; g < len(idx)/2; g++ {
			if idx[2*g] >= 0 {
				st.push(subject[idx[2*g]:idx[2*g+1]])
			} else {
				st.push("")
			}
		}
		rt.fill(m, &st)
		return nil
	}
	if !st.allowed.empty() {
		allow := st.allowed.allowHeader()
		if method == http.MethodOptions {
			m.View = optionsView(allow)
			m.Pattern = path
			return nil
		}
		return web.MethodNotAllowed(allow...)
	}
	return &web.Error{Status: http.StatusNotFound, Message: "no route matches " + path}
}

func (r *route) matchConverters(subject string, idx []int) bool {
	for i, c := range r.convs {
		g := i + 1
		if c != nil && idx[2*g] >= 0 && !c.Match(subject[idx[2*g]:idx[2*g+1]]) {
			return false
		}
	}
	return true
}

func (rt *Router) fill(m *web.Match, st *matchState) {
	r := st.found
	m.View, m.Name, m.Namespace, m.Pattern, m.Extra = r.view, r.name, r.namespace, r.pattern, r.extra
	for i := 0; i < st.n && i < len(r.params); i++ {
		if r.params[i] != "" {
			m.Params = append(m.Params, web.Param{Name: r.params[i], Raw: st.raw(i), Converter: r.convs[i]})
		}
	}
}

func optionsView(allow []string) web.View {
	value := strings.Join(allow, ", ")
	return func(*web.Request) (*web.Response, error) {
		resp := web.NewResponse(http.StatusOK)
		resp.Header().Set("Allow", value)
		return resp, nil
	}
}

// RouteInfo describes one route, for listings such as the urls command.
type RouteInfo struct {
	// Pattern is the full pattern: a path with its leading slash, or a regex for RePath.
	Pattern string
	// Regex reports whether Pattern is a regular expression.
	Regex bool
	// Name is the route's full name ("polls:detail"), or "".
	Name string
	// Methods lists the allowed methods; empty means any.
	Methods []string
	// View names the view function.
	View string
}

// Routes lists every route in registration order.
func (rt *Router) Routes() []RouteInfo {
	out := make([]RouteInfo, 0, len(rt.routes))
	for _, r := range rt.routes {
		info := RouteInfo{Pattern: r.pattern, Regex: r.regex, Name: r.fullName(), View: r.viewName}
		if !r.methods.any() {
			info.Methods = r.methods.list()
		}
		out = append(out, info)
	}
	return out
}

// Namespaces lists the registered namespaces.
func (rt *Router) Namespaces() []string {
	out := make([]string, 0, len(rt.namespaces))
	for ns := range rt.namespaces {
		out = append(out, ns)
	}
	sort.Strings(out)
	return out
}

func sortStrings(s []string) { sort.Strings(s) }
