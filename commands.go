package canter

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/canter-go/canter/checks"
	"github.com/canter-go/canter/management"
	"github.com/canter-go/canter/server"
	"github.com/canter-go/canter/server/reload"
)

func builtinCommands(r Runnable) []*management.Command {
	no := false
	return []*management.Command{
		{
			Name:      "version",
			Short:     "Prints the versions of Canter and Go.",
			NeedsSite: &no,
			Run: func(c *management.Context) error {
				fmt.Fprintf(c.Stdout, "Canter %s (%s)\n", Version(), runtime.Version())
				return nil
			},
		},
		checkCommand(),
		urlsCommand(),
		runserverCommand(r),
		serveCommand(r),
	}
}

// Version returns Canter's module version as built into the program, or "(devel)".
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	if info.Main.Path == "github.com/canter-go/canter" {
		return info.Main.Version
	}
	for _, d := range info.Deps {
		if d.Path == "github.com/canter-go/canter" {
			if d.Replace != nil {
				return d.Version + " (replaced by " + d.Replace.Path + ")"
			}
			return d.Version
		}
	}
	return "(devel)"
}

func siteOf(c *management.Context) *Site { return c.Site.(*Site) }

func checkCommand() *management.Command {
	var deploy bool
	var tags string
	var failLevel string
	return &management.Command{
		Name:       "check",
		Short:      "Checks the project for common problems; --deploy adds the production checks.",
		SkipChecks: true,
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&deploy, "deploy", false, "add the checks that matter for a production deployment")
			fs.StringVar(&tags, "tag", "", "run only checks with these comma-separated tags")
			fs.StringVar(&failLevel, "fail-level", "ERROR", "exit with status 1 at this level or above: CRITICAL, ERROR, WARNING, INFO or DEBUG")
		},
		Run: func(c *management.Context) error {
			level, ok := map[string]checks.Level{
				"CRITICAL": checks.LevelCritical, "ERROR": checks.LevelError, "WARNING": checks.LevelWarning,
				"INFO": checks.LevelInfo, "DEBUG": checks.LevelDebug,
			}[strings.ToUpper(failLevel)]
			if !ok {
				return management.UsageErrorf("--fail-level %q is not one of CRITICAL, ERROR, WARNING, INFO, DEBUG", failLevel)
			}
			var tagList []string
			if tags != "" {
				tagList = strings.Split(tags, ",")
			}
			msgs := siteOf(c).Check(deploy, tagList...)
			report := checks.Report(msgs, 0)
			failed := false
			for _, m := range msgs {
				failed = failed || m.Level >= level
			}
			if failed {
				fmt.Fprint(c.Stderr, report)
				return errors.New("SystemCheckError: the system checks found problems at or above " + strings.ToUpper(failLevel))
			}
			fmt.Fprint(c.Stdout, report)
			return nil
		},
	}
}

func urlsCommand() *management.Command {
	return &management.Command{
		Name:  "urls",
		Short: "Lists every route: its pattern, name, methods and view.",
		Run: func(c *management.Context) error {
			w := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "PATTERN\tNAME\tMETHODS\tVIEW")
			for _, r := range siteOf(c).Router.Routes() {
				methods := "any"
				if len(r.Methods) > 0 {
					methods = strings.Join(r.Methods, ",")
				}
				name, view := r.Name, r.View
				if name == "" {
					name = "-"
				}
				if view == "" {
					view = "-"
				}
				pattern := r.Pattern
				if r.Regex {
					pattern = "re:" + pattern
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", pattern, name, methods, view)
			}
			return w.Flush()
		},
	}
}

// addrPort matches runserver's address argument, as Django's does.
var addrPort = regexp.MustCompile(`^(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[a-fA-F0-9:]+\]|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*):)?(\d+)$`)

// parseAddr turns runserver's argument into a listen address: "8000", "0:8000",
// "127.0.0.1:8000", "[::1]:8000" or "localhost:8000". ipv6 makes the default address ::1.
func parseAddr(arg string, ipv6 bool) (string, error) {
	def := "127.0.0.1"
	if ipv6 {
		def = "::1"
	}
	if arg == "" {
		if env := os.Getenv("CANTER_ADDR"); env != "" {
			return env, nil
		}
		return net.JoinHostPort(def, "8000"), nil
	}
	m := addrPort.FindStringSubmatch(arg)
	if m == nil {
		return "", management.UsageErrorf("%q is not a valid port number or address:port pair.", arg)
	}
	host := m[1]
	switch {
	case host == "":
		host = def
	case host == "0":
		host = "0.0.0.0"
	case strings.HasPrefix(host, "["):
		host = host[1 : len(host)-1]
	case ipv6 && net.ParseIP(host) != nil && net.ParseIP(host).To4() != nil:
		return "", management.UsageErrorf("%q is not a valid IPv6 address.", host)
	}
	return net.JoinHostPort(host, m[2]), nil
}

func runserverCommand(r Runnable) *management.Command {
	var noreload, ipv6, skipChecks, https bool
	no := false
	return &management.Command{
		Name:       "runserver",
		Short:      "Starts a development server (127.0.0.1:8000 by default) that reloads on changes.",
		Usage:      "[addr:port]",
		SkipChecks: true,
		NeedsSite:  &no, // the reloading parent stays light; the serving child builds the site
		Long: `Serves the site for development. Unless --noreload is given, a parent process watches
the project's Go files, templates and settings; on a change it rebuilds the program and
restarts it on the same socket. A build error is printed and the last good version keeps
serving (or an error page shows the compiler output) until the next good save.`,
		Flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&noreload, "noreload", false, "do not watch the source files and restart on changes")
			fs.BoolVar(&ipv6, "6", false, "listen on ::1 by default (also --ipv6)")
			fs.BoolVar(&ipv6, "ipv6", false, "listen on ::1 by default")
			fs.BoolVar(&skipChecks, "skip-checks", false, "do not run the system checks first")
			fs.BoolVar(&https, "https", false, "serve HTTPS with a self-signed certificate for localhost, made once and reused")
		},
		Run: func(c *management.Context) error {
			if len(c.Args) > 1 {
				return management.UsageErrorf("runserver takes one address, got %q", c.Args)
			}
			arg := ""
			if len(c.Args) == 1 {
				arg = c.Args[0]
			}
			addr, err := parseAddr(arg, ipv6)
			if err != nil {
				return err
			}
			ln, child := reload.Listener()
			if !child {
				if ln, err = net.Listen("tcp", addr); err != nil {
					if errors.Is(err, syscall.EADDRINUSE) {
						return fmt.Errorf("that port is already in use (%s)", addr)
					}
					return err
				}
				if !noreload {
					fmt.Fprintf(c.Stdout, "Watching for file changes with StatReloader\n")
					return reload.Run(c, reload.Config{Listener: ln, Args: os.Args[1:], Stdout: c.Stdout, Stderr: c.Stderr})
				}
			}
			defer ln.Close()
			site, err := r.buildSite()
			if err != nil {
				return err
			}
			c.Site = site
			if !skipChecks {
				fmt.Fprint(c.Stdout, "Performing system checks...\n\n")
				msgs := site.Check(false)
				fmt.Fprint(c.Stdout, checks.Report(msgs, 0))
				if checks.Serious(msgs) {
					return errors.New("the system checks found errors; fix them or run with --skip-checks")
				}
			}
			scheme, cert, key := "http", "", ""
			if https {
				dir, err := os.UserCacheDir()
				if err != nil {
					dir = os.TempDir()
				}
				if cert, key, err = server.DevCertificate(filepath.Join(dir, "canter", "devcert")); err != nil {
					return err
				}
				scheme = "https"
			}
			fmt.Fprintf(c.Stdout, "\n%s\nCanter version %s, using settings %q\nStarting development server at %s://%s/\nQuit the server with CONTROL-C.\n\n",
				time.Now().Format("January 02, 2006 - 15:04:05"), Version(), r.settingsSource(), scheme, ln.Addr())
			fmt.Fprint(c.Stdout, "WARNING: This is a development server. Do not use it in a production setting. Use `serve` instead.\n\n")
			return serveListener(c, site, ln, cert, key)
		},
	}
}

func serveCommand(r Runnable) *management.Command {
	var cert, key, redirect, acmeHosts, acmeEmail, acmeCache string
	var http3, h2c, fastcgi bool
	var publicPort int
	return &management.Command{
		Name:  "serve",
		Short: "Serves the site for production: TLS, HTTP/2, HTTP/3, graceful stop.",
		Usage: "[addr:port | unix:/path ...]",
		Long: `Listens on the given addresses (default $CANTER_ADDR or 127.0.0.1:8000), with the
SERVER_* timeouts of the settings. SIGTERM or SIGINT stops accepting connections and lets
requests in flight finish for SERVER_SHUTDOWN_TIMEOUT; a second signal stops at once.

  serve 0.0.0.0:8000                                  plain HTTP (behind a proxy)
  serve --cert cert.pem --key key.pem :443             HTTPS with HTTP/2
  serve --cert c.pem --key k.pem --http3 :443          plus HTTP/3 over QUIC
  serve --acme example.com --redirect :80 :443         Let's Encrypt, HTTP redirected
  serve --fastcgi unix:/run/mysite.sock                FastCGI for nginx or Apache`,
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&cert, "cert", "", "TLS certificate (PEM); turns HTTPS on")
			fs.StringVar(&key, "key", "", "TLS private key (PEM)")
			fs.BoolVar(&http3, "http3", false, "also serve HTTP/3 over QUIC (needs TLS)")
			fs.BoolVar(&h2c, "h2c", false, "serve HTTP/2 without TLS on plain addresses (behind a proxy)")
			fs.StringVar(&redirect, "redirect", "", "a plain-HTTP address (such as :80) that redirects to HTTPS")
			fs.IntVar(&publicPort, "public-port", 0, "the HTTPS port clients see, for redirects and Alt-Svc")
			fs.StringVar(&acmeHosts, "acme", "", "comma-separated host names to get certificates for from Let's Encrypt")
			fs.StringVar(&acmeEmail, "acme-email", "", "contact e-mail for the ACME account")
			fs.StringVar(&acmeCache, "acme-cache", "", "directory that keeps ACME certificates across restarts")
			fs.BoolVar(&fastcgi, "fastcgi", false, "speak FastCGI instead of HTTP")
		},
		Run: func(c *management.Context) error {
			site := siteOf(c)
			cfg := serverConfig(site)
			cfg.Addrs = c.Args
			if len(cfg.Addrs) == 0 {
				addr, _ := parseAddr("", false)
				cfg.Addrs = []string{addr}
			}
			cfg.CertFile, cfg.KeyFile = cert, key
			cfg.HTTP3, cfg.H2C, cfg.FastCGI = http3, h2c, fastcgi
			cfg.RedirectAddr, cfg.PublicPort = redirect, publicPort
			if acmeHosts != "" {
				cfg.ACME = &server.ACME{Hosts: strings.Split(acmeHosts, ","), Email: acmeEmail, CacheDir: acmeCache}
			}
			return server.Run(c, site, cfg)
		},
	}
}

// serverConfig maps the SERVER_* settings onto the server's configuration (where a setting of
// zero means no limit, the server wants a negative value).
func serverConfig(site *Site) server.Config {
	s := site.Settings
	noLimit := func(d time.Duration) time.Duration {
		if d == 0 {
			return -1
		}
		return d
	}
	return server.Config{
		ReadHeaderTimeout: noLimit(s.ServerReadHeaderTimeout),
		ReadTimeout:       noLimit(s.ServerReadTimeout),
		WriteTimeout:      noLimit(s.ServerWriteTimeout),
		IdleTimeout:       noLimit(s.ServerIdleTimeout),
		MaxHeaderBytes:    s.ServerMaxHeaderBytes,
		ShutdownTimeout:   s.ServerShutdownTimeout,
		Logger:            site.Logger,
	}
}

// serveListener serves site on ln (over TLS when cert and key are given) until the command's
// context ends, then drains.
func serveListener(c *management.Context, site *Site, ln net.Listener, cert, key string) error {
	s := site.Settings
	srv := &http.Server{
		Handler:           site,
		ReadHeaderTimeout: s.ServerReadHeaderTimeout,
		ReadTimeout:       s.ServerReadTimeout,
		WriteTimeout:      s.ServerWriteTimeout,
		IdleTimeout:       s.ServerIdleTimeout,
		MaxHeaderBytes:    s.ServerMaxHeaderBytes,
	}
	done := make(chan error, 1)
	go func() {
		if cert != "" {
			done <- srv.ServeTLS(ln, cert, key)
			return
		}
		done <- srv.Serve(ln)
	}()
	select {
	case err := <-done:
		return err
	case <-c.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.ServerShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(ctx)
	if serveErr := <-done; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}
