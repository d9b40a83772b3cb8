package reload

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// tree makes the files (and their directories) under root.
func tree(t testing.TB, root string, files ...string) {
	t.Helper()
	for _, f := range files {
		path := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func scanned(w *watcher, root string) []string {
	var rel []string
	for path := range maps.Keys(w.scan()) {
		r, _ := filepath.Rel(root, path)
		rel = append(rel, filepath.ToSlash(r))
	}
	slices.Sort(rel)
	return rel
}

func TestWatcherChoosesFiles(t *testing.T) {
	root := t.TempDir()
	watched := []string{
		"main.go", "go.mod", "go.sum", "go.work", "go.work.sum",
		"settings.toml", "templates/base.html", "templates/mail.tmpl",
		"static/app.css", "static/app.js", "internal/store/store.go",
	}
	ignored := []string{
		"main_test.go", "internal/store/store_test.go", // tests do not change the site
		"notes.txt", "README", "main.go~", // other extensions, editor backups
		".env", ".main.go.swp", ".#main.go", // hidden files
		".git/HEAD", ".git/hooks/pre-commit.go", // version control
		"node_modules/lib/index.js", "static/node_modules/x.css",
		"testdata/fixture.go", "internal/store/testdata/golden.html",
		".idea/workspace.html", "internal/.cache/gen.go", // hidden directories
		"build-output/site.go", // the supervisor's own build directory
	}
	tree(t, root, append(watched, ignored...)...)
	w := newWatcher([]string{root}, defaultExtensions, filepath.Join(root, "build-output"), time.Second, time.Second)
	got := scanned(w, root)
	want := slices.Sorted(slices.Values(watched))
	if !slices.Equal(got, want) {
		t.Errorf("watched files:\n got %q\nwant %q", got, want)
	}
}

func TestWatcherHonoursExtensionsAndSeveralDirs(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	tree(t, a, "app.py", "main.go", "go.mod")
	tree(t, b, "style.scss", "page.html")
	w := newWatcher([]string{a, b, filepath.Join(a, "missing")}, []string{".py", ".scss"}, "", time.Second, time.Second)
	files := w.scan()
	for _, want := range []string{filepath.Join(a, "app.py"), filepath.Join(a, "go.mod"), filepath.Join(b, "style.scss")} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s is not watched", want)
		}
	}
	if len(files) != 3 {
		t.Errorf("watching %d files, want 3: %v", len(files), slices.Sorted(maps.Keys(files)))
	}
}

func TestChanged(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	base := map[string]fileState{"a.go": {t0, 10}, "b.go": {t0, 20}}
	tests := []struct {
		name  string
		after map[string]fileState
		want  []string
	}{
		{"nothing", map[string]fileState{"a.go": {t0, 10}, "b.go": {t0, 20}}, nil},
		{"touched", map[string]fileState{"a.go": {t0.Add(time.Nanosecond), 10}, "b.go": {t0, 20}}, []string{"a.go"}},
		{"same time, new size", map[string]fileState{"a.go": {t0, 10}, "b.go": {t0, 21}}, []string{"b.go"}},
		{"added", map[string]fileState{"a.go": {t0, 10}, "b.go": {t0, 20}, "c.go": {t0, 1}}, []string{"c.go"}},
		{"removed", map[string]fileState{"b.go": {t0, 20}}, []string{"a.go"}},
		{"everything", map[string]fileState{"b.go": {t0, 2}, "c.go": {t0, 1}}, []string{"a.go", "b.go", "c.go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := changed(base, tt.after); !slices.Equal(got, tt.want) {
				t.Errorf("changed = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWatcherReportsABurstOnce(t *testing.T) {
	root := t.TempDir()
	tree(t, root, "a.go", "b.go", "old.go")
	const debounce = 150 * time.Millisecond
	w := newWatcher([]string{root}, defaultExtensions, "", 10*time.Millisecond, debounce)
	ctx := t.Context()
	go w.run(ctx)

	time.Sleep(30 * time.Millisecond)
	tree(t, root, "a.go") // the same content again: only the time changes
	if err := os.WriteFile(filepath.Join(root, "b.go"), []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(40 * time.Millisecond)
	if err := os.Remove(filepath.Join(root, "old.go")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(40 * time.Millisecond)
	lastSave := time.Now() // taken before the save, so the quiet period can only look longer
	tree(t, root, "new.html")

	select {
	case <-w.notify:
	case <-time.After(5 * time.Second):
		t.Fatal("no change reported within 5s")
	}
	if quiet := time.Since(lastSave); quiet < debounce {
		t.Errorf("the burst was reported %s after the last save, before the %s quiet period", quiet, debounce)
	}
	got := w.take()
	want := []string{filepath.Join(root, "a.go"), filepath.Join(root, "b.go"), filepath.Join(root, "new.html"), filepath.Join(root, "old.go")}
	if !slices.Equal(got, want) {
		t.Errorf("changes = %q, want %q", got, want)
	}
	select {
	case <-w.notify:
		t.Errorf("a second report followed the burst: %q", w.take())
	case <-time.After(3 * debounce):
	}
}

// BenchmarkScan measures one poll of a project of 600 watched files in 30 directories, with a
// node_modules tree that must be skipped.
func BenchmarkScan(b *testing.B) {
	root := b.TempDir()
	var files []string
	for d := range 30 {
		for f := range 20 {
			files = append(files, fmt.Sprintf("pkg%d/file%d.go", d, f))
		}
		files = append(files, fmt.Sprintf("node_modules/mod%d/index.js", d))
	}
	tree(b, root, files...)
	w := newWatcher([]string{root}, defaultExtensions, "", time.Second, time.Second)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w.last = w.scan()
	}
	if len(w.last) != 600 {
		b.Fatalf("scanned %d files, want 600", len(w.last))
	}
}
