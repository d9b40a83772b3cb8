package redisstore

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/cachedstore"
)

// DefaultCachePrefix is the prefix of the Redis keys of a Cache when its prefix is empty.
const DefaultCachePrefix = "canter:sessioncache:"

// Cache is a cachedstore.Cache in Redis: the cache that cachedstore puts in front of a
// database store (Django's cached_db engine), shared by every instance of the site. Each
// entry is a hash in the store's layout under the cache's prefix, which Redis removes after
// its time to live. Make one with NewCache or Store.Cache; it is safe for concurrent use.
type Cache struct {
	client redis.UniversalClient
	addr   string
	prefix string
}

var _ cachedstore.Cache = (*Cache)(nil)

// NewCache returns a cache that keeps its entries under prefix (DefaultCachePrefix when
// empty) in the Redis that client reaches:
//
//	db, err := sqlitestore.Open("sessions.db", sqlitestore.Config{})
//	store, err := cachedstore.New(db, redisstore.NewCache(client, ""), cachedstore.Options{})
func NewCache(client redis.UniversalClient, prefix string) *Cache {
	if prefix == "" {
		prefix = DefaultCachePrefix
	}
	return &Cache{client: client, addr: New(client, Config{}).addr, prefix: prefix}
}

// Cache returns a cache that shares the store's client and keeps its entries under prefix
// (DefaultCachePrefix when empty). It stays usable until the store is closed.
func (s *Store) Cache(prefix string) *Cache {
	if prefix == "" {
		prefix = DefaultCachePrefix
	}
	return &Cache{client: s.client, addr: s.addr, prefix: prefix}
}

// Get returns the record cached under key; found is false when there is none (never cached,
// deleted or expired). A Redis that cannot be reached gives a *sessions.StoreError.
func (c *Cache) Get(ctx context.Context, key string) (rec sessions.Record, found bool, err error) {
	fields, err := c.client.HGetAll(ctx, c.prefix+key).Result()
	if err != nil {
		return sessions.Record{}, false, c.fail("cache get", err)
	}
	rec, err = record(fields)
	if err != nil {
		return sessions.Record{}, false, c.fail("cache get", err)
	}
	return rec, rec.Values != nil, nil
}

// Set caches rec under key for ttl, replacing any entry, in one MULTI/EXEC transaction. A ttl
// of zero or less removes the entry, since it would be expired at once.
func (c *Cache) Set(ctx context.Context, key string, rec sessions.Record, ttl time.Duration) error {
	if ttl <= 0 {
		return c.Delete(ctx, key)
	}
	pairs := make([]any, 0, 2+2*len(rec.Values))
	pairs = append(pairs, expiryField, strconv.FormatInt(rec.Expiry.UnixMilli(), 10))
	pairs, err := appendPairs(pairs, rec.Values)
	if err != nil {
		return err
	}
	rkey := c.prefix + key
	_, err = c.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, rkey)
		p.HSet(ctx, rkey, pairs...)
		p.PExpire(ctx, rkey, ttl)
		return nil
	})
	if err != nil {
		return c.fail("cache set", err)
	}
	return nil
}

// Delete removes the entry cached under key, if any.
func (c *Cache) Delete(ctx context.Context, key string) error {
	if err := c.client.Del(ctx, c.prefix+key).Err(); err != nil {
		return c.fail("cache delete", err)
	}
	return nil
}

func (c *Cache) fail(op string, err error) error {
	return &sessions.StoreError{Store: "redis", Addr: c.addr, Op: op, Err: err}
}

// record reads a session hash. Values is nil when fields are not a session (an empty result:
// no such key).
func record(fields map[string]string) (sessions.Record, error) {
	exp, ok := fields[expiryField]
	if !ok {
		return sessions.Record{}, nil
	}
	ms, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return sessions.Record{}, errBadExpiry(exp)
	}
	rec := sessions.Record{Values: make(map[string]json.RawMessage, len(fields)-1), Expiry: time.UnixMilli(ms)}
	for f, v := range fields {
		switch {
		case f == expiryField:
		case strings.HasPrefix(f, "\x00"):
			rec.Values[f[1:]] = json.RawMessage(v)
		default:
			rec.Values[f] = json.RawMessage(v)
		}
	}
	return rec, nil
}
