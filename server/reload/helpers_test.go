//go:build unix

package reload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as the programs the supervisor runs: with RELOAD_HELPER set it is a
// child (or a fake go tool, or a supervisor) instead of a test run.
func TestMain(m *testing.M) {
	switch mode := os.Getenv("RELOAD_HELPER"); mode {
	case "":
		os.Exit(m.Run())
	case "fakego":
		os.Exit(fakeGo(os.Args[1:]))
	case "supervise":
		os.Exit(superviseHelper())
	default:
		os.Exit(childHelper(mode))
	}
}

// isCopy reports whether this process runs a build made by fakeGo rather than the test binary.
func isCopy() bool {
	exe, _ := os.Executable()
	return strings.HasPrefix(filepath.Base(exe), "site-")
}

// childHelper serves "serving <program> pid=<pid>" on the inherited listener until SIGTERM.
// The mode makes it misbehave: crash-first crashes when it is the original test binary,
// crash-copies crashes when it is a build, restart-once exits with ExitRestart the first time.
func childHelper(mode string) int {
	ln, ok := Listener()
	if !ok {
		fmt.Fprintln(os.Stderr, "helper: not started by a reload supervisor")
		return 2
	}
	switch {
	case mode == "crash-first" && !isCopy(), mode == "crash-copies" && isCopy():
		fmt.Fprintln(os.Stderr, "boom: <crash> on purpose")
		return 1
	case mode == "restart-once":
		marker := os.Getenv("RELOAD_MARKER")
		if _, err := os.Stat(marker); err != nil {
			_ = os.WriteFile(marker, nil, 0o644)
			return ExitRestart
		}
	}
	exe, _ := os.Executable()
	name := filepath.Base(exe)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "serving %s pid=%d", name, os.Getpid())
	})}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	failed := make(chan error, 1)
	go func() { failed <- srv.Serve(ln) }()
	select {
	case err := <-failed:
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	case <-ctx.Done():
	}
	// Serve returns as soon as Shutdown starts; Shutdown returns when requests in flight are done.
	_ = srv.Shutdown(context.Background())
	return 0
}

// fakeGo stands in for "go build -o OUT ... PKG": it logs the call to $RELOAD_BUILD_LOG, fails
// like a compiler when a file named "broken" exists in its directory, and otherwise "builds"
// by copying the test binary to OUT.
func fakeGo(args []string) int {
	if f, err := os.OpenFile(os.Getenv("RELOAD_BUILD_LOG"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
		fmt.Fprintln(f, strings.Join(args, " "))
		_ = f.Close()
	}
	if len(args) < 3 || args[0] != "build" || args[1] != "-o" {
		fmt.Fprintln(os.Stderr, "fakego: want build -o OUT PKG, got", args)
		return 2
	}
	if _, err := os.Stat("broken"); err == nil {
		fmt.Fprintln(os.Stderr, "# example.com/site\n./main.go:3:1: syntax error: <broken> on purpose")
		return 1
	}
	self, err := os.ReadFile(os.Args[0])
	if err == nil {
		err = os.WriteFile(args[2], self, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakego:", err)
		return 1
	}
	return 0
}

// superviseHelper runs Run on a fresh loopback port, prints "ADDR <address>" and supervises
// copies of the test binary in serve mode until SIGINT.
func superviseHelper() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("ADDR %s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err = Run(ctx, Config{
		Listener:   ln,
		Env:        []string{"RELOAD_HELPER=serve"},
		Dirs:       []string{os.Getenv("RELOAD_WATCH")},
		GoCommand:  "false",
		Executable: os.Args[0],
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a supervisor and its children.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// page is one answer from the site under test.
type page struct {
	status      int
	contentType string
	body        string
	err         error
}

// pid returns the process id a helper or test site printed as "pid=N", or 0.
func (p page) pid() int {
	_, after, ok := strings.Cut(p.body, "pid=")
	if !ok {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(after))
	return n
}

// fresh never reuses connections, so every request goes to whoever accepts now.
var fresh = &http.Client{
	Timeout:   5 * time.Second,
	Transport: &http.Transport{DisableKeepAlives: true},
}

func get(addr string) page {
	resp, err := fresh.Get("http://" + addr + "/")
	if err != nil {
		return page{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: string(body), err: err}
}

// waitFor polls the site until ok accepts an answer, and fails the test at the deadline.
func waitFor(t *testing.T, addr string, within time.Duration, what string, ok func(page) bool) page {
	t.Helper()
	deadline := time.Now().Add(within)
	var last page
	for time.Now().Before(deadline) {
		if last = get(addr); last.err == nil && ok(last) {
			return last
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waited %s for %s; last answer: status %d, error %v, body:\n%s", within, what, last.status, last.err, last.body)
	return last
}

// waitForText polls a log until it contains text, and fails the test at the deadline.
func waitForText(t *testing.T, log interface{ String() string }, within time.Duration, text string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !strings.Contains(log.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %q in the log:\n%s", within, text, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// prober requests the site continuously and remembers every failure: a moment without a server.
type prober struct {
	stop     chan struct{}
	done     chan struct{}
	mu       sync.Mutex
	failures []string
	requests int
}

func probe(addr string) *prober {
	p := &prober{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for {
			select {
			case <-p.stop:
				return
			default:
			}
			got := get(addr)
			p.mu.Lock()
			p.requests++
			if got.err != nil || got.status != http.StatusOK {
				p.failures = append(p.failures, fmt.Sprintf("status %d, error %v", got.status, got.err))
			}
			p.mu.Unlock()
			time.Sleep(10 * time.Millisecond)
		}
	}()
	return p
}

// finish stops probing and fails the test if any request went unanswered.
func (p *prober) finish(t *testing.T) {
	t.Helper()
	close(p.stop)
	<-p.done
	if len(p.failures) > 0 {
		t.Errorf("%d of %d requests failed during reloads; first: %s", len(p.failures), p.requests, p.failures[0])
	}
	if p.requests == 0 {
		t.Error("the prober made no requests")
	}
}

// gone reports whether a process no longer runs. A zombie (exited, not yet reaped by whoever
// inherited it) counts as gone.
func gone(pid int) bool {
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// The state follows the command name, which is in parentheses.
		if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
			return stat[i+2] == 'Z' || stat[i+2] == 'X'
		}
		return false
	} else if _, statErr := os.Stat("/proc/self/stat"); statErr == nil {
		return true // /proc works and the process has no entry
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

func waitGone(t *testing.T, pid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still runs %s later", pid, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// leftovers lists what the supervisor left in a temporary directory.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "canter-reload-*"))
	if err != nil {
		t.Fatal(err)
	}
	return matches
}
