package csrf

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/canter-go/canter/web"
)

// Middleware is Django's CsrfViewMiddleware with Fetch Metadata on top. It implements
// web.Middleware (the cookie is read on the way in and written on the way out) and
// web.ViewProcessor (the checks run after URL resolution, so that exempt views are known).
// Make one with New or Default; it is safe for concurrent use.
type Middleware struct {
	cfg         Config
	headerKey   string          // canonical header key of HeaderName
	headerLabel string          // HeaderName as Django names it in reasons
	exact       map[string]bool // trusted origins without a wildcard
	wildcards   map[string][]string
	referHosts  []string // trusted origins' hosts, for the Referer check
	goodDomain  string   // the cookie (or session cookie) domain, for the Referer check
}

// stateKey is the request-value key of the CSRF state. Its value is the *Middleware that set
// the request up until a token is asked for, then a *state; neither costs an allocation to store.
type stateKey struct{}

// state is what Django keeps in request.META: the secret for the response and whether the
// cookie must be (re)written, plus csrf_processing_done.
type state struct {
	m           *Middleware
	secret      string // "" when the browser has none yet
	needsUpdate bool   // CSRF_COOKIE_NEEDS_UPDATE
	done        bool   // csrf_processing_done
}

// lookup returns the middleware that set r up and its state, if any.
func lookup(r *web.Request) (*Middleware, *state) {
	switch v := r.Get(stateKey{}).(type) {
	case *state:
		return v.m, v
	case *Middleware:
		return v, nil
	}
	return nil, nil
}

// stateOf returns r's state, making it on first use from the secret the browser sent.
func (m *Middleware) stateOf(r *web.Request) *state {
	if _, st := lookup(r); st != nil {
		return st
	}
	st := &state{m: m}
	if secret, reason, err := m.readSecret(r); err == nil && reason == "" {
		st.secret = secret
	}
	r.Set(stateKey{}, st)
	return st
}

// Wrap implements web.Middleware: Django's process_request on the way in, process_response on
// the way out.
func (m *Middleware) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		if err := m.begin(r); err != nil {
			return nil, err
		}
		resp, err := next(r)
		if err != nil {
			return nil, err
		}
		return m.finish(r, resp)
	}
}

// begin is process_request. A malformed cookie is replaced by a new secret, whatever the method.
// A well-formed one is left in the request until a token is needed; a request that never needs
// one costs nothing.
func (m *Middleware) begin(r *web.Request) error {
	if r.Get(stateKey{}) != nil {
		return nil // already set up, by the middleware or a decorator
	}
	if m.cfg.UseSessions {
		if _, err := m.session(r); err != nil {
			return err
		}
	} else if v, ok := cookieValue(r.Header, m.cfg.CookieName); ok && checkFormat(v, runes(v)) != "" {
		r.Set(stateKey{}, &state{m: m, secret: newSecret(), needsUpdate: true})
		return nil
	}
	r.Set(stateKey{}, m)
	return nil
}

// finish is process_response: the cookie (or the session value) is written when the secret is
// new or a token was handed out, once per request.
func (m *Middleware) finish(r *web.Request, resp *web.Response) (*web.Response, error) {
	_, st := lookup(r)
	if st == nil || !st.needsUpdate || resp == nil {
		return resp, nil
	}
	st.needsUpdate = false
	owner := st.m
	if owner.cfg.UseSessions {
		s, err := owner.session(r)
		if err != nil {
			return nil, err
		}
		if cur, _ := s.GetString(SessionKey); cur != st.secret {
			s.SetString(SessionKey, st.secret)
		}
		return resp, nil
	}
	resp.SetCookie(owner.cookie(st.secret))
	addVary(resp, "Cookie")
	return resp, nil
}

// cookie returns the cookie that carries secret.
func (m *Middleware) cookie(secret string) *http.Cookie {
	c := &http.Cookie{
		Name:     m.cfg.CookieName,
		Value:    secret,
		Path:     m.cfg.CookiePath,
		Domain:   m.cfg.CookieDomain,
		Secure:   m.cfg.CookieSecure,
		HttpOnly: m.cfg.CookieHTTPOnly,
		SameSite: m.cfg.CookieSameSite,
	}
	if age := m.cfg.CookieAge; age > 0 {
		c.MaxAge = int(age / time.Second)
		c.Expires = time.Now().Add(age).UTC()
	}
	return c
}

// addVary adds name to the response's Vary header unless it is there already, keeping one
// comma-separated line as Django's patch_vary_headers does.
func addVary(resp *web.Response, name string) {
	h := resp.Header()
	lines := h.Values("Vary")
	for _, line := range lines {
		for _, v := range strings.Split(line, ",") {
			v = strings.TrimSpace(v)
			if v == "*" || strings.EqualFold(v, name) {
				return
			}
		}
	}
	if len(lines) == 0 {
		h.Set("Vary", name)
		return
	}
	h.Set("Vary", strings.Join(lines, ", ")+", "+name)
}

// session returns the request's session, or ErrNoSession.
func (m *Middleware) session(r *web.Request) (Session, error) {
	s, err := m.cfg.Session(r)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, ErrNoSession
	}
	return s, nil
}

// readSecret is Django's _get_secret: the secret the browser holds, read from the request's
// cookie (or its session). It returns "" when there is none, and Django's reason when the cookie
// is not a secret. A 64-character cookie from Django before 4.1 is unmasked.
func (m *Middleware) readSecret(r *web.Request) (secret, reason string, err error) {
	if m.cfg.UseSessions {
		s, err := m.session(r)
		if err != nil {
			return "", "", err
		}
		v, _ := s.GetString(SessionKey)
		if checkFormat(v, len(v)) != "" {
			return "", "", nil // Django does not check session values; a bad one counts as none
		}
		secret = v
	} else {
		v, ok := cookieValue(r.Header, m.cfg.CookieName)
		if !ok {
			return "", "", nil
		}
		if reason := checkFormat(v, runes(v)); reason != "" {
			return "", reason, nil
		}
		secret = v
	}
	if len(secret) == TokenLength {
		secret = unmask(secret)
	}
	return secret, "", nil
}

// cookieValue finds a cookie in the request headers without allocating, as Django's
// parse_cookie reads them: chunks split on ";", trimmed, the last of a repeated name wins, and
// a double-quoted value is unquoted.
func cookieValue(h http.Header, name string) (value string, found bool) {
	for _, line := range h["Cookie"] {
		for line != "" {
			var chunk string
			chunk, line, _ = strings.Cut(line, ";")
			k, v, ok := strings.Cut(chunk, "=")
			if !ok {
				k, v = "", chunk
			}
			if strings.TrimSpace(k) != name {
				continue
			}
			v = strings.TrimSpace(v)
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			value, found = v, true
		}
	}
	return value, found
}

// isSafe reports whether method is one Django never checks: GET, HEAD, OPTIONS, TRACE.
func isSafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// exemptKey marks views made with Exempt.
type exemptKey struct{}

// ProcessView implements web.ViewProcessor: the checks of an unsafe request, before the view.
// A rejected request is answered by the failure view and logged.
func (m *Middleware) ProcessView(r *web.Request, view web.View) (*web.Response, error) {
	if isSafe(r.Method) {
		return nil, nil
	}
	if web.Attr(view, exemptKey{}) != nil {
		return nil, nil
	}
	if err := m.begin(r); err != nil { // a no-op when Wrap or a decorator ran it
		return nil, err
	}
	if _, st := lookup(r); st != nil && st.done {
		return nil, nil
	}
	if notEnforced(r) {
		m.stateOf(r).done = true
		return nil, nil
	}
	reason, err := m.check(r)
	if err != nil {
		return nil, err
	}
	if reason != "" {
		return m.reject(r, reason)
	}
	m.stateOf(r).done = true
	return nil, nil
}

type dontEnforceKey struct{}

// DontEnforceChecks returns r marked so that the CSRF checks accept it, as Django's test client
// marks its requests (request._dont_enforce_csrf_checks). The mark lives in the request's Go
// context, so nothing a client sends can set it; only code in the same program can. The
// cantertest client uses it unless told to enforce the checks.
func DontEnforceChecks(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), dontEnforceKey{}, true))
}

func notEnforced(r *web.Request) bool {
	v, _ := r.Context().Value(dontEnforceKey{}).(bool)
	return v
}

// check runs the checks of an unsafe request in order and returns the reason for rejecting it,
// or "".
func (m *Middleware) check(r *web.Request) (string, error) {
	origins, hasOrigin := r.Header["Origin"]
	origin := ""
	if hasOrigin && len(origins) > 0 {
		origin = origins[0]
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "":
		// An old browser or not a browser: Django's Origin and Referer checks.
		if hasOrigin {
			if !m.originVerified(r, origin) {
				return sprintf(ReasonBadOrigin, origin), nil
			}
		} else if r.IsSecure() {
			if reason := m.checkReferer(r); reason != "" {
				return reason, nil
			}
		}
	case "same-origin", "none":
		// The browser vouches that the request comes from this origin (or from the user):
		// no Origin or Referer guesswork, which also keeps working behind a proxy that
		// rewrites Host.
	default:
		if !hasOrigin {
			return sprintf(ReasonCrossSiteNoOrigin, site), nil
		}
		if !m.isTrusted(origin) {
			return sprintf(ReasonCrossSite, site, origin), nil
		}
	}
	if m.cfg.Mode == ModeOrigin {
		return "", nil
	}
	return m.checkToken(r)
}

// checkToken is Django's _check_token: the secret from the request's cookie (or session) must
// match the token from the form (POST only) or the header.
func (m *Middleware) checkToken(r *web.Request) (string, error) {
	secret, reason, err := m.readSecret(r)
	switch {
	case err != nil:
		return "", err
	case reason != "":
		return "CSRF cookie " + reason + ".", nil
	case secret == "":
		return ReasonNoCookie, nil
	}

	token, fromHeader := "", false
	if r.Method == http.MethodPost {
		form, err := r.Form()
		if err != nil {
			return "", err // a refused body is answered as Django answers it (400)
		}
		if vs := form[FieldName]; len(vs) > 0 {
			token = vs[len(vs)-1] // QueryDict.get returns the last value
		}
	}
	if token == "" {
		vs, ok := r.Header[m.headerKey]
		if !ok || len(vs) == 0 {
			return ReasonTokenMissing, nil
		}
		token, fromHeader = vs[0], true
	}
	n := runes(token) // form values are decoded as UTF-8,
	if fromHeader {
		n = len(token) // header values as Latin-1
	}
	if reason := checkFormat(token, n); reason != "" {
		return m.badToken(reason, fromHeader), nil
	}
	if !matches(token, secret) {
		return m.badToken("incorrect", fromHeader), nil
	}
	return "", nil
}

func (m *Middleware) badToken(reason string, fromHeader bool) string {
	if fromHeader {
		return "CSRF token from the '" + m.headerLabel + "' HTTP header " + reason + "."
	}
	return "CSRF token from POST " + reason + "."
}

// reject logs the rejection and answers with the failure view.
func (m *Middleware) reject(r *web.Request, reason string) (*web.Response, error) {
	logger := m.cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.Warn("Forbidden ("+reason+"): "+r.URL.Path, "logger", "security.csrf",
		"status", http.StatusForbidden, "method", r.Method, "path", r.URL.Path, "client", r.ClientIP().String())
	resp, err := m.cfg.FailureView(r, reason)
	if err == nil && resp == nil {
		err = errors.New("csrf: the failure view returned neither a response nor an error")
	}
	if resp != nil {
		resp.MarkLogged() // the gateway does not log it again
	}
	return resp, err
}

// Token returns a new masked token for the browser that sent r, for a form field or a
// JavaScript client (in the X-CSRFToken header). Every call returns a different token (a fresh
// mask, so that a compressed page never repeats it: BREACH); all of them stay valid until the
// secret is rotated. The first call makes a secret if the browser has none; the cookie is then
// (re)sent with the response.
//
// Token returns "" when neither the middleware nor one of this package's decorators handles the
// request.
func Token(r *web.Request) string {
	m, st := lookup(r)
	if m == nil {
		return ""
	}
	if st == nil {
		st = m.stateOf(r)
	}
	if st.secret == "" {
		st.secret = newSecret()
	}
	st.needsUpdate = true
	return mask(st.secret)
}

// Rotate gives the browser a new secret, so that every token handed out before stops working.
// Call it when a user logs in (Django's rotate_token, which auth.login calls). It does nothing
// when neither the middleware nor a decorator of this package handles the request.
func Rotate(r *web.Request) {
	m, st := lookup(r)
	if m == nil {
		return
	}
	if st == nil {
		st = &state{m: m}
		r.Set(stateKey{}, st)
	}
	st.secret = newSecret()
	st.needsUpdate = true
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

var (
	_ web.Middleware    = (*Middleware)(nil)
	_ web.ViewProcessor = (*Middleware)(nil)
)
