package server

import (
	"context"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// socketDir returns a short temporary directory: Unix socket paths are limited to about 100
// bytes, which t.TempDir can exceed.
func socketDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "cs")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func unixClient(path string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		},
	}}
}

func TestUnixSocket(t *testing.T) {
	path := filepath.Join(socketDir(t), "app.sock")
	s := start(t, echo(), Config{Addrs: []string{"unix:" + path}, SocketMode: 0o660})
	if got := s.Addrs()[0].String(); got != path {
		t.Errorf("Addrs()[0] = %q, want %q", got, path)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode()&fs.ModeSocket == 0 || info.Mode().Perm() != 0o660 {
		t.Errorf("socket mode %v, want a socket with 0660", info.Mode())
	}
	client := unixClient(path)
	defer client.CloseIdleConnections()
	resp, body := get(t, client, "http://app/unix?x=1")
	if resp.StatusCode != http.StatusOK || body != "HTTP/1.1 GET /unix?x=1" {
		t.Errorf("got %d %q", resp.StatusCode, body)
	}

	// A second server on the same live socket is refused.
	second, _ := New(echo(), Config{Addrs: []string{"unix:" + path}, Logger: testLogger(t)})
	if err := second.Start(); err == nil || !strings.Contains(err.Error(), "another server is listening") {
		t.Errorf("starting on a live socket: %v, want a refusal", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the socket file is still there after Shutdown: %v", err)
	}
}

func TestUnixSocketStaleAndBlocked(t *testing.T) {
	dir := socketDir(t)

	// A socket file left by a crashed server is replaced.
	stale := filepath.Join(dir, "stale.sock")
	ln, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	s := start(t, echo(), Config{Addrs: []string{"unix:" + stale}})
	client := unixClient(stale)
	defer client.CloseIdleConnections()
	if resp, _ := get(t, client, "http://app/"); resp.StatusCode != http.StatusOK {
		t.Errorf("status %d on a socket that replaced a stale one", resp.StatusCode)
	}
	s.Close()

	// Any other file is left alone.
	regular := filepath.Join(dir, "file.sock")
	os.WriteFile(regular, []byte("data"), 0o600)
	blocked, _ := New(echo(), Config{Addrs: []string{"unix:" + regular}, Logger: testLogger(t)})
	if err := blocked.Start(); err == nil || !strings.Contains(err.Error(), "is not a socket") {
		t.Errorf("starting on a regular file: %v, want a refusal", err)
	}
	if data, _ := os.ReadFile(regular); string(data) != "data" {
		t.Error("the regular file was changed")
	}
}

func TestIPv6Loopback(t *testing.T) {
	probe, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	probe.Close()
	s := start(t, echo(), Config{Addrs: []string{"[::1]:0", "127.0.0.1:0"}})
	addrs := s.Addrs()
	if len(addrs) != 2 {
		t.Fatalf("Addrs() = %v, want two", addrs)
	}
	for _, addr := range addrs {
		resp, body := get(t, http.DefaultClient, "http://"+addr.String()+"/v6")
		if resp.StatusCode != http.StatusOK || body != "HTTP/1.1 GET /v6" {
			t.Errorf("%s: got %d %q", addr, resp.StatusCode, body)
		}
	}
	if !strings.HasPrefix(addrs[0].String(), "[::1]:") {
		t.Errorf("Addrs()[0] = %s, want [::1]:port", addrs[0])
	}
}

func TestH2C(t *testing.T) {
	s := start(t, echo(), Config{Addrs: []string{"127.0.0.1:0"}, H2C: true})
	base := "http://" + s.Addrs()[0].String()

	h2c := new(http.Protocols)
	h2c.SetUnencryptedHTTP2(true)
	client := &http.Client{Transport: &http.Transport{Protocols: h2c}}
	defer client.CloseIdleConnections()
	resp, body := get(t, client, base+"/h2c")
	if resp.ProtoMajor != 2 || body != "HTTP/2.0 GET /h2c" {
		t.Errorf("h2c client got %s %q, want HTTP/2.0", resp.Proto, body)
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS on a plain-HTTP response")
	}

	resp, body = get(t, http.DefaultClient, base+"/h1")
	if resp.ProtoMajor != 1 || body != "HTTP/1.1 GET /h1" {
		t.Errorf("HTTP/1.1 client got %s %q", resp.Proto, body)
	}

	// Without H2C, a prior-knowledge HTTP/2 client is not served.
	plain := start(t, echo(), Config{Addrs: []string{"127.0.0.1:0"}})
	strict := &http.Client{Transport: &http.Transport{Protocols: h2c}, Timeout: 2 * time.Second}
	defer strict.CloseIdleConnections()
	if resp, err := strict.Get("http://" + plain.Addrs()[0].String() + "/"); err == nil {
		resp.Body.Close()
		t.Errorf("an h2c request was answered %s without Config.H2C", resp.Proto)
	}
}
