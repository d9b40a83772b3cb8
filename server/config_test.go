package server

import (
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	set, err := resolve(Config{})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Addrs", strings.Join(set.Addrs, ","), "127.0.0.1:8000"},
		{"ReadHeaderTimeout", set.ReadHeaderTimeout, 5 * time.Second},
		{"ReadTimeout", set.ReadTimeout, 30 * time.Second},
		{"WriteTimeout", set.WriteTimeout, 60 * time.Second},
		{"IdleTimeout", set.IdleTimeout, 120 * time.Second},
		{"MaxHeaderBytes", set.MaxHeaderBytes, 1 << 20},
		{"ShutdownTimeout", set.ShutdownTimeout, 30 * time.Second},
		{"RedirectStatus", set.RedirectStatus, http.StatusPermanentRedirect},
		{"tls", set.tls, false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("default %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// A negative timeout is passed on, which net/http reads as no limit.
	set, _ = resolve(Config{WriteTimeout: -1})
	if set.WriteTimeout != -1 {
		t.Errorf("WriteTimeout -1 became %v", set.WriteTimeout)
	}
}

func TestConfigProblems(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"address without port", Config{Addrs: []string{"localhost"}}, []string{`"localhost" is not host:port`}},
		{"IPv6 without brackets", Config{Addrs: []string{"::1:8000"}}, []string{"brackets"}},
		{"bad port", Config{Addrs: []string{"127.0.0.1:99999"}}, []string{"no valid port"}},
		{"empty socket path", Config{Addrs: []string{"unix:"}}, []string{"names no socket file"}},
		{"cert without key", Config{CertFile: "c.pem"}, []string{"go together"}},
		{"HTTP/3 without TLS", Config{HTTP3: true}, []string{"Config.HTTP3 needs TLS"}},
		{"HTTP/3 on Unix sockets only", Config{HTTP3: true, CertFile: "c", KeyFile: "k", Addrs: []string{"unix:/tmp/x.sock"}}, []string{"needs a TCP address"}},
		{"redirect without TLS", Config{RedirectAddr: ":80"}, []string{"redirects to HTTPS, which needs TLS"}},
		{"redirect to a socket", Config{RedirectAddr: "unix:/tmp/r.sock", CertFile: "c", KeyFile: "k"}, []string{"must be a TCP host:port"}},
		{"redirect status", Config{RedirectStatus: 200}, []string{"not a redirect status"}},
		{"public port", Config{PublicPort: 70000}, []string{"not a port"}},
		{"ACME without hosts", Config{ACME: &ACME{CacheDir: "x"}}, []string{"Config.ACME.Hosts is empty"}},
		{"ACME and files", Config{ACME: &ACME{Hosts: []string{"a.example"}, CacheDir: "x"}, CertFile: "c", KeyFile: "k"}, []string{"obtains the certificates itself"}},
		{"FastCGI with TLS", Config{FastCGI: true, CertFile: "c", KeyFile: "k"}, []string{"FastCGI speaks only FastCGI"}},
		{"negative sizes", Config{MaxHeaderBytes: -1, ShutdownTimeout: -time.Second}, []string{"MaxHeaderBytes -1", "ShutdownTimeout -1s"}},
		{"every problem at once", Config{Addrs: []string{"nope"}, HTTP3: true, RedirectStatus: 1}, []string{"3 problem(s)", "nope", "HTTP3", "RedirectStatus"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(http.NotFoundHandler(), tt.cfg)
			if err == nil {
				t.Fatal("New accepted the configuration")
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(nil, Config{}); err == nil {
		t.Error("New accepted a nil handler")
	}
	_, err := New(http.NotFoundHandler(), Config{CertFile: "/nonexistent/cert.pem", KeyFile: "/nonexistent/key.pem"})
	if err == nil || !strings.Contains(err.Error(), "cannot load the certificate /nonexistent/cert.pem") {
		t.Errorf("missing certificate files: %v", err)
	}
	_, err = New(http.NotFoundHandler(), Config{TLSConfig: &tls.Config{}})
	if err == nil || !strings.Contains(err.Error(), "has no certificate") {
		t.Errorf("TLSConfig without certificate: %v", err)
	}
	s, err := New(http.NotFoundHandler(), Config{Addrs: []string{"127.0.0.1:0"}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Start(); err == nil {
		t.Error("a second Start was accepted")
	}
	// A busy port is reported with the address.
	other, _ := New(http.NotFoundHandler(), Config{Addrs: []string{s.Addrs()[0].String()}, Logger: testLogger(t)})
	if err := other.Start(); err == nil || !strings.Contains(err.Error(), "cannot listen on "+s.Addrs()[0].String()) {
		t.Errorf("listening on a busy port: %v", err)
	}
}

func TestTLSConfigIsKept(t *testing.T) {
	ca := newCA(t)
	certFile, keyFile := ca.issue(t, "127.0.0.1")
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	base := &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS13}
	s := start(t, echo(), Config{Addrs: []string{"127.0.0.1:0"}, TLSConfig: base})
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.pool, MaxVersion: tls.VersionTLS12}}}
	if _, err := client.Get("https://" + s.Addrs()[0].String()); err == nil {
		t.Error("a TLS 1.2 client was served although TLSConfig asks for TLS 1.3")
	}
	client.Transport.(*http.Transport).TLSClientConfig.MaxVersion = 0
	resp, _ := get(t, client, "https://"+s.Addrs()[0].String())
	if resp.TLS.Version != tls.VersionTLS13 {
		t.Errorf("negotiated %s", tls.VersionName(resp.TLS.Version))
	}
	if base.NextProtos != nil {
		t.Error("the caller's TLSConfig was changed")
	}
}

func TestDisableHTTP2(t *testing.T) {
	ca := newCA(t)
	certFile, keyFile := ca.issue(t, "127.0.0.1")
	s := start(t, echo(), Config{Addrs: []string{"127.0.0.1:0"}, CertFile: certFile, KeyFile: keyFile, DisableHTTP2: true})
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: clientTLS(ca), ForceAttemptHTTP2: true}}
	defer client.CloseIdleConnections()
	resp, _ := get(t, client, "https://"+s.Addrs()[0].String())
	if resp.ProtoMajor != 1 {
		t.Errorf("served %s with DisableHTTP2", resp.Proto)
	}
}

func TestClosersRunOnceLastFirst(t *testing.T) {
	var order []string
	closer := func(name string, err error) CloseFunc {
		return func() error { order = append(order, name); return err }
	}
	boom := errors.New("boom")
	s := start(t, echo(), Config{
		Addrs:   []string{"127.0.0.1:0"},
		Closers: []io.Closer{closer("sessions", nil), closer("db", boom)},
	})
	err := s.Close()
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "Config.Closers[1]") {
		t.Errorf("Close: %v, want the closer's error naming its index", err)
	}
	s.Close()
	if strings.Join(order, ",") != "db,sessions" {
		t.Errorf("closers ran as %v, want db,sessions once", order)
	}
}
