package django_test

import (
	"fmt"
	"net/http/httptest"
	"testing/fstest"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// Templates written for Django render as they are: TEMPLATES = [{BACKEND = "django",
// APP_DIRS = true}] and the package imported for its "django" backend.
func Example() {
	polls := &apps.Config{Label: "polls", Templates: fstest.MapFS{
		"polls/base.html": {Data: []byte(`{% load static %}<link rel="stylesheet" href="{% static 'polls/style.css' %}">` +
			`{% block content %}{% endblock %}`)},
		"polls/index.html": {Data: []byte(`{% extends "polls/base.html" %}{% block content %}<ul>` +
			`{% for q in latest %}<li><a href="{% url 'polls:detail' q.ID %}">{{ q.Text }}</a></li>{% endfor %}` +
			`</ul>{% endblock %}`)},
	}}
	engines, err := templates.New(templates.Env{Apps: []*apps.Config{polls}},
		templates.Config{Backend: "django", AppDirs: true})
	if err != nil {
		fmt.Println(err)
		return
	}

	type Question struct {
		ID   int
		Text string
	}
	index := func(r *web.Request) (*web.Response, error) {
		return templates.Render(r, "polls/index.html", map[string]any{
			"latest": []Question{{1, "Tea or coffee?"}, {2, "<b>Cats</b> or dogs?"}},
		})
	}
	router, _ := urls.New(urls.Include("polls/", "polls",
		urls.Path("", index, urls.Name("index")),
		urls.Path("<int:id>/", index, urls.Name("detail")),
	))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"example.com"}},
		Middleware: []web.Middleware{csrf.Default(), engines},
	})
	rec := httptest.NewRecorder()
	site.ServeHTTP(rec, httptest.NewRequest("GET", "http://example.com/polls/", nil))
	fmt.Println(rec.Body.String())
	// Output:
	// <link rel="stylesheet" href="/static/polls/style.css"><ul><li><a href="/polls/1/">Tea or coffee?</a></li><li><a href="/polls/2/">&lt;b&gt;Cats&lt;/b&gt; or dogs?</a></li></ul>
}

// New is the backend itself; the package registers it under "django" when imported.
func ExampleNew() {
	fmt.Println(templates.Backends())
	// Output:
	// [django html]
}
