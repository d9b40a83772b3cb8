package canter

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/canter-go/canter/checks"
	"github.com/canter-go/canter/middleware"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/web"
)

// builtinMiddleware maps the names MIDDLEWARE may list to Canter's own layers, each built from
// the settings.
var builtinMiddleware = func() map[string]apps.MiddlewareFactory {
	m := map[string]apps.MiddlewareFactory{"csrf": csrfMiddleware, "sessions": sessionsMiddleware}
	for name, construct := range middleware.Names() {
		m[name] = func(site *apps.Site) (web.Middleware, error) {
			return construct(middlewareConfig(site))
		}
	}
	return m
}()

// middlewareConfig maps the settings onto the middleware package's configuration.
func middlewareConfig(site *apps.Site) middleware.Config {
	s := site.Settings
	var cfg middleware.Config
	cfg.Security = middleware.SecurityConfig{
		SSLRedirect:                    s.SecureSSLRedirect,
		SSLHost:                        s.SecureSSLHost,
		RedirectExempt:                 s.SecureRedirectExempt,
		HSTSSeconds:                    int(s.SecureHSTSSeconds / time.Second),
		HSTSIncludeSubdomains:          s.SecureHSTSIncludeSubdomains,
		HSTSPreload:                    s.SecureHSTSPreload,
		DisableContentTypeNosniff:      !s.SecureContentTypeNosniff,
		DisableReferrerPolicy:          s.SecureReferrerPolicy == "",
		CrossOriginOpenerPolicy:        s.SecureCrossOriginOpenerPolicy,
		DisableCrossOriginOpenerPolicy: s.SecureCrossOriginOpenerPolicy == "",
	}
	if s.SecureReferrerPolicy != "" {
		cfg.Security.ReferrerPolicy = strings.Split(s.SecureReferrerPolicy, ",")
	}
	cfg.Common = middleware.CommonConfig{
		DisallowedUserAgents: s.DisallowedUserAgents,
		PrependWWW:           s.PrependWWW,
		DisableAppendSlash:   !s.AppendSlash,
	}
	cfg.XFrame = middleware.XFrameConfig{Value: s.XFrameOptions}
	cfg.AccessLog = middleware.AccessLogConfig{Logger: site.Logger}
	return cfg
}

// deployChecks adds the middleware package's production checks (security.W001…E024).
func deployChecks() []checks.Check {
	return []checks.Check{{Name: "security.middleware", Tags: []string{"security"}, Deploy: true,
		Func: func(ctx *checks.Context) []checks.Message {
			site := &apps.Site{Settings: ctx.Settings}
			var out []checks.Message
			for _, m := range middleware.DeployChecks(ctx.Settings.Middleware, middlewareConfig(site), ctx.Settings.AllowedHosts) {
				out = append(out, checks.Message{Level: checks.Level(m.Level), ID: m.ID, Text: m.Text, Hint: m.Hint})
			}
			return out
		}}}
}

// sameSite maps a SAMESITE setting to the cookie attribute. The settings accept the values in
// any case, as Django does ("strict" is Strict); "" means no attribute.
func sameSite(v string) http.SameSite {
	switch {
	case strings.EqualFold(v, "Strict"):
		return http.SameSiteStrictMode
	case strings.EqualFold(v, "None"):
		return http.SameSiteNoneMode
	case v == "":
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
