// Package sessions gives each browser a session: Django's session framework in Go, with stores
// from a signed cookie up to PostgreSQL and Redis shared by many instances.
//
// # Setting up
//
// Make the middleware with a store and list it in the site's middleware, before anything that
// uses sessions:
//
//	store, err := cookiestore.New(cookiestore.Options{SecretKey: secret})
//	mw, err := sessions.New(sessions.Config{Store: store})
//	h := handler.New(handler.Config{Middleware: []web.Middleware{mw}, …})
//
// Config holds Django's SESSION_* settings, each field documented with its setting and default.
// The stores live in subpackages: cookiestore (the whole session in a signed cookie, Django's
// signed_cookies format; no server state), memstore (process memory), cachedstore (a cache in
// front of another store: Django's cached_db), and database and Redis stores. Any type that
// implements Store works, and package storetest checks that it behaves.
//
// # Using the session
//
// A view gets its request's session with Get; a net/http handler behind the gateway with
// FromHTTP:
//
//	func view(r *web.Request) (*web.Response, error) {
//		s := sessions.Get(r)
//		n, _ := s.GetInt("visits")
//		s.Set("visits", n+1)
//		return web.Text(fmt.Sprint(n + 1)), nil
//	}
//
// Values are JSON documents: Set encodes any value with Django's JSON rules, so a Django site
// sharing the store and SECRET_KEY reads them; Get, GetString, GetInt, GetBool and the generic
// Value decode them. Pop and PopValue read a value and remove it, which is how a flash message
// is shown once. Clear empties the session; Flush deletes it (logging out) and CycleKey moves it
// to a new key (logging in, against session fixation). SetExpiry, SetExpiryTime and
// UseDefaultExpiry are Django's set_expiry; ExpiryAge, ExpiryDate and ExpiresAtBrowserClose
// report the result.
//
// # What the middleware does
//
// It follows Django's SessionMiddleware rule for rule:
//
//   - The session is loaded on first use: a view that never touches it costs no store call and
//     no allocation.
//   - A key the browser sends that names no live session (unknown, expired, deleted, malformed)
//     is never adopted: the session starts empty and is saved under a new random key, so an
//     attacker cannot choose a victim's session key.
//   - The session is saved, and its cookie set, when it was modified (or on every request with
//     SaveEveryRequest), it is not empty, and the response status is below 500.
//   - When the browser sent a cookie and the session is now empty (after Flush, or an unknown
//     key), the cookie is deleted.
//   - When the session was used, the response gets Vary: Cookie.
//   - A session that expires when the browser closes gets a cookie without Max-Age and
//     Expires; others get both, from the session's expiry.
//   - A session deleted by another request while this one ran (a logout in another tab) is not
//     brought back: the request is answered 400 with Django's InterruptedMessage.
//   - A store that fails answers the request with 503 Service Unavailable and logs the store and
//     its address; the next request tries the store again, so the site recovers by itself.
//   - A signed-cookie session that would not fit in a 4096-byte cookie fails the request with a
//     500 whose logged message says to keep less in the session or to use a server-side store;
//     a cookie is never dropped silently.
//
// # Concurrent requests
//
// Django's rule is that the last request to save a session wins, so two requests of one browser
// that run at once (two tabs, parallel fetches) lose one another's changes. Here each request
// records what it changed — the keys it set, the keys it deleted, whether it cleared the
// session — and a server-side store applies only that change, atomically, to what is stored.
// Two requests that change different keys therefore both keep their change. When two requests
// change the same key, the one that saves last wins; a Clear drops whatever other requests saved
// before it. The signed-cookie store cannot merge (the browser keeps one cookie): there the last
// response wins, as in Django.
//
// # Stores
//
// A Store loads, creates, updates (with a Changes delta), deletes and expires sessions. Its
// errors other than ErrNotFound and ErrExists mean the store is unavailable; returning a
// *StoreError names the store and its address in the log. ClearExpired removes expired
// sessions, for the clearsessions command.
package sessions
