package staticfiles_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/canter-go/canter/staticfiles"
)

func TestURLDebug(t *testing.T) {
	f, err := staticfiles.New(staticfiles.Config{Debug: true, URL: "/assets/"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, want string }{
		{"css/site.css", "/assets/css/site.css"},
		{"img/my file.png", "/assets/img/my%20file.png"},
		{"fonts/f.eot?#iefix", "/assets/fonts/f.eot?#iefix"},
		{"not/collected/yet.js", "/assets/not/collected/yet.js"}, // no manifest needed in debug
	}
	for _, tt := range tests {
		if got, err := f.URL(tt.name); err != nil || got != tt.want {
			t.Errorf("URL(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if _, err := f.URL("/css/site.css"); err == nil || !strings.Contains(err.Error(), `write "css/site.css"`) {
		t.Errorf("URL of an absolute name: %v", err)
	}
}

func TestURLProduction(t *testing.T) {
	c := collectTree(t) // collects into c.root
	f, err := staticfiles.New(staticfiles.Config{Root: c.root, URL: "https://cdn.example.com/static/"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, want string }{
		{"css/site.css", "https://cdn.example.com/static/" + c.want["css/site.css"]},
		{"img/logo.png#top", "https://cdn.example.com/static/" + c.want["img/logo.png"] + "#top"},
		{"fonts/f.woff?#iefix", "https://cdn.example.com/static/" + c.want["fonts/f.woff"] + "?#iefix"},
	}
	for _, tt := range tests {
		if got, err := f.URL(tt.name); err != nil || got != tt.want {
			t.Errorf("URL(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	_, err = f.URL("css/typo.css")
	for _, want := range []string{"Missing staticfiles manifest entry for 'css/typo.css'", "collectstatic"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("URL of an uncollected file: %v; want it to say %q", err, want)
		}
	}
}

func TestURLWithoutManifest(t *testing.T) {
	root := t.TempDir()
	f, _ := staticfiles.New(staticfiles.Config{Root: root})
	_, err := f.URL("css/site.css")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "run collectstatic") {
		t.Fatalf("URL without a manifest: %v", err)
	}
	// A manifest written after the program started is found.
	m := staticfiles.NewManifest(map[string]string{"css/site.css": "css/site.0123456789ab.css"})
	data, _ := m.MarshalJSON()
	if err := os.WriteFile(filepath.Join(root, "staticfiles.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := f.URL("css/site.css"); err != nil || got != "/static/css/site.0123456789ab.css" {
		t.Errorf("URL after collectstatic = %q, %v", got, err)
	}

	f, _ = staticfiles.New(staticfiles.Config{})
	if _, err := f.URL("css/site.css"); !errors.Is(err, staticfiles.ErrNoRoot) {
		t.Errorf("URL in production without STATIC_ROOT: %v", err)
	}
}

func TestURLFromEmbeddedFiles(t *testing.T) {
	collected := fstest.MapFS{
		"staticfiles.json": {Data: []byte(`{"paths": {"app.js": "app.5f3e8a9b1c2d.js"}, "version": "1.1", "hash": "x"}`)},
	}
	f, _ := staticfiles.New(staticfiles.Config{Collected: collected, Root: "/nonexistent"})
	if got, err := f.URL("app.js"); err != nil || got != "/static/app.5f3e8a9b1c2d.js" {
		t.Errorf("URL = %q, %v", got, err)
	}
}

func TestParseManifest(t *testing.T) {
	// A version 1.0 manifest, as Django before 4.2 writes it.
	m, err := staticfiles.ParseManifest([]byte(`{"paths": {"a.css": "a.0123456789ab.css"}, "version": "1.0"}`))
	if err != nil || m.Version != "1.0" || m.Paths["a.css"] != "a.0123456789ab.css" || m.Hash != "" {
		t.Fatalf("ParseManifest 1.0 = %+v, %v", m, err)
	}
	if !m.IsHashed("a.0123456789ab.css") || m.IsHashed("a.css") {
		t.Error("IsHashed is wrong")
	}
	if data, _ := m.MarshalJSON(); string(data) != `{"paths": {"a.css": "a.0123456789ab.css"}, "version": "1.0"}` {
		t.Errorf("a 1.0 manifest re-encodes as %s", data)
	}
	for _, bad := range []string{`{"paths": {}, "version": "2.0"}`, `{"paths": {}}`, `not json`} {
		if _, err := staticfiles.ParseManifest([]byte(bad)); err == nil || !strings.Contains(err.Error(), "collectstatic") {
			t.Errorf("ParseManifest(%s) = %v", bad, err)
		}
	}
}

func TestNewManifestHash(t *testing.T) {
	// Computed by hand from Django's definition: md5(json.dumps(sorted(items)))[:12].
	m := staticfiles.NewManifest(map[string]string{"b.css": "b.2.css", "a.css": "a.1.css"})
	if want := md5hex12(`[["a.css", "a.1.css"], ["b.css", "b.2.css"]]`); m.Hash != want {
		t.Errorf("hash = %q, want %q", m.Hash, want)
	}
	if empty := staticfiles.NewManifest(map[string]string{}); empty.Hash != md5hex12("[]") {
		t.Errorf("empty manifest hash = %q", empty.Hash)
	}
	data, _ := m.MarshalJSON()
	if want := `{"paths": {"a.css": "a.1.css", "b.css": "b.2.css"}, "version": "1.1", "hash": "` + m.Hash + `"}`; string(data) != want {
		t.Errorf("MarshalJSON = %s, want %s", data, want)
	}
}

func TestPackageURL(t *testing.T) {
	t.Cleanup(func() { staticfiles.SetDefault(nil) })
	staticfiles.SetDefault(nil)
	if _, err := staticfiles.URL("a.css"); err == nil {
		t.Error("URL without a default: no error")
	}
	f, _ := staticfiles.New(staticfiles.Config{Debug: true})
	staticfiles.SetDefault(f)
	if staticfiles.Default() != f {
		t.Error("Default is not what SetDefault set")
	}
	if got, err := staticfiles.URL("a.css"); err != nil || got != "/static/a.css" {
		t.Errorf("URL = %q, %v", got, err)
	}
}
