package server

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quic-go/quic-go/http3"
)

// TestTLSEndToEnd serves HTTPS with a certificate of a throw-away CA and talks to it with Go's
// clients over HTTP/2, HTTP/1.1 and HTTP/3, and through the plain-HTTP redirect.
func TestTLSEndToEnd(t *testing.T) {
	ca := newCA(t)
	certFile, keyFile := ca.issue(t, "localhost", "127.0.0.1")
	s := start(t, echo(), Config{
		Addrs:        []string{"127.0.0.1:0"},
		CertFile:     certFile,
		KeyFile:      keyFile,
		RedirectAddr: "127.0.0.1:0",
		HTTP3:        true,
	})
	httpsPort := port(t, s.Addrs()[0])
	base := fmt.Sprintf("https://127.0.0.1:%d", httpsPort)
	wantAltSvc := fmt.Sprintf(`h3=":%d"; ma=2592000`, httpsPort)

	t.Run("HTTP/2 negotiated by ALPN", func(t *testing.T) {
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: clientTLS(ca), ForceAttemptHTTP2: true}}
		defer client.CloseIdleConnections()
		resp, body := get(t, client, base+"/h2?x=1")
		if resp.ProtoMajor != 2 || resp.TLS.NegotiatedProtocol != "h2" {
			t.Errorf("protocol %s, ALPN %q; want HTTP/2.0 by h2", resp.Proto, resp.TLS.NegotiatedProtocol)
		}
		if body != "HTTP/2.0 GET /h2?x=1" {
			t.Errorf("body %q", body)
		}
		if got := resp.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
			t.Errorf("HSTS %q on an HTTPS response; the handler sets it for TLS requests", got)
		}
		if got := resp.Header.Get("Alt-Svc"); got != wantAltSvc {
			t.Errorf("Alt-Svc %q, want %q", got, wantAltSvc)
		}
	})

	t.Run("HTTP/1.1 still served", func(t *testing.T) {
		only11 := clientTLS(ca)
		only11.NextProtos = []string{"http/1.1"}
		client := &http.Client{Transport: &http.Transport{
			TLSClientConfig:   only11,
			ForceAttemptHTTP2: false,
			TLSNextProto:      map[string]func(string, *tls.Conn) http.RoundTripper{},
		}}
		defer client.CloseIdleConnections()
		resp, body := get(t, client, base+"/h1")
		if resp.Proto != "HTTP/1.1" || resp.TLS.NegotiatedProtocol != "http/1.1" {
			t.Errorf("protocol %s, ALPN %q; want HTTP/1.1 by http/1.1", resp.Proto, resp.TLS.NegotiatedProtocol)
		}
		if body != "HTTP/1.1 GET /h1" {
			t.Errorf("body %q", body)
		}
		if resp.Header.Get("Strict-Transport-Security") == "" || resp.Header.Get("Alt-Svc") != wantAltSvc {
			t.Errorf("headers %v: want HSTS and Alt-Svc", resp.Header)
		}
	})

	t.Run("plain HTTP redirects to HTTPS", func(t *testing.T) {
		redirect := fmt.Sprintf("http://127.0.0.1:%d", port(t, s.RedirectAddr()))
		plain := &http.Client{CheckRedirect: noRedirects}
		defer plain.CloseIdleConnections()
		resp, _ := get(t, plain, redirect+"/a/b%2Fc?q=1&r=%C3%A9")
		if resp.StatusCode != http.StatusPermanentRedirect {
			t.Errorf("status %d, want 308", resp.StatusCode)
		}
		if want := base + "/a/b%2Fc?q=1&r=%C3%A9"; resp.Header.Get("Location") != want {
			t.Errorf("Location %q, want %q", resp.Header.Get("Location"), want)
		}
		if got := resp.Header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("HSTS %q on a plain-HTTP response", got)
		}
		if got := resp.Header.Get("Alt-Svc"); got != "" {
			t.Errorf("Alt-Svc %q on a plain-HTTP response", got)
		}

		// A client that follows it lands on HTTPS, and a 308 keeps the POST.
		follow := &http.Client{Transport: &http.Transport{TLSClientConfig: clientTLS(ca), ForceAttemptHTTP2: true}}
		defer follow.CloseIdleConnections()
		post, err := follow.Post(redirect+"/form", "text/plain", strings.NewReader("body"))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(post.Body)
		post.Body.Close()
		if post.TLS == nil || string(got) != "HTTP/2.0 POST /form" {
			t.Errorf("after the redirect: TLS %v, body %q; want the POST served over HTTPS", post.TLS != nil, got)
		}
	})

	t.Run("HTTP/3 over QUIC", func(t *testing.T) {
		transport := &http3.Transport{TLSClientConfig: clientTLS(ca)}
		defer transport.Close()
		client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
		resp, body := get(t, client, base+"/h3")
		if resp.ProtoMajor != 3 {
			t.Errorf("protocol %s, want HTTP/3.0", resp.Proto)
		}
		if body != "HTTP/3.0 GET /h3" {
			t.Errorf("body %q", body)
		}
		if got := resp.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
			t.Errorf("HSTS %q over HTTP/3", got)
		}
	})

	t.Run("TLS settings", func(t *testing.T) {
		addr := s.Addrs()[0].String()
		// TLS 1.1 is refused.
		if conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}); err == nil {
			conn.Close()
			t.Error("a TLS 1.1 client was accepted; the minimum is TLS 1.2")
		}
		// TLS 1.2 with X25519 works.
		for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
			conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.pool, MaxVersion: version, CurvePreferences: []tls.CurveID{tls.X25519}})
			if err != nil {
				t.Errorf("%s with X25519: %v", tls.VersionName(version), err)
				continue
			}
			state := conn.ConnectionState()
			if state.Version != version || state.CurveID != tls.X25519 {
				t.Errorf("negotiated %s with %v, want %s with X25519", tls.VersionName(state.Version), state.CurveID, tls.VersionName(version))
			}
			conn.Close()
		}
		// A current client gets the post-quantum hybrid key exchange by default.
		if conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.pool}); err != nil {
			t.Error(err)
		} else {
			if got := conn.ConnectionState().CurveID; got != tls.X25519MLKEM768 {
				t.Errorf("default key exchange %v, want X25519MLKEM768", got)
			}
			conn.Close()
		}
		// Session tickets: the second connection resumes the first one's session.
		client := &http.Client{Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{RootCAs: ca.pool, ClientSessionCache: tls.NewLRUClientSessionCache(4)},
			DisableKeepAlives: true,
		}}
		first, _ := get(t, client, base+"/1")
		second, _ := get(t, client, base+"/2")
		if first.TLS.DidResume || !second.TLS.DidResume {
			t.Errorf("resumed: first %v, second %v; want a resumed second session", first.TLS.DidResume, second.TLS.DidResume)
		}
	})

	t.Run("graceful stop", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: clientTLS(ca)}, Timeout: time.Second}
		if _, err := client.Get(base + "/"); err == nil {
			t.Error("served a request after Shutdown")
		}
	})
}

// TestDrainHTTP2AndHTTP3 stops a server while an HTTP/2 and an HTTP/3 request run: both
// finish with 200, and Shutdown waits for them and then returns nil.
func TestDrainHTTP2AndHTTP3(t *testing.T) {
	ca := newCA(t)
	certFile, keyFile := ca.issue(t, "127.0.0.1")
	release := make(chan struct{})
	started := make(chan string, 2)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- r.Proto
		<-release
		io.WriteString(w, "finished "+r.Proto)
	})
	s := start(t, handler, Config{Addrs: []string{"127.0.0.1:0"}, CertFile: certFile, KeyFile: keyFile, HTTP3: true})
	url := "https://" + s.Addrs()[0].String() + "/"

	h3 := &http3.Transport{TLSClientConfig: clientTLS(ca)}
	defer h3.Close()
	h2 := &http.Transport{TLSClientConfig: clientTLS(ca), ForceAttemptHTTP2: true}
	defer h2.CloseIdleConnections()
	answers := make(chan string, 2)
	for _, rt := range []http.RoundTripper{h2, h3} {
		go func() {
			resp, err := (&http.Client{Transport: rt, Timeout: 10 * time.Second}).Get(url)
			if err != nil {
				answers <- "error: " + err.Error()
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			answers <- fmt.Sprintf("%d %s", resp.StatusCode, body)
		}()
	}
	protos := map[string]bool{<-started: true, <-started: true}
	if !protos["HTTP/2.0"] || !protos["HTTP/3.0"] {
		t.Fatalf("requests arrived as %v", protos)
	}
	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		stopped <- s.Shutdown(ctx)
	}()
	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned (%v) while requests were running", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	got := map[string]bool{<-answers: true, <-answers: true}
	if !got["200 finished HTTP/2.0"] || !got["200 finished HTTP/3.0"] {
		t.Errorf("answers %v, want both finished with 200", got)
	}
	select {
	case err := <-stopped:
		if err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("Shutdown did not return after the requests finished")
	}
}

// TestDrainTimeCutsOff stops a server whose request outlives the drain time: Shutdown cuts it
// off and says so, and the closers still run.
func TestDrainTimeCutsOff(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{})
	closed := false
	s := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	}), Config{Addrs: []string{"127.0.0.1:0"}, Closers: []io.Closer{CloseFunc(func() error { closed = true; return nil })}})
	failed := make(chan error, 1)
	go func() {
		_, err := http.Get("http://" + s.Addrs()[0].String() + "/")
		failed <- err
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := s.Shutdown(ctx)
	if err == nil || !strings.Contains(err.Error(), "cut off") {
		t.Errorf("Shutdown: %v, want an error saying requests were cut off", err)
	}
	if err := <-failed; err == nil {
		t.Error("the request outliving the drain time got an answer")
	}
	if !closed {
		t.Error("the closers did not run")
	}
}

// TestHTTP3RequestsHaveTimeouts sends a request body over HTTP/3 that stalls: as over TCP,
// where net/http applies ReadTimeout, the handler's read fails once ReadTimeout has passed
// instead of holding the request (and its goroutine) as long as the client keeps the QUIC
// connection alive.
func TestHTTP3RequestsHaveTimeouts(t *testing.T) {
	ca := newCA(t)
	certFile, keyFile := ca.issue(t, "localhost", "127.0.0.1")
	const readTimeout = 300 * time.Millisecond
	type result struct {
		err     error
		elapsed time.Duration
	}
	results := make(chan result, 1)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		_, err := io.ReadAll(r.Body)
		results <- result{err, time.Since(began)}
	})
	s := start(t, handler, Config{Addrs: []string{"127.0.0.1:0"}, CertFile: certFile, KeyFile: keyFile, HTTP3: true, ReadTimeout: readTimeout})
	transport := &http3.Transport{TLSClientConfig: clientTLS(ca)}
	defer transport.Close()
	body, stall := io.Pipe()
	defer stall.Close()
	go func() {
		stall.Write([]byte("the first bytes, then nothing"))
	}()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("https://127.0.0.1:%d/upload", port(t, s.Addrs()[0])), body)
	go func() {
		if resp, err := transport.RoundTrip(req); err == nil {
			resp.Body.Close()
		}
	}()
	select {
	case r := <-results:
		if r.err == nil {
			t.Errorf("reading a stalled body succeeded after %v", r.elapsed)
		}
	case <-time.After(10 * readTimeout):
		t.Fatalf("the handler still reads a stalled HTTP/3 body after %v; ReadTimeout is %v", 10*readTimeout, readTimeout)
	}
}
