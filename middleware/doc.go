// Package middleware holds Django's built-in middleware for Canter, plus two small ones Django
// leaves to third parties. Each is a web.Middleware made by a constructor that takes a config
// struct and checks it, and each behaves as its Django counterpart:
//
//	Security       SecurityMiddleware: HSTS, nosniff, Referrer-Policy, COOP, SSL redirect
//	Common         CommonMiddleware: forbidden user agents, Host validation, PREPEND_WWW, APPEND_SLASH
//	XFrameOptions  XFrameOptionsMiddleware: X-Frame-Options (clickjacking protection)
//	GZip           GZipMiddleware: gzip bodies and streams, with Django's BREACH padding
//	ConditionalGet ConditionalGetMiddleware: ETag, 304 Not Modified, 412 Precondition Failed
//	RequestIDs     a request id on the request (RequestID) and the response
//	AccessLog      one log/slog line per request
//
// Every field of every config is zero by default, and the zero value means Django's default:
// a zero SecurityConfig sends nosniff, Referrer-Policy: same-origin and
// Cross-Origin-Opener-Policy: same-origin, as Django does out of the box. Settings whose
// Django default is on are turned off with a Disable… field. Each field names the Django setting
// it stands for.
//
// A typical stack, in Django's recommended order (outermost first):
//
//	security, _ := middleware.Security(middleware.SecurityConfig{HSTSSeconds: 3600})
//	common, _ := middleware.Common(middleware.CommonConfig{})
//	xframe, _ := middleware.XFrameOptions(middleware.XFrameConfig{})
//	h := handler.New(handler.Config{
//		Site:       web.Site{Resolver: router, AllowedHosts: []string{".example.com"}},
//		Middleware: []web.Middleware{security, common, xframe},
//	})
//
// As in Django, put Security near the top, and GZip and ConditionalGet above (outside) any
// middleware that reads or changes the body; RequestIDs and AccessLog go first, so that every
// layer sees the id and the log times the whole request:
//
//	request_id, access_log, security, gzip, conditional_get, common, xframe
//
// Build makes the same list from names ("security", "common", "xframe", "gzip",
// "conditional_get", "request_id", "access_log") for a MIDDLEWARE setting; Names lists them.
//
// Views opt out of some behaviour with decorators, as with Django's: NoAppendSlash,
// XFrameExempt, XFrameDeny and XFrameSameOrigin.
//
// The deploy checks of Django's `check --deploy` that concern these middleware (security.W001
// and friends) are plain functions in this package (see DeployChecks), for the checks framework
// to call with the settings' values.
//
// # Differences from Django
//
//   - Regular expressions (SECURE_REDIRECT_EXEMPT, DISALLOWED_USER_AGENTS) use Go's RE2 syntax,
//     which lacks look-around and back-references; they are checked when the middleware is made.
//   - CommonMiddleware does not add Content-Length: the response writer already sends one for
//     every non-streaming body (net/http for small bodies, web.Response.Write for larger ones),
//     so the header Django adds reaches the client all the same, without a header map and a
//     string per request.
//   - GZip leaves alone responses written by an http.Handler (web.FromHandler, web.File): they
//     set their own Content-Length and answer Range requests, which compression would break.
package middleware
