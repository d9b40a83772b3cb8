// Command testserver serves a small echo handler with package server, for checking the server
// with outside tools such as h2spec:
//
//	go run ./server/internal/testserver -addr 127.0.0.1:8443 -tls .canter/tls
//	h2spec -t -k -h 127.0.0.1 -p 8443
//
// It stops gracefully on SIGINT or SIGTERM.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/canter-go/canter/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8443", "address to listen on")
	tlsDir := flag.String("tls", "", "serve HTTPS with the development certificate kept in this directory")
	h2c := flag.Bool("h2c", false, "serve HTTP/2 without TLS too")
	http3 := flag.Bool("http3", false, "serve HTTP/3 too (needs -tls)")
	flag.Parse()

	cfg := server.Config{Addrs: []string{*addr}, H2C: *h2c, HTTP3: *http3, ShutdownTimeout: 5 * time.Second}
	if *tlsDir != "" {
		certFile, keyFile, err := server.DevCertificate(*tlsDir)
		if err != nil {
			log.Fatal(err)
		}
		cfg.CertFile, cfg.KeyFile = certFile, keyFile
	}
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "%s %s %s, %d bytes of body\n", r.Proto, r.Method, r.URL.RequestURI(), n)
	})
	if err := server.ListenAndServe(echo, cfg); err != nil {
		log.Fatal(err)
	}
}
