//go:build unix

package reload

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests build a real site with the go tool, run it as a supervisor the way runserver
// will, and edit its sources.

// siteMain is a tiny site: a supervisor when started by hand, a server on the inherited socket
// when started by the supervisor. It answers "<message> pid=<pid>"; with crash set, the child
// dies at start-up.
const siteMain = `package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/canter-go/canter/server/reload"
)

func main() {
	if ln, ok := reload.Listener(); ok {
		if crash {
			fmt.Fprintln(os.Stderr, "boom: <crash> on purpose")
			os.Exit(1)
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "%s pid=%d", message, os.Getpid())
		})}
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		go func() {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				log.Fatal(err)
			}
		}()
		<-ctx.Done()
		srv.Shutdown(context.Background()) // finishes the requests in flight
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ADDR %s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := reload.Run(ctx, reload.Config{Listener: ln, Args: os.Args[1:], Package: "."}); err != nil {
		log.Fatal(err)
	}
}
`

func messageFile(message string, crash bool) string {
	c := "false"
	if crash {
		c = "true"
	}
	return "package main\n\nconst message = \"" + message + "\"\n\nconst crash = " + c + "\n"
}

// site is a temporary module and its supervisor process.
type site struct {
	dir    string
	tmp    string // the supervisor's TMPDIR
	addr   string
	cmd    *exec.Cmd
	stdout *syncBuffer
	stderr *syncBuffer
	exited chan error
}

// repoRoot finds the module this package belongs to, to point the site's replace directive at.
func repoRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Fatalf("go env GOMOD: %q, %v", out, err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// goEnv is the environment for building the site: offline, and free to settle its go.mod.
func goEnv() []string {
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
}

// newSite writes the module, builds it and starts it as a supervisor.
func newSite(t *testing.T, message string, crash bool) *site {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go tool is not in PATH")
	}
	s := &site{dir: t.TempDir(), tmp: t.TempDir(), stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan error, 1)}
	goMod := "module example.com/site\n\ngo 1.26\n\nrequire github.com/canter-go/canter v0.0.0\n\n" +
		"replace github.com/canter-go/canter => " + repoRoot(t) + "\n"
	s.write(t, "go.mod", goMod)
	s.write(t, "main.go", siteMain)
	s.write(t, "message.go", messageFile(message, crash))

	bin := filepath.Join(t.TempDir(), "site")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir, build.Env = s.dir, goEnv()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the site: %v\n%s", err, out)
	}

	s.cmd = exec.Command(bin)
	s.cmd.Dir = s.dir
	s.cmd.Env = append(goEnv(), "TMPDIR="+s.tmp)
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	s.cmd.WaitDelay = 2 * time.Second
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.exited
		if t.Failed() {
			t.Logf("supervisor output:\n%s", s.stderr)
		}
	})
	waitForText(t, s.stdout, 10*time.Second, "ADDR ")
	_, after, _ := strings.Cut(s.stdout.String(), "ADDR ")
	s.addr, _, _ = strings.Cut(after, "\n")
	return s
}

func (s *site) write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(s.dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// interrupt stops the supervisor as CONTROL-C does and checks that it exits cleanly.
func (s *site) interrupt(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.exited:
		s.exited <- err // for the cleanup
		if err != nil {
			t.Fatalf("the supervisor exited with %v after SIGINT, want status 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the supervisor did not exit within 15s of SIGINT")
	}
}

func TestSiteReloadsOnEdits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site with the go tool; skipped with -short")
	}
	s := newSite(t, "version one", false)
	first := waitFor(t, s.addr, 10*time.Second, "version one", func(p page) bool {
		return p.status == http.StatusOK && strings.HasPrefix(p.body, "version one ")
	})
	prober := probe(s.addr)

	// Several quick saves, as an editor that saves and then formats: one build.
	for i := range 4 {
		s.write(t, "message.go", messageFile("draft "+strings.Repeat("x", i), false))
		time.Sleep(40 * time.Millisecond)
	}
	s.write(t, "message.go", messageFile("version two", false))
	second := waitFor(t, s.addr, 30*time.Second, "version two", func(p page) bool {
		return strings.HasPrefix(p.body, "version two ")
	})
	time.Sleep(time.Second) // a split burst would start a second build by now
	if n := strings.Count(s.stderr.String(), "changed, reloading."); n != 1 {
		t.Errorf("five quick saves started %d builds, want 1; log:\n%s", n, s.stderr)
	}
	if want := filepath.Join(s.dir, "message.go") + " changed, reloading."; !strings.Contains(s.stderr.String(), want) {
		t.Errorf("log lacks %q:\n%s", want, s.stderr)
	}

	// A compile error: reported on the supervisor's stderr, the last good build keeps serving.
	s.write(t, "message.go", "package main\n\nconst message int = \"version three\"\n\nconst crash = false\n")
	waitForText(t, s.stderr, 30*time.Second, "Build failed:")
	waitForText(t, s.stderr, time.Second, `message.go:3:21: cannot use "version three"`)
	for range 3 {
		if got := get(s.addr); got.body != second.body {
			t.Fatalf("during a broken build the site answered %q (error %v), want %q", got.body, got.err, second.body)
		}
	}

	// Fixed: the next save brings the new text.
	s.write(t, "message.go", messageFile("version three", false))
	third := waitFor(t, s.addr, 30*time.Second, "version three", func(p page) bool {
		return strings.HasPrefix(p.body, "version three ")
	})
	waitForText(t, s.stderr, time.Second, "Build fixed, restarting.")
	prober.finish(t)

	s.interrupt(t)
	for _, p := range []page{first, second, third} {
		waitGone(t, p.pid(), 5*time.Second)
	}
	if left := leftovers(t, s.tmp); len(left) > 0 {
		t.Errorf("temporary builds left behind: %v", left)
	}
}

func TestSiteShowsErrorsUntilFixedAndDiesWithItsSupervisor(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site with the go tool; skipped with -short")
	}
	s := newSite(t, "never served", true)
	crashed := waitFor(t, s.addr, 10*time.Second, "the crash page", func(p page) bool {
		return p.status == http.StatusInternalServerError && strings.Contains(p.body, "exit status 1")
	})
	if !strings.Contains(crashed.body, "boom: &lt;crash&gt; on purpose") {
		t.Errorf("the crash page lacks the child's escaped last words:\n%s", crashed.body)
	}

	s.write(t, "message.go", "package main\n\nconst message int = \"<b>broken</b>\"\n\nconst crash = true\n")
	broken := waitFor(t, s.addr, 30*time.Second, "the build error page", func(p page) bool {
		return p.status == http.StatusInternalServerError && strings.Contains(p.body, "Build failed")
	})
	if !strings.Contains(broken.body, "&lt;b&gt;broken&lt;/b&gt;") || strings.Contains(broken.body, "<b>broken") {
		t.Errorf("the build error page should show the compiler output escaped:\n%s", broken.body)
	}
	if broken.contentType != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q, want text/html; charset=utf-8", broken.contentType)
	}

	s.write(t, "message.go", messageFile("recovered", false))
	fixed := waitFor(t, s.addr, 30*time.Second, "the recovered site", func(p page) bool {
		return p.status == http.StatusOK && strings.HasPrefix(p.body, "recovered ")
	})

	// No orphans: a supervisor killed outright takes its child with it.
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitGone(t, fixed.pid(), 10*time.Second)
}
