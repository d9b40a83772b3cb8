package django_test

import (
	"io"
	"io/fs"
	"net/http/httptest"
	"testing"

	"github.com/flosch/pongo2/v6"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/web"
)

// The tutorial's poll list in Django syntax: a layout, a block, a loop of ten links.
var benchFiles = files(
	"base.html", `<!doctype html><html><head><title>{% block title %}Site{% endblock %}</title></head>`+
		`<body>{% block content %}{% endblock %}</body></html>`,
	"polls/index.html", `{% extends "base.html" %}{% block title %}Polls{% endblock %}{% block content %}<h1>{{ title }}</h1><ul>`+
		`{% for q in questions %}<li><a href="/polls/{{ q.ID }}/">{{ q.Text }}</a></li>{% endfor %}</ul>{% endblock %}`,
)

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

// BenchmarkRender is templates.Render of the page above with the django backend.
func BenchmarkRender(b *testing.B) {
	e, err := templates.New(templates.Env{Apps: []*apps.Config{{Label: "polls", Templates: benchFiles}}},
		templates.Config{Backend: "django", AppDirs: true})
	if err != nil {
		b.Fatal(err)
	}
	r := web.NewRequest(httptest.NewRequest("GET", "/polls/", nil), nil)
	e.Wrap(func(*web.Request) (*web.Response, error) { return nil, nil })(r)
	data := benchData()
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

// BenchmarkPongo2 is the same page with pongo2 alone: the floor Render builds on.
func BenchmarkPongo2(b *testing.B) {
	set := pongo2.NewSet("bench", rootLoader{benchFiles})
	tpl, err := set.FromFile("polls/index.html")
	if err != nil {
		b.Fatal(err)
	}
	data := pongo2.Context(benchData())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.ExecuteBytes(data); err != nil {
			b.Fatal(err)
		}
	}
}

// rootLoader reads names from the root of an fs.FS, as Django does.
type rootLoader struct{ fsys fs.FS }

func (l rootLoader) Abs(base, name string) string       { return name }
func (l rootLoader) Get(name string) (io.Reader, error) { return l.fsys.Open(name) }
