package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/fcgi"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/quic-go/quic-go/http3"
	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// Server serves one http.Handler on the listeners a Config describes. Make one with New, bind
// its listeners with Start, and stop it with Shutdown (graceful) or Close (at once); Serve does
// all of that around a context. A Server is used once: it cannot be started again after a stop.
type Server struct {
	set     *settings
	handler http.Handler
	tls     *tls.Config       // nil when serving plain HTTP
	acme    *autocert.Manager // nil without Config.ACME

	stopping atomic.Bool
	inflight atomic.Int64 // requests in FastCGI and HTTP/3 handlers, which net/http does not track

	mu        sync.Mutex
	started   bool
	stopped   bool // a Shutdown or Close has finished
	forced    bool
	listeners []net.Listener
	redirect  net.Listener
	udp       []net.PacketConn
	web       *http.Server
	redirects *http.Server
	h3        *http3.Server
	failures  chan error
	serving   sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

// errStoppedAtOnce is what a graceful stop returns when Close cut it short.
var errStoppedAtOnce = errors.New("server: stopped at once on request; requests in flight were cut off")

// New checks cfg, reads its certificate files and returns a Server that is not listening yet.
// The error lists every problem of the configuration at once.
func New(handler http.Handler, cfg Config) (*Server, error) {
	if handler == nil {
		return nil, errors.New("server: New needs a handler to serve, got nil")
	}
	set, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{set: set, handler: handler}
	if set.tls {
		if err := s.setupTLS(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// setupTLS builds the TLS configuration: from the ACME manager, Config.TLSConfig or the
// certificate files, with TLS 1.2 as the floor and Go's defaults for the rest.
func (s *Server) setupTLS() error {
	set := s.set
	var conf *tls.Config
	switch {
	case set.ACME != nil:
		m := &autocert.Manager{
			Prompt:     autocert.AcceptTOS,
			Cache:      autocert.DirCache(set.ACME.CacheDir),
			HostPolicy: autocert.HostWhitelist(set.ACME.Hosts...),
			Email:      set.ACME.Email,
		}
		if set.ACME.DirectoryURL != "" {
			m.Client = &acme.Client{DirectoryURL: set.ACME.DirectoryURL}
		}
		s.acme = m
		conf = m.TLSConfig() // offers acme-tls/1 for the TLS-ALPN-01 challenge
	case set.TLSConfig != nil:
		conf = set.TLSConfig.Clone()
	default:
		conf = &tls.Config{}
	}
	if set.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(set.CertFile, set.KeyFile)
		if err != nil {
			return fmt.Errorf("server: cannot load the certificate %s and key %s (PEM files, the key matching the certificate): %w", set.CertFile, set.KeyFile, err)
		}
		conf.Certificates = append(conf.Certificates, cert)
	}
	if len(conf.Certificates) == 0 && conf.GetCertificate == nil && conf.GetConfigForClient == nil {
		return errors.New("server: Config.TLSConfig has no certificate: set its Certificates or GetCertificate, or set Config.CertFile and Config.KeyFile")
	}
	if conf.MinVersion == 0 {
		conf.MinVersion = tls.VersionTLS12
	}
	s.tls = conf
	return nil
}

// Start binds every listener and starts serving in the background; it returns once the server
// accepts connections, or the first error binding an address (nothing stays bound then).
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("server: Start was called on a server that was already started or stopped; make a new one with New")
	}
	s.started = true
	if err := s.listen(); err != nil {
		for _, ln := range s.listeners {
			ln.Close()
		}
		if s.redirect != nil {
			s.redirect.Close()
		}
		for _, pc := range s.udp {
			pc.Close()
		}
		s.listeners, s.redirect, s.udp = nil, nil, nil
		return err
	}
	s.serve()
	return nil
}

// listen binds the sockets of every address; HTTP/3 takes the UDP port of each TCP address.
func (s *Server) listen() error {
	for _, a := range s.set.addrs {
		var (
			ln  net.Listener
			pc  net.PacketConn
			err error
		)
		switch {
		case a.network == "unix":
			ln, err = listenUnix(a.addr, s.set.SocketMode)
		case s.set.HTTP3:
			ln, pc, err = listenTCPAndUDP(a.addr)
		default:
			ln, err = net.Listen("tcp", a.addr)
		}
		if err != nil {
			return fmt.Errorf("server: cannot listen on %s: %w", a, err)
		}
		s.listeners = append(s.listeners, ln)
		if pc != nil {
			s.udp = append(s.udp, pc)
		}
	}
	if s.set.RedirectAddr != "" {
		ln, err := net.Listen("tcp", s.set.redirect.addr)
		if err != nil {
			return fmt.Errorf("server: cannot listen for HTTP to HTTPS redirects on %s: %w", s.set.redirect, err)
		}
		s.redirect = ln
	}
	return nil
}

// listenTCPAndUDP binds TCP and UDP on the same host and port. When the port is chosen by the
// system (port 0) and the UDP twin is taken, it tries again with another port.
func listenTCPAndUDP(addr string) (net.Listener, net.PacketConn, error) {
	_, port, _ := net.SplitHostPort(addr)
	for try := 0; ; try++ {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, nil, err
		}
		bound := ln.Addr().(*net.TCPAddr)
		pc, err := net.ListenUDP("udp", &net.UDPAddr{IP: bound.IP, Port: bound.Port, Zone: bound.Zone})
		if err == nil {
			return ln, pc, nil
		}
		ln.Close()
		if port != "0" || try == 8 {
			return nil, nil, fmt.Errorf("HTTP/3 needs UDP port %d too: %w", bound.Port, err)
		}
	}
}

// serve starts one goroutine per listener. It runs with s.mu held.
func (s *Server) serve() {
	set := s.set
	s.failures = make(chan error, len(s.listeners)+len(s.udp)+1)
	errorLog := log.New(errorLogWriter{set.Logger}, "", 0)

	if set.FastCGI {
		h := tracked{s: s, next: s.handler}
		for _, ln := range s.listeners {
			s.logListening(ln, "fastcgi")
			s.goServe(func() error { return fcgi.Serve(ln, h) })
		}
		return
	}

	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	if !set.DisableHTTP2 {
		protocols.SetHTTP2(true)
	}
	if set.H2C {
		protocols.SetUnencryptedHTTP2(true)
	}
	handler := s.handler
	if set.HTTP3 {
		handler = altSvc{value: []string{`h3=":` + strconv.Itoa(s.altSvcPort()) + `"; ma=2592000`}, next: handler}
	}
	var webTLS *tls.Config
	if s.tls != nil {
		webTLS = s.tls.Clone() // net/http adds its protocols to it; HTTP/3 gets its own copy
	}
	s.web = &http.Server{
		Handler:           handler,
		TLSConfig:         webTLS,
		Protocols:         protocols,
		ReadHeaderTimeout: set.ReadHeaderTimeout,
		ReadTimeout:       set.ReadTimeout,
		WriteTimeout:      set.WriteTimeout,
		IdleTimeout:       set.IdleTimeout,
		MaxHeaderBytes:    set.MaxHeaderBytes,
		ErrorLog:          errorLog,
	}
	names := protocolNames(set, protocols)
	for _, ln := range s.listeners {
		s.logListening(ln, names)
		if webTLS != nil {
			s.goServe(func() error { return s.web.ServeTLS(ln, "", "") })
		} else {
			s.goServe(func() error { return s.web.Serve(ln) })
		}
	}

	if set.HTTP3 {
		s.h3 = &http3.Server{
			Handler:        tracked{s: s, next: deadlines{read: set.ReadTimeout, write: set.WriteTimeout, next: s.handler}},
			TLSConfig:      s.tls.Clone(),
			QUICConfig:     &quic.Config{Allow0RTT: false},
			MaxHeaderBytes: set.MaxHeaderBytes,
			IdleTimeout:    set.IdleTimeout,
			Logger:         set.Logger,
		}
		for _, pc := range s.udp {
			set.Logger.Info("listening", "addr", "udp:"+pc.LocalAddr().String(), "protocols", "h3")
			s.goServe(func() error { return s.h3.Serve(pc) })
		}
	}

	if s.redirect != nil {
		port := ""
		if p := s.httpsPort(); p != 443 {
			port = strconv.Itoa(p)
		}
		var redirect http.Handler = redirectHandler{status: set.RedirectStatus, port: port}
		if s.acme != nil {
			redirect = s.acme.HTTPHandler(redirect) // answers HTTP-01 challenges, redirects the rest
		}
		s.redirects = &http.Server{
			Handler:           redirect,
			ReadHeaderTimeout: set.ReadHeaderTimeout,
			ReadTimeout:       set.ReadTimeout,
			WriteTimeout:      set.WriteTimeout,
			IdleTimeout:       set.IdleTimeout,
			MaxHeaderBytes:    set.MaxHeaderBytes,
			ErrorLog:          errorLog,
		}
		ln := s.redirect
		set.Logger.Info("listening", "addr", ln.Addr().String(), "protocols", "http/1.1", "redirects to", "https")
		s.goServe(func() error { return s.redirects.Serve(ln) })
	}
}

func protocolNames(set *settings, p *http.Protocols) string {
	var names []string
	if set.tls {
		names = append(names, "https")
		if p.HTTP2() {
			names = append(names, "h2")
		}
	} else {
		names = append(names, "http")
		if p.UnencryptedHTTP2() {
			names = append(names, "h2c")
		}
	}
	names = append(names, "http/1.1")
	return strings.Join(names, " ")
}

func (s *Server) logListening(ln net.Listener, protocols string) {
	addr := ln.Addr()
	where := addr.String()
	if addr.Network() == "unix" {
		where = "unix:" + where
	}
	s.set.Logger.Info("listening", "addr", where, "protocols", protocols)
}

// goServe runs one serving loop and reports how it ended, unless a stop ended it.
func (s *Server) goServe(loop func() error) {
	s.serving.Add(1)
	go func() {
		defer s.serving.Done()
		err := loop()
		if err == nil || s.stopping.Load() || errors.Is(err, http.ErrServerClosed) || errors.Is(err, net.ErrClosed) || errors.Is(err, quic.ErrServerClosed) {
			return
		}
		select {
		case s.failures <- err:
		default:
		}
	}()
}

// httpsPort is the port clients reach HTTPS on: Config.PublicPort or the first TCP port bound.
func (s *Server) httpsPort() int {
	if s.set.PublicPort != 0 {
		return s.set.PublicPort
	}
	for _, ln := range s.listeners {
		if a, ok := ln.Addr().(*net.TCPAddr); ok {
			return a.Port
		}
	}
	return 443
}

// altSvcPort is the UDP port announced for HTTP/3.
func (s *Server) altSvcPort() int {
	if s.set.PublicPort != 0 {
		return s.set.PublicPort
	}
	if len(s.udp) > 0 {
		return s.udp[0].LocalAddr().(*net.UDPAddr).Port
	}
	return 443
}

// Addrs returns the bound address of each entry of Config.Addrs, in order (with the port the
// system chose for port 0), or nil before Start.
func (s *Server) Addrs() []net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	addrs := make([]net.Addr, 0, len(s.listeners))
	for _, ln := range s.listeners {
		addrs = append(addrs, ln.Addr())
	}
	if len(addrs) == 0 {
		return nil
	}
	return addrs
}

// RedirectAddr returns the bound address of Config.RedirectAddr, or nil when there is none or
// before Start.
func (s *Server) RedirectAddr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.redirect == nil {
		return nil
	}
	return s.redirect.Addr()
}

// Serve starts the server if Start was not called yet, serves until ctx is cancelled (wire
// SIGTERM to it, as ListenAndServe does) or a listener fails, and then stops gracefully within
// Config.ShutdownTimeout: see Shutdown. It returns nil after a clean drain.
func (s *Server) Serve(ctx context.Context) error {
	s.mu.Lock()
	started := s.started
	s.mu.Unlock()
	if !started {
		if err := s.Start(); err != nil {
			return err
		}
	}
	var failure error
	select {
	case <-ctx.Done():
	case failure = <-s.failures:
		failure = fmt.Errorf("server: stopped serving: %w", failure)
		s.set.Logger.Error("a listener failed; stopping", "error", failure)
	}
	drain, cancel := context.WithTimeout(context.Background(), s.set.ShutdownTimeout)
	defer cancel()
	return errors.Join(failure, s.Shutdown(drain))
}

// Shutdown stops gracefully: the listeners close at once (new connections are refused), idle
// connections close, HTTP/2 and HTTP/3 clients get GOAWAY, and requests in flight run to
// their end or until ctx is done, when their connections are cut. Then Config.Closers are
// closed, last first. It returns nil when every request finished in time, and an error that
// says what was cut off otherwise. Hijacked connections (WebSockets) are not waited for.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.started = true // a stopped server cannot be started
	s.stopping.Store(true)
	web, redirects, h3, listeners := s.web, s.redirects, s.h3, s.listeners
	s.mu.Unlock()

	if deadline, ok := ctx.Deadline(); ok {
		s.set.Logger.Info("stopping: refusing new connections, finishing requests in flight", "within", time.Until(deadline).Round(time.Millisecond))
	} else {
		s.set.Logger.Info("stopping: refusing new connections, finishing requests in flight")
	}
	var (
		wg   sync.WaitGroup
		errs = make([]error, 4)
	)
	if web != nil {
		wg.Go(func() { errs[0] = web.Shutdown(ctx) })
	}
	if redirects != nil {
		wg.Go(func() { errs[1] = redirects.Shutdown(ctx) })
	}
	if h3 != nil {
		wg.Go(func() { errs[2] = s.shutdownHTTP3(ctx, h3) })
	}
	if s.set.FastCGI {
		for _, ln := range listeners {
			ln.Close()
		}
		wg.Go(func() { errs[3] = s.waitIdle(ctx) })
	}
	wg.Wait()

	var err error
	if ctx.Err() != nil || errors.Join(errs...) != nil {
		err = fmt.Errorf("server: requests still running after the drain time were cut off (raise Config.ShutdownTimeout if they are legitimate): %w", errors.Join(append(errs, ctx.Err())...))
		s.set.Logger.Warn("drain time is over, cutting connections")
		s.closeServers()
	}
	s.mu.Lock()
	forced := s.forced
	s.stopped = true
	s.mu.Unlock()
	if forced {
		err = errStoppedAtOnce
	}
	s.releaseSockets()
	s.serving.Wait()
	if closeErr := s.runClosers(); closeErr != nil {
		err = errors.Join(err, closeErr)
	}
	if err == nil {
		s.set.Logger.Info("stopped: every request finished")
	}
	return err
}

// shutdownHTTP3 stops HTTP/3 gracefully. quic-go waits for clients to close their connections
// after GOAWAY, which idle clients may never do; so once no HTTP/3 request is left running, this
// waits h3Linger more — a handler that returned has only queued its last bytes, and closing the
// connection at once would cut them off — and then closes what is left.
func (s *Server) shutdownHTTP3(ctx context.Context, h3 *http3.Server) error {
	done := make(chan error, 1)
	go func() { done <- h3.Shutdown(ctx) }()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var idleSince time.Time
	for {
		select {
		case err := <-done:
			return err
		case now := <-tick.C:
			if s.inflight.Load() != 0 {
				idleSince = time.Time{}
				continue
			}
			if idleSince.IsZero() {
				idleSince = now
			}
			if now.Sub(idleSince) < h3Linger {
				continue
			}
			h3.Close()
			err := <-done
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return ctx.Err()
			}
			return nil
		}
	}
}

// h3Linger is how long a stopping server keeps idle HTTP/3 connections open so that the last
// responses reach their clients.
const h3Linger = 500 * time.Millisecond

// waitIdle waits until no tracked request runs, or ctx is done.
func (s *Server) waitIdle(ctx context.Context) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for s.inflight.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// Close stops at once: listeners and connections close, requests in flight are cut off, and
// Config.Closers are closed. A Shutdown running meanwhile returns an error saying so.
func (s *Server) Close() error {
	s.mu.Lock()
	stopped := s.stopped
	s.started = true
	s.stopped = true
	s.forced = !stopped
	s.stopping.Store(true)
	s.mu.Unlock()
	if !stopped {
		s.set.Logger.Warn("stopping at once, cutting requests in flight")
	}
	err := s.closeServers()
	s.releaseSockets()
	return errors.Join(err, s.runClosers())
}

// closeServers cuts every connection.
func (s *Server) closeServers() error {
	s.mu.Lock()
	web, redirects, h3, listeners := s.web, s.redirects, s.h3, s.listeners
	s.mu.Unlock()
	var errs []error
	if web != nil {
		errs = append(errs, web.Close())
	}
	if redirects != nil {
		errs = append(errs, redirects.Close())
	}
	if h3 != nil {
		errs = append(errs, h3.Close())
	}
	if s.set.FastCGI {
		for _, ln := range listeners {
			if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// releaseSockets closes the UDP sockets, which quic-go leaves to their owner.
func (s *Server) releaseSockets() {
	s.mu.Lock()
	udp := s.udp
	s.mu.Unlock()
	for _, pc := range udp {
		pc.Close()
	}
}

// runClosers closes Config.Closers once, last first.
func (s *Server) runClosers() error {
	s.closeOnce.Do(func() {
		var errs []error
		for i := len(s.set.Closers) - 1; i >= 0; i-- {
			if err := s.set.Closers[i].Close(); err != nil {
				errs = append(errs, fmt.Errorf("server: closing Config.Closers[%d]: %w", i, err))
			}
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// Run serves handler as cfg says until ctx is cancelled, then stops gracefully within
// cfg.ShutdownTimeout and closes cfg.Closers. It returns nil after a clean drain, and an error
// when it cannot listen, when a listener fails, or when requests had to be cut off.
//
// The caller wires the signals: see ListenAndServe for a version that does.
func Run(ctx context.Context, handler http.Handler, cfg Config) error {
	s, err := New(handler, cfg)
	if err != nil {
		return err
	}
	return s.Serve(ctx)
}

// ListenAndServe serves handler as cfg says until the process receives SIGINT or SIGTERM. The
// first signal stops gracefully (no new connections, requests in flight finish within
// cfg.ShutdownTimeout, then cfg.Closers are closed); a second one stops at once. It returns nil
// after a clean drain, so that the caller can exit 0, and an error otherwise.
func ListenAndServe(handler http.Handler, cfg Config) error {
	s, err := New(handler, cfg)
	if err != nil {
		return err
	}
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	if err := s.Start(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case sig := <-signals:
			s.set.Logger.Info("signal received: stopping gracefully; send it again to stop at once", "signal", sig.String())
			cancel()
		case <-done:
			return
		}
		select {
		case <-signals:
			s.Close()
		case <-done:
		}
	}()
	return s.Serve(ctx)
}

// tracked counts requests that net/http does not track (FastCGI, HTTP/3), so that a stop can
// wait for them, and refuses new ones once the server is stopping.
type tracked struct {
	s    *Server
	next http.Handler
}

func (t tracked) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t.s.inflight.Add(1)
	defer t.s.inflight.Add(-1)
	if t.s.stopping.Load() && t.s.set.FastCGI {
		// A web server keeps its FastCGI connections open: refuse work that arrives on them
		// during the drain, so that the drain ends.
		w.Header().Set("Retry-After", "1")
		http.Error(w, "503 Service Unavailable: the server is restarting", http.StatusServiceUnavailable)
		return
	}
	t.next.ServeHTTP(w, r)
}

// deadlines applies ReadTimeout and WriteTimeout to HTTP/3 requests, which http3.Server does not
// do: without them a client that keeps its QUIC connection alive could hold a request (and its
// goroutine) open for ever by sending its body, or reading the answer, slowly. The deadlines run
// from the start of the handler, close to where net/http starts them; a handler that needs
// longer extends them with http.NewResponseController, as over TCP. A negative timeout means no
// limit.
type deadlines struct {
	read, write time.Duration
	next        http.Handler
}

func (d deadlines) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	now := time.Now()
	if d.read > 0 {
		_ = rc.SetReadDeadline(now.Add(d.read))
	}
	if d.write > 0 {
		_ = rc.SetWriteDeadline(now.Add(d.write))
	}
	d.next.ServeHTTP(w, r)
}

// errorLogWriter sends net/http's log lines to slog: a client's misbehaviour (failed TLS
// handshakes from scanners and old clients, HTTP/2 protocol errors, a client's GOAWAY) at
// Debug, the rest at Warn.
type errorLogWriter struct{ logger *slog.Logger }

func (w errorLogWriter) Write(p []byte) (int, error) {
	msg := strings.TrimSuffix(string(p), "\n")
	level := slog.LevelWarn
	if clientFault(msg) {
		level = slog.LevelDebug
	}
	w.logger.Log(context.Background(), level, msg)
	return len(p), nil
}

func clientFault(msg string) bool {
	return strings.Contains(msg, "TLS handshake error") ||
		strings.HasPrefix(msg, "http2: server connection error from") ||
		strings.HasPrefix(msg, "http2: server: error reading preface") ||
		strings.HasPrefix(msg, "http2: received GOAWAY")
}
