package urls_test

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// named returns a view that answers with its own name, so tests can tell which route won.
func named(name string) web.View {
	return func(*web.Request) (*web.Response, error) { return web.Text(name), nil }
}

func viewName(t *testing.T, v web.View) string {
	t.Helper()
	resp, err := v(nil)
	if err != nil {
		t.Fatalf("view failed: %v", err)
	}
	return string(resp.Body)
}

func mustRouter(t *testing.T, entries ...urls.Entry) *urls.Router {
	t.Helper()
	rt, err := urls.New(entries...)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

func TestConverters(t *testing.T) {
	tests := []struct {
		conv web.Converter
		in   string
		ok   bool
	}{
		{urls.IntConverter{}, "0", true},
		{urls.IntConverter{}, "0042", true},
		{urls.IntConverter{}, "9223372036854775807", true},
		{urls.IntConverter{}, "9223372036854775808", false}, // overflows int64: no match, not a 500
		{urls.IntConverter{}, "-1", false},
		{urls.IntConverter{}, "1a", false},
		{urls.IntConverter{}, "", false},
		{urls.StrConverter{}, "héllo wörld", true},
		{urls.StrConverter{}, "a/b", false},
		{urls.StrConverter{}, "", false},
		{urls.SlugConverter{}, "hello-world_2", true},
		{urls.SlugConverter{}, "hello world", false},
		{urls.SlugConverter{}, "héllo", false},
		{urls.UUIDConverter{}, "075194d3-6885-417e-a8a8-6c931e272f00", true},
		{urls.UUIDConverter{}, "075194D3-6885-417E-A8A8-6C931E272F00", false},
		{urls.UUIDConverter{}, "075194d36885417ea8a86c931e272f00", false},
		{urls.UUIDConverter{}, "075194d3-6885-417e-a8a8-6c931e272f0", false},
		{urls.PathConverter{}, "a/b/c.txt", true},
		{urls.PathConverter{}, "", false},
	}
	for _, tt := range tests {
		if got := tt.conv.Match(tt.in); got != tt.ok {
			t.Errorf("%T.Match(%q) = %v, want %v", tt.conv, tt.in, got, tt.ok)
		}
		// Match must agree with the converter's own regular expression.
		re := regexp.MustCompile("^(?:" + tt.conv.Regexp() + ")$")
		if tt.ok && !re.MatchString(tt.in) {
			t.Errorf("%T: %q matches but not its regexp %s", tt.conv, tt.in, tt.conv.Regexp())
		}
	}
	v, err := urls.IntConverter{}.ToGo("0042")
	if err != nil || v != 42 {
		t.Errorf("IntConverter.ToGo(0042) = %v, %v", v, err)
	}
	if _, err := (urls.IntConverter{}).ToURL(-5); err == nil {
		t.Error("IntConverter.ToURL(-5) should fail")
	}
	if s, err := (urls.UUIDConverter{}).ToURL("075194D3-6885-417E-A8A8-6C931E272F00"); err != nil || s != "075194d3-6885-417e-a8a8-6c931e272f00" {
		t.Errorf("UUIDConverter.ToURL upper = %q, %v", s, err)
	}
}

func TestResolve(t *testing.T) {
	year, err := urls.NewConverter(`[0-9]{4}`, func(s string) (any, error) { return strconv.Atoi(s) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	rt := urls.NewRouter()
	if err := rt.RegisterConverter("year", year); err != nil {
		t.Fatal(err)
	}
	err = rt.Add(
		urls.Path("", named("root")),
		urls.Path("articles/", named("articles")),
		urls.Path("articles/new/", named("new")),
		urls.Path("articles/<int:id>/", named("by-id")),
		urls.Path("articles/<year:y>/", named("by-year")),
		urls.Path("articles/<slug:slug>/", named("by-slug")),
		urls.Path("articles/<str:title>/", named("by-title")),
		urls.Path("articles/<int:id>/edit", named("edit")),
		urls.Path("a/<str:x>/deep", named("str-deep")),
		urls.Path("a/b/shallow", named("static-shallow")),
		urls.Path("files/<path:p>", named("files")),
		urls.Path("files/<path:p>/raw", named("files-raw")),
		urls.Path("<int:a>-<int:b>/", named("range")),
		urls.Path("page-<int:n>/", named("page")), // a segment that starts with text, then a parameter
		urls.Path("v<int:major>.<int:minor>/notes", named("version")),
		urls.Path("u/<uuid:u>", named("uuid")),
		urls.Path("only-get", named("only-get"), urls.Methods("GET")),
		urls.Path("verbs", named("verbs-get"), urls.Methods("GET")),
		urls.Path("verbs", named("verbs-post"), urls.Methods("POST")),
		urls.Path("split/<int:n>", named("split-int"), urls.Methods("GET")),
		urls.Path("split/<str:s>", named("split-str"), urls.Methods("POST")),
		urls.Path("dav", named("dav"), urls.Methods("PROPFIND")),
		urls.RePath(`^archive/(?P<year>[0-9]{4})/$`, named("archive")),
		urls.RePath(`^legacy/([a-z]+)/([0-9]+)$`, named("legacy")),
		urls.Include("polls/", "polls",
			urls.Path("", named("polls-index"), urls.Name("index")),
			urls.Path("<int:id>/", named("polls-detail"), urls.Name("detail")),
		),
		// A regex route under a prefix with a parameter: the prefix's converter applies.
		urls.Include("org/<int:org>/", "org", urls.RePath(`^team/(?P<team>[a-z]+)/$`, named("org-team"))),
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path string
		view         string
		status       int // when no view matches
		params       string
		allow        string
	}{
		{method: "GET", path: "/", view: "root"},
		{method: "GET", path: "/articles/", view: "articles"},
		{method: "GET", path: "/articles", status: 404}, // no slash appended here; that is middleware's job
		{method: "GET", path: "/articles/new/", view: "new"},
		{method: "GET", path: "/articles/42/", view: "by-id", params: "id=42"},
		{method: "GET", path: "/articles/2024/", view: "by-id", params: "id=2024"}, // int beats custom converters
		{method: "GET", path: "/articles/hello-world/", view: "by-slug", params: "slug=hello-world"},
		{method: "GET", path: "/articles/hello world/", view: "by-title", params: "title=hello world"},
		{method: "GET", path: "/articles/42/edit", view: "edit", params: "id=42"},
		{method: "GET", path: "/articles/new/edit", status: 404},
		// backtracking: the literal "b" leads nowhere for /a/b/deep, the parameter does.
		{method: "GET", path: "/a/b/deep", view: "str-deep", params: "x=b"},
		{method: "GET", path: "/a/b/shallow", view: "static-shallow"},
		{method: "GET", path: "/files/css/site.css", view: "files", params: "p=css/site.css"},
		{method: "GET", path: "/files/", status: 404},
		{method: "GET", path: "/files/a/b/raw", view: "files-raw", params: "p=a/b"},
		{method: "GET", path: "/3-7/", view: "range", params: "a=3 b=7"},
		{method: "GET", path: "/3-x/", status: 404},
		{method: "GET", path: "/page-2/", view: "page", params: "n=2"},
		{method: "GET", path: "/page-x/", status: 404},
		{method: "GET", path: "/v1.22/notes", view: "version", params: "major=1 minor=22"},
		{method: "GET", path: "/u/075194d3-6885-417e-a8a8-6c931e272f00", view: "uuid", params: "u=075194d3-6885-417e-a8a8-6c931e272f00"},
		{method: "GET", path: "/u/not-a-uuid", status: 404},
		{method: "HEAD", path: "/only-get", view: "only-get"},
		{method: "POST", path: "/only-get", status: 405, allow: "GET, HEAD, OPTIONS"},
		{method: "OPTIONS", path: "/only-get", view: "", allow: "GET, HEAD, OPTIONS"},
		{method: "GET", path: "/verbs", view: "verbs-get"},
		{method: "POST", path: "/verbs", view: "verbs-post"},
		{method: "DELETE", path: "/verbs", status: 405, allow: "GET, HEAD, OPTIONS, POST"},
		// a route for another method does not hide a later route for this one
		{method: "POST", path: "/split/5", view: "split-str", params: "s=5"},
		{method: "GET", path: "/split/5", view: "split-int", params: "n=5"},
		{method: "PUT", path: "/split/5", status: 405, allow: "GET, HEAD, OPTIONS, POST"},
		{method: "PROPFIND", path: "/dav", view: "dav"},
		{method: "GET", path: "/dav", status: 405, allow: "OPTIONS, PROPFIND"},
		{method: "GET", path: "/archive/2024/", view: "archive", params: "year=2024"},
		{method: "GET", path: "/archive/24/", status: 404},
		{method: "GET", path: "/legacy/abc/12", view: "legacy", params: "1=abc 2=12"},
		{method: "GET", path: "/polls/", view: "polls-index"},
		{method: "GET", path: "/polls/7/", view: "polls-detail", params: "id=7"},
		{method: "GET", path: "/polls/x/", status: 404},
		{method: "GET", path: "/org/7/team/core/", view: "org-team", params: "org=7 team=core"},
		{method: "GET", path: "/org/99999999999999999999/team/core/", status: 404}, // too big for an int
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			var m web.Match
			err := rt.Resolve(tt.method, tt.path, &m)
			if tt.status != 0 {
				if got := web.StatusOf(err); err == nil || got != tt.status {
					t.Fatalf("Resolve = %v (status %d), want status %d", err, got, tt.status)
				}
				var e *web.Error
				if errors.As(err, &e) && tt.allow != "" && strings.Join(e.Allow, ", ") != tt.allow {
					t.Errorf("Allow = %q, want %q", strings.Join(e.Allow, ", "), tt.allow)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			if tt.method == "OPTIONS" && tt.view == "" {
				resp, _ := m.View(nil)
				if got := resp.Header().Get("Allow"); got != tt.allow {
					t.Errorf("OPTIONS Allow = %q, want %q", got, tt.allow)
				}
				return
			}
			if got := viewName(t, m.View); got != tt.view {
				t.Errorf("view = %q, want %q", got, tt.view)
			}
			var ps []string
			for _, p := range m.Params {
				ps = append(ps, p.Name+"="+p.Raw)
			}
			if got := strings.Join(ps, " "); got != tt.params {
				t.Errorf("params = %q, want %q", got, tt.params)
			}
		})
	}
}

// TestIncludePrefixConverterOnRegexRoute checks that a parameter of an Include prefix reaches
// a regex route below it converted, as Django converts an include's <int:…> for re_path
// children.
func TestIncludePrefixConverterOnRegexRoute(t *testing.T) {
	rt := mustRouter(t, urls.Include("org/<int:org>/", "org", urls.RePath(`^team/(?P<team>[a-z]+)/$`, named("v"))))
	var m web.Match
	if err := rt.Resolve("GET", "/org/7/team/core/", &m); err != nil {
		t.Fatal(err)
	}
	if got := m.Params.Value("org"); got != 7 {
		t.Errorf("org = %#v, want the int 7", got)
	}
	if got := m.Params.Value("team"); got != "core" {
		t.Errorf("team = %#v, want \"core\"", got)
	}
}

func TestConvertedValues(t *testing.T) {
	rt := mustRouter(t, urls.Path("items/<int:id>/<slug:s>", named("x")))
	var m web.Match
	if err := rt.Resolve("GET", "/items/0042/abc", &m); err != nil {
		t.Fatal(err)
	}
	if v := m.Params.Value("id"); v != 42 {
		t.Errorf("Value(id) = %#v, want 42", v)
	}
	if v := m.Params.Value("s"); v != "abc" {
		t.Errorf("Value(s) = %#v, want abc", v)
	}
	if got := m.Params.Map(); got["id"] != 42 || got["s"] != "abc" {
		t.Errorf("Map = %v", got)
	}
}

func TestConflictsAtStartup(t *testing.T) {
	tests := []struct {
		name    string
		entries []urls.Entry
		want    string // substring of the error; "" means no error
	}{
		{"same pattern twice", []urls.Entry{urls.Path("a/", named("1")), urls.Path("/a/", named("2"))}, `"/a/" conflicts with "/a/"`},
		{"parameter names differ", []urls.Entry{urls.Path("a/<int:id>", named("1")), urls.Path("a/<int:pk>", named("2"))}, `"/a/<int:pk>" conflicts with "/a/<int:id>"`},
		{"untyped is str", []urls.Entry{urls.Path("a/<name>", named("1")), urls.Path("a/<str:other>", named("2"))}, "conflicts"},
		{"methods overlap", []urls.Entry{urls.Path("a", named("1"), urls.Methods("GET", "POST")), urls.Path("a", named("2"), urls.Methods("POST"))}, "for methods POST"},
		{"any method overlaps", []urls.Entry{urls.Path("a", named("1")), urls.Path("a", named("2"), urls.Methods("PUT"))}, "for methods"},
		{"same regex", []urls.Entry{urls.RePath(`^x$`, named("1")), urls.RePath(`^x$`, named("2"))}, "conflicts"},
		{"through includes", []urls.Entry{urls.Path("p/a", named("1")), urls.Include("p/", "", urls.Path("a", named("2")))}, "conflicts"},
		{"different methods", []urls.Entry{urls.Path("a", named("1"), urls.Methods("GET")), urls.Path("a", named("2"), urls.Methods("POST"))}, ""},
		{"different converters", []urls.Entry{urls.Path("a/<int:id>", named("1")), urls.Path("a/<slug:s>", named("2"))}, ""},
		{"static beside parameter", []urls.Entry{urls.Path("a/new", named("1")), urls.Path("a/<slug:s>", named("2"))}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := urls.New(tt.entries...)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestInvalidPatterns(t *testing.T) {
	tests := []struct {
		entry urls.Entry
		want  string
	}{
		{urls.Path("a/<foo:x>", named("v")), `invalid converter "foo"`},
		{urls.Path("a/<int:1x>", named("v")), "not a valid identifier"},
		{urls.Path("a/<int:x>/<str:x>", named("v")), "twice"},
		{urls.Path("a/<int:x", named("v")), "without its '>'"},
		{urls.Path("a/< int:x>", named("v")), "whitespace"},
		{urls.Path(`^a/(?P<x>\d+)$`, named("v")), "use RePath"},
		{urls.RePath(`^a/(?P<x>[0-9]+$`, named("v")), "does not compile"},
		{urls.Path("a", nil), "has no view"},
		{urls.Path("a", named("v"), urls.Name("x:y")), "may not contain ':'"},
		{urls.Path("a", named("v"), urls.Methods("get it")), "not a valid HTTP method"},
		{urls.Include("p/", "a:b", urls.Path("x", named("v"))), "may not contain ':'"},
	}
	for _, tt := range tests {
		_, err := urls.New(tt.entry)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error = %v, want it to contain %q", err, tt.want)
		}
	}
	// Every problem is reported at once.
	_, err := urls.New(urls.Path("<bad:x>", named("v")), urls.Path("a", nil))
	if err == nil || !strings.Contains(err.Error(), "2 problem(s)") {
		t.Errorf("want both problems reported, got %v", err)
	}
	_, err = urls.New(urls.Include("a/", "ns"), urls.Include("b/", "ns"))
	if err == nil || !strings.Contains(err.Error(), `namespace "ns" is included twice`) {
		t.Errorf("duplicate namespace: %v", err)
	}
}

func TestReverse(t *testing.T) {
	rt := mustRouter(t,
		urls.Path("", named("v"), urls.Name("home")),
		urls.Path("articles/<int:year>/<slug:slug>/", named("v"), urls.Name("article")),
		urls.Path("files/<path:p>", named("v"), urls.Name("file")),
		urls.Path("tag/<str:t>/", named("v"), urls.Name("tag")),
		urls.Path("both/<int:id>/", named("v"), urls.Name("both")),
		urls.Path("both/<slug:s>/x/", named("v"), urls.Name("both")),
		urls.RePath(`^archive/(?P<year>[0-9]{4})/$`, named("v"), urls.Name("archive")),
		urls.RePath(`^(?:a|b)/$`, named("v"), urls.Name("complex")),
		urls.Path("<path:p>/security/", named("v"), urls.Name("security")),
		urls.RePath(`^(?P<p>.+)/re-security/$`, named("v"), urls.Name("re-security")),
		urls.Include("org/<int:org>/", "org",
			urls.Include("polls/", "polls", urls.Path("<int:id>/", named("v"), urls.Name("detail"))),
		),
	)
	tests := []struct {
		name string
		args []any
		want string
		err  string
	}{
		{"home", nil, "/", ""},
		{"article", []any{2024, "hello-world"}, "/articles/2024/hello-world/", ""},
		{"article", []any{urls.Kw{"year": 2024, "slug": "x"}}, "/articles/2024/x/", ""},
		{"file", []any{"css/a b.css"}, "/files/css/a%20b.css", ""},
		{"tag", []any{"50%?#"}, "/tag/50%25%3F%23/", ""},
		{"both", []any{"abc"}, "/both/abc/x/", ""}, // the first route refuses "abc", the second takes it
		{"both", []any{7}, "/both/7/", ""},
		{"archive", []any{1999}, "/archive/1999/", ""},
		// A path that starts with two slashes would be read as another host's URL ("//evil.com/"
		// in a redirect); Django escapes the second slash (escape_leading_slashes).
		{"security", []any{"/example.com"}, "/%2Fexample.com/security/", ""},
		{"re-security", []any{"/example.com"}, "/%2Fexample.com/re-security/", ""},
		{"org:polls:detail", []any{3, 9}, "/org/3/polls/9/", ""},
		{"org:polls:detail", []any{urls.Kw{"org": 1, "id": 2}}, "/org/1/polls/2/", ""},
		{"article", []any{"x", "y"}, "", "Reverse for 'article' with arguments '[x y]' not found. 1 pattern(s) tried: ['/articles/<int:year>/<slug:slug>/']"},
		{"article", []any{2024}, "", "takes 2 argument(s), got 1"},
		{"article", []any{urls.Kw{"year": 1}}, "", `missing value for "slug"`},
		{"article", []any{urls.Kw{"year": 1, "slug": "s", "x": 1}}, "", `has no parameter "x"`},
		{"archive", []any{99}, "", "does not match"},
		{"complex", nil, "", "too complex to reverse"},
		{"nope", nil, "", "Reverse for 'nope' not found. 'nope' is not a valid view function or pattern name."},
		{"ghost:detail", nil, "", "'ghost' is not a registered namespace"},
		{"org:ghost:detail", nil, "", "'ghost' is not a registered namespace"},
		{"org:polls:nope", nil, "", "Reverse for 'org:polls:nope' not found."},
	}
	for _, tt := range tests {
		got, err := rt.Reverse(tt.name, tt.args...)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Reverse(%q, %v) error = %v, want %q", tt.name, tt.args, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Reverse(%q, %v) = %q, %v; want %q", tt.name, tt.args, got, err, tt.want)
		}
	}
	q, err := rt.URLFor("article", map[string]any{"year": 2024, "slug": "s", "page": 2, "q": "a b"})
	if err != nil || q != "/articles/2024/s/?page=2&q=a+b" {
		t.Errorf("URLFor = %q, %v", q, err)
	}
}

// TestReverseRoundTrip reverses every GitHub route with values and resolves the result back to
// the same route and the same values.
func TestReverseRoundTrip(t *testing.T) {
	rt := urls.NewRouter()
	for i, r := range githubAPI {
		name := fmt.Sprintf("r%d", i)
		if err := rt.Add(urls.Path(toPattern(r.path), named(name), urls.Name(name), urls.Methods(r.method))); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range githubAPI {
		name := fmt.Sprintf("r%d", i)
		var args []any
		for _, seg := range strings.Split(r.path, "/") {
			if strings.HasPrefix(seg, ":") {
				args = append(args, "v-"+seg[1:])
			}
		}
		path, err := rt.Reverse(name, args...)
		if err != nil {
			t.Fatalf("Reverse(%s): %v", name, err)
		}
		var m web.Match
		if err := rt.Resolve(r.method, path, &m); err != nil {
			t.Fatalf("Resolve(%s %s): %v", r.method, path, err)
		}
		if got := viewName(t, m.View); got != name {
			t.Fatalf("%s %s resolved to %s, want %s", r.method, path, got, name)
		}
		for j, p := range m.Params {
			if p.Raw != args[j] {
				t.Fatalf("%s: param %s = %q, want %q", path, p.Name, p.Raw, args[j])
			}
		}
	}
}

func toPattern(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = "<" + s[1:] + ">"
		}
	}
	return strings.Join(segs, "/")
}

func githubRouter(tb testing.TB) *urls.Router {
	rt := urls.NewRouter()
	for _, r := range githubAPI {
		if err := rt.Add(urls.Path(toPattern(r.path), named(r.path), urls.Methods(r.method))); err != nil {
			tb.Fatal(err)
		}
	}
	return rt
}

func TestGitHubRoutes(t *testing.T) {
	rt := githubRouter(t)
	for _, r := range githubAPI {
		var m web.Match
		if err := rt.Resolve(r.method, r.path, &m); err != nil {
			t.Fatalf("%s %s: %v", r.method, r.path, err)
		}
		if got := viewName(t, m.View); got != r.path {
			t.Fatalf("%s %s matched %s", r.method, r.path, got)
		}
	}
}

func TestRoutingAllocations(t *testing.T) {
	rt := githubRouter(t)
	m := web.Match{Params: make(web.Params, 0, 8)}
	for _, tt := range []struct {
		method, path string
		max          float64
	}{
		{"GET", "/user/repos", 0},
		{"GET", "/repos/julienschmidt/httprouter/stargazers", 1},
		{"GET", "/legacy/issues/search/a/b/c/d", 1},
	} {
		allocs := testing.AllocsPerRun(100, func() {
			m.Params = m.Params[:0]
			if err := rt.Resolve(tt.method, tt.path, &m); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > tt.max {
			t.Errorf("%s %s: %.0f allocs per resolution, want at most %.0f", tt.method, tt.path, allocs, tt.max)
		}
	}
}

func benchResolve(b *testing.B, rt *urls.Router, method, path string) {
	m := web.Match{Params: make(web.Params, 0, 8)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Params = m.Params[:0]
		if err := rt.Resolve(method, path, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatic resolves a static GitHub route.
func BenchmarkStatic(b *testing.B) { benchResolve(b, githubRouter(b), "GET", "/user/repos") }

// BenchmarkParam resolves a GitHub route with two parameters.
func BenchmarkParam(b *testing.B) {
	benchResolve(b, githubRouter(b), "GET", "/repos/julienschmidt/httprouter/stargazers")
}

// BenchmarkGitHubAll resolves each of the 203 GitHub routes once per iteration.
func BenchmarkGitHubAll(b *testing.B) {
	rt := githubRouter(b)
	m := web.Match{Params: make(web.Params, 0, 8)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, r := range githubAPI {
			m.Params = m.Params[:0]
			if err := rt.Resolve(r.method, r.path, &m); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func ExampleNew() {
	article := func(r *web.Request) (*web.Response, error) {
		return web.Text(fmt.Sprintf("article %v", r.Params().Value("year"))), nil
	}
	router, err := urls.New(
		urls.Path("articles/<int:year>/<slug:title>/", article, urls.Name("article")),
		urls.Include("polls/", "polls",
			urls.Path("<int:id>/", article, urls.Name("detail")),
		),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	var m web.Match
	_ = router.Resolve(http.MethodGet, "/articles/2024/hello/", &m)
	fmt.Println(m.Pattern, m.Params.Map())
	path, _ := router.Reverse("polls:detail", 7)
	fmt.Println(path)
	// Output:
	// /articles/<int:year>/<slug:title>/ map[title:hello year:2024]
	// /polls/7/
}

func ExampleRouter_Reverse() {
	router, _ := urls.New(urls.Path("files/<path:name>", func(*web.Request) (*web.Response, error) {
		return web.Text("file"), nil
	}, urls.Name("file")))
	path, _ := router.Reverse("file", "docs/read me.txt")
	fmt.Println(path)
	_, err := router.Reverse("missing")
	fmt.Println(err)
	// Output:
	// /files/docs/read%20me.txt
	// Reverse for 'missing' not found. 'missing' is not a valid view function or pattern name.
}
