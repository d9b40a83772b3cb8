package templates_test

import (
	"bytes"
	"html/template"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/web"
)

// A page like the tutorial's poll list: a layout, a block, a loop of ten links, no token.
var benchFiles = fstest.MapFS{
	"base.html": {Data: []byte(`<!doctype html><html><head><title>{{ block "title" . }}Site{{ end }}</title></head>` +
		`<body>{{ block "content" . }}{{ end }}</body></html>`)},
	"polls/index.html": {Data: []byte(`{{ define "title" }}Polls{{ end }}{{ define "content" }}<h1>{{ .title }}</h1><ul>` +
		`{{ range .questions }}<li><a href="/polls/{{ .ID }}/">{{ .Text }}</a></li>{{ end }}</ul>{{ end }}{{ template "base.html" . }}`)},
}

type benchQuestion struct {
	ID   int
	Text string
}

func benchData() map[string]any {
	qs := make([]benchQuestion, 10)
	for i := range qs {
		qs[i] = benchQuestion{ID: i + 1, Text: "What's up?"}
	}
	return map[string]any{"title": "Latest <polls>", "questions": qs}
}

// attached returns a request that the engines middleware has seen.
func attached(e *templates.Engines) *web.Request {
	r := web.NewRequest(httptest.NewRequest("GET", "/polls/", nil), nil)
	e.Wrap(func(*web.Request) (*web.Response, error) { return nil, nil })(r)
	return r
}

// BenchmarkRender is templates.Render of the page above with the html backend.
func BenchmarkRender(b *testing.B) {
	e, err := templates.New(templates.Env{Apps: []*apps.Config{{Label: "polls", Templates: benchFiles}}}, templates.Config{AppDirs: true})
	if err != nil {
		b.Fatal(err)
	}
	r, data := attached(e), benchData()
	if _, err := templates.Render(r, "polls/index.html", data); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := templates.Render(r, "polls/index.html", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderParallel is BenchmarkRender from every processor at once.
func BenchmarkRenderParallel(b *testing.B) {
	e, err := templates.New(templates.Env{Apps: []*apps.Config{{Label: "polls", Templates: benchFiles}}}, templates.Config{AppDirs: true})
	if err != nil {
		b.Fatal(err)
	}
	data := benchData()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := attached(e)
		for pb.Next() {
			if _, err := templates.Render(r, "polls/index.html", data); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkHTMLTemplate is the same page with html/template alone, executed into a buffer: the
// floor Render builds on.
func BenchmarkHTMLTemplate(b *testing.B) {
	t := template.Must(template.New("base.html").Parse(string(benchFiles["base.html"].Data)))
	template.Must(t.New("polls/index.html").Parse(string(benchFiles["polls/index.html"].Data)))
	page := t.Lookup("polls/index.html")
	data := benchData()
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := page.Execute(&buf, data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookup is finding a parsed template in the cache.
func BenchmarkLookup(b *testing.B) {
	e, err := templates.New(templates.Env{Apps: []*apps.Config{{Label: "polls", Templates: benchFiles}}}, templates.Config{AppDirs: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.Lookup("polls/index.html"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Lookup("polls/index.html"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookupDebug is the same in debug mode, where files are checked every half second.
func BenchmarkLookupDebug(b *testing.B) {
	e, err := templates.New(templates.Env{Debug: true, Apps: []*apps.Config{{Label: "polls", Templates: benchFiles}}}, templates.Config{AppDirs: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.Lookup("polls/index.html"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Lookup("polls/index.html"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrap is the cost the engines middleware adds to a request.
func BenchmarkWrap(b *testing.B) {
	e, err := templates.New(templates.Env{}, templates.Config{})
	if err != nil {
		b.Fatal(err)
	}
	view := e.Wrap(func(*web.Request) (*web.Response, error) { return nil, nil })
	r := web.NewRequest(httptest.NewRequest("GET", "/", nil), nil)
	b.ReportAllocs()
	for b.Loop() {
		view(r)
	}
}
