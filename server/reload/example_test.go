package reload_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/canter-go/canter/server/reload"
)

// A program that reloads itself: by hand it supervises, under the supervisor it serves.
func ExampleRun() {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "Hello")
	})
	if ln, ok := reload.Listener(); ok {
		srv := &http.Server{Handler: handler}
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		go func() {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				log.Fatal(err)
			}
		}()
		<-ctx.Done() // the supervisor stops an old server with SIGTERM
		// Serve returns as soon as Shutdown starts: wait for Shutdown, which lets the
		// requests in flight finish, before leaving main.
		_ = srv.Shutdown(context.Background())
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:8000")
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = reload.Run(ctx, reload.Config{
		Listener:   ln,
		Args:       os.Args[1:],
		Extensions: []string{".go", ".html"},
	})
	if err != nil {
		log.Fatal(err)
	}
}

func ExampleListener() {
	ln, ok := reload.Listener()
	if !ok {
		fmt.Println("not started by a supervisor: listen yourself")
		return
	}
	_ = http.Serve(ln, http.NotFoundHandler())
	// Output: not started by a supervisor: listen yourself
}

// Ready tells the supervisor that start-up is over; it may then stop the previous server.
func ExampleReady() {
	ln, ok := reload.Listener()
	if !ok {
		return
	}
	// Open databases, load templates, run checks... then:
	reload.Ready()
	_ = http.Serve(ln, http.NotFoundHandler())
}
