package main

import (
	"bytes"
	"context"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/canter-go/canter/settings"
)

// repoRoot is the root of the Canter checkout these tests run in, found from this file.
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot find the test's own source file")
	}
	root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	if err := checkCanterRoot(root); err != nil {
		t.Fatal(err)
	}
	return root
}

// testTool returns the canter command working in dir, without `go mod tidy`.
func testTool(dir string) (*tool, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	return &tool{stdout: &stdout, stderr: &stderr, dir: dir}, &stdout, &stderr
}

// listFiles lists the files under dir, slash-separated and sorted.
func listFiles(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

func TestCommandLine(t *testing.T) {
	root := repoRoot(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/outer\n\ngo 1.26\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "full"), 0o755)
	os.WriteFile(filepath.Join(dir, "full", "keep.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(dir, "afile"), []byte("mine"), 0o644)
	os.Mkdir(filepath.Join(dir, "empty"), 0o755)

	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{nil, 0, "Available subcommands:", ""},
		{[]string{"help"}, 0, "startproject", ""},
		{[]string{"help", "startapp"}, 0, "usage: canter startapp [flags] NAME [DIR]", ""},
		{[]string{"version"}, 0, "Canter ", ""},
		{[]string{"startprojekt", "x"}, 2, "", `Unknown command: "startprojekt". Did you mean startproject?`},
		{[]string{"startproject"}, 2, "", "startproject takes a project name and, optionally, a directory; got 0 arguments"},
		{[]string{"startproject", "a", "b", "c"}, 2, "", "got 3 arguments"},
		{[]string{"startproject", "x", "--bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"startproject", "x", "--module"}, 2, "", "flag needs an argument: -module"},
		{[]string{"startproject", "main"}, 1, "", `CommandError: "main" is not a valid project name: it has a meaning for the go command`},
		{[]string{"startproject", "My-Site"}, 1, "", `(such as "my_site")`},
		{[]string{"startproject", "mysite", "--module", "net/mysite"}, 1, "", "would clash with the standard library"},
		{[]string{"startproject", "mysite", "full", "--canter", root}, 1, "", "full already exists and is not empty"},
		{[]string{"startproject", "mysite", "afile", "--canter", root}, 1, "", "afile already exists and is not a directory"},
		{[]string{"startproject", "mysite", "empty2", "--canter", dir}, 1, "", "is not a checkout of Canter: its go.mod declares module \"example.com/outer\""},
		{[]string{"startapp"}, 2, "", "startapp takes an app name"},
		{[]string{"startapp", "string"}, 1, "", "it is a predeclared Go identifier"},
		{[]string{"startapp", "polls", "full"}, 1, "", "full already exists and is not empty"},
		{[]string{"startapp", "polls", ".."}, 1, "", "is not inside the project"},
		{[]string{"startapp", "polls", "."}, 1, "", "is not inside the project"},
	}
	for _, tt := range tests {
		tl, stdout, stderr := testTool(dir)
		code := tl.run(context.Background(), tt.args)
		if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("canter %q: exit %d\nstdout: %s\nstderr: %s\nwant exit %d, stdout containing %q, stderr containing %q",
				tt.args, code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
		}
	}
	// Nothing was written over, and refused commands left nothing behind.
	if got, want := listFiles(t, dir), []string{"afile", "full/keep.txt", "go.mod"}; !slices.Equal(got, want) {
		t.Errorf("files after the refused commands: %q, want %q", got, want)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "full", "keep.txt")); string(data) != "mine" {
		t.Errorf("full/keep.txt was changed: %q", data)
	}
}

func TestStartAppOutsideAProject(t *testing.T) {
	dir := t.TempDir()
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "go.mod")); err == nil {
		t.Skip("the temporary directory is inside a Go module")
	}
	tl, _, stderr := testTool(dir)
	if code := tl.run(context.Background(), []string{"startapp", "polls"}); code != 1 ||
		!strings.Contains(stderr.String(), "no go.mod in "+dir+" or any directory above it; run startapp inside a project") {
		t.Errorf("startapp outside a project: exit %d, %s", code, stderr)
	}
}

// TestEmptyDirectoryIsUsed checks that startproject fills an existing empty directory, and
// that the files it writes are what the skeleton promises.
func TestEmptyDirectoryIsUsed(t *testing.T) {
	dir := t.TempDir()
	tl, stdout, stderr := testTool(dir)
	target := filepath.Join(dir, "site")
	os.Mkdir(target, 0o755)
	if code := tl.run(context.Background(), []string{"startproject", "--canter", repoRoot(t), "mysite", "site", "--module", "example.com/mysite"}); code != 0 {
		t.Fatalf("startproject: exit %d\n%s%s", code, stdout, stderr)
	}
	want := []string{".gitignore", "README.md", "go.mod", "main.go", "main_test.go",
		"pages/app.go", "pages/pages_test.go", "pages/templates/pages/index.html", "pages/urls.go", "pages/views.go",
		"settings.toml", "urls.go", "views.go"}
	if got := listFiles(t, target); !slices.Equal(got, want) {
		t.Errorf("files: %q\nwant %q", got, want)
	}
	gomod, _ := os.ReadFile(filepath.Join(target, "go.mod"))
	for _, line := range []string{"module example.com/mysite\n", "\ngo 1.26\n", "\nrequire github.com/canter-go/canter v", "\nreplace github.com/canter-go/canter => " + repoRoot(t) + "\n"} {
		if !strings.Contains(string(gomod), line) {
			t.Errorf("go.mod lacks %q:\n%s", line, gomod)
		}
	}
	main, _ := os.ReadFile(filepath.Join(target, "main.go"))
	if !strings.Contains(string(main), `_ "example.com/mysite/pages"`) || !strings.Contains(string(main), "canter.Main(project)") {
		t.Errorf("main.go:\n%s", main)
	}
	if !strings.Contains(stderr.String(), "go.sum is not written yet; run `go mod tidy` in site") {
		t.Errorf("no note about go mod tidy: %q", stderr)
	}
}

func TestSecretKey(t *testing.T) {
	// Django's startproject: "django-insecure-" and 50 characters of get_random_secret_key's
	// alphabet; Canter's prefix is "canter-insecure-".
	format := regexp.MustCompile(`^canter-insecure-[a-z0-9!@#$%^&*(\-_=+)]{50}$`)
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 200 {
		k := secretKey()
		if !format.MatchString(k) {
			t.Fatalf("secretKey() = %q, not of Django's form", k)
		}
		if seen[k] {
			t.Fatalf("secretKey() repeated %q", k)
		}
		seen[k] = true
		for _, r := range strings.TrimPrefix(k, "canter-insecure-") {
			counts[r]++
		}
	}
	// 10,000 draws from 50 characters: each is expected 200 times; all of them appear.
	if len(counts) != 50 {
		t.Errorf("only %d of the 50 characters appeared in 10,000 draws", len(counts))
	}
}

// TestSkeletonsRender renders both skeletons and checks that the Go files are gofmt'ed Go
// and that no template delimiters are left in any file.
func TestSkeletonsRender(t *testing.T) {
	data := &scaffold{
		Project: "mysite", Module: "example.com/mysite", Binary: "mysite", App: "pages", AppImport: "example.com/mysite/pages",
		AppDir: "pages", SettingsFromApp: "../settings.toml", SecretKey: secretKey(),
		Middleware: tomlList([]string{"security", "csrf"}), GoVersion: goVersion,
		CanterVersion: zeroVersion, CanterReplace: "/src/canter",
	}
	for _, kind := range []string{"project", "app"} {
		files, err := render(kind, data)
		if err != nil {
			t.Fatal(err)
		}
		for name, content := range files {
			if strings.Contains(string(content), "[[") || strings.Contains(string(content), "]]") {
				t.Errorf("%s/%s keeps a template delimiter:\n%s", kind, name, content)
			}
			if !strings.HasSuffix(name, ".go") {
				continue
			}
			formatted, err := format.Source(content)
			if err != nil || !bytes.Equal(formatted, content) {
				t.Errorf("%s/%s is not gofmt'ed (%v)", kind, name, err)
			}
			if _, err := parser.ParseFile(token.NewFileSet(), name, content, parser.ParseComments); err != nil {
				t.Errorf("%s/%s: %v", kind, name, err)
			}
		}
		if kind == "app" {
			html := string(files["templates/pages/index.html"])
			if !strings.Contains(html, "<h1>Hello from the {{.App}} app of mysite</h1>") {
				t.Errorf("the html/template actions did not pass through:\n%s", html)
			}
		}
	}
}

func TestRequirement(t *testing.T) {
	root := repoRoot(t)
	tests := []struct {
		src              canterSource
		flag             string
		version, replace string
		err              string
	}{
		{canterSource{Version: "v1.2.0"}, "", "v1.2.0", "", ""},
		{canterSource{Version: "v1.2.0"}, root, "v1.2.0", root, ""},
		{canterSource{Checkout: root}, "", zeroVersion, root, ""},
		{canterSource{Version: "v0.0.0-20260101000000-abcdefabcdef", Checkout: root}, "", "v0.0.0-20260101000000-abcdefabcdef", root, ""},
		{canterSource{}, "", "", "", "give --canter PATH"},
		{canterSource{}, t.TempDir(), "", "", "is not a checkout of Canter"},
	}
	for _, tt := range tests {
		version, replace, err := tt.src.requirement(tt.flag)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%+v, --canter %q: error %v, want %q", tt.src, tt.flag, err, tt.err)
			}
			continue
		}
		if err != nil || version != tt.version || replace != tt.replace {
			t.Errorf("%+v, --canter %q = %q, %q, %v; want %q, %q", tt.src, tt.flag, version, replace, err, tt.version, tt.replace)
		}
	}
}

func TestGoModPath(t *testing.T) {
	tests := map[string]string{
		"/src/canter":         "/src/canter",
		"/home/me/my canter":  `"/home/me/my canter"`,
		`C:\src\canter`:       `"C:\\src\\canter"`,
		"/src/canter-go/v1.2": "/src/canter-go/v1.2",
	}
	for in, want := range tests {
		if got := goModPath(in); got != want {
			t.Errorf("goModPath(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestGeneratedSettingsLoad loads the settings.toml startproject writes with the settings
// package and checks the values the task asks for.
func TestGeneratedSettingsLoad(t *testing.T) {
	files, err := render("project", &scaffold{
		Project: "mysite", Module: "mysite", Binary: "mysite", App: "pages", AppImport: "mysite/pages", AppDir: "pages",
		SecretKey: secretKey(), Middleware: tomlList(settings.Defaults().Middleware),
		GoVersion: goVersion, CanterVersion: zeroVersion,
	})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "settings.toml")
	os.WriteFile(file, files["settings.toml"], 0o644)
	s, err := settings.Load(settings.Options{File: file})
	if err != nil {
		t.Fatalf("the generated settings do not load: %v\n%s", err, files["settings.toml"])
	}
	switch {
	case !s.Debug:
		t.Error("DEBUG is off")
	case !strings.HasPrefix(s.SecretKey, "canter-insecure-") || len(s.SecretKey) != len("canter-insecure-")+50:
		t.Errorf("SECRET_KEY = %q", s.SecretKey)
	case len(s.AllowedHosts) != 0:
		t.Errorf("ALLOWED_HOSTS = %q, want empty", s.AllowedHosts)
	case !slices.Equal(s.InstalledApps, []string{"pages"}):
		t.Errorf("INSTALLED_APPS = %q", s.InstalledApps)
	case !slices.Equal(s.Middleware, settings.Defaults().Middleware):
		t.Errorf("MIDDLEWARE = %q, want %q", s.Middleware, settings.Defaults().Middleware)
	case s.SessionEngine != settings.SessionMemory:
		t.Errorf("SESSION_ENGINE = %q", s.SessionEngine)
	}
	if !strings.Contains(string(files["settings.toml"]), `"db" keeps them in`) {
		t.Error("settings.toml does not say what the db engine does")
	}
	if strings.Contains(string(files["go.mod"]), "replace") {
		t.Errorf("go.mod has a replace directive without --canter:\n%s", files["go.mod"])
	}
}
