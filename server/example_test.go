package server_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/canter-go/canter/server"
)

// Run serves until its context is cancelled; here the context stops it at once, as SIGTERM
// would, and Run drains and returns nil.
func ExampleRun() {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // in a program: signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	err := server.Run(ctx, hello, server.Config{
		Addrs:  []string{"127.0.0.1:0"},
		Logger: slog.New(slog.DiscardHandler),
	})
	fmt.Println("stopped, error:", err)
	// Output: stopped, error: <nil>
}

// Run with the caller's own signal handling, the way a management command wires it.
func ExampleRun_signals() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := server.Run(ctx, http.NotFoundHandler(), server.Config{
		Addrs:        []string{":443"},
		CertFile:     "/etc/ssl/example.com/fullchain.pem",
		KeyFile:      "/etc/ssl/example.com/privkey.pem",
		RedirectAddr: ":80",
		HTTP3:        true,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// A Server started by hand exposes its bound addresses, which is how tests reach a server
// listening on port 0.
func ExampleServer() {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello over "+r.Proto)
	})
	s, err := server.New(hello, server.Config{
		Addrs:  []string{"127.0.0.1:0"},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := s.Start(); err != nil {
		log.Fatal(err)
	}
	resp, err := http.Get("http://" + s.Addrs()[0].String() + "/")
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))
	fmt.Println("shutdown error:", s.Shutdown(context.Background()))
	// Output:
	// hello over HTTP/1.1
	// shutdown error: <nil>
}

// A production main: TLS with automatic certificates, plain HTTP on port 80 redirecting to
// HTTPS (and answering the ACME challenges), a graceful stop on SIGTERM, and the session
// store closed after the last request.
func ExampleListenAndServe() {
	var sessions io.Closer // a session store, database pool, …
	err := server.ListenAndServe(http.NotFoundHandler(), server.Config{
		Addrs:        []string{":443"},
		RedirectAddr: ":80",
		ACME: &server.ACME{
			Hosts:    []string{"example.com", "www.example.com"},
			CacheDir: "/var/lib/example/acme",
			Email:    "ops@example.com",
		},
		Closers: []io.Closer{sessions},
	})
	if err != nil {
		log.Fatal(err) // exit status 1: the drain was cut short or the server could not start
	}
}

// Development HTTPS with a self-signed certificate that survives restarts.
func ExampleDevCertificate() {
	dir, _ := os.MkdirTemp("", "devcert")
	defer os.RemoveAll(dir)
	certFile, keyFile, err := server.DevCertificate(filepath.Join(dir, "tls"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.Base(certFile), filepath.Base(keyFile))
	_, err = server.New(http.NotFoundHandler(), server.Config{
		Addrs:    []string{"127.0.0.1:8443"},
		CertFile: certFile,
		KeyFile:  keyFile,
	})
	fmt.Println("config error:", err)
	// Output:
	// dev-cert.pem dev-key.pem
	// config error: <nil>
}
