package templates_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/templates"
)

// Django's order: the project's DIRS in order, then the apps in INSTALLED_APPS order; the first
// file found wins, for the page and for what it extends and includes.
func TestOverrideOrder(t *testing.T) {
	dir1, dir2 := t.TempDir(), t.TempDir()
	writeFile(t, dir1, "shared.html", "dir1")
	writeFile(t, dir2, "shared.html", "dir2")
	writeFile(t, dir2, "only-dir2.html", "dir2")
	writeFile(t, dir2, "base.html", `[{{ block "x" . }}{{ end }}]`)
	polls := appWith("polls", files(
		"shared.html", "polls",
		"polls/index.html", "polls index",
		"both.html", "polls",
		"polls/page.html", `{{ define "x" }}{{ template "part.html" }}{{ end }}{{ template "base.html" . }}`,
		"base.html", "polls base",
	))
	blog := appWith("blog", files(
		"shared.html", "blog",
		"both.html", "blog",
		"blog/index.html", "blog index",
		"polls/index.html", "blog's polls index",
		"part.html", "blog part",
	))
	env := templates.Env{Apps: []*apps.Config{polls, blog, {Label: "empty"}}}
	e, err := templates.New(env, templates.Config{Dirs: []string{dir1, dir2}, AppDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"shared.html":      "dir1",
		"only-dir2.html":   "dir2",
		"both.html":        "polls",
		"polls/index.html": "polls index",
		"blog/index.html":  "blog index",
		// The page is polls'; its layout is the project's; its include is blog's.
		"polls/page.html": "[blog part]",
	} {
		if got := render(t, e, name, nil); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	// INSTALLED_APPS in the other order: blog overrides polls.
	env.Apps = []*apps.Config{blog, polls}
	e, err = templates.New(env, templates.Config{AppDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"shared.html": "blog", "both.html": "blog", "polls/index.html": "blog's polls index"} {
		if got := render(t, e, name, nil); got != want {
			t.Errorf("blog first: %s = %q, want %q", name, got, want)
		}
	}

	// Without APP_DIRS the apps are not searched.
	e, err = templates.New(env, templates.Config{Dirs: []string{dir2}})
	if err != nil {
		t.Fatal(err)
	}
	if err := renderErr(t, e, "polls/index.html", nil); !errors.Is(err, templates.ErrNotFound) {
		t.Errorf("APP_DIRS off: %v", err)
	}
}

// The first engine that has the template renders it; the postmortem lists every engine.
func TestEnginesInOrder(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.html", "first {{ .x }}")
	app := appWith("polls", files("a.html", "second", "b.html", "second b"))
	e, err := templates.New(templates.Env{Apps: []*apps.Config{app}},
		templates.Config{Backend: "html", Dirs: []string{dir}},
		templates.Config{Backend: "html", AppDirs: true},
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := render(t, e, "a.html", map[string]any{"x": 1}); got != "first 1" {
		t.Errorf("a.html = %q", got)
	}
	if got := render(t, e, "b.html", nil); got != "second b" {
		t.Errorf("b.html = %q", got)
	}
	err = renderErr(t, e, "polls/missing.html", nil)
	var nf *templates.NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("%T %v", err, err)
	}
	want := []templates.Tried{
		{Engine: "TEMPLATES[0] (html)", Origin: filepath.Join(dir, "polls", "missing.html"), Reason: "does not exist"},
		{Engine: "TEMPLATES[1] (html)", Origin: "polls/missing.html in app polls", Reason: "does not exist"},
	}
	if len(nf.Tried) != len(want) {
		t.Fatalf("tried %v, want %v", nf.Tried, want)
	}
	for i := range want {
		if nf.Tried[i] != want[i] {
			t.Errorf("tried[%d] = %+v, want %+v", i, nf.Tried[i], want[i])
		}
	}
	msg := err.Error()
	for _, s := range []string{`no template named "polls/missing.html"`, want[0].Origin, want[1].Origin} {
		if !strings.Contains(msg, s) {
			t.Errorf("%q does not mention %q", msg, s)
		}
	}
}

// The postmortem says why a place had nothing: a missing directory (with the working
// directory that relative DIRS depend on), no directories at all, no engines at all.
func TestPostmortem(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	e, err := templates.New(templates.Env{}, templates.Config{Dirs: []string{missing}})
	if err != nil {
		t.Fatal(err)
	}
	err = renderErr(t, e, "x.html", nil)
	wd, _ := os.Getwd()
	if !strings.Contains(err.Error(), filepath.Join(missing, "x.html")+" (the directory does not exist; relative DIRS are taken from the working directory, "+wd+")") {
		t.Errorf("missing directory: %v", err)
	}

	e, _ = templates.New(templates.Env{}, templates.Config{})
	if err := renderErr(t, e, "x.html", nil); !strings.Contains(err.Error(), "TEMPLATES[0] (html) (it has no directory: set its DIRS, or APP_DIRS") {
		t.Errorf("no directories: %v", err)
	}

	e, _ = templates.New(templates.Env{})
	err = renderErr(t, e, "x.html", nil)
	if !errors.Is(err, templates.ErrNotFound) || !strings.Contains(err.Error(), "TEMPLATES is empty") {
		t.Errorf("no engines: %v", err)
	}
}

// Names that would leave the template directories are refused, whatever the files.
func TestInvalidNames(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "templates/ok.html", "ok")
	writeFile(t, dir, "secret.txt", "secret")
	writeFile(t, dir, "templates/sub/x.html", "x")
	e, err := templates.New(templates.Env{}, templates.Config{Dirs: []string{filepath.Join(dir, "templates")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"../secret.txt", "/etc/passwd", filepath.Join(dir, "secret.txt"), "./ok.html", `..\secret.txt`, "", "."} {
		err := renderErr(t, e, name, nil)
		if !errors.Is(err, templates.ErrNotFound) || !strings.Contains(err.Error(), "not a valid template name") {
			t.Errorf("%q: %v", name, err)
		}
	}
	// A directory is not a template.
	if err := renderErr(t, e, "sub", nil); !errors.Is(err, templates.ErrNotFound) {
		t.Errorf("directory: %v", err)
	}
}

// In debug mode a changed file is parsed again on its next use after the check interval,
// and so is a page whose layout changed, or whose name an earlier directory now holds.
func TestReloadInDebug(t *testing.T) {
	t.Parallel()
	project, appDir := t.TempDir(), t.TempDir()
	writeFile(t, appDir, "page.html", `{{ define "c" }}v1{{ end }}{{ template "base.html" . }}`)
	base := writeFile(t, appDir, "base.html", `[{{ block "c" . }}{{ end }}]`)
	page := filepath.Join(appDir, "page.html")
	app := appWith("polls", os.DirFS(appDir))
	e, err := templates.New(templates.Env{Apps: []*apps.Config{app}, Debug: true},
		templates.Config{Dirs: []string{project}, AppDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := render(t, e, "page.html", nil); got != "[v1]" {
		t.Fatalf("first render = %q", got)
	}

	touch(t, page, `{{ define "c" }}v2{{ end }}{{ template "base.html" . }}`)
	if got := render(t, e, "page.html", nil); got != "[v1]" {
		t.Errorf("right after the change = %q: files are checked at most every 500ms", got)
	}
	time.Sleep(600 * time.Millisecond)
	if got := render(t, e, "page.html", nil); got != "[v2]" {
		t.Errorf("after the interval = %q, want [v2]", got)
	}

	touch(t, base, `({{ block "c" . }}{{ end }})`)
	time.Sleep(600 * time.Millisecond)
	if got := render(t, e, "page.html", nil); got != "(v2)" {
		t.Errorf("after the layout changed = %q, want (v2)", got)
	}

	writeFile(t, project, "base.html", `{{ block "c" . }}{{ end }} from the project`)
	time.Sleep(600 * time.Millisecond)
	if got := render(t, e, "page.html", nil); got != "v2 from the project" {
		t.Errorf("after the project overrode the layout = %q", got)
	}

	// A syntax error is reported, then fixed.
	touch(t, page, `{{ if }}`)
	time.Sleep(600 * time.Millisecond)
	if err := renderErr(t, e, "page.html", nil); !strings.Contains(err.Error(), "page.html:1") {
		t.Errorf("broken page: %v", err)
	}
	touch(t, page, `fixed`)
	if got := render(t, e, "page.html", nil); got != "fixed" {
		t.Errorf("fixed page = %q (a failed parse is not cached in debug mode)", got)
	}

	// A template that did not exist is found once it is written.
	if err := renderErr(t, e, "new.html", nil); !errors.Is(err, templates.ErrNotFound) {
		t.Fatal(err)
	}
	writeFile(t, appDir, "new.html", "new")
	if got := render(t, e, "new.html", nil); got != "new" {
		t.Errorf("new.html = %q", got)
	}
}

// Outside debug mode, templates are parsed once: changes and new files are not seen.
func TestNoReloadWithoutDebug(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	page := writeFile(t, dir, "page.html", "v1")
	e, err := templates.New(templates.Env{Debug: true}, templates.Config{Dirs: []string{dir}, Options: map[string]any{"debug": false}})
	if err != nil {
		t.Fatal(err)
	}
	if got := render(t, e, "page.html", nil); got != "v1" {
		t.Fatal(got)
	}
	if err := renderErr(t, e, "later.html", nil); !errors.Is(err, templates.ErrNotFound) {
		t.Fatal(err)
	}
	touch(t, page, "v2")
	writeFile(t, dir, "later.html", "later")
	time.Sleep(600 * time.Millisecond)
	if got := render(t, e, "page.html", nil); got != "v1" {
		t.Errorf("page.html = %q: reparsed without debug", got)
	}
	if err := renderErr(t, e, "later.html", nil); !errors.Is(err, templates.ErrNotFound) {
		t.Errorf("later.html: %v (misses are cached without debug)", err)
	}
}

// touch rewrites a file and moves its modification time forward, so that the change is seen
// even on file systems with coarse timestamps.
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

// Preload parses everything and reports every broken template.
func TestPreload(t *testing.T) {
	e := htmlEngines(t, files(
		"ok.html", "ok",
		"polls/broken.html", "{{ if }}",
		"polls/also-broken.html", "{{ end }}",
		".hidden/x.html", "{{ if }}",
		"polls/.swp", "{{ if }}",
	))
	err := e.Preload()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, s := range []string{"polls/broken.html:1", "polls/also-broken.html:1"} {
		if !strings.Contains(msg, s) {
			t.Errorf("%q does not report %s", msg, s)
		}
	}
	if strings.Contains(msg, ".hidden") || strings.Contains(msg, ".swp") {
		t.Errorf("%q reports hidden files", msg)
	}
	// A missing directory is not an error.
	e, _ = templates.New(templates.Env{}, templates.Config{Dirs: []string{filepath.Join(t.TempDir(), "nope")}})
	if err := e.Preload(); err != nil {
		t.Errorf("missing directory: %v", err)
	}
}

// New reports every problem of the TEMPLATES list at once.
func TestNewProblems(t *testing.T) {
	_, err := templates.New(templates.Env{},
		templates.Config{Backend: "jinja2"},
		templates.Config{Backend: "html", Options: map[string]any{"debug": "yes"}},
		templates.Config{Backend: "html", Options: map[string]any{"autoescape": false}},
		templates.Config{Backend: "html", Options: map[string]any{"missingkey": "loud"}},
		templates.Config{Backend: "django"},
	)
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{
		"5 problems",
		`TEMPLATES[0].BACKEND = "jinja2" is not a template backend; the registered ones are html`,
		"TEMPLATES[1]: OPTIONS debug = yes must be true or false",
		"TEMPLATES[2]: OPTIONS autoescape is not an option of the html backend; its options are debug, app_dir and missingkey",
		`TEMPLATES[3]: OPTIONS missingkey = loud must be "default", "zero" or "error"`,
		`TEMPLATES[4].BACKEND = "django" is not a template backend; the registered ones are html`,
		`(import _ "github.com/canter-go/canter/templates/django" to add "django")`,
	} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q does not say %q", err, s)
		}
	}
	if got := templates.Backends(); !slices.Contains(got, "html") || slices.Contains(got, "django") {
		t.Errorf("Backends() = %v", got)
	}
}

// Renders from many goroutines while files change, in debug mode: the race detector checks the
// cache, and every render sees one version or the other.
func TestConcurrentRenderWhileFilesChange(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base := writeFile(t, dir, "base.html", `[{{ block "c" . }}{{ end }}]`)
	for _, n := range []string{"a", "b", "c"} {
		writeFile(t, dir, n+".html", `{{ define "c" }}`+n+`{{ end }}{{ template "base.html" . }}`)
	}
	e, err := templates.New(templates.Env{Debug: true}, templates.Config{Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			var err error
			for i := 0; err == nil; i++ {
				select {
				case <-stop:
					done <- nil
					return
				default:
				}
				n := string(rune('a' + i%3))
				var buf strings.Builder
				if err = e.Render(&buf, nil, n+".html", nil); err == nil {
					if got := buf.String(); got != "["+n+"]" && got != "("+n+")" {
						err = errors.New("got " + got)
					}
				}
			}
			<-stop
			done <- err
		}()
	}
	for i := 0; i < 4; i++ {
		time.Sleep(200 * time.Millisecond)
		text := `[{{ block "c" . }}{{ end }}]`
		if i%2 == 0 {
			text = `({{ block "c" . }}{{ end }})`
		}
		touch(t, base, text)
	}
	close(stop)
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// Outside debug mode misses are cached, but only so many: names taken from requests cannot
// fill memory. Past the bound, a miss is looked up again each time.
func TestMissesAreBounded(t *testing.T) {
	dir := t.TempDir()
	e, err := templates.New(templates.Env{}, templates.Config{Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	const n = 1100
	for i := range n {
		if _, err := e.Lookup(fmt.Sprintf("missing-%d.html", i)); !errors.Is(err, templates.ErrNotFound) {
			t.Fatal(err)
		}
	}
	writeFile(t, dir, "missing-0.html", "first")
	writeFile(t, dir, fmt.Sprintf("missing-%d.html", n-1), "last")
	if _, err := e.Lookup("missing-0.html"); !errors.Is(err, templates.ErrNotFound) {
		t.Errorf("the first miss was not cached: %v", err)
	}
	if got := render(t, e, fmt.Sprintf("missing-%d.html", n-1), nil); got != "last" {
		t.Errorf("a miss past the bound was cached: %q", got)
	}
}

// TestAppDir: an engine with OPTIONS app_dir searches that folder of each app's templates, so
// two engines can share the installed apps without reading each other's files.
func TestAppDir(t *testing.T) {
	app := &apps.Config{Label: "polls", Templates: fstest.MapFS{
		"polls/page.html":        &fstest.MapFile{Data: []byte(`html {{ "x" }}`)},
		"django/polls/page.html": &fstest.MapFile{Data: []byte(`django {{ 1|add:1 }}`)},
	}}
	env := templates.Env{Apps: []*apps.Config{app}}
	e, err := templates.New(env,
		templates.Config{Backend: "html", AppDirs: true, Options: map[string]any{"app_dir": "nowhere"}},
		templates.Config{Backend: "html", AppDirs: true},
	)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := e.Render(&b, nil, "polls/page.html", nil); err != nil || b.String() != "html x" {
		t.Errorf("render = %q, %v", b.String(), err)
	}
	if _, err := templates.New(env, templates.Config{AppDirs: true, Options: map[string]any{"app_dir": "../up"}}); err == nil {
		t.Error("an app_dir climbing out of the app was accepted")
	}
}
