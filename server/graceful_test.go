package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// The graceful-stop tests run the server in a child process, the test binary itself started
// again with childEnv set, so that they can send it real signals and read its exit status.
const (
	childEnv      = "CANTER_SERVER_TEST_CHILD"
	childDelayEnv = "CANTER_SERVER_TEST_DELAY"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "slow" {
		os.Exit(runChild())
	}
	os.Exit(m.Run())
}

// runChild serves a handler that takes CANTER_SERVER_TEST_DELAY to answer, with
// ListenAndServe, logging JSON lines to stdout for the parent to follow.
func runChild() int {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	delay, err := time.ParseDuration(os.Getenv(childDelayEnv))
	if err != nil {
		logger.Error("bad delay", "error", err)
		return 2
	}
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.Info("request started", "path", r.URL.Path)
		time.Sleep(delay)
		io.WriteString(w, "done "+r.URL.Path)
	})
	err = ListenAndServe(slow, Config{
		Addrs:           []string{"127.0.0.1:0"},
		ShutdownTimeout: 10 * time.Second,
		Logger:          logger,
		Closers: []io.Closer{CloseFunc(func() error {
			logger.Info("closer ran")
			return nil
		})},
	})
	if err != nil {
		logger.Error("exiting", "error", err.Error())
		return 1
	}
	return 0
}

// child is a running server process and the messages it logged.
type child struct {
	cmd    *exec.Cmd
	addr   string
	events chan map[string]any
	exited chan error
}

func startChild(t *testing.T, delay time.Duration) *child {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a server process; skipped with -short")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=slow", childDelayEnv+"="+delay.String())
	cmd.Stderr = t.Output()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, events: make(chan map[string]any, 100), exited: make(chan error, 1)}
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			t.Logf("child: %s", lines.Text())
			var event map[string]any
			if json.Unmarshal(lines.Bytes(), &event) == nil {
				c.events <- event
			}
		}
		c.exited <- cmd.Wait()
		close(c.events)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
	})
	event := c.waitFor(t, "listening", 10*time.Second)
	c.addr, _ = event["addr"].(string)
	return c
}

// waitFor returns the next event with message msg.
func (c *child) waitFor(t *testing.T, msg string, within time.Duration) map[string]any {
	t.Helper()
	timeout := time.After(within)
	for {
		select {
		case event, ok := <-c.events:
			if !ok {
				t.Fatalf("the server process ended before logging %q", msg)
			}
			if event["msg"] == msg {
				return event
			}
		case <-timeout:
			t.Fatalf("the server process did not log %q within %s", msg, within)
		}
	}
}

// fire sends n concurrent requests, each on its own connection, and returns their outcomes.
func fire(addr string, n int) <-chan string {
	results := make(chan string, n)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	for i := range n {
		go func() {
			resp, err := client.Get(fmt.Sprintf("http://%s/r%d", addr, i))
			if err != nil {
				results <- "error: " + err.Error()
				return
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				results <- "error reading body: " + err.Error()
				return
			}
			results <- fmt.Sprintf("%d %s", resp.StatusCode, body)
		}()
	}
	return results
}

func TestGracefulStopOnSIGTERM(t *testing.T) {
	const requests = 5
	const delay = 1500 * time.Millisecond
	c := startChild(t, delay)
	results := fire(c.addr, requests)
	for range requests {
		c.waitFor(t, "request started", 10*time.Second)
	}
	signalled := time.Now()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// New connections are refused while the requests in flight still run.
	var dialErr error
	for time.Since(signalled) < delay/2 {
		conn, err := net.DialTimeout("tcp", c.addr, 100*time.Millisecond)
		if err != nil {
			dialErr = err
			if errors.Is(err, syscall.ECONNREFUSED) {
				break
			}
			// A connection caught in the backlog as the listener closes is reset: try again.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		conn.Close()
		time.Sleep(10 * time.Millisecond)
	}
	if !errors.Is(dialErr, syscall.ECONNREFUSED) {
		t.Errorf("new connections were not refused within %s of SIGTERM (last dial error: %v)", delay/2, dialErr)
	}

	seen := map[string]bool{}
	for range requests {
		got := <-results
		seen[got] = true
		if len(got) < 4 || got[:4] != "200 " {
			t.Errorf("a request in flight got %q, want 200", got)
		}
	}
	if len(seen) != requests {
		t.Errorf("answers %v, want %d different ones", seen, requests)
	}
	c.waitFor(t, "closer ran", 5*time.Second)
	select {
	case err := <-c.exited:
		if err != nil {
			t.Errorf("the server process ended with %v, want exit status 0", err)
		}
		if took := time.Since(signalled); took > 10*time.Second {
			t.Errorf("the server took %s to stop, more than its drain time", took)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server process did not exit within its drain time")
	}
}

func TestSecondSignalStopsAtOnce(t *testing.T) {
	c := startChild(t, time.Minute)
	results := fire(c.addr, 2)
	for range 2 {
		c.waitFor(t, "request started", 10*time.Second)
	}
	signalled := time.Now()
	c.cmd.Process.Signal(syscall.SIGTERM)
	c.waitFor(t, "stopping: refusing new connections, finishing requests in flight", 5*time.Second)
	c.cmd.Process.Signal(syscall.SIGINT)
	for range 2 {
		if got := <-results; len(got) < 6 || got[:6] != "error:" {
			t.Errorf("a request cut off by the second signal got %q, want an error", got)
		}
	}
	c.waitFor(t, "closer ran", 5*time.Second)
	select {
	case err := <-c.exited:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("the server process ended with %v, want exit status 1 (the caller's choice for a cut-off drain)", err)
		}
		if took := time.Since(signalled); took > 5*time.Second {
			t.Errorf("stopping at once took %s", took)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server process did not exit at the second signal")
	}
}
