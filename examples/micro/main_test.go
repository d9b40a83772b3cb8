package main

import (
	"context"
	"github.com/canter-go/canter/cantertest"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServesOverHTTP builds the example, runs it as a real process on a free loopback port and
// checks what a client sees: the routes, the 404 page, a 405 with Allow, and a 500 from the
// panic route after which the site keeps answering.
func TestServesOverHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the example binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "micro")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(), "CANTER_ADDR="+addr)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			t.Logf("server output:\n%s", logs.String())
		}
	}()
	base := "http://" + addr
	waitUp(t, base+"/")

	tests := []struct {
		method, path string
		status       int
		body, allow  string
	}{
		{"GET", "/", 200, "Canter micro", ""},
		{"GET", "/hello/world", 200, "Hello, world!", ""},
		{"GET", "/items/7/", 200, `{"id":7,"name":"item 7"}`, ""},
		{"GET", "/items/seven/", 404, "Nothing here", ""},
		{"GET", "/api/status", 200, `"ok"`, ""},
		{"GET", "/nowhere", 404, "Nothing here", ""},
		{"POST", "/items/7/", 405, "Method Not Allowed", "GET, HEAD, OPTIONS"},
		{"GET", "/panic", 500, "Server Error (500)", ""},
		{"GET", "/hello/again", 200, "Hello, again!", ""},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, base+tt.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.method, tt.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.body) {
			t.Errorf("%s %s = %d %q, want %d containing %q", tt.method, tt.path, resp.StatusCode, body, tt.status, tt.body)
		}
		if got := resp.Header.Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
		}
	}
	if !strings.Contains(logs.String(), "deliberate panic") {
		t.Errorf("the panic was not logged:\n%s", logs.String())
	}
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

func waitUp(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not answer within 10s", url)
}

// lockedBuffer collects a child's output, written from the goroutines exec starts.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
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

// TestRoutesReverse reverses every named route and resolves it back; bad values do not match.
func TestRoutesReverse(t *testing.T) {
	cantertest.CheckRoutes(t, NewApp().Router())
}
