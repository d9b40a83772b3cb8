package canter

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/management"
	"github.com/canter-go/canter/settings"

	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// App is the Flask-style face of Canter: routes, blueprints, request hooks and error handlers
// in one value, served by the same gateway, router and middleware as a Django-style project.
//
// Register everything before the first request; App panics on a conflicting route at
// registration, as net/http's ServeMux does, so mistakes surface at start-up.
type App struct {
	// Settings configure the app, as a project's settings.toml does: Debug, SecretKey,
	// AllowedHosts, Middleware, sessions, CSRF, …. New fills them with Canter's defaults for
	// small services and the CANTER_* environment variables; change them before the first
	// request. LoadSettingsFile reads a settings file.
	Settings *settings.Settings
	// Logger receives the app's logs; nil means one made from the settings.
	Logger *slog.Logger

	scope
	router     *urls.Router
	roots      []*Blueprint
	middleware []web.Middleware
	outer      []func(http.Handler) http.Handler
	errorViews map[int]web.ErrorView
	envErr     error
	ephemeral  string
	handler    *handler.Handler

	once    sync.Once
	site    *Site
	siteErr error
	built   bool
	mu      sync.Mutex
}

// New returns an empty app with Canter's defaults for small services — Django's defaults, but
// sessions in a signed cookie (no database), the local host names allowed, and a random
// SECRET_KEY for this process when none is given — then the CANTER_* environment variables
// (CANTER_DEBUG=true, CANTER_SECRET_KEY=…) over them.
func New() *App {
	a := &App{router: urls.NewRouter()}
	a.scope.app = a
	defaults := AppDefaults()
	a.ephemeral = randomKey()
	defaults.SecretKey = a.ephemeral
	s, err := settings.Load(settings.Options{NoFile: true, Env: os.Environ(), Defaults: defaults})
	if err != nil {
		a.envErr = err
		s = defaults
	}
	a.Settings = s
	return a
}

// AppDefaults returns the settings an App starts from: Django's defaults with signed-cookie
// sessions, the local host names allowed, and html/template templates in ./templates.
func AppDefaults() *settings.Settings {
	s := settings.Defaults()
	s.SessionEngine = settings.SessionSignedCookies
	s.AllowedHosts = []string{".localhost", "127.0.0.1", "[::1]"}
	// Flask's convention: templates in a "templates" folder beside the program.
	s.Templates = []settings.Template{{Backend: settings.TemplatesHTML, Dirs: []string{"templates"}}}
	return s
}

// LoadSettingsFile reads settings from a TOML file (Django's names), then the environment,
// over the app's current settings.
func (a *App) LoadSettingsFile(path string) error {
	s, err := settings.Load(settings.Options{File: path, Env: os.Environ(), Defaults: a.Settings})
	if err != nil {
		return err
	}
	a.Settings = s
	return nil
}

// scope holds what an app and a blueprint share: routes and hooks.
type scope struct {
	app       *App
	bp        *Blueprint // nil for the app itself
	before    []func(r *web.Request) (*web.Response, error)
	after     []func(r *web.Request, resp *web.Response) (*web.Response, error)
	teardown  []func(r *web.Request, err error)
	byStatus  map[int]web.ErrorView
	byError   []errorHandler
	entries   []urls.Entry
	converter map[string]web.Converter
}

type errorHandler struct {
	match func(error) bool
	view  web.ErrorView
}

// Get registers a view for GET (and HEAD) requests to pattern, in Django's and Flask's syntax:
// "/items/<int:id>/". Options name the route (urls.Name) or attach values. A named function
// view is named after the function ("index" for func index), as Flask names endpoints.
func (s *scope) Get(pattern string, view web.View, opts ...urls.Option) {
	s.Route(pattern, view, append(opts, urls.Methods(http.MethodGet))...)
}

// Post registers a view for POST requests.
func (s *scope) Post(pattern string, view web.View, opts ...urls.Option) {
	s.Route(pattern, view, append(opts, urls.Methods(http.MethodPost))...)
}

// Put registers a view for PUT requests.
func (s *scope) Put(pattern string, view web.View, opts ...urls.Option) {
	s.Route(pattern, view, append(opts, urls.Methods(http.MethodPut))...)
}

// Patch registers a view for PATCH requests.
func (s *scope) Patch(pattern string, view web.View, opts ...urls.Option) {
	s.Route(pattern, view, append(opts, urls.Methods(http.MethodPatch))...)
}

// Delete registers a view for DELETE requests.
func (s *scope) Delete(pattern string, view web.View, opts ...urls.Option) {
	s.Route(pattern, view, append(opts, urls.Methods(http.MethodDelete))...)
}

// Handle registers a net/http handler for every method of pattern; it reads path parameters
// with r.PathValue.
func (s *scope) Handle(pattern string, h http.Handler, opts ...urls.Option) {
	s.Route(pattern, web.Handler(h), opts...)
}

// Route registers a view for pattern; without urls.Methods it answers every method.
func (s *scope) Route(pattern string, view web.View, opts ...urls.Option) {
	if name := endpointName(view); name != "" {
		opts = append([]urls.Option{urls.Name(name)}, opts...)
	}
	if s.bp != nil {
		opts = append(opts, urls.Extra(s.bp))
	}
	e := urls.Path(pattern, view, opts...)
	if s.bp != nil {
		if s.bp.registered {
			panic(fmt.Sprintf("canter: route %q added to blueprint %q after it was registered; add routes before Register", pattern, s.bp.name))
		}
		s.entries = append(s.entries, e)
		return
	}
	s.app.addEntries(e)
}

// BeforeRequest adds a hook that runs before the view (after URL matching). A non-nil response
// answers the request instead of the view and stops the later hooks; an error is answered by
// the error handlers. App hooks run first, then the blueprint's.
func (s *scope) BeforeRequest(f func(r *web.Request) (*web.Response, error)) {
	s.checkOpen("BeforeRequest")
	s.before = append(s.before, f)
}

// AfterRequest adds a hook that may change or replace the response, also after an error was
// turned into a response. Hooks run in reverse registration order, the blueprint's before the
// app's, as in Flask.
func (s *scope) AfterRequest(f func(r *web.Request, resp *web.Response) (*web.Response, error)) {
	s.checkOpen("AfterRequest")
	s.after = append(s.after, f)
}

// TeardownRequest adds a function that runs after the response is written, even when the
// request failed; it receives the request's first error (or nil).
func (s *scope) TeardownRequest(f func(r *web.Request, err error)) {
	s.checkOpen("TeardownRequest")
	s.teardown = append(s.teardown, f)
}

// ErrorHandler registers a view for failures: key is a status code (404, 500, …), an error
// value matched with errors.Is, or a func(error) bool. A blueprint's handlers apply to its
// routes and win over the app's. For an HTTP error (a *web.Error) the handlers by status come
// first; any other error goes first to the handlers by error and then, as in Flask, to those
// for 500.
func (s *scope) ErrorHandler(key any, view web.ErrorView) {
	s.checkOpen("ErrorHandler")
	switch k := key.(type) {
	case int:
		if http.StatusText(k) == "" || k < 400 {
			panic(fmt.Sprintf("canter: ErrorHandler(%d): not an HTTP error status", k))
		}
		if s.byStatus == nil {
			s.byStatus = map[int]web.ErrorView{}
		}
		s.byStatus[k] = view
	case func(error) bool:
		s.byError = append(s.byError, errorHandler{k, view})
	case error:
		s.byError = append(s.byError, errorHandler{func(err error) bool { return errors.Is(err, k) }, view})
	default:
		panic(fmt.Sprintf("canter: ErrorHandler key must be a status code, an error or a func(error) bool, not %T", key))
	}
}

func (s *scope) checkOpen(what string) {
	if s.bp != nil && s.bp.registered {
		panic(fmt.Sprintf("canter: %s on blueprint %q after it was registered; set it up before Register", what, s.bp.name))
	}
	if s.bp == nil && s.app.built {
		panic(fmt.Sprintf("canter: %s after the app started serving; set it up before the first request", what))
	}
}

// endpointName returns the short name of a named function ("index" for main.index), or "" for
// closures and wrapped views.
func endpointName(view web.View) string {
	v := reflect.ValueOf(view)
	if !v.IsValid() || v.IsNil() {
		return ""
	}
	full := runtimeFuncName(v.Pointer())
	full = strings.TrimSuffix(full, "-fm")
	i := strings.LastIndexByte(full, '.')
	name := full[i+1:]
	if name == "" || strings.HasPrefix(name, "func") && strings.Trim(name[4:], "0123456789") == "" {
		return ""
	}
	return name
}

func (a *App) addEntries(entries ...urls.Entry) {
	if a.built {
		panic("canter: routes added after the app started serving; register every route before the first request")
	}
	if err := a.router.Add(entries...); err != nil {
		panic("canter: " + err.Error())
	}
}

// Use appends middleware to the onion (outermost first, like Django's MIDDLEWARE).
func (a *App) Use(mw ...web.Middleware) {
	a.checkOpen("Use")
	a.middleware = append(a.middleware, mw...)
}

// UseHTTP appends net/http middleware to the onion; see web.FromHTTP.
func (a *App) UseHTTP(mw func(http.Handler) http.Handler) { a.Use(web.FromHTTP(mw)) }

// Wrap puts net/http middleware around the whole site, outside the onion (the first Wrap is
// outermost).
func (a *App) Wrap(mw func(http.Handler) http.Handler) {
	a.checkOpen("Wrap")
	a.outer = append(a.outer, mw)
}

// RegisterConverter adds a custom path converter for routes registered afterwards.
func (a *App) RegisterConverter(name string, c web.Converter) {
	if err := a.router.RegisterConverter(name, c); err != nil {
		panic("canter: " + err.Error())
	}
}

// Include mounts Django-style URL entries (urls.Path, urls.RePath, urls.Include) in the app.
func (a *App) Include(entries ...urls.Entry) { a.addEntries(entries...) }

// Router returns the app's router, for listings and reversing outside a request.
func (a *App) Router() *urls.Router { return a.router }

// URLFor builds the path of a named route from pairs of parameter names and values, as Flask's
// url_for: app.URLFor("item", "id", 5). Values that are not parameters of the route become the
// query string. Routes of a blueprint are named "blueprint:name".
func (a *App) URLFor(name string, pairs ...any) (string, error) {
	if len(pairs)%2 != 0 {
		return "", fmt.Errorf("canter: URLFor(%q) needs name/value pairs, got %d values", name, len(pairs))
	}
	values := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return "", fmt.Errorf("canter: URLFor(%q): parameter name %v is not a string", name, pairs[i])
		}
		values[k] = pairs[i+1]
	}
	return a.router.URLFor(name, values)
}

// ServeHTTP implements http.Handler; the first call freezes the app's configuration. When
// the configuration is invalid, every request is answered with 500 and the problems are
// logged.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	site, err := a.Site()
	if err != nil {
		http.Error(w, "Server Error (500): the app is misconfigured; see the log", http.StatusInternalServerError)
		return
	}
	site.Handler.ServeHTTP(w, r)
}

// Handler returns the app's gateway, building the site on the first call. It panics when the
// configuration is invalid; Site returns the error instead.
func (a *App) Handler() *handler.Handler {
	site, err := a.Site()
	if err != nil {
		panic(err)
	}
	return site.Handler
}

// Site builds the app's site on the first call (validating the settings, building the
// middleware) and returns it; later calls return the same site or error.
func (a *App) Site() (*Site, error) {
	a.once.Do(func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.built = true
		func() {
			defer func() {
				if p := recover(); p != nil {
					a.site, a.siteErr = nil, fmt.Errorf("canter: building the app panicked: %v", p)
				}
			}()
			a.site, a.siteErr = a.assemble()
		}()
		if a.siteErr != nil {
			logger := a.Logger
			if logger == nil {
				logger = slog.Default()
			}
			logger.Error("the app cannot start", "error", a.siteErr)
		}
	})
	return a.site, a.siteErr
}

func (a *App) buildSite() (*Site, error) { return a.Site() }

func (a *App) assemble() (*Site, error) {
	if a.envErr != nil {
		return nil, a.envErr
	}
	if err := a.Settings.Validate(); err != nil {
		return nil, err
	}
	sp := spec{
		settings:   a.Settings,
		catalog:    &apps.Catalog{},
		router:     a.router,
		middleware: a.middleware,
		outer:      a.outer,
		errorViews: a.errorViews,
		onError:    a.handleError,
		logger:     a.Logger,
	}
	// Hooks are frozen from here on (adding one panics), so an app without them pays
	// nothing for them per request: no layer in the onion, no teardown call.
	if a.hasRequestHooks() {
		sp.innermost = web.MiddlewareFunc(a.hooks)
	}
	if a.hasTeardown() {
		sp.teardown = []func(*web.Request, error){a.runTeardown}
	}
	site, err := build(sp)
	if err != nil {
		return nil, err
	}
	if a.Settings.SecretKey == a.ephemeral {
		site.Logger.Warn("SECRET_KEY is not set: using a random key for this process, so sessions and CSRF tokens do not survive a restart; set CANTER_SECRET_KEY")
	}
	a.handler = site.Handler
	return site, nil
}

func (a *App) programName() string                { return filepath.Base(os.Args[0]) }
func (a *App) settingsSource() string             { return "the app's code and CANTER_* variables" }
func (a *App) ownCommands() []*management.Command { return nil }

// blueprintsOf returns the blueprints of the matched route, innermost first.
func blueprintsOf(r *web.Request) []*Blueprint {
	m := r.Match()
	if m == nil {
		return nil
	}
	bp, _ := m.Extra.(*Blueprint)
	var out []*Blueprint
	for ; bp != nil; bp = bp.parent {
		out = append(out, bp)
	}
	return out
}

// hooks is the innermost layer of the onion: Flask's request dispatch with before_request and
// after_request around the view.
func (a *App) hooks(next web.View) web.View {
	if !a.hasRequestHooks() {
		return next
	}
	return func(r *web.Request) (*web.Response, error) {
		r.Resolve() // a failure is answered by the core; the hooks still run, as in Flask
		bps := blueprintsOf(r)
		resp, err := a.runBefore(r, bps)
		if err != nil {
			resp = a.handler.ResponseFor(r, err)
		} else if resp == nil {
			resp, err = next(r)
			if err != nil {
				resp = a.handler.ResponseFor(r, err)
			}
		}
		return a.runAfter(r, bps, resp)
	}
}

// hasRequestHooks reports whether the app or one of its blueprints has a BeforeRequest or
// AfterRequest hook.
func (a *App) hasRequestHooks() bool {
	if len(a.before) > 0 || len(a.after) > 0 {
		return true
	}
	for _, bp := range a.blueprints() {
		if len(bp.before) > 0 || len(bp.after) > 0 {
			return true
		}
	}
	return false
}

// hasTeardown reports whether the app or one of its blueprints has a TeardownRequest function.
func (a *App) hasTeardown() bool {
	if len(a.teardown) > 0 {
		return true
	}
	for _, bp := range a.blueprints() {
		if len(bp.teardown) > 0 {
			return true
		}
	}
	return false
}

func (a *App) runBefore(r *web.Request, bps []*Blueprint) (*web.Response, error) {
	for _, f := range a.before {
		if resp, err := f(r); err != nil || resp != nil {
			return resp, err
		}
	}
	for i := len(bps) - 1; i >= 0; i-- { // outer blueprint first
		for _, f := range bps[i].before {
			if resp, err := f(r); err != nil || resp != nil {
				return resp, err
			}
		}
	}
	return nil, nil
}

// runAfter runs the after-request hooks: the blueprints' inner to outer, then the app's, each
// group in reverse registration order.
func (a *App) runAfter(r *web.Request, bps []*Blueprint, resp *web.Response) (*web.Response, error) {
	var err error
	for _, bp := range bps {
		if resp, err = runAfterGroup(bp.after, r, resp); err != nil {
			return nil, err
		}
	}
	return runAfterGroup(a.after, r, resp)
}

// runAfterGroup runs one scope's after-request hooks, last registered first.
func runAfterGroup(hooks []func(*web.Request, *web.Response) (*web.Response, error), r *web.Request, resp *web.Response) (*web.Response, error) {
	for i := len(hooks) - 1; i >= 0; i-- {
		next, err := hooks[i](r, resp)
		if err != nil {
			return nil, err
		}
		if next != nil {
			resp = next
		}
	}
	return resp, nil
}

func (a *App) runTeardown(r *web.Request, err error) {
	for _, bp := range blueprintsOf(r) {
		for i := len(bp.teardown) - 1; i >= 0; i-- {
			a.teardownOne(bp.teardown[i], r, err)
		}
	}
	for i := len(a.teardown) - 1; i >= 0; i-- {
		a.teardownOne(a.teardown[i], r, err)
	}
}

// teardownOne runs one teardown function; a panic is logged and the others still run, as in
// Flask 3.2.
func (a *App) teardownOne(f func(*web.Request, error), r *web.Request, err error) {
	defer func() {
		if p := recover(); p != nil {
			logger := a.Logger
			if a.site != nil {
				logger = a.site.Logger
			}
			if logger == nil {
				logger = slog.Default()
			}
			logger.Error("a teardown function panicked", "path", r.URL.Path, "panic", fmt.Sprint(p))
		}
	}()
	f(r, err)
}

// handleError finds the Flask-style error handler for err, in the blueprints (innermost first)
// then the app, as Flask looks them up: for an HTTP error (a *web.Error), by status code first,
// then by error; for any other error, by error first, then as a 500 (Flask's handle_exception
// wraps an unhandled exception in InternalServerError).
func (a *App) handleError(r *web.Request, err error) (*web.Response, error) {
	scopes := make([]*scope, 0, 3)
	for _, bp := range blueprintsOf(r) {
		scopes = append(scopes, &bp.scope)
	}
	scopes = append(scopes, &a.scope)
	byStatus := func() web.ErrorView {
		status := web.StatusOf(err)
		for _, s := range scopes {
			if v := s.byStatus[status]; v != nil {
				return v
			}
		}
		return nil
	}
	byError := func() web.ErrorView {
		for _, s := range scopes {
			for _, h := range s.byError {
				if h.match(err) {
					return h.view
				}
			}
		}
		return nil
	}
	var httpErr *web.Error
	first, second := byError, byStatus
	if errors.As(err, &httpErr) {
		first, second = byStatus, byError
	}
	if v := first(); v != nil {
		return v(r, err)
	}
	if v := second(); v != nil {
		return v(r, err)
	}
	return nil, nil
}
