package web

import (
	"bytes"
	"net/http"
)

// View answers a request with a response, or fails with an error: Django's view. An *Error
// picks the status (404, 403, 400, …); any other error is a 500. Every layer of the middleware
// onion has this shape too (Django's get_response).
type View func(r *Request) (*Response, error)

// ErrorView answers a request whose handling failed with err, such as a site's own 404 page
// (Django's handler404) or a Flask-style error handler.
type ErrorView func(r *Request, err error) (*Response, error)

// Middleware is one layer of the onion: Django's middleware factory. Wrap is called once, when
// the site is built, with the rest of the chain, and returns this layer's view: it may do its
// request phase, call next (or answer early without calling it), then do its response phase.
//
// A middleware may also implement ViewProcessor and ExceptionProcessor for Django's process_view
// and process_exception hooks.
type Middleware interface {
	Wrap(next View) View
}

// MiddlewareFunc makes a function a Middleware.
type MiddlewareFunc func(next View) View

// Wrap calls f(next).
func (f MiddlewareFunc) Wrap(next View) View { return f(next) }

// ViewProcessor is implemented by middleware with Django's process_view hook: called after URL
// resolution, in middleware order, just before the view. A non-nil response (or an error) skips
// the view and the later hooks; the response still passes out through every layer.
type ViewProcessor interface {
	ProcessView(r *Request, view View) (*Response, error)
}

// ExceptionProcessor is implemented by middleware with Django's process_exception hook: called,
// in reverse middleware order, when the view fails. The first non-nil response replaces the
// error; an error returned replaces the original one.
type ExceptionProcessor interface {
	ProcessException(r *Request, err error) (*Response, error)
}

// Hooks builds a middleware from Django's old-style hook methods (what MiddlewareMixin adapts):
// Request runs on the way in and may answer early; the inner layers are then skipped, but
// Response still runs on whatever response this layer holds. View and Exception are
// process_view and process_exception. Any hook may be nil.
type Hooks struct {
	Request   func(r *Request) (*Response, error)
	View      func(r *Request, view View) (*Response, error)
	Exception func(r *Request, err error) (*Response, error)
	Response  func(r *Request, resp *Response) (*Response, error)
}

// Wrap implements Middleware.
func (h *Hooks) Wrap(next View) View {
	before, after := h.Request, h.Response
	return func(r *Request) (*Response, error) {
		var resp *Response
		var err error
		if before != nil {
			resp, err = before(r)
			if err != nil {
				return nil, err
			}
		}
		if resp == nil {
			resp, err = next(r)
			if err != nil {
				return nil, err
			}
		}
		if after != nil {
			return after(r, resp)
		}
		return resp, nil
	}
}

// ProcessView implements ViewProcessor.
func (h *Hooks) ProcessView(r *Request, view View) (*Response, error) {
	if h.View == nil {
		return nil, nil
	}
	return h.View(r, view)
}

// ProcessException implements ExceptionProcessor.
func (h *Hooks) ProcessException(r *Request, err error) (*Response, error) {
	if h.Exception == nil {
		return nil, nil
	}
	return h.Exception(r, err)
}

// Handler makes any http.Handler a view. The handler writes the answer itself when the gateway
// writes the response, after every middleware has seen (and may have added headers and cookies
// to) it. The *http.Request it gets carries the path parameters (r.PathValue) and the *Request
// (RequestOf).
func Handler(h http.Handler) View {
	return func(r *Request) (*Response, error) {
		hr := r.HTTP()
		for _, p := range r.match.Params {
			hr.SetPathValue(p.Name, p.Raw)
		}
		return FromHandler(h), nil
	}
}

// HandlerFunc makes a net/http handler function a view, as Handler does.
func HandlerFunc(f func(http.ResponseWriter, *http.Request)) View {
	return Handler(http.HandlerFunc(f))
}

// FromHTTP lets a net/http middleware (any func(http.Handler) http.Handler) be a layer of the
// onion. It sees the request as an *http.Request whose context carries the *Request, and the
// response as it is written. When it passes its own ResponseWriter through untouched, the inner
// response reaches the outer layers as is; when it wraps the writer (to compress, count or
// change the answer), the bytes it lets through become the response the outer layers see.
// A middleware that answers without calling the next handler answers early, as in Django.
func FromHTTP(mw func(http.Handler) http.Handler) Middleware {
	return MiddlewareFunc(func(next View) View {
		layer := new(httpLayer) // the key under which each request keeps this layer's recorder
		inner := http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
			r := RequestOf(hr)
			if r == nil {
				http.Error(w, "canter: the *web.Request is missing from the context; a net/http middleware replaced the request's context instead of deriving from it", http.StatusInternalServerError)
				return
			}
			rec, _ := r.Get(layer).(*recorder)
			if rec == nil {
				rec = &recorder{} // called outside this layer's request: write to w
			}
			r.Request = hr
			resp, err := next(r)
			switch {
			case err != nil:
				rec.err = err
			case w == http.ResponseWriter(rec):
				rec.passed = resp // the middleware did not touch the writer: pass the response on
			default:
				if err := resp.Write(w, hr); err != nil {
					rec.err = err
				}
			}
		})
		h := mw(inner)
		return func(r *Request) (*Response, error) {
			rec := &recorder{}
			r.Set(layer, rec)
			h.ServeHTTP(rec, r.HTTP())
			return rec.response()
		}
	})
}

type httpLayer struct{ _ byte }

// recorder is the ResponseWriter a net/http middleware writes to inside the onion.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	passed *Response
	err    error
	wrote  bool
}

func (rec *recorder) Header() http.Header {
	if rec.header == nil {
		rec.header = make(http.Header)
	}
	return rec.header
}

func (rec *recorder) WriteHeader(status int) {
	if !rec.wrote {
		rec.wrote, rec.status = true, status
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.WriteHeader(http.StatusOK)
	return rec.body.Write(b)
}

func (rec *recorder) Flush() {}

func (rec *recorder) response() (*Response, error) {
	if rec.err != nil {
		return nil, rec.err
	}
	if rec.passed != nil && !rec.wrote {
		// Headers the middleware set before calling the inner handler belong to the answer.
		for k, v := range rec.header {
			if _, ok := rec.passed.Header()[k]; !ok {
				rec.passed.Header()[k] = v
			}
		}
		return rec.passed, nil
	}
	resp := &Response{Status: rec.status, Body: rec.body.Bytes()}
	if resp.Status == 0 {
		resp.Status = http.StatusOK
	}
	for k, v := range rec.header {
		if k == "Set-Cookie" {
			for _, line := range v {
				if c, err := http.ParseSetCookie(line); err == nil {
					resp.SetCookie(c)
				}
			}
			continue
		}
		resp.Header()[k] = v
	}
	return resp, nil
}
