package canter_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/canter-go/canter"
	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/checks"
	"github.com/canter-go/canter/management"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

func pollsApp(ready *[]string) *apps.Config {
	return &apps.Config{
		Label: "polls",
		URLs: []urls.Entry{
			urls.Path("", func(r *web.Request) (*web.Response, error) { return web.Text("polls index"), nil }, urls.Name("index")),
			urls.Path("<int:id>/", func(r *web.Request) (*web.Response, error) {
				return web.Text("poll " + r.Param("id")), nil
			}, urls.Name("detail")),
		},
		Ready: func(*apps.Registry) error { *ready = append(*ready, "polls"); return nil },
		Commands: []*management.Command{{
			Name:  "closepoll",
			Short: "Closes a poll.",
			Usage: "id",
			Run: func(c *management.Context) error {
				if len(c.Args) != 1 {
					return management.UsageErrorf("closepoll takes one poll id")
				}
				fmt.Fprintf(c.Stdout, "Closed poll %s.\n", c.Args[0])
				return nil
			},
		}},
		Checks: []checks.Check{{Name: "polls.count", Func: func(ctx *checks.Context) []checks.Message {
			if ctx.Settings.Debug {
				return []checks.Message{checks.Info("polls.I001", "polls runs in debug mode", "")}
			}
			return nil
		}}},
	}
}

// testProject writes a settings file and returns a project using it.
func testProject(t *testing.T, settingsTOML string, env ...string) (*canter.Project, *[]string) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "settings.toml")
	if err := os.WriteFile(file, []byte(settingsTOML), 0o644); err != nil {
		t.Fatal(err)
	}
	var ready []string
	catalog := &apps.Catalog{}
	catalog.Register(pollsApp(&ready))
	catalog.Register(&apps.Config{Label: "blog", Ready: func(*apps.Registry) error { ready = append(ready, "blog"); return nil }})
	return &canter.Project{
		Name:         "mysite",
		SettingsFile: file,
		Env:          append([]string{}, env...),
		Catalog:      catalog,
		URLs: []urls.Entry{
			urls.Path("", func(r *web.Request) (*web.Response, error) { return web.Text("home"), nil }, urls.Name("home")),
			urls.Include("polls/", "polls", pollsApp(&ready).URLs...),
		},
	}, &ready
}

const devSettings = `
DEBUG = true
SECRET_KEY = "canter-insecure-test-key-for-the-project-tests-0123456789"
INSTALLED_APPS = ["polls", "blog"]
MIDDLEWARE = ["csrf"]
SESSION_ENGINE = "memory"
`

func run(p *canter.Project, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := canter.Execute(context.Background(), p, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestProjectCommands(t *testing.T) {
	p, ready := testProject(t, devSettings)
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"version"}, 0, "Canter ", ""},
		{[]string{"urls"}, 0, "/polls/<int:id>/  polls:detail", ""},
		{[]string{"check"}, 0, "(polls.I001) polls runs in debug mode", ""},
		{[]string{"check", "--deploy"}, 0, "(security.W018) You should not have DEBUG set to True in deployment.", ""},
		{[]string{"check", "--deploy", "--fail-level", "WARNING"}, 1, "", "SystemCheckError"},
		{[]string{"check", "--fail-level", "LOUD"}, 2, "", "--fail-level \"LOUD\" is not one of"},
		{[]string{"closepoll", "7"}, 0, "Closed poll 7.\n", ""},
		{[]string{"closepoll"}, 2, "", "closepoll takes one poll id"},
		{[]string{"runservr"}, 2, "", "Unknown command: \"runservr\". Did you mean runserver?"},
		{[]string{"runserver", "--bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"runserver", "not:an:address"}, 2, "", `"not:an:address" is not a valid port number or address:port pair.`},
		{[]string{"runserver", "-6", "127.0.0.1:8000"}, 2, "", `"127.0.0.1" is not a valid IPv6 address.`},
		{nil, 0, "[polls]\n    closepoll", ""},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(p, tt.args...)
		if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%v: code %d\nstdout %s\nstderr %s\nwant %d, %q, %q", tt.args, code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
		}
	}
	if strings.Join(*ready, ",") != "polls,blog,polls,blog" && !strings.HasPrefix(strings.Join(*ready, ","), "polls,blog") {
		t.Errorf("ready hooks ran in order %v", *ready)
	}
}

func TestProjectConfigurationErrors(t *testing.T) {
	tests := []struct {
		name, toml string
		env        []string
		want       []string
	}{
		{"settings problems, all at once", "DEBUG = false\nSESION_ENGINE = \"db\"\n", nil,
			[]string{"SESION_ENGINE is not a Canter setting; did you mean SESSION_ENGINE?", "SECRET_KEY"}},
		{"missing app", devSettings + "\n", []string{"CANTER_INSTALLED_APPS=polls,shop"},
			[]string{`INSTALLED_APPS lists "shop", but no app with that label is compiled into this program`}},
		{"duplicate app", devSettings, []string{"CANTER_INSTALLED_APPS=polls,blog,polls"},
			[]string{"Application labels aren't unique, duplicates: polls"}},
		{"unknown middleware", devSettings, []string{"CANTER_MIDDLEWARE=csrf,sesions"},
			[]string{`MIDDLEWARE lists "sesions", which is not a registered middleware`, `did you mean "sessions"?`}},
		{"bad environment value", devSettings, []string{"CANTER_DEBUG=maybe"},
			[]string{"environment variable CANTER_DEBUG: DEBUG = \"maybe\" is not a boolean"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := testProject(t, tt.toml, tt.env...)
			code, _, stderr := run(p, "check")
			if code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestAppCommandsOfABrokenProject checks that a command an app adds, run on a project whose
// configuration is broken, reports the configuration error rather than "Unknown command", and
// that help says why the apps' commands are missing, as Django's help does.
func TestAppCommandsOfABrokenProject(t *testing.T) {
	p, _ := testProject(t, devSettings, "CANTER_DEBUG=maybe")
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"closepoll", "7"}, 1, "", `DEBUG = "maybe" is not a boolean`},
		{[]string{"help", "closepoll"}, 1, "", `DEBUG = "maybe" is not a boolean`},
		{nil, 0, "[canter]", `DEBUG = "maybe" is not a boolean`},
		{[]string{"version"}, 0, "Canter ", ""},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(p, tt.args...)
		if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%v: code %d\nstdout %s\nstderr %s\nwant %d, %q, %q", tt.args, code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
		}
		if strings.Contains(stderr, "Unknown command") {
			t.Errorf("%v: stderr says %q, which hides the configuration error", tt.args, stderr)
		}
	}
}

func TestSettingsPrecedence(t *testing.T) {
	p, _ := testProject(t, devSettings+"\nSESSION_COOKIE_NAME = \"from-file\"\nCSRF_COOKIE_NAME = \"csrf-file\"\nSTATIC_URL = \"/file/\"\n",
		"CANTER_SESSION_COOKIE_NAME=from-env", "CANTER_CSRF_COOKIE_NAME=csrf-env")
	p.Settings = func(s *settings.Settings) { s.SessionCookieName = "from-code" }
	site, err := p.Build()
	if err != nil {
		t.Fatal(err)
	}
	s := site.Settings
	if s.SessionCookieName != "from-code" || s.CSRFCookieName != "csrf-env" || s.StaticURL != "/file/" {
		t.Errorf("precedence: session %q csrf %q static %q", s.SessionCookieName, s.CSRFCookieName, s.StaticURL)
	}
}

func TestProjectServes(t *testing.T) {
	p, _ := testProject(t, devSettings)
	site, err := p.Build()
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	c := cantertest.New(t, site)
	c.Host = "localhost"
	if got := c.Get("/polls/3/").Text(); got != "poll 3" {
		t.Errorf("GET /polls/3/ = %q", got)
	}
	cantertest.CheckRoutes(t, site.Router)
}

// check --deploy warns when the CSRF middleware is missing (Django's security.W003).
func TestDeployCheckWithoutCSRFMiddleware(t *testing.T) {
	p, _ := testProject(t, strings.Replace(devSettings, `MIDDLEWARE = ["csrf"]`, `MIDDLEWARE = ["security", "xframe"]`, 1))
	code, stdout, stderr := run(p, "check", "--deploy")
	if code != 0 || !strings.Contains(stdout, "(security.W003)") {
		t.Errorf("check --deploy: code %d\nstdout %s\nstderr %s\nwant security.W003", code, stdout, stderr)
	}
	p, _ = testProject(t, devSettings)
	if _, stdout, _ := run(p, "check", "--deploy"); strings.Contains(stdout, "security.W003") {
		t.Errorf("check --deploy warns of a missing CSRF middleware that is there:\n%s", stdout)
	}
}

func TestDeployWarnsAboutMemorySessions(t *testing.T) {
	p, _ := testProject(t, devSettings, "CANTER_MIDDLEWARE=sessions,csrf")
	_, stdout, _ := run(p, "check", "--deploy")
	if !strings.Contains(stdout, "(sessions.W001) Sessions are kept in this process's memory") {
		t.Errorf("check --deploy:\n%s", stdout)
	}
	p, _ = testProject(t, devSettings, "CANTER_MIDDLEWARE=sessions,csrf", "CANTER_SESSION_ENGINE=signed_cookies")
	if _, stdout, _ := run(p, "check", "--deploy"); strings.Contains(stdout, "sessions.W001") {
		t.Errorf("signed-cookie sessions warned:\n%s", stdout)
	}
}
