package canter

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/checks"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/internal/suggest"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/staticfiles"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// Site is a built, running Canter site: its settings, installed apps, router and gateway.
// Project.Build and App.Site make one; management commands get it as their Context.Site.
type Site struct {
	// Settings are the validated settings.
	Settings *settings.Settings
	// Apps is the registry of installed apps.
	Apps *apps.Registry
	// Router resolves and reverses the site's URLs.
	Router *urls.Router
	// Handler is the gateway: the site as an http.Handler.
	Handler *handler.Handler
	// Logger is the site's logger.
	Logger *slog.Logger
	// Templates are the engines of the TEMPLATES setting, or nil.
	Templates *templates.Engines

	checks    []checks.Check
	mu        sync.Mutex
	closers   []func() error
	store     sessions.Store
	static    *staticfiles.Files
	collected fs.FS
}

// ServeHTTP implements http.Handler.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.Handler.ServeHTTP(w, r) }

// OnClose registers a function that Close runs (a session store's pool, say).
func (s *Site) OnClose(f func() error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closers = append(s.closers, f)
}

// Close releases what the site holds (database pools, …), last opened first.
func (s *Site) Close() error {
	s.mu.Lock()
	closers := s.closers
	s.closers = nil
	s.mu.Unlock()
	var errs []error
	for i := len(closers) - 1; i >= 0; i-- {
		if err := closers[i](); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Check runs the system checks: the built-in ones, those of the installed apps and, with
// deploy, the production checks. When tags are given, only checks carrying one of them run.
// (There is no SILENCED_SYSTEM_CHECKS setting yet: every message is returned.)
func (s *Site) Check(deploy bool, tags ...string) []checks.Message {
	ctx := &checks.Context{Settings: s.Settings, Routes: s.Router.Routes(), Deploy: deploy}
	for _, a := range s.Apps.Apps() {
		ctx.Apps = append(ctx.Apps, a.Label)
	}
	return checks.Run(ctx, s.checks, tags, nil)
}

// spec is what both faces of Canter give to build a Site.
type spec struct {
	settings   *settings.Settings
	catalog    *apps.Catalog
	router     *urls.Router // the App's; nil for a Project
	urls       []urls.Entry // the Project's root URL configuration
	collected  fs.FS        // collected static files embedded in the program
	middleware []web.Middleware
	innermost  web.Middleware
	outer      []func(http.Handler) http.Handler
	errorViews map[int]web.ErrorView
	onError    web.ErrorView
	teardown   []func(*web.Request, error)
	logger     *slog.Logger
	checks     []checks.Check
}

// build assembles a site from a spec whose settings are loaded and validated.
func build(sp spec) (*Site, error) {
	s := sp.settings
	logger := sp.logger
	if logger == nil {
		logger = newLogger(s)
	}
	if testing.Testing() && !slices.Contains(s.AllowedHosts, "testserver") {
		// Django's test runner allows the test client's host the same way; an empty list in
		// debug keeps meaning the local names.
		hosts := slices.Clip(s.AllowedHosts)
		if len(hosts) == 0 && s.Debug {
			hosts = []string{".localhost", "127.0.0.1", "[::1]"}
		}
		s.AllowedHosts = append(hosts, "testserver")
	}
	site := &Site{Settings: s, Logger: logger, collected: sp.collected}
	catalog := sp.catalog
	if catalog == nil {
		catalog = apps.Default()
	}
	reg, err := catalog.Install(s.InstalledApps)
	if err != nil {
		return nil, err
	}
	site.Apps = reg

	router := sp.router
	if router == nil {
		root := sp.urls
		if s.RootURLConf != "" {
			a := reg.App(s.RootURLConf)
			if a == nil {
				return nil, fmt.Errorf("ROOT_URLCONF = %q names no installed app; list it in INSTALLED_APPS or empty ROOT_URLCONF to use the project's URLs", s.RootURLConf)
			}
			root = a.AppConfig().URLs
		}
		if router, err = urls.New(root...); err != nil {
			return nil, err
		}
	}
	site.Router = router

	appSite := &apps.Site{Settings: s, Apps: reg, Logger: logger, OnClose: site.OnClose, Owner: site}
	var mws []web.Middleware
	var problems []string
	for _, name := range s.Middleware {
		factory := builtinMiddleware[name]
		if f := reg.Middleware(name); f != nil {
			factory = f
		}
		if factory == nil {
			problems = append(problems, unknownMiddleware(name, reg))
			continue
		}
		mw, err := factory(appSite)
		if err != nil {
			problems = append(problems, fmt.Sprintf("MIDDLEWARE %q: %v", name, err))
			continue
		}
		mws = append(mws, mw)
	}
	if len(problems) > 0 {
		site.Close()
		return nil, fmt.Errorf("canter: %s", strings.Join(problems, "\n\t"))
	}
	engines, err := buildTemplates(site)
	if err != nil {
		site.Close()
		return nil, err
	}
	if engines != nil {
		// Outermost, so that every layer and every error view can render templates.
		mws = append([]web.Middleware{engines}, mws...)
		site.Templates = engines
	}
	mws = append(mws, sp.middleware...)
	if sp.innermost != nil {
		mws = append(mws, sp.innermost)
	}

	outer := sp.outer
	if reg.IsInstalled("staticfiles") {
		files, err := site.StaticFiles()
		if err != nil {
			site.Close()
			return nil, err
		}
		staticfiles.SetDefault(files)
		if s.Debug {
			// As Django's runserver does, serve static files in development.
			outer = append([]func(http.Handler) http.Handler{files.Wrap}, outer...)
		}
	}

	proxies, err := parseProxies(s.TrustedProxies)
	if err != nil {
		site.Close()
		return nil, err
	}
	site.Handler = handler.New(handler.Config{
		Site: web.Site{
			Limits: web.Limits{
				MaxMemorySize:   s.DataUploadMaxMemorySize,
				MaxNumberFields: s.DataUploadMaxNumberFields,
				MaxNumberFiles:  s.DataUploadMaxNumberFiles,
				FileMemorySize:  s.FileUploadMaxMemorySize,
			},
			Resolver:          router,
			Debug:             s.Debug,
			AllowedHosts:      s.AllowedHosts,
			UseXForwardedHost: s.UseXForwardedHost,
			UseXForwardedPort: s.UseXForwardedPort,
			TrustedProxies:    proxies,
			SecureProxyHeader: s.SecureProxySSLHeader,
		},
		Middleware:   mws,
		Outer:        outer,
		ErrorViews:   sp.errorViews,
		ErrorHandler: sp.onError,
		Teardown:     sp.teardown,
		Logger:       logger,
		AccessLog:    s.Debug,
		Settings:     s,
	})
	site.checks = append(append(builtinChecks(), reg.Checks()...), sp.checks...)
	return site, nil
}

func parseProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range list {
		if pre, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pre.Masked())
			continue
		}
		addr, err := netip.ParseAddr(p)
		if err != nil {
			return nil, fmt.Errorf("TRUSTED_PROXIES: %q is not an IP address or CIDR range", p)
		}
		out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return out, nil
}

// unknownMiddleware says that name is no middleware, listing the built-in ones and those of
// the installed apps, with the nearest name.
func unknownMiddleware(name string, reg *apps.Registry) string {
	known := make([]string, 0, len(builtinMiddleware))
	for n := range builtinMiddleware {
		known = append(known, n)
	}
	sort.Strings(known)
	msg := fmt.Sprintf("MIDDLEWARE lists %q, which is not a registered middleware; the built-in ones are %s",
		name, strings.Join(known, ", "))
	all := known
	for _, a := range reg.Apps() {
		var own []string
		for n := range a.Middleware {
			own = append(own, n)
		}
		if len(own) > 0 {
			sort.Strings(own)
			msg += fmt.Sprintf("; app %s adds %s", a.Label, strings.Join(own, ", "))
			all = append(all, own...)
		}
	}
	if len(all) == len(known) {
		msg += " (installed apps may add more)"
	}
	if near := suggest.Closest(name, all, 2); near != "" {
		msg += fmt.Sprintf("; did you mean %q?", near)
	}
	return msg
}

// newLogger makes the site's logger from LOGGING_LEVEL and LOG_FORMAT.
func newLogger(s *settings.Settings) *slog.Logger {
	opts := &slog.HandlerOptions{Level: s.LogLevel()}
	if s.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// randomKey makes a secret key for a process that was given none.
func randomKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "canter-ephemeral-" + hex.EncodeToString(b)
}
