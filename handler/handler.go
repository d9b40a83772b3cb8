// Package handler is Canter's gateway: the http.Handler that plays the part Django's WSGI
// handler plays. For every request it builds a *web.Request, runs the middleware onion with
// Django's semantics, resolves the URL, calls the view, turns every error and panic into a
// response, and writes the response once.
//
// # The onion
//
// Middleware listed first is outermost: request phases run in list order, response phases in
// reverse. A layer that answers without calling the next one short-circuits the inner layers
// while the outer layers still see its response. After every request phase has run, the URL is
// resolved; then the ProcessView hooks run in list order, then the view. If the view fails (an
// error or a panic), the ProcessException hooks run in reverse order and the first response
// wins. At every layer an error or panic is turned into a response, so an outer layer never
// sees a raw error — exactly Django's convert_exception_to_response.
//
// # Errors
//
// A *web.Error answers with its status (404, 403, 400, 405 with Allow, …); anything else is a
// 500, logged with its stack when it was a panic. Pages for each status can be replaced with
// Config.ErrorViews. With Config.Site.Debug on, unreplaced error pages are technical pages
// showing the error, the stack, the request, the routes tried and the settings with secrets
// masked; with debug off, nothing internal reaches the client.
package handler

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/canter-go/canter/web"
)

// Config describes a gateway.
type Config struct {
	// Site holds the limits, host rules and resolver that requests share. Site.Debug turns on
	// technical error pages.
	Site web.Site
	// Middleware lists the layers of the onion, outermost first.
	Middleware []web.Middleware
	// Outer lists net/http middleware wrapped around the whole gateway, outermost first.
	Outer []func(http.Handler) http.Handler
	// ErrorViews replace the page for a status (404, 403, 400, 500, …): Django's handler404 and
	// friends. They are used in debug mode too. A failing error view falls back to the 500 page.
	ErrorViews map[int]web.ErrorView
	// ErrorHandler, when set, is asked first for the response to every error; returning a nil
	// response (and nil error) passes the error on to ErrorViews and the default pages. The
	// Flask-style app's error handlers live here.
	ErrorHandler web.ErrorView
	// Teardown functions run after the response is written, even when handling failed, with the
	// request's first error (Flask's teardown_request).
	Teardown []func(r *web.Request, err error)
	// Logger receives error and access logs; nil means slog.Default().
	Logger *slog.Logger
	// AccessLog logs every request at Info level: method, path, status, duration.
	AccessLog bool
	// Settings, when set, is shown on debug pages with secret-looking values masked. It may be
	// a struct (fields named by their `setting` tag) or a map.
	Settings any
}

// Handler is the gateway. Make one with New; it is safe for concurrent use.
type Handler struct {
	site       web.Site
	chain      web.View
	entry      http.Handler
	viewProcs  []web.ViewProcessor
	excProcs   []web.ExceptionProcessor
	errorViews map[int]web.ErrorView
	onError    web.ErrorView
	teardown   []func(*web.Request, error)
	logger     *slog.Logger
	accessLog  bool
	settings   any
}

// New builds the gateway: it calls every middleware's Wrap once, from the innermost out, and
// collects their ProcessView and ProcessException hooks. A Wrap that returns nil removes its
// middleware, as Django's MiddlewareNotUsed does.
func New(cfg Config) *Handler {
	h := &Handler{
		site:       cfg.Site,
		errorViews: cfg.ErrorViews,
		onError:    cfg.ErrorHandler,
		teardown:   cfg.Teardown,
		logger:     cfg.Logger,
		accessLog:  cfg.AccessLog,
		settings:   cfg.Settings,
	}
	if h.logger == nil {
		h.logger = slog.Default()
	}
	chain := h.guard(h.core)
	var used []web.Middleware
	for i := len(cfg.Middleware) - 1; i >= 0; i-- {
		mw := cfg.Middleware[i]
		next := mw.Wrap(chain)
		if next == nil {
			continue
		}
		chain = h.guard(next)
		used = append(used, mw)
	}
	// used is innermost first; hooks are collected in list order.
	for i := len(used) - 1; i >= 0; i-- {
		if p, ok := used[i].(web.ViewProcessor); ok {
			h.viewProcs = append(h.viewProcs, p)
		}
		if p, ok := used[i].(web.ExceptionProcessor); ok {
			h.excProcs = append(h.excProcs, p)
		}
	}
	h.chain = chain
	var entry http.Handler = http.HandlerFunc(h.serve)
	for i := len(cfg.Outer) - 1; i >= 0; i-- {
		entry = cfg.Outer[i](entry)
	}
	h.entry = entry
	return h
}

// Site returns the site description requests share.
func (h *Handler) Site() *web.Site { return &h.site }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.entry.ServeHTTP(w, r) }

// Serve runs a request through the onion and returns the response without writing it, for
// tests and for embedding the gateway in another handler.
func (h *Handler) Serve(r *web.Request) *web.Response {
	resp, _ := h.chain(r)
	return resp
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) {
	var start time.Time
	if h.accessLog {
		start = time.Now()
	}
	req := web.NewRequest(r, &h.site)
	resp, _ := h.chain(req)
	status := resp.StatusCode()
	if resp.IsStreaming() {
		status = h.writeStreaming(w, req, resp)
	} else if err := resp.Write(w, req.Request); err != nil {
		req.RecordError(err)
	}
	req.Close()
	for _, f := range h.teardown {
		h.runTeardown(f, req)
	}
	if (status >= 400 && !resp.Logged()) || h.accessLog {
		h.logRequest(req, status, start, resp.Logged())
	}
}

// writeStreaming writes a response whose body is produced while it is sent. A stream that fails
// (an error or a panic) before sending anything is answered as a failing view is, with the
// error's page; one that fails after the status went out can only be cut short, and is logged.
func (h *Handler) writeStreaming(w http.ResponseWriter, req *web.Request, resp *web.Response) (status int) {
	tw := &trackingWriter{ResponseWriter: w}
	failed := func(err error) {
		if !tw.wrote {
			status = h.answerUnsent(w, req, resp, err)
			return
		}
		req.RecordError(err)
		status = tw.status
		attrs := []any{"path", req.URL.Path, "method", req.Method, "status", status, "error", err.Error()}
		var p *PanicError
		if errors.As(err, &p) {
			attrs = append(attrs, "stack", string(p.Stack))
		}
		h.logger.Error("the streamed response failed after it started; the client got it cut short", attrs...)
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			failed(panicError(p))
		}
	}()
	if err := resp.Write(tw, req.Request); err != nil {
		failed(fmt.Errorf("writing the streamed response: %w", err))
		return status
	}
	if tw.status != 0 {
		return tw.status
	}
	return resp.StatusCode()
}

// answerUnsent answers err when a streamed response failed before anything was sent: the
// headers the response had put on w are taken back (its cookies stay, as the middleware that set
// them did its work) and the error's page is written instead. It returns the status sent.
func (h *Handler) answerUnsent(w http.ResponseWriter, req *web.Request, resp *web.Response, err error) int {
	hdr := w.Header()
	for k := range resp.Header() {
		delete(hdr, k)
	}
	delete(hdr, "Content-Length")
	page := h.responseFor(req, err)
	if page.IsStreaming() {
		// An error view that streams is not given a second chance to fail.
		page = defaultPage(web.StatusOf(err))
	}
	if werr := page.Write(w, req.Request); werr != nil {
		req.RecordError(werr)
	}
	return page.StatusCode()
}

type trackingWriter struct {
	http.ResponseWriter
	wrote  bool
	status int
}

func (t *trackingWriter) WriteHeader(code int) {
	if !t.wrote {
		t.wrote, t.status = true, code
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	if !t.wrote {
		t.wrote, t.status = true, http.StatusOK
	}
	return t.ResponseWriter.Write(b)
}

func (t *trackingWriter) Flush() {
	t.wrote = true
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

func (h *Handler) runTeardown(f func(*web.Request, error), req *web.Request) {
	defer func() {
		if p := recover(); p != nil {
			h.logger.Error("teardown function panicked", "path", req.URL.Path, "error", panicError(p))
		}
	}()
	f(req, req.Err())
}

// guard wraps one layer so that it never returns an error or panics: both become responses,
// as Django's convert_exception_to_response does around every middleware.
func (h *Handler) guard(v web.View) web.View {
	return func(r *web.Request) (resp *web.Response, err error) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				resp, err = h.responseFor(r, panicError(p)), nil
			}
		}()
		resp, err = v(r)
		switch {
		case err != nil:
			return h.responseFor(r, err), nil
		case resp == nil:
			return h.responseFor(r, errNoResponse), nil
		}
		return resp, nil
	}
}

var errNoResponse = errors.New("a view or middleware returned neither a response nor an error; return a *web.Response or an error")

// core is the innermost layer: Django's _get_response.
func (h *Handler) core(r *web.Request) (*web.Response, error) {
	m, err := r.Resolve()
	if err != nil {
		return nil, err
	}
	for _, p := range h.viewProcs {
		resp, err := p.ProcessView(r, m.View)
		if err != nil || resp != nil {
			return resp, err
		}
	}
	resp, err := callView(m.View, r)
	if err != nil {
		for i := len(h.excProcs) - 1; i >= 0; i-- {
			alt, err2 := h.excProcs[i].ProcessException(r, err)
			if err2 != nil {
				return nil, err2
			}
			if alt != nil {
				return alt, nil
			}
		}
		return nil, err
	}
	return resp, nil
}

// callView runs the view, turning a panic into an error so that ProcessException hooks see it
// as Django's process_exception sees an exception.
func callView(v web.View, r *web.Request) (resp *web.Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			resp, err = nil, panicError(p)
		}
	}()
	return v(r)
}

// PanicError is a panic turned into an error. It keeps the stack of the panicking goroutine.
type PanicError struct {
	// Value is what was passed to panic.
	Value any
	// Stack is the goroutine's stack at the panic.
	Stack []byte
}

// Error returns "panic: " and the panic value.
func (p *PanicError) Error() string { return fmt.Sprintf("panic: %v", p.Value) }

// Unwrap returns the panic value when it is an error, so that a panic with a *web.Error keeps
// its status.
func (p *PanicError) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

func panicError(p any) error {
	if e, ok := p.(*web.Error); ok {
		return e // an HTTP error raised by panic (Query, FormValue, Redirect) is not a crash
	}
	return &PanicError{Value: p, Stack: debug.Stack()}
}

// ResponseFor turns an error into the response the site answers it with, as the gateway does
// at every layer: Django's response_for_exception. It records err as the request's error.
func (h *Handler) ResponseFor(r *web.Request, err error) *web.Response { return h.responseFor(r, err) }

func (h *Handler) responseFor(r *web.Request, err error) *web.Response {
	r.RecordError(err)
	if h.onError != nil {
		if resp := h.callErrorView(h.onError, r, err, false); resp != nil {
			return withAllow(resp, err)
		}
	}
	status := web.StatusOf(err)
	if ev := h.errorViews[status]; ev != nil {
		if resp := h.callErrorView(ev, r, err, true); resp != nil {
			return withAllow(resp, err)
		}
		status = http.StatusInternalServerError
	}
	if h.site.Debug {
		return withAllow(h.technicalPage(r, err, status), err)
	}
	return withAllow(defaultPage(status), err)
}

// callErrorView runs an error view, logging its failure (an error or a panic; with mustAnswer, a
// nil response too) and returning nil for it.
func (h *Handler) callErrorView(ev web.ErrorView, r *web.Request, err error, mustAnswer bool) (resp *web.Response) {
	defer func() {
		if p := recover(); p != nil {
			h.logger.Error("error view panicked", "path", r.URL.Path, "status", web.StatusOf(err), "error", panicError(p))
			resp = nil
		}
	}()
	resp, verr := ev(r, err)
	if verr == nil && resp == nil && mustAnswer {
		verr = errNoErrorPage
	}
	if verr != nil {
		h.logger.Error("error view failed", "path", r.URL.Path, "status", web.StatusOf(err), "error", verr)
		return nil
	}
	return resp
}

var errNoErrorPage = errors.New("the error view returned neither a response nor an error; return the page, or an error to log")

func withAllow(resp *web.Response, err error) *web.Response {
	var e *web.Error
	if errors.As(err, &e) && e.Status == http.StatusMethodNotAllowed && len(e.Allow) > 0 && resp.Header().Get("Allow") == "" {
		allow := e.Allow[0]
		for _, m := range e.Allow[1:] {
			allow += ", " + m
		}
		resp.Header().Set("Allow", allow)
	}
	return resp
}

// logRequest logs a finished request as Django's django.request logger does: a warning for 4xx,
// an error (with the stack of a panic) for 5xx, on the security logger for suspicious requests;
// and, with AccessLog, an Info line for every request.
func (h *Handler) logRequest(r *web.Request, status int, start time.Time, logged bool) {
	err := r.Err()
	path := r.URL.Path
	var e *web.Error
	switch {
	case logged:
	case errors.As(err, &e) && e.Kind != "":
		h.logger.Error(e.Message, "logger", "security."+e.Kind, "status", status, "path", path, "method", r.Method)
	case status >= 500:
		attrs := []any{"status", status, "path", path, "method", r.Method}
		if err != nil {
			attrs = append(attrs, "error", err.Error())
			var p *PanicError
			if errors.As(err, &p) {
				attrs = append(attrs, "stack", string(p.Stack))
			}
		}
		h.logger.Error(http.StatusText(status)+": "+path, attrs...)
	case status >= 400:
		attrs := []any{"status", status, "path", path, "method", r.Method}
		if err != nil {
			attrs = append(attrs, "reason", err.Error())
		}
		h.logger.Warn(http.StatusText(status)+": "+path, attrs...)
	}
	if h.accessLog {
		h.logger.Info(r.Method+" "+r.URL.RequestURI(), "status", status, "duration", time.Since(start), "remote", r.RemoteAddr)
	}
}
