package staticfiles_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/checks"
	"github.com/canter-go/canter/management"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/staticfiles"
)

// project is a site with the staticfiles app and a polls app, as the commands see it.
type project struct {
	dir, assets, root string
	settings          *settings.Settings
	registry          *apps.Registry
}

func newProject(t *testing.T) *project {
	t.Helper()
	dir := t.TempDir()
	p := &project{dir: dir, assets: filepath.Join(dir, "assets"), root: filepath.Join(dir, "public")}
	writeTree(t, p.assets, map[string]string{"css/site.css": "body{background:url(../img/bg.png)}", "img/bg.png": "PNG"})
	var catalog apps.Catalog
	catalog.Register(staticfiles.App)
	catalog.Register(&apps.Config{Label: "polls", Static: fstest.MapFS{
		"polls/app.js": {Data: []byte("polls()")},
		"img/bg.png":   {Data: []byte("polls PNG")},
	}})
	reg, err := catalog.Install([]string{"staticfiles", "polls"})
	if err != nil {
		t.Fatal(err)
	}
	s := settings.Defaults()
	s.StaticRoot = p.root
	s.StaticfilesDirs = []string{p.assets}
	p.settings, p.registry = s, reg
	return p
}

// run runs a command line with the installed apps' commands and returns the exit code and
// outputs.
func (p *project) run(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	r := &management.Runner{
		Prog:     "mysite",
		Commands: p.registry.Commands(),
		Stdout:   &out,
		Stderr:   &errOut,
		Prepare: func(cmd *management.Command, c *management.Context) error {
			c.Site = &apps.Site{Settings: p.settings, Apps: p.registry}
			return nil
		},
	}
	code := r.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestCollectStaticCommand(t *testing.T) {
	p := newProject(t)
	code, out, errOut := p.run("collectstatic", "--noinput")
	want := "Found another file with the destination path 'img/bg.png'. It will be ignored since only the first encountered file is collected. " +
		"If this is not what you want, make sure every static file has a unique path. (app polls: img/bg.png)\n" +
		"\n3 static files copied to '" + p.root + "', 3 post-processed.\n"
	if code != 0 || out != want {
		t.Fatalf("collectstatic: %d\nstdout %q\nwant   %q\nstderr %q", code, out, want, errOut)
	}
	bg := "img/bg." + md5hex12("PNG") + ".png"
	css := "body{background:url(\"../" + bg + "\")}"
	manifest := readFile(t, filepath.Join(p.root, "staticfiles.json"))
	if !strings.Contains(manifest, `"css/site.css": "css/site.`+md5hex12(css)+`.css"`) || !strings.Contains(manifest, `"img/bg.png": "`+bg+`"`) {
		t.Errorf("manifest: %s", manifest)
	}

	// Again, verbosely: nothing changes.
	code, out, _ = p.run("collectstatic", "--noinput", "-v", "2")
	if code != 0 || !strings.Contains(out, "Skipping '"+filepath.Join(p.assets, "img/bg.png")+"' (not modified)") ||
		!strings.Contains(out, "Found another file with the destination path 'img/bg.png'") ||
		!strings.HasSuffix(out, "\n0 static files copied to '"+p.root+"', 3 unmodified, 2 post-processed.\n") {
		t.Errorf("second collectstatic -v 2: %d\n%s", code, out)
	}

	// Quiet, with an extra ignore pattern.
	code, out, _ = p.run("collectstatic", "--noinput", "--clear", "--verbosity", "0", "--ignore", "*.js")
	if code != 0 || out != "" {
		t.Errorf("collectstatic -v 0: %d %q", code, out)
	}
	if _, err := os.Stat(filepath.Join(p.root, "polls/app.js")); !os.IsNotExist(err) {
		t.Errorf("--ignore *.js collected polls/app.js (%v)", err)
	}
}

func TestCollectStaticCommandErrors(t *testing.T) {
	p := newProject(t)
	writeTree(t, p.assets, map[string]string{"css/broken.css": "a{background:url(gone.png)}"})
	code, _, errOut := p.run("collectstatic", "--noinput")
	if code != 1 || !strings.HasPrefix(errOut, "CommandError: staticfiles: css/broken.css, line 1: url(\"gone.png\") refers to the static file 'css/gone.png', which could not be found") {
		t.Errorf("broken reference: %d %q", code, errOut)
	}
	p.settings.StaticRoot = ""
	code, _, errOut = p.run("collectstatic", "--noinput")
	if code != 1 || !strings.Contains(errOut, "STATIC_ROOT is not set") {
		t.Errorf("no STATIC_ROOT: %d %q", code, errOut)
	}
	if code, _, errOut = p.run("collectstatic", "extra"); code != 2 || !strings.Contains(errOut, "takes no arguments") {
		t.Errorf("extra argument: %d %q", code, errOut)
	}
}

func TestFindStaticCommand(t *testing.T) {
	p := newProject(t)
	code, out, errOut := p.run("findstatic", "img/bg.png", "polls/app.js")
	want := "Found 'img/bg.png' here:\n  " + filepath.Join(p.assets, "img/bg.png") + "\n  app polls: img/bg.png\n" +
		"Found 'polls/app.js' here:\n  app polls: polls/app.js\n"
	if code != 0 || out != want || errOut != "" {
		t.Errorf("findstatic: %d\n%q\nwant\n%q\nstderr %q", code, out, want, errOut)
	}
	code, out, _ = p.run("findstatic", "--first", "img/bg.png")
	if code != 0 || out != "Found 'img/bg.png' here:\n  "+filepath.Join(p.assets, "img/bg.png")+"\n" {
		t.Errorf("findstatic --first: %d %q", code, out)
	}
	code, out, _ = p.run("findstatic", "-v", "0", "--first", "img/bg.png")
	if code != 0 || out != filepath.Join(p.assets, "img/bg.png")+"\n" {
		t.Errorf("findstatic -v 0: %d %q", code, out)
	}
	code, out, errOut = p.run("findstatic", "css/site.css", "css/nope.css")
	if code != 1 || !strings.HasPrefix(out, "Found 'css/site.css' here:") ||
		!strings.HasPrefix(errOut, "No matching file found for 'css/nope.css'.\nCommandError: 1 of the 2 static files were not found") {
		t.Errorf("findstatic of a missing file: %d %q %q", code, out, errOut)
	}
	code, _, errOut = p.run("findstatic", "-v", "2", "nope.css")
	if code != 1 || !strings.Contains(errOut, "Looking in the following locations:\n  "+p.assets+"\n  app polls static files\n") {
		t.Errorf("findstatic -v 2: %d %q", code, errOut)
	}
	if code, _, _ := p.run("findstatic"); code != 2 {
		t.Errorf("findstatic without names: %d", code)
	}
}

func TestCommandsNeedASite(t *testing.T) {
	var out bytes.Buffer
	r := &management.Runner{Prog: "mysite", Commands: staticfiles.App.Commands, Stdout: &out, Stderr: &out}
	if code := r.Run(context.Background(), []string{"findstatic", "a.css"}); code != 1 || !strings.Contains(out.String(), "needs the project's settings") {
		t.Errorf("without a site: %d %q", code, out.String())
	}
}

type customSite struct{ files *staticfiles.Files }

func (s customSite) StaticFiles() (*staticfiles.Files, error) { return s.files, nil }

func TestCommandsUseTheSiteFiles(t *testing.T) {
	f, _ := staticfiles.New(staticfiles.Config{Apps: []staticfiles.AppFiles{{Label: "x", FS: fstest.MapFS{"from-code.txt": {}}}}})
	var out bytes.Buffer
	r := &management.Runner{
		Prog: "mysite", Commands: staticfiles.App.Commands, Stdout: &out, Stderr: &out,
		Prepare: func(_ *management.Command, c *management.Context) error { c.Site = customSite{f}; return nil },
	}
	if code := r.Run(context.Background(), []string{"findstatic", "from-code.txt"}); code != 0 || !strings.Contains(out.String(), "app x: from-code.txt") {
		t.Errorf("with a Site: %d %q", code, out.String())
	}
}

func TestChecks(t *testing.T) {
	dir := t.TempDir()
	s := settings.Defaults()
	s.StaticRoot = filepath.Join(dir, "assets", "public")
	s.StaticfilesDirs = []string{filepath.Join(dir, "assets"), "dl/=" + filepath.Join(dir, "missing")}
	os.MkdirAll(filepath.Join(dir, "assets"), 0o755)
	msgs := checks.Run(&checks.Context{Settings: s}, staticfiles.App.Checks, nil, nil)
	var ids []string
	for _, m := range msgs {
		ids = append(ids, m.ID)
	}
	if strings.Join(ids, " ") != "staticfiles.E002 staticfiles.E003 staticfiles.W004" {
		t.Errorf("checks: %v", msgs)
	}
	for _, m := range msgs {
		if m.ID == "staticfiles.W004" && m.Text != "The directory '"+filepath.Join(dir, "missing")+"' in the STATICFILES_DIRS setting does not exist." {
			t.Errorf("W004 text: %q", m.Text)
		}
	}
}

func TestAppMiddlewareFactory(t *testing.T) {
	p := newProject(t)
	mw, err := staticfiles.App.Middleware["staticfiles"](&apps.Site{Settings: p.settings, Apps: p.registry})
	if err != nil || mw == nil {
		t.Fatalf("factory: %v", err)
	}
	p.settings.StaticURL = "/static"
	if _, err := staticfiles.App.Middleware["staticfiles"](&apps.Site{Settings: p.settings, Apps: p.registry}); err == nil {
		t.Error("factory accepted a STATIC_URL without a slash")
	}
}
