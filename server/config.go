package server

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Defaults of Config, applied to every zero field.
const (
	// DefaultAddr is the address served when Config.Addrs is empty: loopback only, port 8000,
	// as gunicorn and Django's runserver do.
	DefaultAddr = "127.0.0.1:8000"

	// DefaultReadHeaderTimeout bounds the time a client may take to send the request line and
	// headers; it is what stops slow-header (slowloris) clients.
	DefaultReadHeaderTimeout = 5 * time.Second
	// DefaultReadTimeout bounds the time to read a whole request, body included.
	DefaultReadTimeout = 30 * time.Second
	// DefaultWriteTimeout bounds the time from the end of the request headers to the end of the
	// response. A view that streams for longer must extend its own deadline with
	// http.NewResponseController(w).SetWriteDeadline.
	DefaultWriteTimeout = 60 * time.Second
	// DefaultIdleTimeout is how long a keep-alive connection may wait for its next request.
	DefaultIdleTimeout = 120 * time.Second
	// DefaultMaxHeaderBytes is the largest request line plus headers accepted (1 MiB); bigger
	// requests are answered 431 Request Header Fields Too Large.
	DefaultMaxHeaderBytes = 1 << 20
	// DefaultShutdownTimeout is the drain time: how long requests in flight may run on after a
	// stop was asked for, before their connections are cut.
	DefaultShutdownTimeout = 30 * time.Second
	// DefaultRedirectStatus is the status of the plain-HTTP to HTTPS redirect: 308 Permanent
	// Redirect, which, unlike 301, keeps the method and body of a POST.
	DefaultRedirectStatus = http.StatusPermanentRedirect
)

// Config says where and how a Server listens. The zero Config serves plain HTTP/1.1 on
// DefaultAddr with the default timeouts; every zero field takes the default documented on it.
type Config struct {
	// Addrs are the addresses to listen on, each either "host:port" for TCP ("127.0.0.1:8000",
	// "[::1]:8443", ":443" for every interface, port 0 for any free port) or "unix:/path/to.sock"
	// for a Unix socket (a stale socket file left by a crashed server is removed; a live one is
	// an error). When TLS is configured, every address serves TLS.
	// Default: []string{DefaultAddr}.
	Addrs []string

	// CertFile and KeyFile are PEM files of the certificate (chain) and its private key. Setting
	// them turns TLS on, with TLS 1.2 as the minimum, Go's cipher-suite and key-exchange
	// preferences (X25519 and the post-quantum X25519MLKEM768 first) and session tickets on.
	// The files are read once, by New. Default: none (plain HTTP).
	CertFile, KeyFile string

	// TLSConfig, when set, is the base of the TLS configuration instead of one built from
	// CertFile and KeyFile: use it for client certificates (mutual TLS) or a GetCertificate
	// hook. It is cloned; a zero MinVersion becomes TLS 1.2. Default: nil.
	TLSConfig *tls.Config

	// ACME, when set, obtains and renews certificates automatically (Let's Encrypt by default)
	// and turns TLS on. It excludes CertFile, KeyFile and TLSConfig. Default: nil.
	ACME *ACME

	// DisableHTTP2 turns HTTP/2 over TLS off, leaving HTTP/1.1 only. Default: false (clients
	// that offer "h2" in ALPN get HTTP/2).
	DisableHTTP2 bool

	// H2C serves HTTP/2 without TLS ("prior knowledge" h2c, RFC 9113 section 3.3) on the
	// plain-HTTP addresses, next to HTTP/1.1; use it behind a proxy that speaks h2c to its
	// upstreams. Default: false.
	H2C bool

	// HTTP3 also serves HTTP/3 over QUIC, on the UDP port of each TCP address, and advertises it
	// to clients with an Alt-Svc header on every HTTPS response. It needs TLS. 0-RTT is off, so
	// a request is never replayed. Default: false.
	HTTP3 bool

	// RedirectAddr, when set, is a plain-HTTP TCP address (usually ":80") whose every request is
	// redirected to the same host and path over HTTPS. With ACME it also answers the HTTP-01
	// challenges. It needs TLS. Default: none.
	RedirectAddr string

	// RedirectStatus is the status of those redirects: 301, 302, 307 or 308.
	// Default: DefaultRedirectStatus (308).
	RedirectStatus int

	// PublicPort is the HTTPS port the clients see, written in redirect locations and in Alt-Svc
	// (443 is left out of locations). Set it when a firewall or container maps the port, for
	// example 443 outside onto 8443 inside. Default: the port of the first TCP address.
	PublicPort int

	// FastCGI serves the FastCGI protocol (for a web server such as nginx or Apache with
	// fastcgi_pass) on Addrs instead of HTTP. It excludes TLS, HTTP3, H2C and RedirectAddr, and
	// the web server's own timeouts apply. Default: false.
	FastCGI bool

	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout bound the phases of a
	// connection; a negative value means no limit. Over HTTP/3, ReadTimeout and WriteTimeout
	// bound reading the request and writing the response from the start of the handler.
	// Defaults: DefaultReadHeaderTimeout (5s), DefaultReadTimeout (30s), DefaultWriteTimeout
	// (60s), DefaultIdleTimeout (120s).
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration

	// MaxHeaderBytes is the largest request line plus headers read; bigger requests get 431.
	// Default: DefaultMaxHeaderBytes (1 MiB).
	MaxHeaderBytes int

	// ShutdownTimeout is the drain time: after a stop is asked for, requests in flight may run
	// this long before their connections are cut. Default: DefaultShutdownTimeout (30s).
	ShutdownTimeout time.Duration

	// SocketMode, when not zero, is the permission of Unix socket files (for example 0o660 so
	// that a web server in the same group may connect). Default: 0, the process umask decides.
	SocketMode fs.FileMode

	// Closers are closed, last first, once the server has stopped and requests in flight have
	// finished (or were cut off): session stores, database pools, loggers to flush.
	// CloseFunc turns a function into one. Default: none.
	Closers []io.Closer

	// Logger receives the server's messages: where it listens, that it stops, and net/http's
	// own complaints (TLS handshake failures at Debug, others at Warn).
	// Default: slog.Default().
	Logger *slog.Logger
}

// ACME configures automatic certificates through the ACME protocol (RFC 8555), with
// golang.org/x/crypto/acme/autocert. Using it means accepting the CA's terms of service.
//
// The CA proves that the server owns each host name with the TLS-ALPN-01 challenge on port 443,
// or the HTTP-01 challenge on port 80 when Config.RedirectAddr is set, so the server must be
// reachable from the internet on one of those ports under every name in Hosts.
type ACME struct {
	// Hosts are the only host names certificates are requested for ("example.com",
	// "www.example.com"). Required: without it anyone could make the server exhaust the CA's
	// rate limits by connecting with made-up names.
	Hosts []string

	// CacheDir keeps the account key and the certificates across restarts (a restart without
	// it requests new certificates and soon hits the CA's rate limits). It is created with mode
	// 0700. Default: "canter/acme" in the user's cache directory (os.UserCacheDir).
	CacheDir string

	// Email is the contact address given to the CA for expiry and problem notices.
	// Default: none.
	Email string

	// DirectoryURL is the CA's ACME directory. Default: Let's Encrypt's production directory;
	// use its staging directory while testing.
	DirectoryURL string
}

// CloseFunc adapts a function to io.Closer, for Config.Closers.
type CloseFunc func() error

// Close calls f.
func (f CloseFunc) Close() error { return f() }

// address is one parsed entry of Config.Addrs.
type address struct {
	network string // "tcp" or "unix"
	addr    string // host:port or a file path
}

func (a address) String() string {
	if a.network == "unix" {
		return "unix:" + a.addr
	}
	return a.addr
}

// parseAddress reads one Config.Addrs entry.
func parseAddress(s string) (address, error) {
	if path, ok := strings.CutPrefix(s, "unix:"); ok {
		if path == "" {
			return address{}, fmt.Errorf("%q names no socket file: write unix:/path/to/app.sock", s)
		}
		return address{network: "unix", addr: path}, nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return address{}, fmt.Errorf("%q is not host:port (an IPv6 host goes in brackets, as in [::1]:8443) nor unix:/path", s)
	}
	if strings.Contains(host, "%") && !strings.Contains(host, ":") {
		return address{}, fmt.Errorf("%q has a zone on a host that is not an IPv6 address", s)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		if _, lookupErr := net.LookupPort("tcp", port); lookupErr != nil {
			return address{}, fmt.Errorf("%q has no valid port: %q is not a number from 0 to 65535 nor a service name", s, port)
		}
	}
	return address{network: "tcp", addr: s}, nil
}

// settings is a Config with every default applied and every value checked.
type settings struct {
	Config
	addrs    []address
	redirect address
	tls      bool
}

// pick returns def for zero and v otherwise; net/http reads a negative timeout as no limit.
func pick(v, def time.Duration) time.Duration {
	if v == 0 {
		return def
	}
	return v
}

// resolve applies the defaults and reports every problem of c at once.
func resolve(c Config) (*settings, error) {
	s := &settings{Config: c}
	var problems []error
	bad := func(format string, args ...any) { problems = append(problems, fmt.Errorf(format, args...)) }

	if len(s.Addrs) == 0 {
		s.Addrs = []string{DefaultAddr}
	}
	tcpAddrs := 0
	for _, a := range s.Addrs {
		parsed, err := parseAddress(a)
		if err != nil {
			bad("Config.Addrs: %v", err)
			continue
		}
		if parsed.network == "tcp" {
			tcpAddrs++
		}
		s.addrs = append(s.addrs, parsed)
	}

	if (s.CertFile == "") != (s.KeyFile == "") {
		bad("Config.CertFile and Config.KeyFile go together: set both (the certificate and its key) or neither")
	}
	if s.ACME != nil {
		if s.CertFile != "" || s.TLSConfig != nil {
			bad("Config.ACME obtains the certificates itself: remove Config.CertFile, Config.KeyFile and Config.TLSConfig, or Config.ACME")
		}
		if len(s.ACME.Hosts) == 0 {
			bad("Config.ACME.Hosts is empty: list the host names to get certificates for, such as []string{\"example.com\"}")
		}
		if s.ACME.CacheDir == "" {
			dir, err := os.UserCacheDir()
			if err != nil {
				bad("Config.ACME.CacheDir is empty and there is no user cache directory (%v): set it to a directory that survives restarts", err)
			} else {
				acme := *s.ACME
				acme.CacheDir = filepath.Join(dir, "canter", "acme")
				s.ACME = &acme
			}
		}
	}
	s.tls = s.CertFile != "" || s.TLSConfig != nil || s.ACME != nil

	if s.HTTP3 {
		if !s.tls {
			bad("Config.HTTP3 needs TLS: set Config.CertFile and Config.KeyFile, Config.TLSConfig or Config.ACME")
		}
		if tcpAddrs == 0 && len(s.addrs) > 0 {
			bad("Config.HTTP3 needs a TCP address in Config.Addrs: HTTP/3 runs over UDP on the same host and port")
		}
	}
	if s.RedirectAddr != "" {
		if !s.tls {
			bad("Config.RedirectAddr redirects to HTTPS, which needs TLS: set Config.CertFile and Config.KeyFile, Config.TLSConfig or Config.ACME")
		}
		parsed, err := parseAddress(s.RedirectAddr)
		switch {
		case err != nil:
			bad("Config.RedirectAddr: %v", err)
		case parsed.network != "tcp":
			bad("Config.RedirectAddr %q must be a TCP host:port such as \":80\"", s.RedirectAddr)
		default:
			s.redirect = parsed
		}
		if tcpAddrs == 0 && s.PublicPort == 0 && len(s.addrs) > 0 {
			bad("Config.RedirectAddr needs Config.PublicPort when Config.Addrs has no TCP address to take the HTTPS port from")
		}
	}
	switch s.RedirectStatus {
	case 0:
		s.RedirectStatus = DefaultRedirectStatus
	case http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		bad("Config.RedirectStatus %d is not a redirect status: use 301, 302, 307 or 308", s.RedirectStatus)
	}
	if s.PublicPort < 0 || s.PublicPort > 65535 {
		bad("Config.PublicPort %d is not a port: use 1 to 65535, or 0 for the port of the first address", s.PublicPort)
	}
	if s.FastCGI {
		if s.tls || s.HTTP3 || s.H2C || s.RedirectAddr != "" {
			bad("Config.FastCGI speaks only FastCGI to the web server in front: remove TLS (Config.CertFile, Config.KeyFile, Config.TLSConfig, Config.ACME), Config.HTTP3, Config.H2C and Config.RedirectAddr, and configure them in that web server")
		}
	}
	if s.MaxHeaderBytes < 0 {
		bad("Config.MaxHeaderBytes %d is negative: use 0 for the default of %d bytes", s.MaxHeaderBytes, DefaultMaxHeaderBytes)
	}
	if s.MaxHeaderBytes == 0 {
		s.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if s.ShutdownTimeout < 0 {
		bad("Config.ShutdownTimeout %s is negative: use 0 for the default of %s", s.ShutdownTimeout, DefaultShutdownTimeout)
	}
	if s.ShutdownTimeout == 0 {
		s.ShutdownTimeout = DefaultShutdownTimeout
	}
	s.ReadHeaderTimeout = pick(s.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	s.ReadTimeout = pick(s.ReadTimeout, DefaultReadTimeout)
	s.WriteTimeout = pick(s.WriteTimeout, DefaultWriteTimeout)
	s.IdleTimeout = pick(s.IdleTimeout, DefaultIdleTimeout)
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("server: the configuration has %d problem(s):\n%w", len(problems), errors.Join(problems...))
	}
	return s, nil
}
