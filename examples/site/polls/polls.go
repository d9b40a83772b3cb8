// Package polls is the example site's polls app, after Django's tutorial: a list of questions,
// a vote form protected against CSRF, results, a thank-you message, and the visitor's own
// votes kept in the session. Its templates are in Django's template language.
package polls

import (
	"embed"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/messages"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

//go:embed templates
var templateFiles embed.FS

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

// myVotes returns the choices this visitor voted for, by question, from the session.
func myVotes(r *web.Request) map[string]int {
	votes, _ := sessions.Value[map[string]int](sessions.Get(r), "votes")
	if votes == nil {
		votes = map[string]int{}
	}
	return votes
}

// listed is a question as the index shows it.
type listed struct {
	Question
	Mine bool
}

func index(r *web.Request) (*web.Response, error) {
	mine := myVotes(r)
	var qs []listed
	for _, q := range Polls.Questions() {
		qs = append(qs, listed{Question: q, Mine: mine[strconv.Itoa(q.ID)] != 0})
	}
	return templates.Render(r, "polls/index.html", templates.Context{"questions": qs})
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
	return templates.Render(r, "polls/detail.html", templates.Context{
		"question": q, "mine": myVotes(r)[strconv.Itoa(q.ID)],
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
		// Back to the form with a message, as Django's tutorial does.
		messages.Warning(r, "You didn't select a choice.")
		back, _ := r.Reverse("polls:detail", q.ID)
		return web.RedirectWith(303, back), nil
	}
	votes := myVotes(r)
	votes[strconv.Itoa(q.ID)] = choice
	sessions.Get(r).Set("votes", votes)
	messages.Success(r, fmt.Sprintf("Thanks for voting on %q.", q.Text))
	next, _ := r.Reverse("polls:results", q.ID)
	return web.RedirectWith(303, next), nil
}

func results(r *web.Request) (*web.Response, error) {
	q, err := question(r)
	if err != nil {
		return nil, err
	}
	return templates.Render(r, "polls/results.html", templates.Context{
		"question": q, "mine": myVotes(r)[strconv.Itoa(q.ID)],
	})
}
