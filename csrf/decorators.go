package csrf

import "github.com/canter-go/canter/web"

// defaultMiddleware serves the package-level decorators on requests that no middleware has set
// up. It is never changed after start-up.
var defaultMiddleware = Default()

// Exempt marks view as exempt from the CSRF checks (Django's csrf_exempt): the middleware lets
// every request to it through. The cookie is still sent if the view asks for a token. Use it
// for views that authenticate otherwise (webhooks signed by their sender, say), never for views
// that act on a browser's cookies.
func Exempt(view web.View) web.View { return web.WithAttr(view, exemptKey{}, true) }

// IsExempt reports whether view was marked with Exempt.
func IsExempt(view web.View) bool { return web.Attr(view, exemptKey{}) != nil }

type decoration int

const (
	protect decoration = iota
	requireToken
	ensureCookie
)

// Protect applies the CSRF protection to one view, for sites that do not use the middleware
// (Django's csrf_protect). It behaves as the middleware around that view alone, with Django's
// decorator semantics: the cookie is read, the checks run (a rejection is answered at once,
// without the cookie step), then the view, then the cookie is written if needed. On a request the
// middleware already handles it uses the middleware's configuration and does not check twice;
// otherwise Django's defaults (use Middleware.Protect for another configuration).
func Protect(view web.View) web.View { return decorate(nil, view, protect) }

// RequiresToken lets view use Token and Field, and sends the cookie when it does, without
// ever rejecting a request (Django's requires_csrf_token): for error pages and other views that
// render forms but must answer whatever arrives.
func RequiresToken(view web.View) web.View { return decorate(nil, view, requireToken) }

// EnsureCookie makes sure the response carries the CSRF cookie, even when view never asks for a
// token (Django's ensure_csrf_cookie): for pages whose scripts read the cookie to send the
// token in the header. It never rejects a request.
func EnsureCookie(view web.View) web.View { return decorate(nil, view, ensureCookie) }

// Protect is the package's Protect with this middleware's configuration.
func (m *Middleware) Protect(view web.View) web.View { return decorate(m, view, protect) }

// RequiresToken is the package's RequiresToken with this middleware's configuration.
func (m *Middleware) RequiresToken(view web.View) web.View { return decorate(m, view, requireToken) }

// EnsureCookie is the package's EnsureCookie with this middleware's configuration.
func (m *Middleware) EnsureCookie(view web.View) web.View { return decorate(m, view, ensureCookie) }

// decorate runs the middleware around one view as Django's decorator_from_middleware does:
// process_request, process_view (a response from it is returned at once), the view (an error
// is returned as is), process_response.
func decorate(m *Middleware, view web.View, kind decoration) web.View {
	wrapped := func(r *web.Request) (*web.Response, error) {
		mw := m
		if mw == nil {
			if mw, _ = lookup(r); mw == nil {
				mw = defaultMiddleware
			}
		}
		if err := mw.begin(r); err != nil {
			return nil, err
		}
		switch kind {
		case protect:
			if resp, err := mw.ProcessView(r, view); err != nil || resp != nil {
				return resp, err
			}
		case ensureCookie:
			Token(r)
		}
		resp, err := view(r)
		if err != nil {
			return nil, err
		}
		return mw.finish(r, resp)
	}
	return web.CopyAttrs(wrapped, view)
}
