// Package cachedstore puts a cache in front of another session store: Django's cached_db
// engine. Reads are served from the cache and fall through to the store on a miss; writes go
// to the store first, so the store stays the truth and the cache can be lost at any time.
//
//	db := pgstore.New(…)                    // or sqlitestore, or any sessions.Store
//	store, err := cachedstore.New(db, cachedstore.NewMemoryCache(100_000), cachedstore.Options{})
//	mw, err := sessions.New(sessions.Config{Store: store})
//
// The cache is anything that implements Cache: NewMemoryCache here, or a Redis cache shared by
// every instance of the site. A failing cache is only logged, as in Django: the store answers
// instead, so a cache outage slows the site down but does not break it.
//
// # Consistency
//
// Create writes the new session to the store and then to the cache. Update merges the request's
// changes in the store (so concurrent requests that change different keys both keep their
// change) and then removes the cache entry, because only the store knows the merged result; the
// next Load reads it back. Delete removes both.
//
// A Load that misses reads the store and fills the cache. If a write to the same session ran
// meanwhile, the value read may be older than that write: the fill is then undone, so the cache
// never keeps a session older than the last write made through this process. Writes made
// through another process are not seen by this check; a stale entry that one leaves (a fill and
// a write racing across two instances, or a write whose cache delete failed during a cache
// outage) lasts at most Options.MaxCacheAge.
package cachedstore

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/canter-go/canter/sessions"
)

// Cache is the cache side of the store. Implementations must be safe for concurrent use, keep
// copies of the maps they are given and return maps the caller may change (the
// json.RawMessage bytes may be shared). Keys are session keys; an implementation that shares its
// backend with other data should prefix them.
type Cache interface {
	// Get returns the record cached under key, and false on a miss.
	Get(ctx context.Context, key string) (rec sessions.Record, found bool, err error)
	// Set caches rec under key for ttl, replacing any entry.
	Set(ctx context.Context, key string, rec sessions.Record, ttl time.Duration) error
	// Delete removes the entry cached under key, if any.
	Delete(ctx context.Context, key string) error
}

// DefaultMaxCacheAge is how long a cache entry lives at most when Options.MaxCacheAge is zero.
const DefaultMaxCacheAge = time.Hour

// Options configures the store.
type Options struct {
	// MaxCacheAge bounds how long a session stays in the cache (it also leaves at its expiry).
	// It bounds how long a stale entry can survive a cache outage; an active session costs one
	// read of the store per MaxCacheAge. Zero means DefaultMaxCacheAge.
	MaxCacheAge time.Duration
	// Logger receives cache failures; nil means slog.Default().
	Logger *slog.Logger
	// Now returns the current time, for tests; nil means time.Now.
	Now func() time.Time
}

// Store is a session store with a read-through cache. It is safe for concurrent use.
type Store struct {
	db     sessions.Store
	cache  Cache
	maxAge time.Duration
	logger *slog.Logger
	now    func() time.Time
	// gens counts the writes made through this Store, by stripes of keys; a fill checks that its
	// stripe did not change while it read the store.
	gens [64]atomic.Uint64
}

// New returns a store that keeps sessions in db and caches them in cache.
func New(db sessions.Store, cache Cache, o Options) (*Store, error) {
	if db == nil || cache == nil {
		return nil, errors.New("cachedstore: New needs both a store (the database) and a cache")
	}
	if o.MaxCacheAge < 0 {
		return nil, errors.New("cachedstore: Options.MaxCacheAge must not be negative")
	}
	s := &Store{db: db, cache: cache, maxAge: o.MaxCacheAge, logger: o.Logger, now: o.Now}
	if s.maxAge == 0 {
		s.maxAge = DefaultMaxCacheAge
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

func (s *Store) stripe(key string) *atomic.Uint64 {
	h := uint32(2166136261) // FNV-1a
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return &s.gens[h%uint32(len(s.gens))]
}

func (s *Store) cacheFailed(op string, err error) {
	s.logger.Error("cachedstore: the session cache failed; using the store", "op", op, "error", err.Error())
}

func (s *Store) ttl(rec sessions.Record) time.Duration {
	return min(rec.Expiry.Sub(s.now()), s.maxAge)
}

// fill caches rec, read from the store after the stripe's count was gen; rec is not kept.
func (s *Store) fill(ctx context.Context, key string, rec sessions.Record, gen uint64) {
	ttl := s.ttl(rec)
	if ttl <= 0 {
		return
	}
	if err := s.cache.Set(ctx, key, rec, ttl); err != nil {
		s.cacheFailed("set", err)
		return
	}
	if s.stripe(key).Load() != gen {
		// A write ran while the store was read: what was cached may be older than it.
		s.invalidate(ctx, key)
	}
}

func (s *Store) invalidate(ctx context.Context, key string) {
	if err := s.cache.Delete(ctx, key); err != nil {
		s.cacheFailed("delete", err)
	}
}

// written records a write of key and removes its cache entry.
func (s *Store) written(ctx context.Context, key string) {
	s.stripe(key).Add(1)
	s.invalidate(ctx, key)
}

// Load returns the session from the cache, or from the store (filling the cache) on a miss.
func (s *Store) Load(ctx context.Context, key string) (sessions.Record, error) {
	rec, found, err := s.cache.Get(ctx, key)
	if err != nil {
		s.cacheFailed("get", err)
	} else if found && rec.Expiry.After(s.now()) {
		return rec, nil
	}
	gen := s.stripe(key).Load()
	rec, err = s.db.Load(ctx, key)
	if err != nil {
		return sessions.Record{}, err
	}
	s.fill(ctx, key, rec, gen)
	return rec, nil
}

// Create stores the session in the store, then in the cache.
func (s *Store) Create(ctx context.Context, key string, rec sessions.Record) error {
	gen := s.stripe(key).Load()
	if err := s.db.Create(ctx, key, rec); err != nil {
		return err
	}
	s.fill(ctx, key, rec, gen)
	return nil
}

// Update merges the changes in the store, then removes the cache entry.
func (s *Store) Update(ctx context.Context, key string, ch sessions.Changes) error {
	err := s.db.Update(ctx, key, ch)
	s.written(ctx, key)
	return err
}

// Delete removes the session from the store and the cache.
func (s *Store) Delete(ctx context.Context, key string) error {
	err := s.db.Delete(ctx, key)
	s.written(ctx, key)
	return err
}

// DeleteExpired removes expired sessions from the store; cache entries expire by themselves.
func (s *Store) DeleteExpired(ctx context.Context) error { return s.db.DeleteExpired(ctx) }

var (
	_ sessions.Store = (*Store)(nil)
	_ Cache          = (*MemoryCache)(nil)
)
