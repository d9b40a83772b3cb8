package django_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/templates"
	_ "github.com/canter-go/canter/templates/django"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func files(nameText ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i < len(nameText); i += 2 {
		m[nameText[i]] = &fstest.MapFile{Data: []byte(nameText[i+1])}
	}
	return m
}

// engines returns django engines that find the templates of fsys (as the app "site").
func engines(t testing.TB, fsys fs.FS, env ...templates.Env) *templates.Engines {
	t.Helper()
	var en templates.Env
	if len(env) > 0 {
		en = env[0]
	}
	en.Apps = append(en.Apps, &apps.Config{Label: "site", Templates: fsys})
	e, err := templates.New(en, templates.Config{Backend: "django", AppDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func render(t testing.TB, e *templates.Engines, name string, data any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := e.Render(&buf, nil, name, data); err != nil {
		t.Fatalf("rendering %s: %v", name, err)
	}
	return buf.String()
}

func renderErr(t testing.TB, e *templates.Engines, name string, data any) error {
	t.Helper()
	var buf bytes.Buffer
	err := e.Render(&buf, nil, name, data)
	if err == nil {
		t.Fatalf("rendering %s: no error, output %q", name, buf.String())
	}
	return err
}

// site is a gateway with the CSRF middleware and the engines: /page/<name> renders any
// template, the polls URLs are named for reversing.
func site(t testing.TB, e *templates.Engines, debug bool) *cantertest.Client {
	t.Helper()
	cfg := csrf.DefaultConfig()
	cfg.Logger = quiet
	mw, err := csrf.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	page := func(r *web.Request) (*web.Response, error) {
		return templates.Render(r, r.Param("name"), map[string]any{"question": map[string]any{"id": 7, "text": "Q"}, "ids": []int{1, 22}})
	}
	vote := func(r *web.Request) (*web.Response, error) { return web.Text("voted " + r.FormValue("choice")), nil }
	router, err := urls.New(
		urls.Include("polls/", "polls",
			urls.Path("", page, urls.Name("index")),
			urls.Path("<int:id>/", page, urls.Name("detail")),
			urls.Path("<int:year>/<slug:slug>/", page, urls.Name("archive")),
			urls.Path("<int:id>/vote/", vote, urls.Name("vote")),
		),
		urls.Path("page/<path:name>", page),
	)
	if err != nil {
		t.Fatal(err)
	}
	h := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, Debug: debug, AllowedHosts: []string{"testserver"}},
		Middleware: []web.Middleware{mw, e},
		Logger:     quiet,
	})
	c := cantertest.New(t, h)
	c.EnforceCSRFChecks = true
	return c
}

// Autoescaping as Django's escape filter documents it: < > ' " & become &lt; &gt; &#x27;
// &quot; &amp;; safe and {% autoescape off %} turn it off.
func TestAutoescape(t *testing.T) {
	e := engines(t, files(
		"a.html", `<p title="{{ v }}">{{ v }}</p>`,
		"safe.html", `{{ v|safe }}`,
		"off.html", `{% autoescape off %}{{ v }}{% endautoescape %}|{{ v }}`,
		"escape.html", `{{ v|escape }}`,
	))
	v := map[string]any{"v": `<b>'"&`}
	esc := `&lt;b&gt;&#x27;&quot;&amp;`
	for name, want := range map[string]string{
		"a.html":      `<p title="` + esc + `">` + esc + `</p>`,
		"safe.html":   `<b>'"&`,
		"off.html":    `<b>'"&|` + esc,
		"escape.html": esc,
	} {
		if got := render(t, e, name, v); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
}

// {% extends %} and {% block %}, three levels, with {{ block.super }} written as in Django.
func TestInheritance(t *testing.T) {
	e := engines(t, files(
		"base.html", `<title>{% block title %}Site{% endblock %}</title><main>{% block content %}{% endblock %}</main><footer>{% block footer %}(c){% endblock %}</footer>`,
		"polls/base.html", `{% extends "base.html" %}{% block title %}Polls - {{ block.super }}{% endblock %}{% block footer %}polls{% endblock %}`,
		"polls/detail.html", `{% extends "polls/base.html" %}{% block content %}<h1>{{ question.text }}</h1>{% endblock %}`,
		"polls/relative.html", `{% extends "./base.html" %}{% block content %}relative{% endblock %}`,
	))
	data := map[string]any{"question": map[string]any{"text": "Q & A"}}
	for name, want := range map[string]string{
		"polls/detail.html":   `<title>Polls - Site</title><main><h1>Q &amp; A</h1></main><footer>polls</footer>`,
		"polls/relative.html": `<title>Polls - Site</title><main>relative</main><footer>polls</footer>`,
		"base.html":           `<title>Site</title><main></main><footer>(c)</footer>`,
	} {
		if got := render(t, e, name, data); got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

// {% include %}: the current context, with, only, nesting, a name from a variable.
func TestInclude(t *testing.T) {
	e := engines(t, files(
		"list.html", `<ul>{% for q in questions %}{% include "item.html" %}{% endfor %}</ul>`,
		"item.html", `<li>{{ q }}{% include "sep.html" %}</li>`,
		"sep.html", `{{ sep }}`,
		"with.html", `{% include "sep.html" with sep="|" %}{% include "only.html" with a=1 only %}`,
		"only.html", `[{{ a }}{{ sep }}]`,
		"dynamic.html", `{% include name %}`,
	))
	if got := render(t, e, "list.html", map[string]any{"questions": []string{"a<b", "c"}, "sep": ";"}); got != `<ul><li>a&lt;b;</li><li>c;</li></ul>` {
		t.Errorf("list = %s", got)
	}
	if got := render(t, e, "with.html", map[string]any{"sep": ";"}); got != `|[1]` {
		t.Errorf("with = %s", got)
	}
	if got := render(t, e, "dynamic.html", map[string]any{"name": "sep.html", "sep": "!"}); got != `!` {
		t.Errorf("dynamic = %s", got)
	}
}

// {% url %} reverses named routes: positional and keyword arguments, variables, "as".
func TestURLTag(t *testing.T) {
	e := engines(t, files(
		"links.html", `<a href="{% url 'polls:detail' question.id %}"></a>`+
			`{% for id in ids %}<a href="{% url "polls:vote" id %}"></a>{% endfor %}`+
			`<a href="{% url 'polls:archive' year=2024 slug="hello-world" %}"></a>`+
			`{% url 'polls:index' as index %}<a href="{{ index }}"></a>`+
			`{% url 'polls:nope' as nope %}[{{ nope }}]`,
		"bad.html", "\n<a href=\"{% url 'polls:nope' 1 %}\">",
		"mixed.html", `{% url 'polls:detail' 1 id=2 %}`,
	))
	c := site(t, e, false)
	got := c.Get("/page/links.html").Text()
	want := `<a href="/polls/7/"></a><a href="/polls/1/vote/"></a><a href="/polls/22/vote/"></a>` +
		`<a href="/polls/2024/hello-world/"></a><a href="/polls/"></a>[]`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	r := web.NewRequest(mustRequest("/"), &web.Site{Resolver: mustRouter(t)})
	var buf bytes.Buffer
	err := e.Render(&buf, r, "bad.html", nil)
	var te *templates.Error
	var re *urls.ReverseError
	if !errors.As(err, &te) || !errors.As(err, &re) || te.Line != 2 || te.Expression != `{% url 'polls:nope' 1 %}` {
		t.Errorf("%T %v", err, err)
	}
	if err := renderErr(t, e, "mixed.html", nil); !strings.Contains(err.Error(), "Don't mix *args and **kwargs in call to reverse()!") {
		t.Errorf("mixed: %v", err)
	}
}

// {% static %} and {% load static %}, as Django templates write them.
func TestStaticTag(t *testing.T) {
	fsys := files(
		"s.html", `{% load static %}<link href="{% static 'polls/style.css' %}"><img src="{% static img %}">{% static "a&b.png" as ab %}{{ ab }}`,
		"i18n.html", `{% load i18n %}`,
	)
	e := engines(t, fsys)
	want := `<link href="/static/polls/style.css"><img src="/static/a%20b/%C3%BC.png">/static/a%26b.png`
	if got := render(t, e, "s.html", map[string]any{"img": "a b/ü.png"}); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	e = engines(t, fsys, templates.Env{Static: func(name string) (string, error) { return "https://cdn.example/" + name + "?v=1&x", nil }})
	want = `<link href="https://cdn.example/polls/style.css?v=1&amp;x"><img src="https://cdn.example/x?v=1&amp;x">https://cdn.example/a&amp;b.png?v=1&amp;x`
	if got := render(t, e, "s.html", map[string]any{"img": "x"}); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if err := renderErr(t, e, "i18n.html", nil); !strings.Contains(err.Error(), "'i18n' is not a registered tag library. Must be one of:\nstatic") {
		t.Errorf("load i18n: %v", err)
	}
}

// {% csrf_token %} gives a field the middleware accepts, and only then is the cookie sent.
func TestCSRFTokenTag(t *testing.T) {
	e := engines(t, files(
		"form.html", `<form method="post" action="{% url 'polls:vote' 7 %}">{% csrf_token %}<input name="choice"></form>`,
		"value.html", `<meta name="csrf-token" content="{{ csrf_token }}">`,
		"plain.html", `plain`,
		"given.html", `{% csrf_token %}`,
	))
	c := site(t, e, false)
	page := c.Get("/page/form.html")
	token := csrf.FindToken(page.Content)
	if len(token) != 64 || page.Cookie("csrftoken") == nil {
		t.Fatalf("token %q in %s, cookie %v", token, page.Text(), page.Cookie("csrftoken"))
	}
	if !strings.Contains(page.Text(), `<input type="hidden" name="csrfmiddlewaretoken" value="`+token+`">`) {
		t.Errorf("field as Django writes it: %s", page.Text())
	}
	if resp := c.Post("/polls/7/vote/", url.Values{"choice": {"2"}}); resp.StatusCode != 403 {
		t.Errorf("POST without the token: %d", resp.StatusCode)
	}
	if resp := c.Post("/polls/7/vote/", url.Values{"choice": {"2"}, "csrfmiddlewaretoken": {token}}); resp.StatusCode != 200 || resp.Text() != "voted 2" {
		t.Errorf("POST with the token: %d %s", resp.StatusCode, resp.Text())
	}

	c.ClearCookies()
	v := c.Get("/page/value.html")
	if tok := strings.TrimSuffix(strings.TrimPrefix(v.Text(), `<meta name="csrf-token" content="`), `">`); len(tok) != 64 || v.Cookie("csrftoken") == nil {
		t.Errorf("{{ csrf_token }}: %s, cookie %v", v.Text(), v.Cookie("csrftoken"))
	}
	c.ClearCookies()
	if p := c.Get("/page/plain.html"); p.Cookie("csrftoken") != nil {
		t.Error("a page without a token sent the CSRF cookie")
	}

	// Django's tag with a token the view gives, and with none.
	if got := render(t, e, "given.html", map[string]any{"csrf_token": `a"b`}); got != `<input type="hidden" name="csrfmiddlewaretoken" value="a&quot;b">` {
		t.Errorf("given token: %s", got)
	}
	for _, data := range []map[string]any{nil, {"csrf_token": "NOTPROVIDED"}, {"csrf_token": ""}} {
		if got := render(t, e, "given.html", data); got != "" {
			t.Errorf("%v: %q", data, got)
		}
	}
}

// messages is asked for only when a template uses it.
func TestMessages(t *testing.T) {
	calls := 0
	env := templates.Env{Messages: func(r *web.Request) any {
		calls++
		return []string{"Saved.", "<b>Hi</b>"}
	}}
	e := engines(t, files(
		"with.html", `{% if messages %}<ul>{% for m in messages %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}`,
		"without.html", `nothing`,
	), env)
	c := site(t, e, false)
	if got := c.Get("/page/with.html").Text(); got != "<ul><li>Saved.</li><li>&lt;b&gt;Hi&lt;/b&gt;</li></ul>" {
		t.Errorf("with messages: %s", got)
	}
	calls = 0
	c.Get("/page/without.html")
	if calls != 0 {
		t.Errorf("a page without messages called the hook %d times", calls)
	}
}

// Errors name the file, the line and the tag or variable.
func TestErrors(t *testing.T) {
	e := engines(t, files(
		"tag.html", "line 1\n  {% nosuchtag %}",
		"filter.html", "\n\n<p>{{ q|nosuchfilter }}</p>",
		"exec.html", "<p>\n{{ q.a.b }}</p>",
		"extends.html", "\n{% extends \"missing.html\" %}",
		"include.html", "x\n\n{% include 'missing.html' %}",
		"child.html", `{% extends "broken-base.html" %}`,
		"ssi.html", "\n{% ssi '/etc/passwd' %}",
		"dynamic.html", `{% include name %}`,
		"broken-base.html", "\n\n{% if %}",
	))
	for _, c := range []struct {
		name, file string
		line       int
		expr, msg  string
	}{
		{"tag.html", "tag.html", 2, "{% nosuchtag %}", "Tag 'nosuchtag' not found"},
		{"filter.html", "filter.html", 3, "{{ q|nosuchfilter }}", "Filter 'nosuchfilter' does not exist."},
		{"exec.html", "exec.html", 2, "{{ q.a.b }}", "can't access a field by name on type string"},
		{"extends.html", "extends.html", 2, `{% extends "missing.html" %}`, `no template named "missing.html"`},
		{"include.html", "include.html", 3, `{% include 'missing.html' %}`, `no template named "missing.html"`},
		{"child.html", "broken-base.html", 3, "{% if %}", "Unexpected EOF"},
		{"ssi.html", "ssi.html", 2, "{% ssi '/etc/passwd' %}", "Usage of tag 'ssi' is not allowed"},
		{"dynamic.html", "exec.html", 2, "{{ q.a.b }}", "can't access a field by name on type string"},
	} {
		err := renderErr(t, e, c.name, map[string]any{"q": "s", "name": "exec.html"})
		var te *templates.Error
		if !errors.As(err, &te) {
			t.Errorf("%s: %T %v", c.name, err, err)
			continue
		}
		if te.Name != c.file || te.App != "site" || te.Line != c.line || te.Column == 0 || te.Expression != c.expr {
			t.Errorf("%s: %s line %d col %d expr %q; want %s line %d expr %q", c.name, te.Name, te.Line, te.Column, te.Expression, c.file, c.line, c.expr)
		}
		if !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "templates: "+te.Location()+": "+c.expr+": ") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	err := renderErr(t, e, "include.html", nil)
	if !errors.Is(err, templates.ErrNotFound) {
		t.Errorf("missing include: %v does not match ErrNotFound", err)
	}
	if err := renderErr(t, e, "nope.html", nil); !errors.Is(err, templates.ErrNotFound) || !strings.Contains(err.Error(), "TEMPLATES[0] (django): nope.html in app site (does not exist)") {
		t.Errorf("missing page: %v", err)
	}
}

// Options: debug and autoescape are known; autoescape cannot be turned off for the engine.
func TestOptions(t *testing.T) {
	_, err := templates.New(templates.Env{},
		templates.Config{Backend: "django", Options: map[string]any{"autoescape": false}},
		templates.Config{Backend: "django", Options: map[string]any{"string_if_invalid": "?"}},
		templates.Config{Backend: "django", Options: map[string]any{"autoescape": true, "debug": true}},
	)
	for _, s := range []string{
		"TEMPLATES[0]: OPTIONS autoescape = false: the django backend always autoescapes",
		"TEMPLATES[1]: OPTIONS string_if_invalid is not an option of the django backend; its options are debug, app_dir and autoescape",
	} {
		if err == nil || !strings.Contains(err.Error(), s) {
			t.Errorf("%v does not say %q", err, s)
		}
	}
	if err != nil && strings.Contains(err.Error(), "TEMPLATES[2]") {
		t.Errorf("valid options refused: %v", err)
	}
}

// Django's order between the project and the apps, and between the apps.
func TestOverrideOrder(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "base.html", `[{% block c %}{% endblock %}]`)
	polls := &apps.Config{Label: "polls", Templates: files(
		"polls/page.html", `{% extends "base.html" %}{% block c %}{% include "part.html" %}{% endblock %}`,
		"base.html", "polls base",
		"part.html", "polls part",
	)}
	blog := &apps.Config{Label: "blog", Templates: files("part.html", "blog part", "polls/page.html", "blog's page")}
	for _, c := range []struct {
		order []*apps.Config
		want  string
	}{
		{[]*apps.Config{polls, blog}, "[polls part]"},
		{[]*apps.Config{blog, polls}, "blog's page"},
	} {
		e, err := templates.New(templates.Env{Apps: c.order}, templates.Config{Backend: "django", Dirs: []string{dir}, AppDirs: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := render(t, e, "polls/page.html", nil); got != c.want {
			t.Errorf("%s first: %q, want %q", c.order[0].Label, got, c.want)
		}
	}
}

// In debug mode a changed layout makes its pages parse again.
func TestReloadInDebug(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "page.html", `{% extends "base.html" %}{% block c %}page{% endblock %}`)
	base := write(t, dir, "base.html", `[{% block c %}{% endblock %}]`)
	inc := write(t, dir, "inc.html", `inc1`)
	write(t, dir, "withinc.html", `{% include "inc.html" %}`)
	e, err := templates.New(templates.Env{Debug: true}, templates.Config{Backend: "django", Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if got := render(t, e, "page.html", nil) + render(t, e, "withinc.html", nil); got != "[page]inc1" {
		t.Fatalf("first = %q", got)
	}
	touch(t, base, `({% block c %}{% endblock %})`)
	touch(t, inc, `inc2`)
	if got := render(t, e, "page.html", nil); got != "[page]" {
		t.Errorf("right after the change = %q", got)
	}
	time.Sleep(600 * time.Millisecond)
	if got := render(t, e, "page.html", nil) + render(t, e, "withinc.html", nil); got != "(page)inc2" {
		t.Errorf("after the interval = %q", got)
	}
}

func write(t testing.TB, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func touch(t testing.TB, path, text string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// Written aside and renamed into place, so that a reader sees the old file or the new one.
	tmp := path + ".new"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	later := fi.ModTime().Add(2 * time.Second)
	if err := os.Chtimes(tmp, later, later); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// With debug on, the technical 500 page shows the template's file, line and tag.
func TestDebugPage(t *testing.T) {
	e := engines(t, files("polls/detail.html", "<h1>\n{% url 'polls:nope' %}</h1>"))
	resp := site(t, e, true).Get("/page/polls/detail.html")
	if resp.StatusCode != 500 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, s := range []string{"polls/detail.html:2:", "(app site)", "{% url &#39;polls:nope&#39; %}", "Reverse for &#39;polls:nope&#39; not found"} {
		if !strings.Contains(resp.Text(), s) {
			t.Errorf("the debug page does not show %q:\n%s", s, resp.Text())
		}
	}
}

func mustRouter(t testing.TB) *urls.Router {
	r, err := urls.New(urls.Include("polls/", "polls", urls.Path("", func(*web.Request) (*web.Response, error) { return nil, nil }, urls.Name("index"))))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustRequest(target string) *http.Request {
	r, _ := http.NewRequest("GET", "http://testserver"+target, nil)
	return r
}

// The name under which an engine finds itself prints as nothing.
func TestEngineKeyHidden(t *testing.T) {
	e := engines(t, files("k.html", `[{{ _canter }}]`))
	if got := render(t, e, "k.html", nil); got != "[]" {
		t.Errorf("got %q", got)
	}
}
