package csrf

import "errors"

// Session is the part of a user's session the middleware needs when Config.UseSessions is set:
// one string value under SessionKey. The sessions package's session satisfies it; a test can
// use a map.
type Session interface {
	// GetString returns the string stored under key and whether there is one.
	GetString(key string) (string, bool)
	// SetString stores value under key.
	SetString(key, value string)
}

// ErrNoSession is Django's ImproperlyConfigured error for Config.UseSessions without a session:
// Config.Session found none for the request, so the session middleware is missing or comes after
// the CSRF middleware. The request is answered with a 500 and this message.
var ErrNoSession = errors.New("CSRF_USE_SESSIONS is enabled, but request.session is not set. SessionMiddleware must appear before CsrfViewMiddleware in MIDDLEWARE.")
