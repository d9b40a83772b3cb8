package cachedstore

import (
	"container/list"
	"context"
	"encoding/json"
	"maps"
	"sync"
	"time"

	"github.com/canter-go/canter/sessions"
)

// MemoryCache is a Cache in process memory that holds at most a fixed number of sessions,
// dropping the least recently used. Make one with NewMemoryCache.
type MemoryCache struct {
	// Now returns the current time, for tests; nil means time.Now. Set it before use.
	Now func() time.Time

	mu      sync.Mutex
	max     int
	entries map[string]*list.Element
	lru     list.List // of *memEntry, most recently used first
}

type memEntry struct {
	key      string
	values   map[string]json.RawMessage
	expiry   time.Time
	deadline time.Time
}

// DefaultMemoryCacheSize is the capacity NewMemoryCache uses when given zero.
const DefaultMemoryCacheSize = 10000

// NewMemoryCache returns an empty cache of at most max sessions (DefaultMemoryCacheSize when
// max is zero or less).
func NewMemoryCache(max int) *MemoryCache {
	if max <= 0 {
		max = DefaultMemoryCacheSize
	}
	return &MemoryCache{max: max, entries: make(map[string]*list.Element)}
}

func (c *MemoryCache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Get returns a copy of the record cached under key.
func (c *MemoryCache) Get(_ context.Context, key string) (sessions.Record, bool, error) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return sessions.Record{}, false, nil
	}
	e := el.Value.(*memEntry)
	if !e.deadline.After(now) {
		c.lru.Remove(el)
		delete(c.entries, key)
		return sessions.Record{}, false, nil
	}
	c.lru.MoveToFront(el)
	return sessions.Record{Values: maps.Clone(e.values), Expiry: e.expiry}, true, nil
}

// Set caches a copy of rec under key for ttl.
func (c *MemoryCache) Set(_ context.Context, key string, rec sessions.Record, ttl time.Duration) error {
	e := &memEntry{key: key, values: maps.Clone(rec.Values), expiry: rec.Expiry, deadline: c.now().Add(ttl)}
	if e.values == nil {
		e.values = make(map[string]json.RawMessage)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		el.Value = e
		c.lru.MoveToFront(el)
		return nil
	}
	c.entries[key] = c.lru.PushFront(e)
	for c.lru.Len() > c.max {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.entries, last.Value.(*memEntry).key)
	}
	return nil
}

// Delete removes the entry cached under key.
func (c *MemoryCache) Delete(_ context.Context, key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.lru.Remove(el)
		delete(c.entries, key)
	}
	return nil
}

// Len returns the number of cached sessions, expired ones included until they are seen.
func (c *MemoryCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
