package redisstore

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/canter-go/canter/sessions"
)

// DefaultCachePrefix is the prefix of the Redis keys of a Cache when its prefix is empty.
const DefaultCachePrefix = "canter:cache:"

// Cache is a cache of byte values in Redis, each with a time to live: the cache in front of a
// database store that sessions/cachedstore needs (Django's cached_db engine). Make one with
// NewCache or Store.Cache. It is safe for concurrent use.
type Cache struct {
	client redis.UniversalClient
	addr   string
	prefix string
}

// NewCache returns a cache that keeps its entries under prefix (DefaultCachePrefix when
// empty) in the Redis that client reaches.
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

// Get returns the value stored under key. found is false when there is none (never stored,
// deleted or expired); err is a *sessions.StoreError when Redis cannot be reached.
func (c *Cache) Get(ctx context.Context, key string) (value []byte, found bool, err error) {
	value, err = c.client.Get(ctx, c.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, c.fail("cache get", err)
	}
	return value, true, nil
}

// Set stores value under key for ttl. A ttl of zero or less removes the entry, since it would
// be expired at once.
func (c *Cache) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return c.Delete(ctx, key)
	}
	if err := c.client.Set(ctx, c.prefix+key, value, ttl).Err(); err != nil {
		return c.fail("cache set", err)
	}
	return nil
}

// Delete removes the entry stored under key, if any.
func (c *Cache) Delete(ctx context.Context, key string) error {
	if err := c.client.Del(ctx, c.prefix+key).Err(); err != nil {
		return c.fail("cache delete", err)
	}
	return nil
}

func (c *Cache) fail(op string, err error) error {
	return &sessions.StoreError{Store: "redis", Addr: c.addr, Op: op, Err: err}
}
