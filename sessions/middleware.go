package sessions

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/canter-go/canter/web"
)

// Config configures the session middleware. The zero value of every field but Store means
// Django's default, named on each field with its setting.
type Config struct {
	// Store keeps the sessions (SESSION_ENGINE): cookiestore for sessions in a signed cookie,
	// memstore, a database or Redis store, or cachedstore in front of one. Required.
	Store Store

	// CookieName is the session cookie's name (SESSION_COOKIE_NAME). Default "sessionid".
	CookieName string
	// CookieAge is how long a session lives after it was last saved, unless it has its own
	// expiry (SESSION_COOKIE_AGE). Default 1209600 seconds: two weeks.
	CookieAge time.Duration
	// CookieDomain is the cookie's Domain (SESSION_COOKIE_DOMAIN), such as ".example.com" to
	// share the session with subdomains. Default "": the cookie goes to this host only.
	CookieDomain string
	// CookiePath is the cookie's Path (SESSION_COOKIE_PATH). Default "/".
	CookiePath string
	// CookieSecure sends the cookie over HTTPS only (SESSION_COOKIE_SECURE). Default false;
	// the cookie is marked Secure anyway when the request came over HTTPS.
	CookieSecure bool
	// CookieNoHTTPOnly lets JavaScript read the cookie: SESSION_COOKIE_HTTPONLY = False.
	// Default false, so the cookie is HttpOnly (Django's default, True).
	CookieNoHTTPOnly bool
	// CookieSameSite is the cookie's SameSite attribute (SESSION_COOKIE_SAMESITE): zero means
	// http.SameSiteLaxMode (Django's "Lax"); http.SameSiteDefaultMode sends no attribute
	// (Django's False). SameSiteNoneMode needs CookieSecure, as browsers require.
	CookieSameSite http.SameSite

	// SaveEveryRequest saves the session and sends its cookie on every response, renewing its
	// expiry, not only when it changed (SESSION_SAVE_EVERY_REQUEST). Default false.
	SaveEveryRequest bool
	// ExpireAtBrowserClose gives sessions without their own expiry a cookie without Max-Age,
	// which the browser forgets when it closes (SESSION_EXPIRE_AT_BROWSER_CLOSE). Default false.
	// The store still forgets the session after CookieAge.
	ExpireAtBrowserClose bool

	// Logger receives the store failures; nil means slog.Default().
	Logger *slog.Logger
	// Now returns the current time, for tests; nil means time.Now.
	Now func() time.Time
}

// Django's defaults.
const (
	DefaultCookieName = "sessionid"
	DefaultCookiePath = "/"
)

// maxCookieSize is the largest Set-Cookie value browsers are sure to keep.
const maxCookieSize = 4096

// InterruptedMessage is Django's reason for the 400 answer given when a request's session was
// deleted (by a logout in another tab, say) before the request could save it.
const InterruptedMessage = "The request's session was deleted before the request completed. " +
	"The user may have logged out in a concurrent request, for example."

// Middleware is Django's SessionMiddleware: it gives each request a lazily loaded Session and,
// on the way out, saves the session and sets, renews or deletes its cookie exactly when Django
// does. Make one with New and list it in the site's middleware, before everything that uses
// sessions (CSRF with CSRF_USE_SESSIONS, authentication, messages).
type Middleware struct {
	store  Store
	client bool // the store keeps the session in the cookie (a ClientStore)
	// longCookie is set when the name, domain and path are so long that even a session key may
	// not fit in a cookie; the size is then checked on every save, as with a ClientStore.
	longCookie bool
	name       string
	age        time.Duration
	domain     string
	path       string
	secure     bool
	httpOnly   bool
	sameSite   http.SameSite
	every      bool
	browser    bool
	logger     *slog.Logger
	clock      func() time.Time
}

// New checks cfg and returns the middleware. Every problem is reported at once, each naming
// the field, its setting and the fix.
func New(cfg Config) (*Middleware, error) {
	m := &Middleware{
		store:    cfg.Store,
		name:     cfg.CookieName,
		age:      cfg.CookieAge,
		domain:   cfg.CookieDomain,
		path:     cfg.CookiePath,
		secure:   cfg.CookieSecure,
		httpOnly: !cfg.CookieNoHTTPOnly,
		sameSite: cfg.CookieSameSite,
		every:    cfg.SaveEveryRequest,
		browser:  cfg.ExpireAtBrowserClose,
		logger:   cfg.Logger,
		clock:    cfg.Now,
	}
	if m.name == "" {
		m.name = DefaultCookieName
	}
	if m.age == 0 {
		m.age = DefaultCookieAge
	}
	if m.path == "" {
		m.path = DefaultCookiePath
	}
	if m.sameSite == 0 {
		m.sameSite = http.SameSiteLaxMode
	}
	if m.logger == nil {
		m.logger = slog.Default()
	}
	if m.clock == nil {
		m.clock = time.Now
	}
	_, m.client = m.store.(ClientStore)
	m.longCookie = len(m.name)+len(m.domain)+len(m.path) > maxCookieSize/2

	var errs []error
	if m.store == nil {
		errs = append(errs, errors.New("sessions: Config.Store (SESSION_ENGINE) is nil; give a store, such as "+
			"cookiestore.New (the whole session in a signed cookie), memstore.New (memory, for tests and development) "+
			"or a database or Redis store"))
	}
	if !validCookieName(m.name) {
		errs = append(errs, fmt.Errorf("sessions: Config.CookieName (SESSION_COOKIE_NAME) %q is not a valid cookie name; "+
			"use letters, digits and -_.!#$%%&'*+^`|~ only, such as %q", m.name, DefaultCookieName))
	}
	if m.age < time.Second {
		errs = append(errs, fmt.Errorf("sessions: Config.CookieAge (SESSION_COOKIE_AGE) is %v; it must be at least a second, "+
			"such as %v (two weeks); for a cookie that ends with the browser session, set ExpireAtBrowserClose",
			cfg.CookieAge, DefaultCookieAge))
	}
	if !strings.HasPrefix(m.path, "/") {
		errs = append(errs, fmt.Errorf("sessions: Config.CookiePath (SESSION_COOKIE_PATH) %q must start with \"/\"", m.path))
	}
	if strings.ContainsAny(m.domain, "; \t\r\n,") {
		errs = append(errs, fmt.Errorf("sessions: Config.CookieDomain (SESSION_COOKIE_DOMAIN) %q is not a domain name", m.domain))
	}
	if m.sameSite == http.SameSiteNoneMode && !m.secure {
		errs = append(errs, errors.New("sessions: Config.CookieSameSite (SESSION_COOKIE_SAMESITE) is None but CookieSecure "+
			"(SESSION_COOKIE_SECURE) is false; browsers drop such cookies: set CookieSecure, or use Lax"))
	}
	if m.sameSite < http.SameSiteDefaultMode || m.sameSite > http.SameSiteNoneMode {
		errs = append(errs, fmt.Errorf("sessions: Config.CookieSameSite (SESSION_COOKIE_SAMESITE) %d is not an http.SameSite mode", m.sameSite))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

func validCookieName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}

func (m *Middleware) now() time.Time { return m.clock() }

// acceptKey reports whether a cookie value may name a session of the store. Values that cannot
// (too short, or not a key of a server-side store) are never looked up.
func (m *Middleware) acceptKey(key string) bool {
	if m.client {
		return len(key) >= minKeyLength
	}
	return validKey(key)
}

func (m *Middleware) atBrowserClose(e expiry) bool {
	if e.kind == expiryDefault {
		return m.browser
	}
	return e.kind == expiryAge && e.age == 0
}

func (m *Middleware) newSession(r *web.Request) *Session {
	s := &Session{m: m, req: r}
	var value string
	value, s.sent = cookieValue(r.Header, m.name)
	if len(value) >= minKeyLength {
		s.key = value
	}
	return s
}

// unavailable logs a store failure and returns the 503 error that answers it.
func (m *Middleware) unavailable(op string, err error) error {
	store, addr := fmt.Sprintf("%T", m.store), "unknown"
	var se *StoreError
	if errors.As(err, &se) {
		store, addr = se.Store, se.Addr
	}
	m.logger.Error("sessions: the session store is unavailable", "store", store, "addr", addr, "op", op, "error", err.Error())
	return &web.Error{
		Status:  http.StatusServiceUnavailable,
		Message: fmt.Sprintf("the %s session store at %s is unavailable (%s)", store, addr, op),
		Err:     err,
	}
}

// Wrap implements web.Middleware. A request whose view never uses its session costs nothing
// more than a request-scoped value: no store call and no allocation.
func (m *Middleware) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		r.Set(stateKey{}, m)
		resp, err := next(r)
		if err != nil || resp == nil {
			return resp, err
		}
		if resp.Handler != nil {
			// A net/http handler writes the answer after the middleware returns, and may use the
			// session while it does: finish when it starts writing.
			resp.Handler = &finishingHandler{m: m, r: r, resp: resp, next: resp.Handler}
			return resp, nil
		}
		cookie, vary, err := m.finish(r, resp.StatusCode())
		if err != nil {
			return nil, err
		}
		if vary {
			addVary(resp.Header())
		}
		if cookie != nil {
			resp.SetCookie(cookie)
		}
		return resp, nil
	}
}

// finish is Django's process_response for a response with the given status: it saves the
// session when it must and returns the cookie to set (or the deleting cookie) and whether the
// response varies with the Cookie header.
func (m *Middleware) finish(r *web.Request, status int) (*http.Cookie, bool, error) {
	s, _ := r.Get(stateKey{}).(*Session)
	if s == nil {
		if !m.every {
			// An untouched session is empty only when its cookie is too short to be a key;
			// Django then deletes the cookie.
			if value, sent := cookieValue(r.Header, m.name); sent && len(value) < minKeyLength {
				return m.deletingCookie(), true, nil
			}
			return nil, false, nil
		}
		s = m.newSession(r)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.committed = true
	if s.encodeErr != nil {
		return nil, false, s.encodeErr
	}
	if m.every && !s.loaded && s.key != "" && status < 500 {
		// Saving needs the data (the expiry lives in it); Django loads it too.
		if err := s.load(); err != nil {
			return nil, false, err
		}
	}
	empty := s.isEmpty()
	if s.sent && empty {
		return m.deletingCookie(), true, nil
	}
	if !(s.modified || m.every) || empty || status >= 500 {
		return nil, s.accessed, nil
	}
	if err := s.save(); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, s.accessed, web.BadRequest(InterruptedMessage)
		}
		return nil, s.accessed, err
	}
	c := m.cookie(r, s)
	if m.client || m.longCookie {
		if n := len(c.String()); n > maxCookieSize {
			return nil, s.accessed, m.tooLarge(n)
		}
	}
	return c, s.accessed, nil
}

func (m *Middleware) tooLarge(n int) error {
	msg := fmt.Sprintf("sessions: the session cookie %q would be %d bytes, more than the %d that browsers keep, "+
		"so it was not sent", m.name, n, maxCookieSize)
	if m.client {
		msg += "; the signed-cookie store keeps the whole session in the cookie: keep less in the session, " +
			`or switch SESSION_ENGINE (Config.Store) to a server-side store: "db" (sqlitestore or pgstore), ` +
			`"cache" (redisstore) or "cached_db" (cachedstore)`
	} else {
		msg += "; use shorter cookie settings (SESSION_COOKIE_NAME, SESSION_COOKIE_DOMAIN, SESSION_COOKIE_PATH)"
	}
	return errors.New(msg)
}

// cookie returns the session cookie for s; s.mu is held.
func (m *Middleware) cookie(r *web.Request, s *Session) *http.Cookie {
	c := &http.Cookie{
		Name:     m.name,
		Value:    s.key,
		Path:     m.path,
		Domain:   m.domain,
		Secure:   m.secure || r.IsSecure(),
		HttpOnly: m.httpOnly,
		SameSite: m.sameSite,
	}
	e := parseExpiry(s.values[ExpiryKey])
	if !m.atBrowserClose(e) {
		now := m.now()
		age := expiryAgeOf(e, now, m.age)
		c.MaxAge = int(age / time.Second)
		if c.MaxAge <= 0 {
			c.MaxAge = -1 // Max-Age=0: the session has already expired
		}
		c.Expires = now.Add(age)
	}
	return c
}

// deletingCookie tells the browser to forget the session cookie, as Django's delete_cookie.
func (m *Middleware) deletingCookie() *http.Cookie {
	return &http.Cookie{
		Name:     m.name,
		Path:     m.path,
		Domain:   m.domain,
		MaxAge:   -1,
		Expires:  time.Unix(0, 0).UTC(),
		SameSite: m.sameSite,
		Secure: strings.HasPrefix(m.name, "__Secure-") || strings.HasPrefix(m.name, "__Host-") ||
			m.sameSite == http.SameSiteNoneMode,
	}
}

// cookieValue finds a cookie in the request headers without allocating: the first one named
// name, with surrounding double quotes removed.
func cookieValue(h http.Header, name string) (string, bool) {
	for _, line := range h["Cookie"] {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			part = strings.TrimSpace(part)
			n, v, ok := strings.Cut(part, "=")
			if !ok || strings.TrimSpace(n) != name {
				continue
			}
			v = strings.TrimSpace(v)
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			return v, true
		}
	}
	return "", false
}

// addVary adds Cookie to the Vary header unless it is there or Vary is "*": Django's
// patch_vary_headers.
func addVary(h http.Header) {
	vals := h["Vary"]
	for _, line := range vals {
		for item := range strings.SplitSeq(line, ",") {
			item = strings.TrimSpace(item)
			if item == "*" || strings.EqualFold(item, "Cookie") {
				return
			}
		}
	}
	if len(vals) == 0 {
		h["Vary"] = []string{"Cookie"}
		return
	}
	h["Vary"] = []string{strings.Join(vals, ", ") + ", Cookie"}
}

// finishingHandler runs the response phase of the middleware for a response written by a
// net/http handler: when the handler starts writing, or when it returns without writing.
type finishingHandler struct {
	m    *Middleware
	r    *web.Request
	resp *web.Response
	next http.Handler
}

func (h *finishingHandler) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	fw := &finishingWriter{ResponseWriter: w, h: h}
	defer func() {
		// A session that cannot be loaded panics with a *web.Error (503); answer it here, as the
		// gateway answers it in a view, when nothing was sent yet.
		if p := recover(); p != nil {
			e, ok := p.(*web.Error)
			if !ok || fw.done {
				panic(p)
			}
			fw.done = true
			fw.fail(e)
		}
	}()
	h.next.ServeHTTP(fw, hr)
	if !fw.done {
		fw.finish(http.StatusOK)
	}
}

// finishingWriter finishes the session before the first byte of the answer goes out.
type finishingWriter struct {
	http.ResponseWriter
	h       *finishingHandler
	done    bool
	blocked bool // the session failed: an error answer was written instead
}

// finish runs the response phase; when it fails, it answers with the error's status instead
// and drops what the handler writes.
func (w *finishingWriter) finish(status int) {
	w.done = true
	if status == http.StatusOK && w.h.resp.Status != 0 {
		status = w.h.resp.Status // web.Response.Write turns the handler's 200 into this
	}
	cookie, vary, err := w.h.m.finish(w.h.r, status)
	if err != nil {
		w.fail(err)
		return
	}
	if vary {
		addVary(w.ResponseWriter.Header())
	}
	if cookie != nil {
		w.ResponseWriter.Header().Add("Set-Cookie", cookie.String())
	}
}

// fail answers with err's status instead of the handler's answer, whose writes are dropped.
func (w *finishingWriter) fail(err error) {
	w.h.r.RecordError(err) // the gateway logs it with the status
	code := web.StatusOf(err)
	w.blocked = true
	hdr := w.ResponseWriter.Header()
	for k := range hdr {
		delete(hdr, k)
	}
	http.Error(w.ResponseWriter, fmt.Sprintf("%d %s", code, http.StatusText(code)), code)
}

func (w *finishingWriter) WriteHeader(code int) {
	if !w.done {
		w.finish(code)
	}
	if !w.blocked {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *finishingWriter) Write(b []byte) (int, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	if w.blocked {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Flush sends the headers (finishing the session first) and what was written so far.
func (w *finishingWriter) Flush() {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok && !w.blocked {
		f.Flush()
	}
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *finishingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var _ web.Middleware = (*Middleware)(nil)
