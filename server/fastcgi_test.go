package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// FastCGI record types (FastCGI specification 1.0, section 8).
const (
	fcgiBeginRequest = 1
	fcgiEndRequest   = 3
	fcgiParams       = 4
	fcgiStdin        = 5
	fcgiStdout       = 6
	fcgiStderr       = 7
	fcgiResponder    = 1
)

// fcgiRecord writes one record of request 1.
func fcgiRecord(w io.Writer, kind byte, content []byte) {
	header := []byte{1, kind, 0, 1, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(header[4:], uint16(len(content)))
	w.Write(header)
	w.Write(content)
}

// fcgiLength encodes a name or value length: one byte below 128, else four with the top bit.
func fcgiLength(b *bytes.Buffer, n int) {
	if n < 128 {
		b.WriteByte(byte(n))
		return
	}
	binary.Write(b, binary.BigEndian, uint32(n)|1<<31)
}

// fastcgiDo is a minimal FastCGI client, as a web server would be: it sends one request with
// params and body on conn and returns the CGI response the application wrote.
func fastcgiDo(conn net.Conn, params map[string]string, body string) (string, error) {
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var out bytes.Buffer
	fcgiRecord(&out, fcgiBeginRequest, []byte{0, fcgiResponder, 0, 0, 0, 0, 0, 0})
	var p bytes.Buffer
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fcgiLength(&p, len(name))
		fcgiLength(&p, len(params[name]))
		p.WriteString(name)
		p.WriteString(params[name])
	}
	fcgiRecord(&out, fcgiParams, p.Bytes())
	fcgiRecord(&out, fcgiParams, nil)
	if body != "" {
		fcgiRecord(&out, fcgiStdin, []byte(body))
	}
	fcgiRecord(&out, fcgiStdin, nil)
	if _, err := conn.Write(out.Bytes()); err != nil {
		return "", err
	}

	r := bufio.NewReader(conn)
	var stdout strings.Builder
	for {
		header := make([]byte, 8)
		if _, err := io.ReadFull(r, header); err != nil {
			return stdout.String(), fmt.Errorf("reading a record header: %w", err)
		}
		length := binary.BigEndian.Uint16(header[4:])
		content := make([]byte, int(length)+int(header[6]))
		if _, err := io.ReadFull(r, content); err != nil {
			return stdout.String(), fmt.Errorf("reading a record: %w", err)
		}
		switch header[1] {
		case fcgiStdout:
			stdout.Write(content[:length])
		case fcgiStderr:
		case fcgiEndRequest:
			return stdout.String(), nil
		default:
			return stdout.String(), fmt.Errorf("unexpected record type %d", header[1])
		}
	}
}

func TestFastCGI(t *testing.T) {
	tests := []struct {
		name string
		addr func(t *testing.T) string
		dial func(s *Server) (net.Conn, error)
	}{
		{"TCP", func(*testing.T) string { return "127.0.0.1:0" }, func(s *Server) (net.Conn, error) {
			return net.Dial("tcp", s.Addrs()[0].String())
		}},
		{"Unix socket", func(t *testing.T) string { return "unix:" + filepath.Join(socketDir(t), "fcgi.sock") }, func(s *Server) (net.Conn, error) {
			return net.Dial("unix", s.Addrs()[0].String())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.TLS != nil {
					w.Header().Set("Strict-Transport-Security", "max-age=31536000")
				}
				body, _ := io.ReadAll(r.Body)
				fmt.Fprintf(w, "%s %s host=%s body=%s", r.Method, r.URL.RequestURI(), r.Host, body)
			})
			s := start(t, handler, Config{Addrs: []string{tt.addr(t)}, FastCGI: true})
			conn, err := tt.dial(s)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			got, err := fastcgiDo(conn, map[string]string{
				"REQUEST_METHOD":  "POST",
				"REQUEST_URI":     "/form?x=1",
				"SCRIPT_NAME":     "",
				"QUERY_STRING":    "x=1",
				"SERVER_PROTOCOL": "HTTP/1.1",
				"HTTP_HOST":       "example.com",
				"CONTENT_LENGTH":  "5",
				"CONTENT_TYPE":    "text/plain",
				"REMOTE_ADDR":     "127.0.0.1",
				"REMOTE_PORT":     "5000",
				"HTTPS":           "on",
			}, "hello")
			if err != nil {
				t.Fatalf("FastCGI request: %v (so far %q)", err, got)
			}
			head, body, _ := strings.Cut(got, "\r\n\r\n")
			if !strings.Contains(head, "Status: 200") {
				t.Errorf("response head %q, want Status: 200", head)
			}
			if !strings.Contains(head, "Strict-Transport-Security: max-age=31536000") {
				t.Errorf("response head %q: HTTPS=on should make the request secure", head)
			}
			if want := "POST /form?x=1 host=example.com body=hello"; body != want {
				t.Errorf("body %q, want %q", body, want)
			}
		})
	}
}

// TestFastCGIDrain stops a FastCGI server while a request runs: the request finishes, and the
// stop waits for it.
func TestFastCGIDrain(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	})
	s := start(t, handler, Config{Addrs: []string{"127.0.0.1:0"}, FastCGI: true})
	conn, err := net.Dial("tcp", s.Addrs()[0].String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	answer := make(chan string, 1)
	go func() {
		got, err := fastcgiDo(conn, map[string]string{"REQUEST_METHOD": "GET", "REQUEST_URI": "/", "SERVER_PROTOCOL": "HTTP/1.1"}, "")
		if err != nil {
			got = "error: " + err.Error()
		}
		answer <- got
	}()
	<-started
	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		stopped <- s.Shutdown(ctx)
	}()
	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned (%v) while a request was running", err)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := net.DialTimeout("tcp", s.Addrs()[0].String(), time.Second); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("a new connection during the drain: %v, want refused", err)
	}
	close(release)
	if got := <-answer; !strings.HasSuffix(got, "finished") {
		t.Errorf("the request in flight got %q", got)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}
