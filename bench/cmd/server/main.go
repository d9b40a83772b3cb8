// Command server runs one benchmark server on a loopback address until it is stopped.
//
//	go run ./cmd/server -server canter -addr 127.0.0.1:8080
//
// It prints "listening http://HOST:PORT" once it accepts connections (with -addr
// 127.0.0.1:0 the port is free and chosen by the system). With -cpuprofile it starts a CPU
// profile on SIGUSR1 and writes it on SIGTERM or SIGINT, so the load driver can profile just
// the measured window.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/canter-go/canter/bench/servers"
)

func main() {
	name := flag.String("server", "", "server to run: "+names())
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	dir := flag.String("dir", "", "directory for the server's files (default: a new temporary directory)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the time between SIGUSR1 and the stop to this file")
	flag.Parse()
	if err := run(*name, *addr, *dir, *profile); err != nil {
		log.Fatal(err)
	}
}

func names() string {
	var out []string
	for _, s := range servers.All() {
		out = append(out, s.Name)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func run(name, addr, dir, profile string) error {
	s, ok := servers.Lookup(name)
	if !ok {
		return fmt.Errorf("unknown server %q; choose one of %s", name, names())
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("benchmark servers listen on loopback addresses only, not %s", addr)
	}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "bench-"+name+"-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	h, closeStore, err := s.New(servers.Options{Dir: dir})
	if err != nil {
		return err
	}
	defer closeStore()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	// The same server settings for every framework.
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Printf("listening http://%s\n", ln.Addr())

	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt, syscall.SIGUSR1)
	var prof *os.File
	for {
		select {
		case err := <-served:
			return err
		case got := <-sig:
			if got == syscall.SIGUSR1 {
				if profile != "" && prof == nil {
					if prof, err = os.Create(profile); err != nil {
						return err
					}
					if err := pprof.StartCPUProfile(prof); err != nil {
						return err
					}
				}
				continue
			}
			if prof != nil {
				pprof.StopCPUProfile()
				if err := prof.Close(); err != nil {
					return err
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			return nil
		}
	}
}
