package templates_test

import (
	"net/http/httptest"
	"testing"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/web"
)

func TestRequestOfAndTokenOf(t *testing.T) {
	r := web.NewRequest(httptest.NewRequest("GET", "/", nil), nil)
	for _, c := range []struct {
		v    any
		req  *web.Request
		tok  string
		name string
	}{
		{r, r, "", "request without the CSRF middleware"},
		{templates.Context{"request": r, "csrf_token": "abc"}, r, "abc", "Context"},
		{map[string]any{"request": r, "csrf_token": "NOTPROVIDED"}, r, "", "map, NOTPROVIDED"},
		{templates.Context{"request": "not a request", "csrf_token": 42}, nil, "", "wrong types"},
		{"something else", nil, "", "other"},
		{nil, nil, "", "nil"},
	} {
		if got := templates.RequestOf(c.v); got != c.req {
			t.Errorf("%s: RequestOf = %v", c.name, got)
		}
		if got := templates.TokenOf(c.v); got != c.tok {
			t.Errorf("%s: TokenOf = %q, want %q", c.name, got, c.tok)
		}
	}

	// With the middleware, TokenOf of the request and of its context both make valid tokens.
	mw, _ := csrf.New(csrf.DefaultConfig())
	mw.Wrap(func(r *web.Request) (*web.Response, error) {
		ctx, _ := (&templates.Env{}).Context(r, nil)
		for _, v := range []any{r, ctx} {
			if tok := templates.TokenOf(v); len(tok) != 64 {
				t.Errorf("TokenOf(%T) = %q", v, tok)
			}
		}
		return web.Text(""), nil
	})(r)
}

func TestRegisterMistakes(t *testing.T) {
	b := func(*templates.Loader, templates.Config, *templates.Env) (templates.Engine, error) { return nil, nil }
	for name, f := range map[string]func(){
		"empty name": func() { templates.Register("", b) },
		"nil":        func() { templates.Register("x-nil", nil) },
		"twice":      func() { templates.Register("html", b) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// A backend without RenderBytes still works with Render; the loader tells it about debug mode
// and where files come from.
func TestBackendWithoutRenderBytes(t *testing.T) {
	app := &apps.Config{Label: "site", Templates: files("shout.txt", "hi")}
	e, err := templates.New(templates.Env{Apps: []*apps.Config{app}, Debug: true}, templates.Config{Backend: "upper", AppDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	r := web.NewRequest(httptest.NewRequest("GET", "/", nil), nil)
	var resp *web.Response
	e.Wrap(func(r *web.Request) (*web.Response, error) {
		resp, err = templates.Render(r, "shout.txt", nil)
		return resp, err
	})(r)
	if err != nil || string(resp.Body) != "HI" {
		t.Fatalf("%v %q", err, resp.Body)
	}

	var seen []string
	probe = func(l *templates.Loader) error {
		f, err := l.Open("shout.txt")
		if err != nil {
			return err
		}
		names, _ := l.Names()
		seen = append(seen, f.Origin(), f.Path, f.App)
		seen = append(seen, names...)
		if !l.Debug() {
			seen = append(seen, "not debug")
		}
		return nil
	}
	if _, err := templates.New(templates.Env{Apps: []*apps.Config{app}, Debug: true}, templates.Config{Backend: "probe", AppDirs: true}); err != nil {
		t.Fatal(err)
	}
	want := []string{"shout.txt in app site", "shout.txt", "site", "shout.txt"}
	if len(seen) != len(want) {
		t.Fatalf("seen %q", seen)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("seen %q, want %q", seen, want)
			break
		}
	}

	dir := t.TempDir()
	p := writeFile(t, dir, "a.html", "x")
	probe = func(l *templates.Loader) error {
		f, err := l.Open("a.html")
		if err != nil {
			return err
		}
		if f.Origin() != p || f.Path != p || f.App != "" || l.Debug() {
			t.Errorf("origin %q path %q app %q debug %v", f.Origin(), f.Path, f.App, l.Debug())
		}
		return nil
	}
	if _, err := templates.New(templates.Env{}, templates.Config{Backend: "probe", Dirs: []string{dir}}); err != nil {
		t.Fatal(err)
	}
}

// probe is what the "probe" backend does with its loader.
var probe func(l *templates.Loader) error

func init() {
	templates.Register("probe", func(l *templates.Loader, cfg templates.Config, env *templates.Env) (templates.Engine, error) {
		if err := probe(l); err != nil {
			return nil, err
		}
		return upperEngine{l}, nil
	})
}
