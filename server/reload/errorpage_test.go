package reload

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestProblemPage(t *testing.T) {
	tests := []struct {
		name              string
		build, exit, last string
		want, notWant     []string
	}{
		{
			name:    "build error",
			build:   "./main.go:3:7: undefined: <script>alert(1)</script> & more",
			want:    []string{"<title>Build failed</title>", "undefined: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"},
			notWant: []string{"<script>", "The server ended"},
		},
		{
			name:    "crash",
			exit:    "exit status 2",
			last:    "panic: <nil> map\n",
			want:    []string{"<title>The server exited</title>", "The server ended: exit status 2", "panic: &lt;nil&gt; map"},
			notWant: []string{"Build output", "<nil>"},
		},
		{
			name:  "crash, then a failed build",
			build: "syntax error",
			exit:  "signal: killed",
			want:  []string{"<title>Build failed</title>", "syntax error", "The server ended: signal: killed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p problemPage
			p.setBuildError(tt.build)
			p.setExit(tt.exit, tt.last)
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/any/path?x=1", nil)
			req.Host = "127.0.0.1:8000" // the details are shown at local addresses only
			p.ServeHTTP(rec, req)
			if rec.Code != http.StatusInternalServerError {
				t.Errorf("status = %d, want 500", rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", cc)
			}
			body := rec.Body.String()
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q:\n%s", s, body)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(body, s) {
					t.Errorf("page contains %q:\n%s", s, body)
				}
			}
		})
	}
}

func TestTailKeepsWholeLastLines(t *testing.T) {
	tests := []struct {
		max    int
		writes []string
		want   string
	}{
		{64, []string{"one\n", "two\n"}, "one\ntwo\n"},
		{16, []string{"line one\n", "line two\n", "line three\n"}, "line three\n"},
		{16, []string{"line one\nline two\nline three\n"}, "line three\n"},
		{8, []string{"0123456789abcdef"}, "89abcdef"}, // no line break to start at
	}
	for _, tt := range tests {
		tl := &tail{max: tt.max}
		for _, w := range tt.writes {
			if n, err := tl.Write([]byte(w)); n != len(w) || err != nil {
				t.Fatalf("Write(%q) = %d, %v", w, n, err)
			}
		}
		if got := tl.String(); got != tt.want {
			t.Errorf("tail(%d) of %q = %q, want %q", tt.max, tt.writes, got, tt.want)
		}
	}
}

// The problem page shows source lines and the server's last output, so it answers only
// requests for a loopback name or an IP address: a web page the developer visits could
// otherwise point its own host name at 127.0.0.1 (DNS rebinding) and read it.
func TestProblemPageOnlyForLocalHosts(t *testing.T) {
	var p problemPage
	p.setBuildError("./main.go:3:7: secretSourceLine")
	p.setExit("exit status 2", "password=hunter2 in the log\n")
	for _, tt := range []struct {
		host string
		full bool
	}{
		{"localhost:8000", true},
		{"127.0.0.1:8000", true},
		{"[::1]:8000", true},
		{"app.localhost", true},
		{"192.168.1.20:8000", true},
		{"rebind.attacker.example:8000", false},
		{"example.com", false},
		{"", false},
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = tt.host
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, req)
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("Host %q: status %d, want 500", tt.host, rec.Code)
		}
		body := rec.Body.String()
		shown := strings.Contains(body, "secretSourceLine") || strings.Contains(body, "hunter2")
		if shown != tt.full {
			t.Errorf("Host %q: details shown = %v, want %v:\n%s", tt.host, shown, tt.full, body)
		}
	}
}
