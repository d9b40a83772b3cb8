// Package routes holds the route sets of the classic Go router benchmarks, so every router in
// this module is measured on the same routes: the Go website's static paths (157 routes), one
// parameter, the Parse REST API (26 routes) and the GitHub REST API (203 routes).
//
// Routes are written with ":name" parameters, the notation of the benchmarks they come from;
// Pattern converts them to each router's syntax. As in those benchmarks, the request for a
// route is the route's own path, so ":name" stands in as the parameter's value.
package routes

import (
	"fmt"
	"strings"
)

// Route is one route of a set.
type Route struct {
	// Method is the HTTP method, such as "GET".
	Method string
	// Path is the pattern with ":name" parameters, such as "/users/:user/events".
	Path string
}

// Request is one request that a benchmark sends, and what it must match.
type Request struct {
	// Method and Path are what is requested.
	Method, Path string
	// Route is the index, in the set's Routes, of the route that must answer.
	Route int
	// Params are the parameter values the route must extract, in pattern order.
	Params []Param
}

// Param is one expected path parameter.
type Param struct{ Name, Value string }

// Set is a named list of routes and the requests that exercise them.
type Set struct {
	// Name names the set in benchmark names ("GitHub", "Static", …).
	Name string
	// Routes are registered, in this order, with every router.
	Routes []Route
	// Requests are sent, in this order, in every timed iteration.
	Requests []Request
}

// Sets returns every route set, freshly built. The single lookups come first: they are the
// "static route" and "one parameter" costs; the "All" sets resolve every route of an API once
// per iteration.
func Sets() []Set {
	github := parse(githubAPI)
	return []Set{
		single("Static1", github, "GET", "/user/repos"),
		single("Param1", []Route{{"GET", "/user/:name"}}, "GET", "/user/gordon"),
		single("GitHubParam", github, "GET", "/repos/julienschmidt/httprouter/stargazers"),
		all("StaticAll", parse(staticPaths)),
		all("ParseAll", parse(parseAPI)),
		all("GitHubAll", github),
	}
}

// Lookup returns the set with the given name.
func Lookup(name string) (Set, bool) {
	for _, s := range Sets() {
		if s.Name == name {
			return s, true
		}
	}
	return Set{}, false
}

// all requests every route of rs by its own path.
func all(name string, rs []Route) Set {
	s := Set{Name: name, Routes: rs}
	for i, r := range rs {
		s.Requests = append(s.Requests, Request{Method: r.Method, Path: r.Path, Route: i, Params: extract(r.Path, r.Path)})
	}
	return s
}

// single requests one path, which must match exactly one route of rs.
func single(name string, rs []Route, method, path string) Set {
	for i, r := range rs {
		if r.Method != method {
			continue
		}
		if params, ok := match(r.Path, path); ok {
			return Set{Name: name, Routes: rs, Requests: []Request{{Method: method, Path: path, Route: i, Params: params}}}
		}
	}
	panic(fmt.Sprintf("routes: %s %s matches no route of set %s", method, path, name))
}

// match matches path against a ":name" pattern segment by segment.
func match(pattern, path string) ([]Param, bool) {
	ps, qs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(qs) {
		return nil, false
	}
	var params []Param
	for i, p := range ps {
		switch {
		case strings.HasPrefix(p, ":") && qs[i] != "":
			params = append(params, Param{p[1:], qs[i]})
		case p != qs[i]:
			return nil, false
		}
	}
	return params, true
}

func extract(pattern, path string) []Param {
	params, ok := match(pattern, path)
	if !ok {
		panic("routes: " + path + " does not match " + pattern)
	}
	return params
}

// Syntax is how a router writes a parameter.
type Syntax int

// The parameter syntaxes of the routers measured here.
const (
	Colon  Syntax = iota // :name — gin, echo, httprouter
	Braces               // {name} — chi, net/http's ServeMux
	Angle                // <name> — Canter (Django's and Flask's str converter)
)

// Pattern rewrites a ":name" path in the given syntax.
func Pattern(path string, s Syntax) string {
	if s == Colon {
		return path
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if strings.HasPrefix(seg, ":") {
			if s == Braces {
				segs[i] = "{" + seg[1:] + "}"
			} else {
				segs[i] = "<" + seg[1:] + ">"
			}
		}
	}
	return strings.Join(segs, "/")
}

// parse reads "METHOD /path" lines; a line without a method is a GET.
func parse(text string) []Route {
	var rs []Route
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(line)
		switch len(f) {
		case 1:
			rs = append(rs, Route{"GET", f[0]})
		case 2:
			rs = append(rs, Route{f[0], f[1]})
		default:
			panic("routes: bad route line " + line)
		}
	}
	return rs
}
