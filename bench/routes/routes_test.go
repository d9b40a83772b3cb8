package routes_test

import (
	"fmt"
	"testing"

	"github.com/canter-go/canter/bench/routes"
)

// The sizes of the sets as published with the router benchmarks they come from.
func TestSetSizes(t *testing.T) {
	want := map[string]int{"StaticAll": 157, "ParseAll": 26, "GitHubAll": 203, "Param1": 1}
	for _, s := range routes.Sets() {
		if n, ok := want[s.Name]; ok && len(s.Routes) != n {
			t.Errorf("%s has %d routes, want %d", s.Name, len(s.Routes), n)
		}
		seen := map[string]bool{}
		for _, r := range s.Routes {
			key := r.Method + " " + r.Path
			if seen[key] {
				t.Errorf("%s: %s twice", s.Name, key)
			}
			seen[key] = true
		}
	}
}

func TestSingleLookups(t *testing.T) {
	tests := []struct {
		set, route, params string
	}{
		{"Static1", "GET /user/repos", "[]"},
		{"Param1", "GET /user/:name", "[{name gordon}]"},
		{"GitHubParam", "GET /repos/:owner/:repo/stargazers", "[{owner julienschmidt} {repo httprouter}]"},
	}
	for _, tt := range tests {
		s, ok := routes.Lookup(tt.set)
		if !ok {
			t.Fatalf("no set %s", tt.set)
		}
		req := s.Requests[0]
		r := s.Routes[req.Route]
		if got := r.Method + " " + r.Path; got != tt.route {
			t.Errorf("%s: request %s matches %s, want %s", tt.set, req.Path, got, tt.route)
		}
		if got := fmt.Sprint(req.Params); got != tt.params {
			t.Errorf("%s: params %s, want %s", tt.set, got, tt.params)
		}
	}
}

func TestPattern(t *testing.T) {
	const p = "/repos/:owner/:repo/git/blobs/:sha"
	for s, want := range map[routes.Syntax]string{
		routes.Colon:  p,
		routes.Braces: "/repos/{owner}/{repo}/git/blobs/{sha}",
		routes.Angle:  "/repos/<owner>/<repo>/git/blobs/<sha>",
	} {
		if got := routes.Pattern(p, s); got != want {
			t.Errorf("Pattern(%d) = %s, want %s", s, got, want)
		}
	}
}

func ExampleSets() {
	for _, s := range routes.Sets() {
		fmt.Println(s.Name, len(s.Routes), "routes,", len(s.Requests), "requests")
	}
	// Output:
	// Static1 203 routes, 1 requests
	// Param1 1 routes, 1 requests
	// GitHubParam 203 routes, 1 requests
	// StaticAll 157 routes, 157 requests
	// ParseAll 26 routes, 26 requests
	// GitHubAll 203 routes, 203 requests
}
