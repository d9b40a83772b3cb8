package csrf_test

import (
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// mapSession is the smallest session: a map, and a count of writes.
type mapSession struct {
	values map[string]string
	writes int
}

func (s *mapSession) GetString(key string) (string, bool) {
	v, ok := s.values[key]
	return v, ok
}

func (s *mapSession) SetString(key, value string) {
	s.values[key] = value
	s.writes++
}

type sessionKey struct{}

// sessions is a session middleware keyed by the "sessionid" cookie.
type sessions struct {
	mu   sync.Mutex
	byID map[string]*mapSession
}

func (st *sessions) get(id string) *mapSession {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.byID[id]
	if s == nil {
		s = &mapSession{values: map[string]string{}}
		st.byID[id] = s
	}
	return s
}

func (st *sessions) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		if c, err := r.Cookie("sessionid"); err == nil {
			r.Set(sessionKey{}, st.get(c.Value))
		}
		return next(r)
	}
}

func sessionOf(r *web.Request) (csrf.Session, error) {
	if s, ok := r.Get(sessionKey{}).(*mapSession); ok {
		return s, nil
	}
	return nil, nil
}

func sessionSite(t *testing.T, withSessions bool) (*handler.Handler, *sessions) {
	cfg := csrf.DefaultConfig()
	cfg.UseSessions = true
	cfg.Session = sessionOf
	cfg.SessionCookieDomain = ".example.com"
	cfg.CookieDomain = ".ignored.example"
	cfg.Logger = quiet
	mw, err := csrf.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st := &sessions{byID: map[string]*mapSession{}}
	chain := []web.Middleware{mw}
	if withSessions {
		chain = []web.Middleware{st, mw}
	}
	router, _ := urls.New(urls.Path("form/", formView), urls.Path("token/", tokenView))
	h := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, Debug: true, AllowedHosts: []string{"testserver", "www.example.com"}},
		Middleware: chain,
		Logger:     quiet,
	})
	return h, st
}

func sessionRequest(method, path, sid string, header map[string]string) *http.Request {
	req := httptest.NewRequest(method, "http://testserver"+path, nil)
	if sid != "" {
		req.Header.Set("Cookie", "sessionid="+sid)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req
}

func TestSessionStorage(t *testing.T) {
	h, st := sessionSite(t, true)
	serve := func(req *http.Request) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	rec := serve(sessionRequest("GET", "/token/", "alice", nil))
	token := rec.Body.String()
	secret := st.get("alice").values["_csrftoken"]
	if len(token) != 64 || len(secret) != 32 || refUnmask(token) != secret {
		t.Fatalf("token %q, session secret %q", token, secret)
	}
	if rec.Header().Get("Set-Cookie") != "" || rec.Header().Get("Vary") != "" {
		t.Errorf("session mode wrote a cookie or Vary: %v", rec.Header())
	}
	writes := st.get("alice").writes
	serve(sessionRequest("GET", "/token/", "alice", nil))
	if st.get("alice").writes != writes {
		t.Errorf("an unchanged secret was written to the session again")
	}

	if rec := serve(sessionRequest("POST", "/form/", "alice", hdr("X-CSRFToken", token))); rec.Code != 200 {
		t.Errorf("POST with the session's token: %d", rec.Code)
	}
	serve(sessionRequest("GET", "/token/", "bob", nil))
	if rec := serve(sessionRequest("POST", "/form/", "bob", hdr("X-CSRFToken", token))); rec.Code != 403 ||
		!strings.Contains(rec.Body.String(), "CSRF token from the &#39;X-Csrftoken&#39; HTTP header incorrect.") {
		t.Errorf("POST with another session's token: %d", rec.Code)
	}
	if rec := serve(sessionRequest("POST", "/form/", "carol", hdr("X-CSRFToken", token))); rec.Code != 403 ||
		!strings.Contains(rec.Body.String(), "CSRF cookie not set.") {
		t.Errorf("POST from a session without a secret: %d %s", rec.Code, rec.Body.String())
	}

	// A secret stored masked (Django 3.2) is unmasked.
	st.get("dave").values["_csrftoken"] = tokenA2
	if rec := serve(sessionRequest("POST", "/form/", "dave", hdr("X-CSRFToken", tokenA))); rec.Code != 200 {
		t.Errorf("POST against a masked session secret: %d", rec.Code)
	}

	// The Referer check accepts the session cookie's domain, not the CSRF cookie's.
	for _, c := range []struct {
		referer string
		status  int
	}{
		{"https://shop.example.com/", 200},
		{"https://shop.ignored.example/", 403},
	} {
		req := sessionRequest("POST", "/form/", "alice", hdr("X-CSRFToken", token, "Referer", c.referer))
		req.Host = "www.example.com"
		req.TLS = &tls.ConnectionState{HandshakeComplete: true}
		if rec := serve(req); rec.Code != c.status {
			t.Errorf("Referer %s: %d, want %d", c.referer, rec.Code, c.status)
		}
	}
}

func TestSessionMissing(t *testing.T) {
	h, _ := sessionSite(t, false)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, sessionRequest("GET", "/token/", "", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "SessionMiddleware must appear before CsrfViewMiddleware") {
		t.Errorf("no session: %d %s", rec.Code, rec.Body.String())
	}

	cfg := csrf.DefaultConfig()
	cfg.UseSessions = true
	cfg.Session = sessionOf
	mw, _ := csrf.New(cfg)
	_, err := mw.Wrap(okView)(web.NewRequest(httptest.NewRequest("GET", "/", nil), nil))
	if !errors.Is(err, csrf.ErrNoSession) {
		t.Fatalf("Wrap without a session: %v", err)
	}
	const want = "CSRF_USE_SESSIONS is enabled, but request.session is not set. SessionMiddleware must appear before CsrfViewMiddleware in MIDDLEWARE."
	if err.Error() != want {
		t.Errorf("error = %q, want Django's %q", err, want)
	}

	broken := errors.New("store down")
	cfg.Session = func(*web.Request) (csrf.Session, error) { return nil, broken }
	mw, _ = csrf.New(cfg)
	if _, err := mw.Wrap(okView)(web.NewRequest(httptest.NewRequest("GET", "/", nil), nil)); !errors.Is(err, broken) {
		t.Errorf("a failing Session: %v", err)
	}
}
