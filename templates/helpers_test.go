package templates_test

import (
	"bytes"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// files makes an fstest.MapFS from names and texts.
func files(nameText ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i < len(nameText); i += 2 {
		m[nameText[i]] = &fstest.MapFile{Data: []byte(nameText[i+1])}
	}
	return m
}

// appWith returns an app whose templates are fsys.
func appWith(label string, fsys fs.FS) *apps.Config {
	return &apps.Config{Label: label, Templates: fsys}
}

// htmlEngines returns html engines that find the templates of fsys (as the app "site").
func htmlEngines(t testing.TB, fsys fs.FS) *templates.Engines {
	t.Helper()
	e, err := templates.New(templates.Env{Apps: []*apps.Config{appWith("site", fsys)}}, templates.Config{AppDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// render renders name outside a request and fails the test on error.
func render(t testing.TB, e *templates.Engines, name string, data any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := e.Render(&buf, nil, name, data); err != nil {
		t.Fatalf("rendering %s: %v", name, err)
	}
	return buf.String()
}

// renderErr renders name and returns the error, failing the test when there is none.
func renderErr(t testing.TB, e *templates.Engines, name string, data any) error {
	t.Helper()
	var buf bytes.Buffer
	err := e.Render(&buf, nil, name, data)
	if err == nil {
		t.Fatalf("rendering %s: no error, output %q", name, buf.String())
	}
	return err
}

// writeFile writes a file under dir, making its directories.
func writeFile(t testing.TB, dir, name, text string) string {
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

// site is a gateway with the CSRF middleware and the engines, serving the polls URLs:
// /polls/ (index), /polls/<int:id>/ (detail) and /page/<name> rendering any template.
func site(t testing.TB, e *templates.Engines, debug bool, extra ...urls.Entry) *cantertest.Client {
	t.Helper()
	cfg := csrf.DefaultConfig()
	cfg.Logger = quiet
	mw, err := csrf.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	page := func(r *web.Request) (*web.Response, error) {
		return templates.Render(r, r.Param("name"), templates.Context{"question": question{ID: 7, Text: "What's <new>?"}})
	}
	entries := append([]urls.Entry{
		urls.Include("polls/", "polls",
			urls.Path("", page, urls.Name("index")),
			urls.Path("<int:id>/", page, urls.Name("detail")),
			urls.Path("<int:id>/vote/", vote, urls.Name("vote")),
		),
		urls.Path("page/<path:name>", page),
	}, extra...)
	router, err := urls.New(entries...)
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

type question struct {
	ID   int
	Text string
}

func vote(r *web.Request) (*web.Response, error) {
	return web.Text("voted for " + r.FormValue("choice")), nil
}
