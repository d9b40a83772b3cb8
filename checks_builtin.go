package canter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/canter-go/canter/checks"
)

// builtinChecks are the system checks every site runs: Django's security checks that concern
// settings outside any one middleware (the middleware packages add their own).
func builtinChecks() []checks.Check {
	return append(deployChecks(), []checks.Check{
		{Name: "security.secret_key", Tags: []string{"security"}, Deploy: true, Func: checkSecretKey},
		{Name: "security.debug", Tags: []string{"security"}, Deploy: true, Func: checkDebug},
		{Name: "security.cookies", Tags: []string{"security"}, Deploy: true, Func: checkCookies},
		{Name: "sessions.engine", Tags: []string{"sessions"}, Deploy: true, Func: checkSessionEngine},
		{Name: "security.csrf", Tags: []string{"security"}, Deploy: true, Func: checkCSRFMiddleware},
	}...)
}

const secretKeyHint = "Your SECRET_KEY has less than 50 characters, less than 5 unique characters, or it is a key made up for a single process or prefixed with 'django-insecure-' or 'canter-insecure-'. Generate a long and random value and give it as CANTER_SECRET_KEY, or the site is vulnerable to attacks on signed data."

// weakKey is Django's W009 rule, plus Canter's own insecure prefixes.
func weakKey(key string) bool {
	unique := map[rune]bool{}
	for _, r := range key {
		unique[r] = true
	}
	return len(key) < 50 || len(unique) < 5 ||
		strings.HasPrefix(key, "django-insecure-") || strings.HasPrefix(key, "canter-insecure-") ||
		strings.HasPrefix(key, "canter-ephemeral-")
}

func checkSecretKey(ctx *checks.Context) []checks.Message {
	var out []checks.Message
	if weakKey(ctx.Settings.SecretKey) {
		out = append(out, checks.Warning("security.W009", secretKeyHint, ""))
	}
	for i, k := range ctx.Settings.SecretKeyFallbacks {
		if weakKey(k) {
			out = append(out, checks.Warning("security.W025", fmt.Sprintf("Your SECRET_KEY_FALLBACKS[%d] is weak: %s", i, secretKeyHint), ""))
		}
	}
	return out
}

func checkDebug(ctx *checks.Context) []checks.Message {
	if ctx.Settings.Debug {
		return []checks.Message{checks.Warning("security.W018",
			"You should not have DEBUG set to True in deployment.",
			"Set DEBUG = false (or CANTER_DEBUG=false) in production.")}
	}
	return nil
}

func checkCookies(ctx *checks.Context) []checks.Message {
	s := ctx.Settings
	var out []checks.Message
	usesSessions := slices.Contains(s.Middleware, "sessions")
	if usesSessions && !s.SessionCookieSecure {
		out = append(out, checks.Warning("security.W012",
			"SESSION_COOKIE_SECURE is not set to True. Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions.",
			"Set SESSION_COOKIE_SECURE = true when the site is served over HTTPS."))
	}
	if usesSessions && !s.SessionCookieHTTPOnly {
		out = append(out, checks.Warning("security.W015",
			"SESSION_COOKIE_HTTPONLY is not set to True. Using an HttpOnly session cookie makes it more difficult for cross-site scripting attacks to hijack user sessions.",
			"Set SESSION_COOKIE_HTTPONLY = true."))
	}
	if slices.Contains(s.Middleware, "csrf") && !s.CSRFUseSessions && !s.CSRFCookieSecure && s.CSRFMode != "origin" {
		out = append(out, checks.Warning("security.W016",
			"You have 'csrf' in your MIDDLEWARE, but you have not set CSRF_COOKIE_SECURE to True. Using a secure-only CSRF cookie makes it more difficult for network traffic sniffers to steal the CSRF token.",
			"Set CSRF_COOKIE_SECURE = true when the site is served over HTTPS."))
	}
	return out
}

// checkCSRFMiddleware is Django's security.W003: the CSRF middleware is not in MIDDLEWARE.
func checkCSRFMiddleware(ctx *checks.Context) []checks.Message {
	if slices.Contains(ctx.Settings.Middleware, "csrf") {
		return nil
	}
	return []checks.Message{checks.Warning("security.W003",
		"You don't appear to be using Canter's built-in cross-site request forgery protection via the middleware ('csrf' is not in your MIDDLEWARE). Enabling the middleware is the safest approach to ensure you don't leave any holes.",
		"")}
}

func checkSessionEngine(ctx *checks.Context) []checks.Message {
	s := ctx.Settings
	if !slices.Contains(s.Middleware, "sessions") {
		return nil
	}
	memoryCache := s.SessionEngine == "cache" && s.Caches[s.SessionCacheAlias].Backend == "memory"
	if s.SessionEngine == "memory" || memoryCache {
		return []checks.Message{checks.Warning("sessions.W001",
			"Sessions are kept in this process's memory: they are lost on every restart, not shared between instances, and any visitor who is given a session uses memory until it expires.",
			`Use SESSION_ENGINE = "db" (SQLite or PostgreSQL in DATABASES), "cache" with Redis, or "signed_cookies".`)}
	}
	return nil
}
