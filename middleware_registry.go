package canter

import (
	"fmt"
	"net/http"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/web"
)

// builtinMiddleware maps the names MIDDLEWARE may list to Canter's own layers, each built from
// the settings.
var builtinMiddleware = map[string]apps.MiddlewareFactory{
	"csrf": csrfMiddleware,
}

func sameSite(v string) http.SameSite {
	switch v {
	case "Strict":
		return http.SameSiteStrictMode
	case "None":
		return http.SameSiteNoneMode
	case "":
		return http.SameSiteDefaultMode
	}
	return http.SameSiteLaxMode
}

func csrfMiddleware(site *apps.Site) (web.Middleware, error) {
	s := site.Settings
	cfg := csrf.DefaultConfig()
	cfg.CookieName = s.CSRFCookieName
	cfg.CookieAge = s.CSRFCookieAge
	cfg.CookieDomain = s.CSRFCookieDomain
	cfg.CookiePath = s.CSRFCookiePath
	cfg.CookieSecure = s.CSRFCookieSecure
	cfg.CookieHTTPOnly = s.CSRFCookieHTTPOnly
	cfg.CookieSameSite = sameSite(s.CSRFCookieSameSite)
	cfg.HeaderName = s.CSRFHeaderName
	cfg.TrustedOrigins = s.CSRFTrustedOrigins
	cfg.UseSessions = s.CSRFUseSessions
	cfg.SessionCookieDomain = s.SessionCookieDomain
	cfg.Logger = site.Logger
	if s.CSRFMode == settings.CSRFOrigin {
		cfg.Mode = csrf.ModeOrigin
	}
	if cfg.UseSessions {
		cfg.Session = sessionForCSRF
	}
	if name := s.CSRFFailureView; name != "" {
		switch v := site.Apps.View(name).(type) {
		case csrf.FailureView:
			cfg.FailureView = v
		case func(*web.Request, string) (*web.Response, error):
			cfg.FailureView = v
		case nil:
			return nil, fmt.Errorf("CSRF_FAILURE_VIEW = %q names no view; register it in an installed app's apps.Config.Views", name)
		default:
			return nil, fmt.Errorf("CSRF_FAILURE_VIEW = %q is a %T; it must be a func(*web.Request, reason string) (*web.Response, error)", name, v)
		}
	}
	return csrf.New(cfg)
}

// sessionForCSRF finds a request's session for CSRF_USE_SESSIONS.
func sessionForCSRF(r *web.Request) (csrf.Session, error) { return nil, csrf.ErrNoSession }
