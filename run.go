package canter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

// DefaultAddr is where Run listens when given no address and CANTER_ADDR is unset.
const DefaultAddr = "127.0.0.1:8000"

// Addr returns the address to listen on: addr when not empty, else the CANTER_ADDR environment
// variable, else DefaultAddr.
func Addr(addr string) string {
	if addr != "" {
		return addr
	}
	if env := os.Getenv("CANTER_ADDR"); env != "" {
		return env
	}
	return DefaultAddr
}

// Run serves the app over HTTP on addr (see Addr for the default) until the process receives
// SIGINT or SIGTERM; it then stops accepting connections, lets requests in flight finish for up
// to SERVER_SHUTDOWN_TIMEOUT (30 seconds), and returns nil. It returns an error when it cannot listen.
func (a *App) Run(addr ...string) error {
	where := ""
	if len(addr) > 0 {
		where = addr[0]
	}
	ln, err := net.Listen("tcp", Addr(where))
	if err != nil {
		return fmt.Errorf("canter: cannot listen on %s: %w", Addr(where), err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return a.serve(ctx, ln)
}

func (a *App) serve(ctx context.Context, ln net.Listener) error {
	site, err := a.Site() // build before accepting, so configuration errors show at once
	if err != nil {
		ln.Close()
		return err
	}
	defer site.Close()
	logger := site.Logger
	s := site.Settings
	srv := &http.Server{
		Handler:           site,
		ReadHeaderTimeout: s.ServerReadHeaderTimeout,
		ReadTimeout:       s.ServerReadTimeout,
		WriteTimeout:      s.ServerWriteTimeout,
		IdleTimeout:       s.ServerIdleTimeout,
		MaxHeaderBytes:    s.ServerMaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("Canter app listening", "url", "http://"+ln.Addr().String()+"/", "debug", s.Debug)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	logger.Info("stopping: finishing requests in flight")
	shutdown, cancel := context.WithTimeout(context.Background(), s.ServerShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(shutdown)
	if serveErr := <-done; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return err
}
