package sessions

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/canter-go/canter/signing"
	"github.com/canter-go/canter/web"
)

// Session is the session of one request: Django's request.session. Get it with Get (or
// FromHTTP in a net/http handler). The data is loaded from the store on first use, so a request
// that never reads or writes its session costs no store call.
//
// Values are JSON documents, one per key. Set encodes a value with Django's JSON rules;
// Get, the typed getters and Value decode it. Every method is safe to call from several
// goroutines of the request.
//
// When the store cannot be reached, the data cannot be loaded: the methods that need it then
// panic with a 503 *web.Error, which the gateway answers with "503 Service Unavailable" (as a
// Query with too many fields answers 400). Call Load first to receive that error as a value.
type Session struct {
	mu  sync.Mutex
	m   *Middleware
	req *web.Request

	sent    bool   // the request carried the session cookie
	key     string // the session key; "" when the session has none (yet)
	loaded  bool
	values  map[string]json.RawMessage
	dirty   map[string]struct{} // keys set or deleted since the last save
	cleared bool                // every stored value is to be dropped before dirty is applied
	fresh   bool                // created during this request, with nothing changed since

	accessed, modified bool
	committed, warned  bool  // the middleware is done with the session
	encodeErr          error // the first value Set could not encode
}

// stateKey is the request-scoped value under which the middleware leaves itself (until the
// session is first used) or the *Session.
type stateKey struct{}

// Get returns the session of r. The session middleware must have seen the request; Get panics
// otherwise, with an error that says so. The first call makes the Session; loading waits until
// its data is used.
func Get(r *web.Request) *Session {
	if r == nil {
		panic(errNoRequest)
	}
	switch v := r.Get(stateKey{}).(type) {
	case *Session:
		return v
	case *Middleware:
		s := v.newSession(r)
		r.Set(stateKey{}, s)
		return s
	}
	panic(errNoMiddleware)
}

// Lookup returns the session of r and true, or nil and false when the session middleware has
// not seen the request — for code that works with or without sessions.
func Lookup(r *web.Request) (*Session, bool) {
	if r == nil {
		return nil, false
	}
	switch r.Get(stateKey{}).(type) {
	case *Session, *Middleware:
		return Get(r), true
	}
	return nil, false
}

// FromHTTP returns the session of a request a net/http handler receives, when the handler
// runs behind the gateway (mounted with web.Handler or used through web.FromHTTP): it is
// Get(web.RequestOf(r)).
func FromHTTP(r *http.Request) *Session { return Get(web.RequestOf(r)) }

var (
	errNoMiddleware = errors.New("sessions: the request did not pass through the session middleware; " +
		"add the *sessions.Middleware made by sessions.New to the site's middleware, before every middleware that uses the session")
	errNoRequest = errors.New("sessions: Get was given a nil request; from a net/http handler, " +
		"use sessions.FromHTTP(r), and mount the handler behind the gateway (web.Handler) so that the request carries a *web.Request")
)

// Load loads the session's data now, if it is not loaded yet, and returns the error that the
// other methods would panic with: a 503 *web.Error when the store is unavailable. A missing or
// expired session is not an error: the session is then empty and will get a new key.
func (s *Session) Load() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accessed = true
	return s.load()
}

// load fills s.values; s.mu is held. An unknown, expired or malformed key is dropped, so a key a
// client made up is never adopted: the session will be saved under a new one.
func (s *Session) load() error {
	if s.loaded {
		return nil
	}
	if s.key != "" && s.m.acceptKey(s.key) {
		rec, err := s.m.store.Load(s.req.Context(), s.key)
		switch {
		case err == nil:
			s.values = rec.Values
		case errors.Is(err, ErrNotFound):
			s.key = ""
		default:
			return s.m.unavailable("load", err)
		}
	} else {
		s.key = ""
	}
	if s.values == nil {
		s.values = make(map[string]json.RawMessage)
	}
	s.loaded = true
	return nil
}

// use marks the session accessed and loads it; s.mu is held.
func (s *Session) use() {
	s.accessed = true
	if err := s.load(); err != nil {
		panic(err)
	}
}

// changed records that key was set or deleted; s.mu is held.
func (s *Session) changed(key string) {
	if s.dirty == nil {
		s.dirty = make(map[string]struct{})
	}
	s.dirty[key] = struct{}{}
	s.markModified()
}

func (s *Session) markModified() {
	s.modified = true
	s.fresh = false
	if s.committed && !s.warned {
		s.warned = true
		s.m.logger.Warn("sessions: the session was changed after its response was sent; the change is lost",
			"path", s.req.URL.Path)
	}
}

// Get decodes the value stored under key into dst, as json.Unmarshal does, and reports whether
// there was one. The error is a decoding error: the stored JSON does not fit dst.
func (s *Session) Get(key string, dst any) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use()
	raw, ok := s.values[key]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return true, fmt.Errorf("sessions: the value of %q does not decode into %T: %w", key, dst, err)
	}
	return true, nil
}

// raw returns the JSON stored under key.
func (s *Session) raw(key string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use()
	raw, ok := s.values[key]
	return raw, ok
}

// GetString returns the string stored under key. It reports false when there is none or the
// value is not a JSON string.
func (s *Session) GetString(key string) (string, bool) {
	raw, ok := s.raw(key)
	if !ok {
		return "", false
	}
	return decodeString(raw)
}

// GetInt returns the integer stored under key. It reports false when there is none or the value
// is not a JSON integer. (Django keeps the logged-in user's id as a string: use GetString.)
func (s *Session) GetInt(key string) (int64, bool) {
	raw, ok := s.raw(key)
	if !ok {
		return 0, false
	}
	var n int64
	if json.Unmarshal(raw, &n) != nil {
		return 0, false
	}
	return n, true
}

// GetBool returns the boolean stored under key. It reports false when there is none or the
// value is not true or false.
func (s *Session) GetBool(key string) (value, ok bool) {
	raw, ok := s.raw(key)
	switch {
	case !ok:
		return false, false
	case string(raw) == "true":
		return true, true
	case string(raw) == "false":
		return false, true
	}
	return false, false
}

// Value returns the value stored under key decoded as a T. It reports false when there is none
// or it does not decode as a T; use Session.Get to tell those apart.
func Value[T any](s *Session, key string) (T, bool) {
	var v T
	raw, ok := s.raw(key)
	if !ok || json.Unmarshal(raw, &v) != nil {
		var zero T
		return zero, false
	}
	return v, true
}

// PopValue removes the value stored under key and returns it decoded as a T: a flash message
// that is shown once. It reports false when there was none or it does not decode as a T; the
// value is removed either way.
func PopValue[T any](s *Session, key string) (T, bool) {
	var v T
	raw, ok := s.pop(key)
	if !ok || json.Unmarshal(raw, &v) != nil {
		var zero T
		return zero, false
	}
	return v, true
}

// decodeString decodes a JSON string, without the decoder when it has no escapes.
func decodeString(raw json.RawMessage) (string, bool) {
	n := len(raw)
	if n < 2 || raw[0] != '"' || raw[n-1] != '"' {
		return "", false
	}
	plain := true
	for _, c := range raw[1 : n-1] {
		if c == '\\' || c == '"' || c < 0x20 {
			plain = false
			break
		}
	}
	if plain {
		return string(raw[1 : n-1]), true
	}
	var v string
	if json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	return v, true
}

// Has reports whether a value is stored under key.
func (s *Session) Has(key string) bool {
	_, ok := s.raw(key)
	return ok
}

// Keys returns the keys of the session, sorted.
func (s *Session) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use()
	keys := make([]string, 0, len(s.values))
	for k := range s.values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Len returns the number of values in the session.
func (s *Session) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use()
	return len(s.values)
}

// Set stores value under key. The value is encoded as JSON at once, with Django's rules (see
// signing.JSON), so changing it afterwards does not change the session. A value that cannot be
// encoded (a channel, a function, NaN) leaves the session unchanged, and the request fails with
// a 500 whose message names the key when the middleware saves the session.
func (s *Session) Set(key string, value any) {
	raw, err := encodeValue(value)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if s.encodeErr == nil {
			s.encodeErr = fmt.Errorf("sessions: the value of %q cannot be stored as JSON: %w", key, err)
		}
		s.markModified()
		return
	}
	s.use()
	s.values[key] = raw
	s.changed(key)
}

func encodeValue(v any) (json.RawMessage, error) {
	if raw, ok := v.(json.RawMessage); ok && !json.Valid(raw) {
		return nil, errors.New("the json.RawMessage is not valid JSON")
	}
	b, err := signing.JSON(v)
	return json.RawMessage(b), err
}

// Delete removes the value stored under key, if any.
func (s *Session) Delete(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use()
	if _, ok := s.values[key]; ok {
		delete(s.values, key)
		s.changed(key)
	}
}

// Pop removes the value stored under key and decodes it into dst, reporting whether there was
// one: Django's pop, and Flask's way of showing a flash message once. The session is modified
// only when the key existed.
func (s *Session) Pop(key string, dst any) (bool, error) {
	raw, ok := s.pop(key)
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return true, fmt.Errorf("sessions: the value of %q does not decode into %T: %w", key, dst, err)
	}
	return true, nil
}

// PopString removes the value stored under key and returns it when it is a string.
func (s *Session) PopString(key string) (string, bool) {
	raw, ok := s.pop(key)
	if !ok {
		return "", false
	}
	return decodeString(raw)
}

func (s *Session) pop(key string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use()
	raw, ok := s.values[key]
	if ok {
		delete(s.values, key)
		s.changed(key)
	}
	return raw, ok
}

// Clear removes every value but keeps the session and its key: Django's clear. Values another
// request adds meanwhile are dropped too when this request saves. To log a user out, use Flush.
func (s *Session) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use()
	clear(s.values)
	s.dirty = nil
	s.cleared = true
	s.markModified()
}

// Flush deletes the session from the store at once and empties it: Django's flush, for logging
// out. The browser's cookie is deleted with the response; a value set afterwards goes into a new
// session with a new key. The error is a 503 *web.Error when the store is unavailable.
func (s *Session) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accessed = true
	if s.key != "" && !s.m.client && s.m.acceptKey(s.key) {
		if err := s.m.store.Delete(s.req.Context(), s.key); err != nil {
			return s.m.unavailable("delete", err)
		}
	}
	s.key = ""
	if s.values == nil {
		s.values = make(map[string]json.RawMessage)
	}
	clear(s.values)
	s.loaded = true
	s.dirty, s.cleared = nil, false
	s.markModified()
	return nil
}

// CycleKey moves the session's data to a new key and deletes the old one from the store at
// once: Django's cycle_key. Call it when a user logs in, so that a key planted in the browser
// beforehand (session fixation) is worth nothing. The error is a 503 *web.Error when the store
// is unavailable. With a store that keeps no server state the cookie simply changes.
func (s *Session) CycleKey() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accessed = true
	if err := s.load(); err != nil {
		return err
	}
	s.markModified()
	if s.m.client {
		return nil
	}
	old := s.key
	if err := s.create(); err != nil {
		return err
	}
	s.fresh = true
	if old != "" {
		if err := s.m.store.Delete(s.req.Context(), old); err != nil {
			return s.m.unavailable("delete", err)
		}
	}
	return nil
}

// create stores the whole session under a new key, drawing keys until the store accepts one;
// s.mu is held and the session is loaded.
func (s *Session) create() error {
	rec := Record{Values: s.values, Expiry: ExpiryDate(s.values, s.m.now(), s.m.age)}
	for range maxCreateAttempts {
		key := newKey()
		err := s.m.store.Create(s.req.Context(), key, rec)
		if errors.Is(err, ErrExists) {
			continue
		}
		if err != nil {
			return s.m.unavailable("create", err)
		}
		s.key = key
		s.dirty, s.cleared = nil, false
		return nil
	}
	return s.m.unavailable("create", fmt.Errorf("the store answered ErrExists for %d new random keys in a row; it is not storing sessions correctly", maxCreateAttempts))
}

// save writes what the request changed; s.mu is held and the session is loaded and not empty.
// It returns ErrNotFound when the session was deleted meanwhile.
func (s *Session) save() error {
	ctx := s.req.Context()
	if cs, ok := s.m.store.(ClientStore); ok {
		v, err := cs.Encode(ctx, Record{Values: s.values, Expiry: ExpiryDate(s.values, s.m.now(), s.m.age)})
		if err != nil {
			return err
		}
		s.key = v
		return nil
	}
	if s.key == "" {
		return s.create()
	}
	if s.fresh {
		return nil // CycleKey stored everything and nothing changed since
	}
	ch := Changes{Clear: s.cleared, Expiry: ExpiryDate(s.values, s.m.now(), s.m.age)}
	for k := range s.dirty {
		if v, ok := s.values[k]; ok {
			if ch.Set == nil {
				ch.Set = make(map[string]json.RawMessage, len(s.dirty))
			}
			ch.Set[k] = v
		} else if !s.cleared {
			ch.Delete = append(ch.Delete, k)
		}
	}
	if err := s.m.store.Update(ctx, s.key, ch); err != nil {
		if errors.Is(err, ErrNotFound) {
			return ErrNotFound
		}
		return s.m.unavailable("update", err)
	}
	s.dirty, s.cleared = nil, false
	return nil
}

// Key returns the session key: what the cookie holds. It is "" for a session that has not been
// saved yet, and after Flush; a key the client sent that names no live session is dropped when
// the session is loaded.
func (s *Session) Key() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.key
}

// IsEmpty reports whether the session has no key and no data: Django's is_empty.
func (s *Session) IsEmpty() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.isEmpty()
}

func (s *Session) isEmpty() bool { return s.key == "" && len(s.values) == 0 }

// Accessed reports whether the request read or changed the session; the response then varies
// with the Cookie header.
func (s *Session) Accessed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accessed
}

// Modified reports whether the request changed the session, so that it is saved.
func (s *Session) Modified() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.modified
}

// MarkModified makes the middleware save the session and send its cookie again, renewing its
// expiry, although no value changed: Django's `request.session.modified = True`.
func (s *Session) MarkModified() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use()
	s.markModified()
}

// SetExpiry makes the session expire age after each save (Django's set_expiry with a number
// of seconds), whatever CookieAge says; an age of 0 makes the cookie end when the browser
// closes. The expiry is kept in the session under ExpiryKey, as Django keeps it.
func (s *Session) SetExpiry(age time.Duration) {
	s.Set(ExpiryKey, int64(age/time.Second))
}

// SetExpiryTime makes the session expire at t (Django's set_expiry with a datetime; for
// Django's timedelta, pass time.Now().Add(d)).
func (s *Session) SetExpiryTime(t time.Time) {
	s.Set(ExpiryKey, formatISODate(t))
}

// UseDefaultExpiry drops the session's own expiry, so that the site's policy applies again
// (CookieAge and ExpireAtBrowserClose): Django's set_expiry(None).
func (s *Session) UseDefaultExpiry() { s.Delete(ExpiryKey) }

func (s *Session) expiry() expiry {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use()
	return parseExpiry(s.values[ExpiryKey])
}

// ExpiryAge returns how long the session has left from now, as its cookie's Max-Age says:
// Django's get_expiry_age.
func (s *Session) ExpiryAge() time.Duration {
	return expiryAgeOf(s.expiry(), s.m.now(), s.m.age)
}

// ExpiryDate returns when the session expires if it is saved now: Django's get_expiry_date.
func (s *Session) ExpiryDate() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.use()
	return ExpiryDate(s.values, s.m.now(), s.m.age)
}

// ExpiresAtBrowserClose reports whether the session's cookie ends with the browser session
// (it has no Max-Age): the session's own expiry is 0, or it has none and the site's
// ExpireAtBrowserClose is set. Django's get_expire_at_browser_close.
func (s *Session) ExpiresAtBrowserClose() bool {
	return s.m.atBrowserClose(s.expiry())
}
