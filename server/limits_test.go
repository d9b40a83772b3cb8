package server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSlowHeadersAreCutOff sends a request's headers a byte at a time, slower than the
// read-header timeout: the server closes the connection without answering, and serves other
// clients meanwhile.
func TestSlowHeadersAreCutOff(t *testing.T) {
	const timeout = 300 * time.Millisecond
	s := start(t, echo(), Config{Addrs: []string{"127.0.0.1:0"}, ReadHeaderTimeout: timeout})
	addr := s.Addrs()[0].String()

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	request := "GET /slow HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slowloris\r\nX-Padding: " + strings.Repeat("a", 100) + "\r\n\r\n"
	began := time.Now()
	closed := make(chan struct{})
	var answer []byte
	var readErr error
	var closedAfter time.Duration
	go func() {
		answer, readErr = io.ReadAll(conn)
		closedAfter = time.Since(began)
		close(closed)
	}()
	var written int
	var wg sync.WaitGroup
	wg.Go(func() {
		for written < len(request) {
			select {
			case <-closed:
				return
			case <-time.After(50 * time.Millisecond):
			}
			if _, err := conn.Write([]byte{request[written]}); err != nil {
				return
			}
			written++
		}
	})

	// Other clients are served while the slow one trickles.
	client := &http.Client{Timeout: 2 * time.Second}
	defer client.CloseIdleConnections()
	for i := 0; i < 3; i++ {
		resp, body := get(t, client, "http://"+addr+"/fast")
		if resp.StatusCode != http.StatusOK || body != "HTTP/1.1 GET /fast" {
			t.Errorf("a normal client got %d %q while a slow one was connected", resp.StatusCode, body)
		}
	}

	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the slow connection was still open after 5s")
	}
	wg.Wait()
	if readErr != nil && !isReset(readErr) {
		t.Errorf("reading the slow connection: %v", readErr)
	}
	// net/http closes silently, or answers 400 when part of the request had arrived.
	if len(answer) != 0 && !strings.HasPrefix(string(answer), "HTTP/1.1 400 ") && !strings.HasPrefix(string(answer), "HTTP/1.1 408 ") {
		t.Errorf("the slow client got %q, want the connection closed (with at most a 400 or 408)", answer)
	}
	if closedAfter < timeout || closedAfter > timeout+2*time.Second {
		t.Errorf("closed after %s, want soon after the read-header timeout of %s", closedAfter, timeout)
	}
	if written >= len(request) {
		t.Errorf("the whole request was sent (%d bytes) before the connection closed", written)
	}
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

// rawStatus sends a request with a header of size bytes and returns the status line.
func rawStatus(t *testing.T, addr string, size int) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() {
		w := bufio.NewWriter(conn)
		w.WriteString("GET /big HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
		w.WriteString(strings.Repeat("b", size))
		w.WriteString("\r\nConnection: close\r\n\r\n")
		w.Flush() // may fail once the server has answered and closed
	}()
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the answer to a %d-byte header: %v", size, err)
	}
	return strings.TrimSpace(line)
}

func TestOversizedHeadersGet431(t *testing.T) {
	tests := []struct {
		name      string
		max       int
		size      int
		wantFirst string
	}{
		{"default limit, header just under 1 MiB", 0, 1<<20 - 1024, "HTTP/1.1 200 OK"},
		{"default limit, header over 1 MiB", 0, 1<<20 + 8192, "HTTP/1.1 431 Request Header Fields Too Large"},
		{"64 KiB limit, 60 KiB header", 64 << 10, 60 << 10, "HTTP/1.1 200 OK"},
		{"64 KiB limit, 80 KiB header", 64 << 10, 80 << 10, "HTTP/1.1 431 Request Header Fields Too Large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, echo(), Config{Addrs: []string{"127.0.0.1:0"}, MaxHeaderBytes: tt.max})
			if got := rawStatus(t, s.Addrs()[0].String(), tt.size); got != tt.wantFirst {
				t.Errorf("status line %q, want %q", got, tt.wantFirst)
			}
		})
	}
}
