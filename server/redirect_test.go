package server

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestRedirectHandler(t *testing.T) {
	tests := []struct {
		name       string
		port       string
		host, uri  string
		wantStatus int
		wantTarget string
	}{
		{"default port left out", "", "example.com", "/a/b?c=d", 308, "https://example.com/a/b?c=d"},
		{"port of the plain request dropped", "", "example.com:80", "/", 308, "https://example.com/"},
		{"mapped port", "8443", "example.com:8080", "/x", 308, "https://example.com:8443/x"},
		{"IPv6 host", "8443", "[::1]:8080", "/x", 308, "https://[::1]:8443/x"},
		{"IPv6 host on 443", "", "[2001:db8::1]", "/", 308, "https://[2001:db8::1]/"},
		{"escaped path and query kept", "", "example.com", "/caf%C3%A9/a%2Fb?q=%20&r", 308, "https://example.com/caf%C3%A9/a%2Fb?q=%20&r"},
		{"empty query kept", "", "example.com", "/p?", 308, "https://example.com/p?"},
		{"OPTIONS *", "", "example.com", "*", 308, "https://example.com/"},
		{"userinfo trick refused", "", "good.example@evil.example", "/", 400, ""},
		{"no host", "", "", "/", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://placeholder"+strings.TrimPrefix(tt.uri, "*"), nil)
			if tt.uri == "*" {
				r.URL.Path = "*"
			}
			r.Host = tt.host
			w := httptest.NewRecorder()
			redirectHandler{status: http.StatusPermanentRedirect, port: tt.port}.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", w.Code, tt.wantStatus)
			}
			if got := w.Header().Get("Location"); got != tt.wantTarget {
				t.Errorf("Location %q, want %q", got, tt.wantTarget)
			}
		})
	}
}

// TestRedirectStatusAndPublicPort checks Config.RedirectStatus and Config.PublicPort on a
// running server.
func TestRedirectStatusAndPublicPort(t *testing.T) {
	ca := newCA(t)
	certFile, keyFile := ca.issue(t, "127.0.0.1")
	s := start(t, echo(), Config{
		Addrs: []string{"127.0.0.1:0"}, CertFile: certFile, KeyFile: keyFile,
		RedirectAddr: "127.0.0.1:0", RedirectStatus: http.StatusMovedPermanently, PublicPort: 443,
		HTTP3: true,
	})
	plain := &http.Client{CheckRedirect: noRedirects}
	resp, _ := get(t, plain, fmt.Sprintf("http://%s/p?q=1", s.RedirectAddr()))
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "https://127.0.0.1/p?q=1" {
		t.Errorf("got %d to %q, want 301 to https://127.0.0.1/p?q=1", resp.StatusCode, resp.Header.Get("Location"))
	}
	secure := &http.Client{Transport: &http.Transport{TLSClientConfig: clientTLS(ca)}}
	defer secure.CloseIdleConnections()
	resp, _ = get(t, secure, "https://"+s.Addrs()[0].String())
	if got := resp.Header.Get("Alt-Svc"); got != `h3=":443"; ma=2592000` {
		t.Errorf("Alt-Svc %q, want the public port 443", got)
	}
}

// TestACMERouting checks what can be checked without a CA: the redirect listener hands ACME
// HTTP-01 challenges to autocert (behind the host policy) and redirects the rest, and the TLS
// listener offers the acme-tls/1 protocol for TLS-ALPN-01.
func TestACMERouting(t *testing.T) {
	s := start(t, echo(), Config{
		Addrs:        []string{"127.0.0.1:0"},
		RedirectAddr: "127.0.0.1:0",
		ACME:         &ACME{Hosts: []string{"app.example"}, CacheDir: t.TempDir(), DirectoryURL: "https://127.0.0.1:1/directory"},
	})
	if !slices.Contains(s.tls.NextProtos, "acme-tls/1") {
		t.Errorf("TLS protocols %v lack acme-tls/1", s.tls.NextProtos)
	}
	if s.tls.MinVersion != tls.VersionTLS12 {
		t.Errorf("MinVersion %x, want TLS 1.2", s.tls.MinVersion)
	}
	base := fmt.Sprintf("http://%s", s.RedirectAddr())
	plain := &http.Client{CheckRedirect: noRedirects}
	tests := []struct {
		host, path string
		want       int
	}{
		{"app.example", "/.well-known/acme-challenge/unknown-token", http.StatusNotFound},    // autocert: no such token
		{"other.example", "/.well-known/acme-challenge/unknown-token", http.StatusForbidden}, // host policy
		{"app.example", "/page", http.StatusPermanentRedirect},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodGet, base+tt.path, nil)
		r.Host = tt.host
		resp, err := plain.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s%s: status %d, want %d", tt.host, tt.path, resp.StatusCode, tt.want)
		}
	}
	// A TLS client asking for a host outside the policy gets no certificate.
	conn, err := tls.Dial("tcp", s.Addrs()[0].String(), &tls.Config{ServerName: "other.example", InsecureSkipVerify: true})
	if err == nil {
		conn.Close()
		t.Error("a handshake for a host outside ACME.Hosts succeeded")
	}
}

func BenchmarkRedirect(b *testing.B) {
	h := redirectHandler{status: http.StatusPermanentRedirect, port: "8443"}
	r := httptest.NewRequest(http.MethodGet, "http://example.com:8080/some/path?q=1", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		clear(w.Header())
		h.ServeHTTP(w, r)
	}
}

func BenchmarkAltSvc(b *testing.B) {
	h := altSvc{value: []string{`h3=":443"; ma=2592000`}, next: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})}
	r := httptest.NewRequest(http.MethodGet, "https://example.com/", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, r)
	}
}

func TestClientFaultsLogAtDebug(t *testing.T) {
	tests := []struct {
		line  string
		debug bool
	}{
		{"http: TLS handshake error from 127.0.0.1:5000: EOF", true},
		{"http2: server connection error from 127.0.0.1:5000: connection error: PROTOCOL_ERROR", true},
		{`http2: server: error reading preface from client 127.0.0.1:5000: bogus greeting "INVALID"`, true},
		{"http2: received GOAWAY [FrameHeader GOAWAY len=8], starting graceful shutdown", true},
		{"http: Accept error: accept tcp: too many open files; retrying in 5ms", false},
		{"http: panic serving 127.0.0.1:5000: boom", false},
	}
	for _, tt := range tests {
		if got := clientFault(tt.line); got != tt.debug {
			t.Errorf("clientFault(%q) = %v, want %v", tt.line, got, tt.debug)
		}
	}
}
