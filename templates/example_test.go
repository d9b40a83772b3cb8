package templates_test

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// The engines of a project: its own templates directory first, then the apps' templates in
// INSTALLED_APPS order, as TEMPLATES = [{BACKEND = "html", DIRS = ["templates"], APP_DIRS = true}]
// configures them.
func ExampleNew() {
	project, _ := os.MkdirTemp("", "site")
	defer os.RemoveAll(project)
	os.MkdirAll(filepath.Join(project, "templates", "polls"), 0o755)
	os.WriteFile(filepath.Join(project, "templates", "polls", "index.html"), []byte("the project's polls page"), 0o644)

	polls := &apps.Config{Label: "polls", Templates: fstest.MapFS{
		"polls/index.html":  {Data: []byte("the app's polls page")},
		"polls/detail.html": {Data: []byte("the app's detail page")},
	}}
	engines, err := templates.New(templates.Env{Apps: []*apps.Config{polls}},
		templates.Config{Backend: "html", Dirs: []string{filepath.Join(project, "templates")}, AppDirs: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"polls/index.html", "polls/detail.html"} {
		var out strings.Builder
		engines.Render(&out, nil, name, nil)
		fmt.Println(out.String())
	}
	// Output:
	// the project's polls page
	// the app's detail page
}

// A view renders a page with Render; the engines are in the site's middleware, after CSRF.
func ExampleRender() {
	engines, _ := templates.New(templates.Env{Apps: []*apps.Config{{Label: "polls", Templates: fstest.MapFS{
		"base.html": {Data: []byte(`<title>{{ block "title" . }}Site{{ end }}</title>{{ block "content" . }}{{ end }}`)},
		"polls/detail.html": {Data: []byte(`{{ define "title" }}Poll {{ .question.ID }}{{ end }}` +
			`{{ define "content" }}<form action="{{ url . "polls:vote" .question.ID }}" method="post">` +
			`<h1>{{ .question.Text }}</h1></form>{{ end }}{{ template "base.html" . }}`)},
	}}}}, templates.Config{AppDirs: true})

	type Question struct {
		ID   int
		Text string
	}
	detail := func(r *web.Request) (*web.Response, error) {
		return templates.Render(r, "polls/detail.html", templates.Context{
			"question": Question{ID: 7, Text: "Tea or <coffee>?"},
		})
	}
	vote := func(r *web.Request) (*web.Response, error) { return web.Text("voted"), nil }
	router, _ := urls.New(urls.Include("polls/", "polls",
		urls.Path("<int:id>/", detail, urls.Name("detail")),
		urls.Path("<int:id>/vote/", vote, urls.Name("vote")),
	))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{csrf.Default(), engines},
	})

	rec := httptest.NewRecorder()
	site.ServeHTTP(rec, httptest.NewRequest("GET", "http://example.com/polls/7/", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(rec.Body.String())
	// Output:
	// 200 text/html; charset=utf-8
	// <title>Poll 7</title><form action="/polls/7/vote/" method="post"><h1>Tea or &lt;coffee&gt;?</h1></form>
}

// Outside a request — an e-mail, say — a template is rendered with Engines.Render and no request.
func ExampleEngines_Render() {
	engines, _ := templates.New(templates.Env{Apps: []*apps.Config{{Label: "accounts", Templates: fstest.MapFS{
		"accounts/welcome.txt": {Data: []byte(`Hello {{ .Name }}, welcome to {{ .Site }}.`)},
	}}}}, templates.Config{AppDirs: true})
	type welcome struct{ Name, Site string }
	engines.Render(os.Stdout, nil, "accounts/welcome.txt", welcome{Name: "Ada", Site: "Polls"})
	fmt.Println()
	// Output:
	// Hello Ada, welcome to Polls.
}

// Lookup finds the template an engine would use; a missing one lists the places searched.
func ExampleEngines_Lookup() {
	engines, _ := templates.New(templates.Env{Apps: []*apps.Config{
		{Label: "polls", Templates: fstest.MapFS{"polls/index.html": {Data: []byte("polls")}}},
		{Label: "blog", Templates: fstest.MapFS{}},
	}}, templates.Config{AppDirs: true})

	if _, err := engines.Lookup("polls/index.html"); err == nil {
		fmt.Println("polls/index.html exists")
	}
	_, err := engines.Lookup("polls/results.html")
	fmt.Println(errors.Is(err, templates.ErrNotFound))
	fmt.Println(err)
	// Output:
	// polls/index.html exists
	// true
	// templates: no template named "polls/results.html"; searched, in order:
	// 	TEMPLATES[0] (html): polls/results.html in app polls (does not exist)
	// 	TEMPLATES[0] (html): polls/results.html in app blog (does not exist)
}

// Preload parses every template at start-up and reports the broken ones, with file and line.
func ExampleEngines_Preload() {
	engines, _ := templates.New(templates.Env{Apps: []*apps.Config{{Label: "polls", Templates: fstest.MapFS{
		"polls/index.html":  {Data: []byte("fine")},
		"polls/detail.html": {Data: []byte("<h1>\n{{ if .question }}\n</h1>")},
	}}}}, templates.Config{AppDirs: true})
	fmt.Println(engines.Preload())
	// Output:
	// templates: polls/detail.html:3 (app polls): unexpected EOF
}

// A template error names the file, the line and the expression; the debug page shows it.
func ExampleError() {
	engines, _ := templates.New(templates.Env{Apps: []*apps.Config{{Label: "polls", Templates: fstest.MapFS{
		"polls/detail.html": {Data: []byte("<h1>\n  {{ .question.Txt }}\n</h1>")},
	}}}}, templates.Config{AppDirs: true})
	err := engines.Render(io.Discard, nil, "polls/detail.html", map[string]any{"question": struct{ Text string }{"Q"}})
	var te *templates.Error
	if errors.As(err, &te) {
		fmt.Println(te.Name, te.Line, te.Expression)
	}
	fmt.Println(err)
	// Output:
	// polls/detail.html 2 {{ .question.Txt }}
	// templates: polls/detail.html:2:15 (app polls): {{ .question.Txt }}: can't evaluate field Txt in type interface {}
}

// The context a template sees: the view's data on top of the request's values.
func ExampleEnv_Context() {
	env := &templates.Env{}
	r := web.NewRequest(httptest.NewRequest("GET", "/", nil), nil)
	ctx, _ := env.Context(r, struct{ Title string }{"Polls"})
	fmt.Println(ctx["Title"], ctx["request"] == r, ctx["debug"])
	// Output:
	// Polls true false
}

// Static URLs: STATIC_URL and the name, percent-encoded, unless a hook (the staticfiles app's
// hashed names) is set.
func ExampleEnv_StaticFileURL() {
	env := &templates.Env{StaticURL: "/assets/"}
	u, _ := env.StaticFileURL("polls/logo one.png")
	fmt.Println(u)
	env.Static = func(name string) (string, error) { return "https://cdn.example.com/" + name, nil }
	u, _ = env.StaticFileURL("polls/logo.png")
	fmt.Println(u)
	// Output:
	// /assets/polls/logo%20one.png
	// https://cdn.example.com/polls/logo.png
}

// Extra html/template functions go in Env.Funcs; a function that needs the request takes the
// context and finds it with RequestOf.
func ExampleRequestOf() {
	env := templates.Env{
		Apps: []*apps.Config{{Label: "site", Templates: fstest.MapFS{
			"path.html": {Data: []byte(`You are at {{ current_path . }}`)},
		}}},
		Funcs: template.FuncMap{"current_path": func(ctx any) string {
			if r := templates.RequestOf(ctx); r != nil {
				return r.URL.Path
			}
			return ""
		}},
	}
	engines, _ := templates.New(env, templates.Config{AppDirs: true})
	r := web.NewRequest(httptest.NewRequest("GET", "/polls/7/", nil), nil)
	engines.Render(os.Stdout, r, "path.html", nil)
	fmt.Println()
	// Output:
	// You are at /polls/7/
}

// Of gives code outside a view the engines of the request: here a 404 page that uses the
// template 404.html when there is one, as Django's page_not_found does.
func ExampleOf() {
	engines, _ := templates.New(templates.Env{Apps: []*apps.Config{{Label: "site", Templates: fstest.MapFS{
		"404.html": {Data: []byte(`<h1>Not found</h1><p>Nothing at {{ .request_path }}.</p>`)},
	}}}}, templates.Config{AppDirs: true})
	notFound := func(r *web.Request, err error) (*web.Response, error) {
		if e := templates.Of(r); e != nil {
			body, terr := e.RenderBytes(r, "404.html", templates.Context{"request_path": r.URL.Path})
			if terr == nil {
				return web.Bytes(web.TextHTML, body).WithStatus(404), nil
			}
		}
		return nil, err // the default page
	}
	router, _ := urls.New()
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{engines},
		ErrorViews: map[int]web.ErrorView{404: notFound},
		Logger:     slog.New(slog.DiscardHandler),
	})
	rec := httptest.NewRecorder()
	site.ServeHTTP(rec, httptest.NewRequest("GET", "http://example.com/nowhere/<x>", nil))
	fmt.Println(rec.Code, rec.Body.String())
	// Output:
	// 404 <h1>Not found</h1><p>Nothing at /nowhere/&lt;x&gt;.</p>
}
