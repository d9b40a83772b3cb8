package sessions

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Store keeps sessions on the server side. Every store package (memstore, sqlitestore,
// pgstore, redisstore, cachedstore) implements it; the middleware calls it at most once to load
// and once to save per request, plus a Create and a Delete when the request cycles the key and a
// Delete when it flushes the session. The signed-cookie store implements ClientStore instead.
//
// Values are JSON documents, one per session key, so that a store can merge what a request
// changed into what another request saved meanwhile: two concurrent requests of one browser that
// change different keys both keep their change. Two changes of the same key: the last save wins.
type Store interface {
	// Load returns the session stored under key. It returns ErrNotFound when there is none or it
	// has expired.
	Load(ctx context.Context, key string) (Record, error)
	// Create stores a new session under key. It returns ErrExists when the key is taken, so the
	// caller can draw another key.
	Create(ctx context.Context, key string, rec Record) error
	// Update applies changes to the session stored under key, atomically with respect to other
	// updates of the same session. It returns ErrNotFound when the session no longer exists (it
	// was deleted or expired meanwhile: Django's "session interrupted").
	Update(ctx context.Context, key string, ch Changes) error
	// Delete removes the session; deleting a missing session is not an error.
	Delete(ctx context.Context, key string) error
	// DeleteExpired removes expired sessions (the clearsessions command). Stores that expire
	// entries by themselves may do nothing.
	DeleteExpired(ctx context.Context) error
}

// Record is a stored session: its values and when it expires.
//
// The maps of a Record or Changes belong to whoever made them: a store copies what it keeps and
// returns maps the caller may change. The json.RawMessage bytes themselves are never modified
// once handed over, so they may be shared.
type Record struct {
	// Values maps each session key to its JSON-encoded value.
	Values map[string]json.RawMessage
	// Expiry is when the session stops being valid.
	Expiry time.Time
}

// Changes is what one request did to a session.
type Changes struct {
	// Clear means every stored value is dropped before Set is applied (a flush or clear).
	Clear bool
	// Set holds new or changed values.
	Set map[string]json.RawMessage
	// Delete lists keys to remove.
	Delete []string
	// Expiry is the new expiry of the session.
	Expiry time.Time
}

// ClientStore is a Store that keeps no server state: the whole session travels in the cookie, as
// with the signed-cookie store. The middleware loads such a session with Load(ctx, cookieValue)
// and saves it by asking Encode for the new cookie value, instead of calling Create and Update;
// Delete and DeleteExpired have nothing to do. Since every save replaces the whole cookie,
// concurrent changes cannot be merged: the last response the browser receives wins.
type ClientStore interface {
	Store
	// Encode returns the cookie value that holds rec.
	Encode(ctx context.Context, rec Record) (string, error)
}

// Errors stores return.
var (
	// ErrNotFound means no valid session is stored under the key.
	ErrNotFound = errors.New("sessions: session not found")
	// ErrExists means a session is already stored under the key.
	ErrExists = errors.New("sessions: session key already exists")
)

// StoreError wraps a failure to reach a store (a database or Redis that is down). The
// middleware answers it with 503 Service Unavailable and logs Store and Addr.
type StoreError struct {
	// Store names the store, such as "redis" or "postgres".
	Store string
	// Addr is where the store was reached, without credentials.
	Addr string
	// Op is the operation that failed ("load", "save", …).
	Op string
	// Err is the underlying error.
	Err error
}

func (e *StoreError) Error() string {
	return "sessions: " + e.Store + " store at " + e.Addr + ": " + e.Op + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *StoreError) Unwrap() error { return e.Err }
