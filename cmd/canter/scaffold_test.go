package main

import (
	"bytes"
	"go/format"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestScaffoldedProject is the promise of startproject and startapp, end to end: a new project
// passes its own tests, builds, answers on runserver and stops on SIGINT; an app added with
// startapp, wired in with the lines startapp prints, builds and passes its tests too.
func TestScaffoldedProject(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a project and builds, tests and runs it with the go command; skipped with -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go command on PATH")
	}
	root := repoRoot(t)
	work := t.TempDir()
	env := goEnv()

	// startproject, with go mod tidy.
	tl, stdout, stderr := testTool(work)
	tl.goCommand, tl.goEnv = goBin, env
	if code := tl.run(t.Context(), []string{"startproject", "mysite", "--canter", root}); code != 0 {
		t.Fatalf("startproject: exit %d\n%s%s", code, stdout, stderr)
	}
	if stderr.Len() > 0 {
		t.Errorf("startproject wrote to stderr (go mod tidy failed?):\n%s", stderr)
	}
	project := filepath.Join(work, "mysite")
	if _, err := os.Stat(filepath.Join(project, "go.sum")); err != nil {
		t.Errorf("go mod tidy wrote no go.sum: %v", err)
	}
	goRun(t, project, env, goBin, "test", "./...")

	// runserver, on a free loopback port given by CANTER_ADDR.
	bin := filepath.Join(work, "mysite-server")
	goRun(t, project, env, goBin, "build", "-o", bin, ".")
	serve(t, project, bin, env, map[string]string{
		"/":       "<h1>It worked! mysite is running on Canter.</h1>",
		"/pages/": "<h1>Hello from the pages app of mysite</h1>",
	})

	// runserver with reload: an edit is served after the rebuild; a compile error is reported
	// while the last good build keeps answering; the next good save recovers.
	reloading(t, project, bin, env)

	// startapp, then the two steps it prints, done as a user would.
	tl, stdout, stderr = testTool(project)
	if code := tl.run(t.Context(), []string{"startapp", "polls"}); code != 0 {
		t.Fatalf("startapp: exit %d\n%s%s", code, stdout, stderr)
	}
	steps := stdout.String()
	mainImport := lineAfter(t, steps, "in main.go, add to the imports:")
	installed := lineAfter(t, steps, "in settings.toml, add to INSTALLED_APPS:")
	urlsImport := lineAfter(t, steps, "in urls.go:\n   add to the imports:")
	include := lineAfter(t, steps, "add to urlpatterns:")
	for got, want := range map[string]string{
		mainImport: `_ "mysite/polls"`,
		installed:  `"polls"`,
		urlsImport: `"mysite/polls"`,
		include:    `urls.Include("polls/", "polls", polls.URLs...),`,
	} {
		if got != want {
			t.Errorf("startapp printed %q, want %q", got, want)
		}
	}
	edit(t, filepath.Join(project, "main.go"), `_ "mysite/pages"`, `_ "mysite/pages"`+"\n\t"+mainImport)
	edit(t, filepath.Join(project, "settings.toml"), `INSTALLED_APPS = ["pages"]`, `INSTALLED_APPS = ["pages", `+installed+`]`)
	edit(t, filepath.Join(project, "urls.go"), `"mysite/pages"`, `"mysite/pages"`+"\n\t"+urlsImport)
	edit(t, filepath.Join(project, "urls.go"), `pages.URLs...),`, `pages.URLs...),`+"\n\t"+include)
	goRun(t, project, env, goBin, "build", "./...")
	goRun(t, project, env, goBin, "vet", "./...")
	out := goRun(t, project, env, goBin, "test", "-v", "./...")
	for _, pkg := range []string{"mysite", "mysite/pages", "mysite/polls"} {
		if !regexp.MustCompile(`(?m)^ok\s+` + regexp.QuoteMeta(pkg) + `\s`).MatchString(out) {
			t.Errorf("go test ./... did not pass %s:\n%s", pkg, out)
		}
	}

	// Every Go file the commands wrote is gofmt'ed (the edits above keep imports sorted).
	filepath.WalkDir(project, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".go") {
			src, _ := os.ReadFile(p)
			if formatted, err := format.Source(src); err != nil || !bytes.Equal(formatted, src) {
				t.Errorf("%s is not gofmt'ed (%v)", p, err)
			}
		}
		return err
	})
}

// goEnv is the environment for the go command in these tests: the module cache and proxy
// of this one, -mod=mod so that go.sum may be completed, no workspace, and no CANTER_*
// variables that would change the project's settings.
func goEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CANTER_") || strings.HasPrefix(kv, "GOFLAGS=") || strings.HasPrefix(kv, "GOWORK=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"), "GOWORK=off")
}

// goRun runs the go command in dir and returns its output, failing the test if it fails.
func goRun(t *testing.T, dir string, env []string, goBin string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), goBin, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// serve runs `bin runserver --noreload` in dir with CANTER_ADDR set to a free loopback port,
// checks that each path answers 200 with its text, then stops the server with SIGINT and
// checks that it exits with status 0.
func serve(t *testing.T, dir, bin string, env []string, pages map[string]string) {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "runserver", "--noreload")
	cmd.Dir = dir
	cmd.Env = append(env, "CANTER_ADDR="+addr)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Kill() // a no-op once it has exited
		if t.Failed() {
			t.Logf("server output:\n%s", logs.String())
		}
	}()
	base := "http://" + addr
	waitUp(t, base+"/", exited)
	for path, want := range pages {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d %q, want 200 containing %q", path, resp.StatusCode, body, want)
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGINT the server exited with %v, want status 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Errorf("the server did not stop within 15s of SIGINT")
	}
}

// reloading runs `bin runserver` (with reload) in dir and edits views.go under it.
func reloading(t *testing.T, dir, bin string, env []string) {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "runserver")
	cmd.Dir = dir
	cmd.Env = append(env, "CANTER_ADDR="+addr)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("after SIGINT runserver exited with %v, want status 0", err)
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Errorf("runserver did not stop within 20s of SIGINT")
		}
		if t.Failed() {
			t.Logf("runserver output:\n%s", logs.String())
		}
	}()
	base := "http://" + addr + "/"
	waitUp(t, base, exited)
	page := func() string {
		resp, err := http.Get(base)
		if err != nil {
			return "error: " + err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("runserver: %s did not happen within 90s; the page is %q", what, page())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	views := filepath.Join(dir, "views.go")
	initial, err := os.ReadFile(views)
	if err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile(views, initial, 0o644) // the project's own tests expect the first text
	if !strings.Contains(page(), "It worked!") {
		t.Fatalf("before the edit: %q", page())
	}
	edit(t, views, "It worked!", "It reloaded!")
	waitFor("the edited page", func() bool { return strings.Contains(page(), "It reloaded!") })

	original, _ := os.ReadFile(views)
	os.WriteFile(views, append(append([]byte{}, original...), "\nfunc broken() { undefinedName() }\n"...), 0o644)
	waitFor("the build error report", func() bool { return strings.Contains(logs.String(), "undefinedName") })
	if got := page(); !strings.Contains(got, "It reloaded!") {
		t.Errorf("during the build error the site answers %q, want the last good page", got)
	}
	os.WriteFile(views, []byte(strings.Replace(string(original), "It reloaded!", "It recovered!", 1)), 0o644)
	waitFor("the recovery", func() bool { return strings.Contains(page(), "It recovered!") })
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitUp waits until url answers, or fails if the server exits first or takes over 20s.
func waitUp(t *testing.T, url string, exited chan error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("the server exited before answering: %v", err)
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s did not answer within 20s", url)
}

// lineAfter returns the trimmed line that follows heading in text.
func lineAfter(t *testing.T, text, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(text, heading+"\n")
	if !ok {
		t.Fatalf("startapp's output lacks %q:\n%s", heading, text)
	}
	line, _, _ := strings.Cut(rest, "\n")
	return strings.TrimSpace(line)
}

// edit replaces the one occurrence of old in the file with new.
func edit(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), old); n != 1 {
		t.Fatalf("%s holds %q %d times, want once:\n%s", file, old, n, data)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lockedBuffer collects a child's output, written from the goroutines exec starts.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
