//go:build unix

package reload

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests run the supervisor in the test process, with the test binary as both the child and
// a fake go tool (see TestMain), so they exercise every path of Run in a second or two each
// without compiling anything.

// harness is a running Run with a watched source directory.
type harness struct {
	addr     string
	src      string // watched; the fake go tool runs here
	tmp      string // TMPDIR of the supervisor, where its builds go
	buildLog string
	stderr   *syncBuffer
	cancel   context.CancelFunc
	result   chan error
}

func startRun(t *testing.T, mode string, extraEnv ...string) *harness {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{
		src:    t.TempDir(),
		tmp:    t.TempDir(),
		stderr: &syncBuffer{},
		result: make(chan error, 1),
	}
	h.buildLog = filepath.Join(t.TempDir(), "builds.log")
	t.Setenv("TMPDIR", h.tmp)
	t.Setenv("RELOAD_HELPER", "fakego") // the build inherits it; Config.Env overrides it for children
	t.Setenv("RELOAD_BUILD_LOG", h.buildLog)
	t.Setenv("GORACE", "atexit_sleep_ms=0") // with -race, children and builds exit at once
	h.write(t, "main.go", "package main\n")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	h.addr = ln.Addr().String()
	cfg := Config{
		Listener:   ln,
		Env:        append([]string{"RELOAD_HELPER=" + mode}, extraEnv...),
		Executable: exe,
		GoCommand:  exe,
		Dir:        h.src,
		Dirs:       []string{h.src},
		Package:    ".",
		Interval:   50 * time.Millisecond,
		Debounce:   200 * time.Millisecond,
		Stdout:     h.stderr,
		Stderr:     h.stderr,
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.result <- Run(ctx, cfg) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.result:
		case <-time.After(15 * time.Second):
			t.Error("Run did not return after its context was cancelled")
		}
	})
	return h
}

func (h *harness) write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(h.src, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// stop cancels Run and checks that it returns nil and cleans up after itself.
func (h *harness) stop(t *testing.T) {
	t.Helper()
	h.cancel()
	select {
	case err := <-h.result:
		if err != nil {
			t.Fatalf("Run returned %v, want nil after cancel", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return within 15s of cancel")
	}
	h.result <- nil // for the cleanup
	if left := leftovers(t, h.tmp); len(left) > 0 {
		t.Errorf("temporary builds left behind: %v", left)
	}
}

func (h *harness) builds(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile(h.buildLog)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Count(string(data), "\n")
}

func TestRunReloadsWithoutAGapAndSurvivesABrokenBuild(t *testing.T) {
	h := startRun(t, "serve")
	first := waitFor(t, h.addr, 10*time.Second, "the first child", func(p page) bool {
		return p.status == http.StatusOK && strings.HasPrefix(p.body, "serving ")
	})
	prober := probe(h.addr)

	// A burst of saves makes one build.
	for i := range 5 {
		h.write(t, "main.go", "package main // save "+strings.Repeat("!", i)+"\n")
		time.Sleep(10 * time.Millisecond)
	}
	second := waitFor(t, h.addr, 10*time.Second, "the first build to serve", func(p page) bool {
		return strings.HasPrefix(p.body, "serving site-1 ")
	})
	time.Sleep(500 * time.Millisecond) // room for a wrong second build to show up
	if n := h.builds(t); n != 1 {
		t.Errorf("a burst of 5 saves made %d builds, want 1", n)
	}
	if want := filepath.Join(h.src, "main.go") + " changed, reloading."; !strings.Contains(h.stderr.String(), want) {
		t.Errorf("log lacks %q:\n%s", want, h.stderr)
	}

	// A failed build is reported and the last good build keeps serving.
	h.write(t, "broken", "")
	h.write(t, "main.go", "package main // broken\n")
	waitForText(t, h.stderr, 10*time.Second, "Build failed:")
	waitForText(t, h.stderr, time.Second, "<broken> on purpose")
	for range 3 {
		if got := get(h.addr); got.body != second.body {
			t.Fatalf("after a failed build the site answered %q (error %v), want the last good build %q", got.body, got.err, second.body)
		}
	}

	// The next good save recovers.
	if err := os.Remove(filepath.Join(h.src, "broken")); err != nil {
		t.Fatal(err)
	}
	h.write(t, "main.go", "package main // fixed\n")
	third := waitFor(t, h.addr, 10*time.Second, "the fixed build to serve", func(p page) bool {
		return strings.HasPrefix(p.body, "serving site-3 ")
	})
	waitForText(t, h.stderr, time.Second, "Build fixed, restarting.")
	prober.finish(t)

	// Builds that no child runs any more are removed: only the serving one is left.
	dirs := leftovers(t, h.tmp)
	if len(dirs) != 1 {
		t.Fatalf("want one build directory in TMPDIR, found %q", dirs)
	}
	for deadline := time.Now().Add(5 * time.Second); ; {
		entries, err := os.ReadDir(dirs[0])
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if len(names) == 1 && names[0] == "site-3" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the build directory holds %q, want only the serving site-3", names)
		}
		time.Sleep(20 * time.Millisecond)
	}

	h.stop(t)
	for _, p := range []page{first, second, third} {
		waitGone(t, p.pid(), 5*time.Second)
	}
	if log := h.stderr.String(); !strings.HasPrefix(log, "Watching for file changes with StatReloader\n") {
		t.Errorf("log starts %q, want the StatReloader line first", log)
	}
}

func TestRunShowsTheProblemWhenNoChildServes(t *testing.T) {
	h := startRun(t, "crash-first")
	crashed := waitFor(t, h.addr, 10*time.Second, "the crash page", func(p page) bool {
		return p.status == http.StatusInternalServerError && strings.Contains(p.body, "exit status 1")
	})
	if crashed.contentType != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q, want text/html; charset=utf-8", crashed.contentType)
	}
	if !strings.Contains(crashed.body, "boom: &lt;crash&gt; on purpose") || strings.Contains(crashed.body, "<crash>") {
		t.Errorf("the page should show the child's last words escaped:\n%s", crashed.body)
	}
	waitForText(t, h.stderr, time.Second, "The server exited unexpectedly (exit status 1)")

	h.write(t, "broken", "")
	h.write(t, "main.go", "package main // broken\n")
	broken := waitFor(t, h.addr, 10*time.Second, "the build error page", func(p page) bool {
		return p.status == http.StatusInternalServerError && strings.Contains(p.body, "Build failed")
	})
	if !strings.Contains(broken.body, "syntax error: &lt;broken&gt; on purpose") || strings.Contains(broken.body, "<broken>") {
		t.Errorf("the page should show the build output escaped:\n%s", broken.body)
	}

	if err := os.Remove(filepath.Join(h.src, "broken")); err != nil {
		t.Fatal(err)
	}
	h.write(t, "main.go", "package main // fixed\n")
	fixed := waitFor(t, h.addr, 10*time.Second, "the fixed build", func(p page) bool {
		return p.status == http.StatusOK && strings.HasPrefix(p.body, "serving site-2 ")
	})
	waitForText(t, h.stderr, time.Second, "Build fixed, restarting.")
	h.stop(t)
	waitGone(t, fixed.pid(), 5*time.Second)
}

func TestRunKeepsTheOldChildWhenTheNewOneCrashes(t *testing.T) {
	h := startRun(t, "crash-copies")
	first := waitFor(t, h.addr, 10*time.Second, "the first child", func(p page) bool { return p.status == http.StatusOK })
	h.write(t, "main.go", "package main // crashes when run\n")
	waitForText(t, h.stderr, 10*time.Second, "The new build exited before it was ready (exit status 1).")
	waitForText(t, h.stderr, time.Second, "Still serving the previous build.")
	if got := get(h.addr); got.body != first.body {
		t.Errorf("after a new build crashed the site answered %q (error %v), want the old child's %q", got.body, got.err, first.body)
	}
	h.stop(t)
}

func TestRunRestartsAChildThatExitsWithStatus3(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "restarted")
	h := startRun(t, "restart-once", "RELOAD_MARKER="+marker)
	waitFor(t, h.addr, 10*time.Second, "the restarted child", func(p page) bool { return p.status == http.StatusOK })
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("the first child did not run: %v", err)
	}
	waitForText(t, h.stderr, time.Second, "The server exited with status 3; restarting it.")
	if n := h.builds(t); n != 0 {
		t.Errorf("a restart on status 3 built %d times, want 0", n)
	}
	h.stop(t)
}

func TestChildStopsWhenTheSupervisorIsKilled(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "RELOAD_HELPER=supervise", "RELOAD_WATCH="+t.TempDir(), "TMPDIR="+t.TempDir())
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	waitForText(t, stdout, 10*time.Second, "ADDR ")
	addr := strings.TrimSpace(strings.SplitN(strings.SplitN(stdout.String(), "ADDR ", 2)[1], "\n", 2)[0])
	served := waitFor(t, addr, 10*time.Second, "the child", func(p page) bool { return p.status == http.StatusOK })
	if served.pid() == 0 || served.pid() == cmd.Process.Pid {
		t.Fatalf("cannot tell the child's pid from %q", served.body)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitGone(t, served.pid(), 10*time.Second)
}

func TestRunRefusesAConfigWithoutAUsableListener(t *testing.T) {
	err := Run(context.Background(), Config{})
	if err == nil || !strings.Contains(err.Error(), "Config.Listener is nil") {
		t.Errorf("Run without a listener: %v, want an error naming Config.Listener", err)
	}
	err = Run(context.Background(), Config{Listener: fakeListener{}})
	if err == nil || !strings.Contains(err.Error(), "*net.TCPListener") {
		t.Errorf("Run with a listener without a file descriptor: %v, want an error saying which listeners work", err)
	}
}

type fakeListener struct{ net.Listener }

func (fakeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9} }
