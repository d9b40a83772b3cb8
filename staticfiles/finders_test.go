package staticfiles_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/canter-go/canter/staticfiles"
)

// finderSetup has two project directories (one with a prefix) and two apps, with names that
// overlap so that the order shows.
func finderSetup(t *testing.T) (*staticfiles.Files, string, string) {
	t.Helper()
	dir := t.TempDir()
	assets := filepath.Join(dir, "assets")
	vendor := filepath.Join(dir, "vendor")
	writeTree(t, assets, map[string]string{
		"css/site.css":       "project site",
		"admin/css/base.css": "project override of admin",
		".secret":            "dot file",
		"css/.hidden/x.css":  "in a dot dir",
		"notes.txt~":         "backup",
	})
	writeTree(t, vendor, map[string]string{
		"lib.js": "vendored lib",
	})
	f, err := staticfiles.New(staticfiles.Config{
		Dirs: []staticfiles.Dir{{Path: assets}, {Prefix: "vendor", Path: vendor}, {Path: filepath.Join(dir, "missing")}},
		Apps: []staticfiles.AppFiles{
			{Label: "admin", FS: fstest.MapFS{
				"admin/css/base.css": {Data: []byte("admin base")},
				"admin/js/core.js":   {Data: []byte("admin core")},
				"shared/logo.svg":    {Data: []byte("admin logo")},
			}},
			{Label: "polls", FS: fstest.MapFS{
				"shared/logo.svg": {Data: []byte("polls logo")},
				"polls/app.js":    {Data: []byte("polls app")},
				"lib.js":          {Data: []byte("polls lib at the top")},
			}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return f, assets, vendor
}

func TestFindOrder(t *testing.T) {
	f, assets, vendor := finderSetup(t)
	tests := []struct {
		name    string
		content string // of the first match
		sources []string
	}{
		{"css/site.css", "project site", []string{"STATICFILES_DIRS[0]"}},
		{"admin/css/base.css", "project override of admin", []string{"STATICFILES_DIRS[0]", "app admin"}},
		{"admin/js/core.js", "admin core", []string{"app admin"}},
		{"shared/logo.svg", "admin logo", []string{"app admin", "app polls"}}, // INSTALLED_APPS order
		{"vendor/lib.js", "vendored lib", []string{"STATICFILES_DIRS[1]"}},
		{"lib.js", "polls lib at the top", []string{"app polls"}}, // the prefixed directory is not at the top
	}
	for _, tt := range tests {
		fsys, p, err := f.Find(tt.name)
		if err != nil {
			t.Errorf("Find(%q): %v", tt.name, err)
			continue
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil || string(b) != tt.content {
			t.Errorf("Find(%q) reads %q, %v; want %q", tt.name, b, err, tt.content)
		}
		locs, err := f.FindAll(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		var sources []string
		for _, l := range locs {
			sources = append(sources, l.Source)
		}
		if !reflect.DeepEqual(sources, tt.sources) {
			t.Errorf("FindAll(%q) sources = %v, want %v", tt.name, sources, tt.sources)
		}
	}
	locs, _ := f.FindAll("vendor/lib.js")
	if want := filepath.Join(vendor, "lib.js"); locs[0].File != want || locs[0].String() != want {
		t.Errorf("location of a project file = %q (%q), want %q", locs[0].File, locs[0], want)
	}
	locs, _ = f.FindAll("shared/logo.svg")
	if locs[0].File != "" || locs[0].String() != "app admin: shared/logo.svg" || locs[0].App != "admin" {
		t.Errorf("location of an app file = %+v (%q)", locs[0], locs[0])
	}
	_ = assets
}

func TestFindRejects(t *testing.T) {
	f, _, _ := finderSetup(t)
	for _, name := range []string{
		"", ".", "/css/site.css", "../assets/css/site.css", "css/../css/site.css", "css//site.css", "css/site.css/",
		`css\site.css`, "css", "nope.css", ".secret", "css/.hidden/x.css", "notes.txt~", "vendor", "vendor/",
	} {
		if fsys, p, err := f.Find(name); err == nil {
			t.Errorf("Find(%q) = %v, %q; want an error", name, fsys, p)
		}
	}
	_, _, err := f.Find("nope.css")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Find of a missing file: %v, want fs.ErrNotExist", err)
	}
	for _, want := range []string{`"nope.css"`, "STATICFILES_DIRS[0]", "app polls"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestList(t *testing.T) {
	f, _, _ := finderSetup(t)
	files, err := f.List()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var names []string
	for _, l := range files {
		names = append(names, l.Name)
		got[l.Name] = l.Source
	}
	want := []string{"admin/css/base.css", "admin/js/core.js", "css/site.css", "lib.js", "polls/app.js", "shared/logo.svg", "vendor/lib.js"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("List names = %v, want %v", names, want)
	}
	if got["admin/css/base.css"] != "STATICFILES_DIRS[0]" || got["shared/logo.svg"] != "app admin" {
		t.Errorf("List took the wrong sources: %v", got)
	}
}

func TestIgnorePatterns(t *testing.T) {
	fsys := fstest.MapFS{
		"a.css": {}, "a.css~": {}, ".env": {}, "CVS/entries": {}, "sub/CVS": {}, "js/app.min.js": {}, "js/app.js": {},
	}
	tests := []struct {
		ignore []string
		want   []string
	}{
		{nil, []string{"a.css", "js/app.js", "js/app.min.js"}},
		{[]string{}, []string{".env", "CVS/entries", "a.css", "a.css~", "js/app.js", "js/app.min.js", "sub/CVS"}},
		{[]string{"*.min.js"}, []string{".env", "CVS/entries", "a.css", "a.css~", "js/app.js", "sub/CVS"}},
		{[]string{"js/*"}, []string{".env", "CVS/entries", "a.css", "a.css~", "sub/CVS"}},
	}
	for _, tt := range tests {
		f, err := staticfiles.New(staticfiles.Config{Apps: []staticfiles.AppFiles{{Label: "a", FS: fsys}}, Ignore: tt.ignore})
		if err != nil {
			t.Fatal(err)
		}
		files, err := f.List()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range files {
			got = append(got, l.Name)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ignore %q: %v, want %v", tt.ignore, got, tt.want)
		}
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	_, err := staticfiles.New(staticfiles.Config{
		URL:    "/static",
		Dirs:   []staticfiles.Dir{{Path: ""}, {Prefix: "x/", Path: "a"}, {Prefix: "../up", Path: "b"}},
		Ignore: []string{"[bad"},
	})
	var ce *staticfiles.ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) != 5 {
		t.Fatalf("New = %v, want a ConfigError with 5 problems", err)
	}
	for _, want := range []string{`write "/static/"`, "STATICFILES_DIRS[0] is empty", `prefix "x/"`, `prefix "../up"`, `"[bad"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestParseDir(t *testing.T) {
	tests := []struct {
		in   string
		want staticfiles.Dir
	}{
		{"assets", staticfiles.Dir{Path: "assets"}},
		{"/srv/assets", staticfiles.Dir{Path: "/srv/assets"}},
		{"downloads=/opt/webfiles/stats", staticfiles.Dir{Prefix: "downloads", Path: "/opt/webfiles/stats"}},
		{"=odd", staticfiles.Dir{Path: "=odd"}},
	}
	for _, tt := range tests {
		if got := staticfiles.ParseDir(tt.in); got != tt.want || (tt.want.Prefix != "" && got.String() != tt.in) {
			t.Errorf("ParseDir(%q) = %+v (%q), want %+v", tt.in, got, got, tt.want)
		}
	}
}
