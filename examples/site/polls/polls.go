// Package polls is the example site's polls app: a list of questions, a vote form protected by
// CSRF, results, and the visitor's own votes kept in the session.
package polls

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"strconv"
	"strings"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

//go:embed templates
var templateFiles embed.FS

var pages = template.Must(template.New("polls").Funcs(csrf.FuncMap()).ParseFS(templateFiles, "templates/polls/*.html"))

// Polls holds the questions; tests may replace it.
var Polls = NewStore()

// URLs are the app's routes, reversed as "polls:…".
var URLs = []urls.Entry{
	urls.Path("", index, urls.Name("index")),
	urls.Path("<int:id>/", detail, urls.Name("detail"), urls.Methods("GET")),
	urls.Path("<int:id>/vote/", vote, urls.Name("vote"), urls.Methods("POST")),
	urls.Path("<int:id>/results/", results, urls.Name("results"), urls.Methods("GET")),
}

// App registers the app; INSTALLED_APPS enables it.
var App = &apps.Config{Label: "polls", URLs: URLs, Templates: mustSub(templateFiles, "templates")}

func init() { apps.Register(App) }

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

func render(name string, data any) (*web.Response, error) {
	var b strings.Builder
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		return nil, err
	}
	return web.HTML(b.String()), nil
}

// myVotes returns the choices this visitor voted for, by question, from the session.
func myVotes(r *web.Request) map[string]int {
	votes, _ := sessions.Value[map[string]int](sessions.Get(r), "votes")
	if votes == nil {
		votes = map[string]int{}
	}
	return votes
}

func index(r *web.Request) (*web.Response, error) {
	return render("index.html", map[string]any{"Questions": Polls.Questions(), "Mine": myVotes(r)})
}

func question(r *web.Request) (Question, error) {
	id, err := r.Params().Int("id")
	if err != nil {
		return Question{}, err
	}
	q, ok := Polls.Question(id)
	if !ok {
		return Question{}, web.NotFound("no question %d", id)
	}
	return q, nil
}

func detail(r *web.Request) (*web.Response, error) {
	q, err := question(r)
	if err != nil {
		return nil, err
	}
	action, _ := r.Reverse("polls:vote", q.ID)
	flash, _ := sessions.Get(r).PopString("flash")
	return render("detail.html", map[string]any{
		"Q": q, "Action": action, "Request": r, "Flash": flash,
		"Mine": myVotes(r)[strconv.Itoa(q.ID)],
	})
}

func vote(r *web.Request) (*web.Response, error) {
	q, err := question(r)
	if err != nil {
		return nil, err
	}
	form, err := r.Form()
	if err != nil {
		return nil, err
	}
	choice, err := strconv.Atoi(form.Get("choice"))
	if err != nil || !Polls.Vote(q.ID, choice) {
		// Redisplay the form with a message, as Django's tutorial does.
		sessions.Get(r).Set("flash", "You didn't select a choice.")
		back, _ := r.Reverse("polls:detail", q.ID)
		return web.RedirectWith(303, back), nil
	}
	votes := myVotes(r)
	votes[strconv.Itoa(q.ID)] = choice
	s := sessions.Get(r)
	s.Set("votes", votes)
	s.Set("flash", fmt.Sprintf("Thanks for voting on %q.", q.Text))
	next, _ := r.Reverse("polls:results", q.ID)
	return web.RedirectWith(303, next), nil
}

func results(r *web.Request) (*web.Response, error) {
	q, err := question(r)
	if err != nil {
		return nil, err
	}
	flash, _ := sessions.Get(r).PopString("flash")
	return render("results.html", map[string]any{"Q": q, "Flash": flash, "Mine": myVotes(r)[strconv.Itoa(q.ID)]})
}
