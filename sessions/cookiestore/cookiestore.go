// Package cookiestore keeps the whole session in a signed cookie, in the format of Django's
// signed_cookies session engine: no server state, nothing to set up but the secret key. It is
// Canter's default store, as Flask's default session is a signed cookie.
//
//	store, err := cookiestore.New(cookiestore.Options{SecretKey: secret})
//	mw, err := sessions.New(sessions.Config{Store: store})
//
// The cookie value is Django's signing.dumps of the session's values, compressed when that helps,
// with the salt "django.contrib.sessions.backends.signed_cookies": a Django site with the same
// SECRET_KEY reads the cookies this store writes, and the other way round. Values are signed, not
// encrypted: the user can read them (but not change them). Keep secrets out of the session.
//
// Limits of a session kept in the cookie, as in Django:
//   - A cookie holds at most 4096 bytes. A session that would not fit is refused with an error
//     (a 500 whose message says to store less or to use a server-side store) rather than sent
//     and silently dropped by the browser.
//   - The server cannot revoke a cookie: Flush and CycleKey change the browser's cookie, but a
//     copy of an older cookie stays valid until it expires.
//   - Concurrent requests cannot be merged: the last cookie the browser receives wins.
//
// A session expires CookieAge (Options.MaxAge) after it was last saved, or at its own expiry
// when Session.SetExpiry or SetExpiryTime gave it one; Django applies SESSION_COOKIE_AGE even
// then. Key rotation works through Options.FallbackKeys (SECRET_KEY_FALLBACKS).
package cookiestore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/signing"
)

// Salt is the salt of Django's signed_cookies session engine.
const Salt = "django.contrib.sessions.backends.signed_cookies"

// MaxCookieSize is the largest cookie value the store writes: what browsers keep of a cookie.
const MaxCookieSize = 4096

// Options configures the store.
type Options struct {
	// SecretKey signs the cookies (SECRET_KEY). Required.
	SecretKey string
	// FallbackKeys are older secret keys whose cookies are still accepted
	// (SECRET_KEY_FALLBACKS). New cookies are always signed with SecretKey.
	FallbackKeys []string
	// MaxAge is how long a session lives after it was saved, unless it has its own expiry
	// (SESSION_COOKIE_AGE). Zero means sessions.DefaultCookieAge, two weeks. Give it the same
	// value as the middleware's Config.CookieAge.
	MaxAge time.Duration
	// AcceptSHA1 also accepts cookies signed with SHA-1, as Django 3.2 sites with
	// DEFAULT_HASHING_ALGORITHM = "sha1" wrote them.
	AcceptSHA1 bool
	// Now returns the current time, for tests; nil means time.Now.
	Now func() time.Time
}

// Store is the signed-cookie store. It implements sessions.ClientStore and is safe for
// concurrent use.
type Store struct {
	signer *signing.TimestampSigner
	age    time.Duration
	now    func() time.Time
}

// New returns a store that signs with o.SecretKey.
func New(o Options) (*Store, error) {
	if o.SecretKey == "" {
		return nil, errors.New("cookiestore: Options.SecretKey is empty; set it to the site's SECRET_KEY")
	}
	if o.MaxAge < 0 {
		return nil, fmt.Errorf("cookiestore: Options.MaxAge (SESSION_COOKIE_AGE) is %v; it must be positive", o.MaxAge)
	}
	signer, err := signing.NewTimestampSigner(signing.Options{
		Key:          o.SecretKey,
		FallbackKeys: o.FallbackKeys,
		Salt:         Salt,
		AcceptSHA1:   o.AcceptSHA1,
		Now:          o.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("cookiestore: %w", err)
	}
	s := &Store{signer: signer, age: o.MaxAge, now: o.Now}
	if s.age == 0 {
		s.age = sessions.DefaultCookieAge
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Load checks the signature of a cookie value and returns the session it holds. A value that
// is not signed with one of the keys, is malformed or has expired gives sessions.ErrNotFound:
// the middleware then starts an empty session.
func (s *Store) Load(_ context.Context, value string) (sessions.Record, error) {
	var values map[string]json.RawMessage
	if err := s.signer.UnsignObject(value, &values, 0); err != nil {
		return sessions.Record{}, sessions.ErrNotFound
	}
	signedAt, ok := timestamp(value)
	if !ok {
		return sessions.Record{}, sessions.ErrNotFound
	}
	expiry := sessions.ExpiryDate(values, signedAt, s.age)
	if s.now().After(expiry) {
		return sessions.Record{}, sessions.ErrNotFound
	}
	if values == nil {
		values = make(map[string]json.RawMessage)
	}
	return sessions.Record{Values: values, Expiry: expiry}, nil
}

// timestamp returns the signing time of a value whose signature was checked: the base-62 field
// before the signature.
func timestamp(value string) (time.Time, bool) {
	i := strings.LastIndexByte(value, ':')
	if i < 0 {
		return time.Time{}, false
	}
	j := strings.LastIndexByte(value[:i], ':')
	secs, err := signing.Base62Decode(value[j+1 : i])
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(secs, 0), true
}

// Encode returns the signed cookie value holding rec's values. It refuses a value longer than
// MaxCookieSize, which browsers would drop, with an error that says what to do.
func (s *Store) Encode(_ context.Context, rec sessions.Record) (string, error) {
	values := rec.Values
	if values == nil {
		values = map[string]json.RawMessage{}
	}
	v, err := s.signer.SignObject(values, true)
	if err != nil {
		return "", fmt.Errorf("cookiestore: encoding the session: %w", err)
	}
	if len(v) > MaxCookieSize {
		return "", fmt.Errorf("cookiestore: the session needs a %d-byte cookie, more than the %d that browsers keep, so it was not saved; "+
			`keep less in the session, or switch SESSION_ENGINE (Config.Store) to a server-side store: "db" (sqlitestore or pgstore), `+
			`"cache" (redisstore) or "cached_db" (cachedstore)`, len(v), MaxCookieSize)
	}
	return v, nil
}

var errClientSide = errors.New("cookiestore: the signed-cookie store keeps sessions in the cookie, not on the server; " +
	"the session middleware saves them with Encode")

// Create is not used: the session middleware saves a ClientStore's sessions with Encode.
func (s *Store) Create(context.Context, string, sessions.Record) error { return errClientSide }

// Update is not used: the session middleware saves a ClientStore's sessions with Encode.
func (s *Store) Update(context.Context, string, sessions.Changes) error { return errClientSide }

// Delete does nothing: the middleware deletes the cookie itself. As in Django, a copy of the
// cookie kept elsewhere stays valid until it expires.
func (s *Store) Delete(context.Context, string) error { return nil }

// DeleteExpired does nothing: expired cookies are refused when loaded.
func (s *Store) DeleteExpired(context.Context) error { return nil }

var _ sessions.ClientStore = (*Store)(nil)
