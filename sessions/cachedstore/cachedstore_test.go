package cachedstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/cachedstore"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/sessions/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) sessions.Store {
		s, err := cachedstore.New(memstore.New(), cachedstore.NewMemoryCache(0), cachedstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestConformanceWithCacheDown runs the suite with a cache that always fails: the store answers.
func TestConformanceWithCacheDown(t *testing.T) {
	storetest.Run(t, func(t *testing.T) sessions.Store {
		cache := &flakyCache{Cache: cachedstore.NewMemoryCache(0)}
		cache.down.Store(true)
		var logs bytes.Buffer
		s, err := cachedstore.New(memstore.New(), cache, cachedstore.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// countingDB counts loads and can hold a Load until released.
type countingDB struct {
	sessions.Store
	loads atomic.Int32
	hold  chan chan struct{} // when set, Load sends a release channel and waits on it
}

func (d *countingDB) Load(ctx context.Context, key string) (sessions.Record, error) {
	d.loads.Add(1)
	rec, err := d.Store.Load(ctx, key)
	if d.hold != nil {
		release := make(chan struct{})
		d.hold <- release
		<-release
	}
	return rec, err
}

// flakyCache fails every call while down.
type flakyCache struct {
	cachedstore.Cache
	down atomic.Bool
}

var errCacheDown = errors.New("dial tcp 127.0.0.1:6391: connect: connection refused")

func (c *flakyCache) Get(ctx context.Context, key string) (sessions.Record, bool, error) {
	if c.down.Load() {
		return sessions.Record{}, false, errCacheDown
	}
	return c.Cache.Get(ctx, key)
}

func (c *flakyCache) Set(ctx context.Context, key string, rec sessions.Record, ttl time.Duration) error {
	if c.down.Load() {
		return errCacheDown
	}
	return c.Cache.Set(ctx, key, rec, ttl)
}

func (c *flakyCache) Delete(ctx context.Context, key string) error {
	if c.down.Load() {
		return errCacheDown
	}
	return c.Cache.Delete(ctx, key)
}

const key = "abcdefghijklmnopqrstuvwxyz012345"

func values(pairs ...string) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i]] = json.RawMessage(pairs[i+1])
	}
	return m
}

func setup(t *testing.T) (*cachedstore.Store, *countingDB, *flakyCache, *bytes.Buffer) {
	t.Helper()
	db := &countingDB{Store: memstore.New()}
	cache := &flakyCache{Cache: cachedstore.NewMemoryCache(0)}
	var logs bytes.Buffer
	s, err := cachedstore.New(db, cache, cachedstore.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s, db, cache, &logs
}

func TestReadsThroughTheCache(t *testing.T) {
	s, db, _, _ := setup(t)
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	if err := s.Create(ctx, key, sessions.Record{Values: values("a", `1`), Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := s.Load(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	if n := db.loads.Load(); n != 0 {
		t.Fatalf("%d store loads after Create (write-through) and three Loads, want 0", n)
	}
	if err := s.Update(ctx, key, sessions.Changes{Set: values("b", `2`), Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Load(ctx, key)
	if err != nil || string(rec.Values["b"]) != "2" {
		t.Fatalf("Load after Update = %v, %v; want the change", rec.Values, err)
	}
	s.Load(ctx, key)
	if n := db.loads.Load(); n != 1 {
		t.Fatalf("%d store loads after an Update and two Loads, want 1 (then cached)", n)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, key); !errors.Is(err, sessions.ErrNotFound) {
		t.Fatalf("Load after Delete = %v, want ErrNotFound", err)
	}
}

// TestCacheOutage checks that cache failures are logged and the store answers.
func TestCacheOutage(t *testing.T) {
	s, db, cache, logs := setup(t)
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	cache.down.Store(true)
	if err := s.Create(ctx, key, sessions.Record{Values: values("a", `1`), Expiry: exp}); err != nil {
		t.Fatalf("Create with the cache down = %v", err)
	}
	if err := s.Update(ctx, key, sessions.Changes{Set: values("b", `2`), Expiry: exp}); err != nil {
		t.Fatalf("Update with the cache down = %v", err)
	}
	rec, err := s.Load(ctx, key)
	if err != nil || len(rec.Values) != 2 {
		t.Fatalf("Load with the cache down = %v, %v", rec.Values, err)
	}
	if db.loads.Load() != 1 {
		t.Fatalf("%d store loads, want 1", db.loads.Load())
	}
	if !bytes.Contains(logs.Bytes(), []byte("connection refused")) {
		t.Fatalf("the cache failure was not logged:\n%s", logs)
	}
	if bytes.Contains(logs.Bytes(), []byte(key)) {
		t.Fatal("the log shows a session key")
	}
	cache.down.Store(false)
	s.Load(ctx, key)
	s.Load(ctx, key)
	if db.loads.Load() != 2 {
		t.Fatalf("%d store loads after the cache came back, want 2 (one fill, then cached)", db.loads.Load())
	}
}

// TestFillRacingAnUpdate holds a Load that missed the cache while an Update runs: the value it
// read is older than the update and must not stay in the cache.
func TestFillRacingAnUpdate(t *testing.T) {
	s, db, _, _ := setup(t)
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	if err := db.Store.Create(ctx, key, sessions.Record{Values: values("a", `1`), Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	db.hold = make(chan chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.Load(ctx, key) // reads {"a":1}, then waits
	}()
	release := <-db.hold
	db.hold = nil
	if err := s.Update(ctx, key, sessions.Changes{Set: values("b", `2`), Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	close(release)
	wg.Wait()
	rec, err := s.Load(ctx, key)
	if err != nil || string(rec.Values["b"]) != "2" {
		t.Fatalf("Load after a fill raced an Update = %v, %v; the cache kept the older session", rec.Values, err)
	}
}

func TestMaxCacheAge(t *testing.T) {
	now := time.Unix(1700000000, 0)
	clock := func() time.Time { return now }
	db := &countingDB{Store: memstore.New()}
	db.Store.(*memstore.Store).Now = clock
	cache := cachedstore.NewMemoryCache(0)
	cache.Now = clock
	s, err := cachedstore.New(db, cache, cachedstore.Options{MaxCacheAge: time.Minute, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s.Create(ctx, key, sessions.Record{Values: values("a", `1`), Expiry: now.Add(time.Hour)})
	now = now.Add(59 * time.Second)
	s.Load(ctx, key)
	if db.loads.Load() != 0 {
		t.Fatal("the cache entry was gone before MaxCacheAge")
	}
	now = now.Add(2 * time.Second)
	s.Load(ctx, key)
	if db.loads.Load() != 1 {
		t.Fatal("the cache entry outlived MaxCacheAge")
	}
}

func TestMemoryCacheEvicts(t *testing.T) {
	c := cachedstore.NewMemoryCache(2)
	ctx := context.Background()
	rec := sessions.Record{Values: values("a", `1`), Expiry: time.Now().Add(time.Hour)}
	c.Set(ctx, "k1", rec, time.Hour)
	c.Set(ctx, "k2", rec, time.Hour)
	c.Get(ctx, "k1") // k2 is now the least recently used
	c.Set(ctx, "k3", rec, time.Hour)
	if _, found, _ := c.Get(ctx, "k2"); found {
		t.Error("the least recently used entry was kept")
	}
	for _, k := range []string{"k1", "k3"} {
		if _, found, _ := c.Get(ctx, k); !found {
			t.Errorf("%s was evicted", k)
		}
	}
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
	got, _, _ := c.Get(ctx, "k1")
	got.Values["a"] = json.RawMessage(`"changed"`)
	if again, _, _ := c.Get(ctx, "k1"); string(again.Values["a"]) != "1" {
		t.Error("changing a map returned by Get changed the cache")
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := cachedstore.New(nil, cachedstore.NewMemoryCache(0), cachedstore.Options{}); err == nil {
		t.Error("New accepted a nil store")
	}
	if _, err := cachedstore.New(memstore.New(), nil, cachedstore.Options{}); err == nil {
		t.Error("New accepted a nil cache")
	}
}
