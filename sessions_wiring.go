package canter

import (
	"context"
	"fmt"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/cachedstore"
	"github.com/canter-go/canter/sessions/cookiestore"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/web"
)

// sessionStoreKey keeps the site's session store among the site's values.
type sessionStoreKey struct{}

// sessionStore returns the site's session store, opening it on first use from SESSION_ENGINE:
// a signed cookie, memory, the "default" database (SQLite or PostgreSQL), a cache (memory or
// Redis), or a cache in front of the database.
func (s *Site) sessionStore() (sessions.Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store != nil {
		return s.store, nil
	}
	store, err := openSessionStore(s.Settings, func(f func() error) { s.closers = append(s.closers, f) })
	if err != nil {
		return nil, err
	}
	s.store = store
	return store, nil
}

// SessionStore returns the store SESSION_ENGINE names, opening it if needed; the clearsessions
// command uses it.
func (s *Site) SessionStore() (sessions.Store, error) { return s.sessionStore() }

func openSessionStore(s *settings.Settings, onClose func(func() error)) (sessions.Store, error) {
	switch s.SessionEngine {
	case settings.SessionSignedCookies:
		return cookiestore.New(cookiestore.Options{SecretKey: s.SecretKey, FallbackKeys: s.SecretKeyFallbacks, MaxAge: s.SessionCookieAge})
	case settings.SessionMemory:
		return memstore.New(), nil
	case settings.SessionDB:
		return openDatabaseStore(s, onClose)
	case settings.SessionCache:
		return openCacheStore(s, onClose)
	case settings.SessionCachedDB:
		db, err := openDatabaseStore(s, onClose)
		if err != nil {
			return nil, err
		}
		cache, err := openCache(s, onClose)
		if err != nil {
			return nil, err
		}
		return cachedstore.New(db, cache, cachedstore.Options{})
	}
	return nil, fmt.Errorf("SESSION_ENGINE = %q is not one of signed_cookies, memory, db, cache, cached_db", s.SessionEngine)
}

func sessionsMiddleware(site *apps.Site) (web.Middleware, error) {
	s := site.Settings
	var store sessions.Store
	var err error
	if owner, ok := site.Owner.(*Site); ok {
		store, err = owner.sessionStore()
	} else {
		store, err = openSessionStore(s, site.OnClose)
	}
	if err != nil {
		return nil, err
	}
	return sessions.New(sessions.Config{
		Store:                store,
		CookieName:           s.SessionCookieName,
		CookieAge:            s.SessionCookieAge,
		CookieDomain:         s.SessionCookieDomain,
		CookiePath:           s.SessionCookiePath,
		CookieSecure:         s.SessionCookieSecure,
		CookieNoHTTPOnly:     !s.SessionCookieHTTPOnly,
		CookieSameSite:       sameSite(s.SessionCookieSameSite),
		SaveEveryRequest:     s.SessionSaveEveryRequest,
		ExpireAtBrowserClose: s.SessionExpireAtBrowserClose,
		Logger:               site.Logger,
	})
}

// csrfSession adapts a session to what CSRF_USE_SESSIONS needs.
type csrfSession struct{ s *sessions.Session }

func (c csrfSession) GetString(key string) (string, bool) { return c.s.GetString(key) }
func (c csrfSession) SetString(key, value string)         { c.s.Set(key, value) }

// sessionForCSRF finds a request's session for CSRF_USE_SESSIONS.
func sessionForCSRF(r *web.Request) (csrf.Session, error) {
	s, ok := sessions.Lookup(r)
	if !ok {
		return nil, csrf.ErrNoSession
	}
	return csrfSession{s}, nil
}

// clearSessions is the clearsessions command's work.
func clearSessions(ctx context.Context, site *Site) error {
	store, err := site.sessionStore()
	if err != nil {
		return err
	}
	return sessions.ClearExpired(ctx, store)
}
