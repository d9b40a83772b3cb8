package canter

import (
	"os"

	"github.com/canter-go/canter/server"
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
// to SERVER_SHUTDOWN_TIMEOUT (30 seconds), and returns nil; a second signal stops at once. It
// returns an error when the app is misconfigured or cannot listen. For TLS, HTTP/3 and the
// management commands, use canter.Main(app) and its serve command.
func (a *App) Run(addr ...string) error {
	where := ""
	if len(addr) > 0 {
		where = addr[0]
	}
	site, err := a.Site() // build before listening, so configuration errors show at once
	if err != nil {
		return err
	}
	defer site.Close()
	cfg := serverConfig(site)
	cfg.Addrs = []string{Addr(where)}
	site.Logger.Info("Canter app listening", "url", "http://"+cfg.Addrs[0]+"/", "debug", site.Settings.Debug)
	return server.ListenAndServe(site, cfg)
}
