package templates_test

import (
	"errors"
	"html/template"
	"strings"
	"testing"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/templates"
)

// Contextual escaping, with the vectors of html/template's documentation.
func TestHTMLEscaping(t *testing.T) {
	e := htmlEngines(t, files(
		"text.html", `Hello, {{ .name }}!`,
		"link.html", `<a href="/search?q={{ .q }}">{{ .q }}</a>`,
		"js.html", `<a href="{{ .url }}">x</a>`,
		"safe.html", `{{ .html }}`,
	))
	for _, c := range []struct {
		name string
		data map[string]any
		want string
	}{
		{"text.html", map[string]any{"name": "<script>alert('you have been pwned')</script>"},
			`Hello, &lt;script&gt;alert(&#39;you have been pwned&#39;)&lt;/script&gt;!`},
		{"link.html", map[string]any{"q": "O'Reilly: How are <i>you</i>?"},
			`<a href="/search?q=O%27Reilly%3a%20How%20are%20%3ci%3eyou%3c%2fi%3e%3f">O&#39;Reilly: How are &lt;i&gt;you&lt;/i&gt;?</a>`},
		{"js.html", map[string]any{"url": "javascript:alert(1)"}, `<a href="#ZgotmplZ">x</a>`},
		// Trusted HTML is the view's decision, made with a type.
		{"safe.html", map[string]any{"html": template.HTML("<b>bold</b>")}, `<b>bold</b>`},
	} {
		if got := render(t, e, c.name, c.data); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// Inheritance: a page defines its layout's blocks; blocks it leaves keep the layout's text;
// a section layout extends the base in turn.
func TestHTMLInheritance(t *testing.T) {
	e := htmlEngines(t, files(
		"base.html", `<title>{{ block "title" . }}Site{{ end }}</title><main>{{ block "content" . }}empty{{ end }}</main><footer>{{ block "footer" . }}(c){{ end }}</footer>`,
		"polls/base.html", `{{ define "footer" }}polls footer{{ end }}{{ define "content" }}<section>{{ block "poll" . }}no poll{{ end }}</section>{{ end }}{{ template "base.html" . }}`,
		"polls/detail.html", `{{ define "title" }}Poll {{ .id }}{{ end }}{{ define "poll" }}<h1>{{ .text }}</h1>{{ end }}{{ template "polls/base.html" . }}`,
		"polls/plain.html", `{{ template "polls/base.html" . }}`,
		"about.html", `{{ define "content" }}About{{ end }}{{ template "base.html" . }}`,
	))
	data := map[string]any{"id": 7, "text": "Q & A"}
	for name, want := range map[string]string{
		"polls/detail.html": `<title>Poll 7</title><main><section><h1>Q &amp; A</h1></section></main><footer>polls footer</footer>`,
		"polls/plain.html":  `<title>Site</title><main><section>no poll</section></main><footer>polls footer</footer>`,
		"about.html":        `<title>Site</title><main>About</main><footer>(c)</footer>`,
		"base.html":         `<title>Site</title><main>empty</main><footer>(c)</footer>`,
	} {
		if got := render(t, e, name, data); got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

// Two pages that fill the same block of one layout do not see each other's definitions.
func TestHTMLPagesAreSeparateSets(t *testing.T) {
	e := htmlEngines(t, files(
		"base.html", `[{{ block "content" . }}{{ end }}]`,
		"a.html", `{{ define "content" }}A{{ end }}{{ template "base.html" . }}`,
		"b.html", `{{ define "content" }}B{{ end }}{{ template "base.html" . }}`,
	))
	for _, name := range []string{"a.html", "b.html", "a.html"} {
		want := "[" + strings.ToUpper(name[:1]) + "]"
		if got := render(t, e, name, nil); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// Includes see the context they are given, nest, and may be called inside range.
func TestHTMLIncludes(t *testing.T) {
	e := htmlEngines(t, files(
		"list.html", `<ul>{{ range .items }}{{ template "item.html" . }}{{ end }}</ul>{{ template "footer.html" . }}`,
		"item.html", `<li>{{ . }}{{ template "sep.html" }}</li>`,
		"sep.html", `;`,
		"footer.html", `<p>{{ len .items }} items</p>`,
	))
	got := render(t, e, "list.html", map[string]any{"items": []string{"a<b", "c"}})
	want := `<ul><li>a&lt;b;</li><li>c;</li></ul><p>2 items</p>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// A recursive include (a tree) and two files that include each other parse.
func TestHTMLRecursion(t *testing.T) {
	e := htmlEngines(t, files(
		"tree.html", `{{ .name }}{{ if .children }}({{ range .children }}{{ template "tree.html" . }}{{ end }}){{ end }}`,
		"ping.html", `ping{{ if .more }}{{ template "pong.html" .more }}{{ end }}`,
		"pong.html", `pong{{ if .more }}{{ template "ping.html" .more }}{{ end }}`,
	))
	tree := map[string]any{"name": "a", "children": []any{
		map[string]any{"name": "b"},
		map[string]any{"name": "c", "children": []any{map[string]any{"name": "d"}}},
	}}
	if got := render(t, e, "tree.html", tree); got != "a(bc(d))" {
		t.Errorf("tree = %q", got)
	}
	chain := map[string]any{"more": map[string]any{"more": map[string]any{"end": true}}}
	if got := render(t, e, "ping.html", chain); got != "pingpongping" {
		t.Errorf("ping = %q", got)
	}
}

// Errors name the file, the line and the expression.
func TestHTMLErrors(t *testing.T) {
	e := htmlEngines(t, files(
		"exec.html", "<p>\n  {{ .user.Name }}\n</p>",
		"syntax.html", "line 1\n{{ if .x }}\nno end",
		"func.html", "line 1\n\n{{ nosuchfunc .x }}",
		"include.html", "a\nb {{ template \"missing.html\" . }}",
		"base.html", "<h1>\n{{ .title.Missing }}</h1>",
		"child.html", `{{ template "base.html" . }}`,
		"url.html", "\n{{ url . \"x\" }}",
		"context.html", "\n{{ if .x }}<a href=\"{{ end }}\">",
	))
	for _, c := range []struct {
		name, data string
		file       string
		line, col  int
		expr       string
		msg        string
	}{
		{"exec.html", "s", "exec.html", 2, 0, "{{ .user.Name }}", "can't evaluate field Name"},
		{"syntax.html", "", "syntax.html", 3, 0, "", "unexpected EOF"},
		{"func.html", "", "func.html", 3, 0, "{{ nosuchfunc .x }}", `function "nosuchfunc" not defined`},
		{"include.html", "", "include.html", 2, 0, `{{ template "missing.html" . }}`, `no template named "missing.html"`},
		{"child.html", "s", "base.html", 2, 0, "{{ .title.Missing }}", "can't evaluate field Missing"},
		{"url.html", "", "url.html", 2, 4, `{{ url . "x" }}`, "url needs the request"},
		{"context.html", "", "context.html", 2, 0, "", "branches end in different contexts"},
	} {
		var data any
		if c.data != "" {
			data = map[string]any{"user": c.data, "title": c.data}
		}
		err := renderErr(t, e, c.name, data)
		var te *templates.Error
		if !errors.As(err, &te) {
			t.Errorf("%s: %T %v is not a *templates.Error", c.name, err, err)
			continue
		}
		if te.Name != c.file || te.Path != c.file || te.App != "site" || te.Line != c.line || (c.col != 0 && te.Column != c.col) {
			t.Errorf("%s: at %s %s (app %s) line %d col %d, want %s line %d col %d", c.name, te.Name, te.Path, te.App, te.Line, te.Column, c.file, c.line, c.col)
		}
		if c.expr != "" && te.Expression != c.expr {
			t.Errorf("%s: expression %q, want %q", c.name, te.Expression, c.expr)
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %q does not say %q", c.name, err, c.msg)
		}
		if !strings.HasPrefix(err.Error(), "templates: "+te.Location()+": ") {
			t.Errorf("%s: %q does not start with the location %s", c.name, err, te.Location())
		}
		if c.expr != "" && !strings.Contains(err.Error(), c.expr) {
			t.Errorf("%s: %q does not show the expression", c.name, err)
		}
	}
}

// The error of a missing include keeps the postmortem, and errors.Is finds ErrNotFound.
func TestHTMLMissingIncludeChain(t *testing.T) {
	e := htmlEngines(t, files("page.html", `{{ template "nav.html" . }}`))
	err := renderErr(t, e, "page.html", nil)
	var nf *templates.NotFoundError
	if !errors.As(err, &nf) || nf.Name != "nav.html" || !errors.Is(err, templates.ErrNotFound) {
		t.Fatalf("%v: want a NotFoundError for nav.html inside", err)
	}
	// A name without an extension is a define: html/template reports it missing when the page
	// is first rendered.
	e = htmlEngines(t, files("page.html", "\n{{ if .x }}{{ template \"later\" . }}{{ end }}ok"))
	err = renderErr(t, e, "page.html", nil)
	var te *templates.Error
	if !errors.As(err, &te) || te.Line != 2 || te.Expression != `{{ template "later" . }}` || !strings.Contains(err.Error(), `no such template "later"`) {
		t.Errorf("got %v", err)
	}
}

func TestHTMLOptions(t *testing.T) {
	fsys := files("m.html", `[{{ .missing }}]`)
	for _, c := range []struct {
		option  string
		want    string
		wantErr string
	}{
		{"default", "[]", ""},
		{"zero", "[]", ""},
		{"error", "", `map has no entry for key "missing"`},
	} {
		e, err := templates.New(templates.Env{Apps: []*apps.Config{appWith("site", fsys)}},
			templates.Config{AppDirs: true, Options: map[string]any{"missingkey": c.option}})
		if err != nil {
			t.Fatal(err)
		}
		if c.wantErr != "" {
			if err := renderErr(t, e, "m.html", map[string]any{}); !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("missingkey=%s: %v", c.option, err)
			}
			continue
		}
		if got := render(t, e, "m.html", map[string]any{}); got != c.want {
			t.Errorf("missingkey=%s: %q, want %q", c.option, got, c.want)
		}
	}
}
