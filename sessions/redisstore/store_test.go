package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/cachedstore"
	"github.com/canter-go/canter/sessions/internal/storetesting"
	"github.com/canter-go/canter/sessions/sqlitestore"
	"github.com/canter-go/canter/sessions/storetest"
)

// newStore returns a store with a prefix of its own on the test Redis.
func newStore(t testing.TB) (*Store, *redis.Options) {
	t.Helper()
	opts := testOptions(t)
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return New(c, Config{Prefix: testPrefix(t, opts)}), opts
}

func TestConformance(t *testing.T) {
	testOptions(t)
	storetest.Run(t, func(t *testing.T) sessions.Store {
		s, _ := newStore(t)
		return s
	})
}

// The layout is one hash per session with one field per session key, which other tools can
// read; Redis expires the hash.
func TestLayout(t *testing.T) {
	s, opts := newStore(t)
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	err := s.Create(ctx, "layoutkey001", sessions.Record{Values: map[string]json.RawMessage{"a": storetesting.Raw(`1`), "\x00odd": storetesting.Raw(`2`), "\x00expiry": storetesting.Raw(`3`)}, Expiry: exp})
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	defer c.Close()
	fields, err := c.HGetAll(ctx, s.prefix+"layoutkey001").Result()
	if err != nil {
		t.Fatal(err)
	}
	if fields["a"] != "1" || fields["\x00\x00odd"] != "2" || fields["\x00\x00expiry"] != "3" || fields[expiryField] != strconv.FormatInt(exp.UnixMilli(), 10) || len(fields) != 4 {
		t.Errorf("hash fields = %q", fields)
	}
	at, err := c.PExpireTime(ctx, s.prefix+"layoutkey001").Result()
	if err != nil {
		t.Fatal(err)
	}
	if at != time.Duration(exp.UnixMilli())*time.Millisecond {
		t.Errorf("PEXPIRETIME = %v, want %v", at, time.Duration(exp.UnixMilli())*time.Millisecond)
	}
	rec, err := s.Load(ctx, "layoutkey001")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Values) != 3 || string(rec.Values["\x00odd"]) != "2" || string(rec.Values["\x00expiry"]) != "3" {
		t.Errorf("values = %q", rec.Values)
	}
	// Deleting a key whose name starts with NUL removes it, not the expiry.
	if err := s.Update(ctx, "layoutkey001", sessions.Changes{Delete: []string{"\x00expiry"}, Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	rec, err = s.Load(ctx, "layoutkey001")
	if err != nil || len(rec.Values) != 2 {
		t.Errorf("after deleting a NUL key: %q, %v", rec.Values, err)
	}
	// A hash that is not a session is not loaded.
	if err := c.HSet(ctx, s.prefix+"foreign", "a", "1").Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, "foreign"); !errors.Is(err, sessions.ErrNotFound) {
		t.Errorf("load of a foreign hash: err = %v, want ErrNotFound", err)
	}
}

func TestInvalidValue(t *testing.T) {
	s, _ := newStore(t)
	err := s.Create(context.Background(), "invalidkey01", sessions.Record{Values: map[string]json.RawMessage{"a": storetesting.Raw(`{`)}, Expiry: time.Now().Add(time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("create with a broken value: err = %v", err)
	}
}

func TestOpen(t *testing.T) {
	opts := testOptions(t)
	s, err := Open("redis://"+opts.Addr+"/0", Config{Prefix: testPrefix(t, opts)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Create(ctx, "openkey00001", sessions.Record{Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = s.Load(ctx, "openkey00001")
	var se *sessions.StoreError
	if !errors.As(err, &se) {
		t.Errorf("load after Close: err = %v, want a *sessions.StoreError", err)
	}
	for _, bad := range []string{"http://127.0.0.1:6379", "redis://:secretpw@127.0.0.1:6379/notanumber"} {
		_, err := Open(bad, Config{})
		if err == nil || !strings.Contains(err.Error(), "not a valid") || strings.Contains(err.Error(), "secretpw") {
			t.Errorf("Open(%q): err = %v, want one that hides the password", bad, err)
		}
	}
}

// Two stores stand for two instances behind a load balancer.
func TestTwoInstances(t *testing.T) {
	opts := testOptions(t)
	prefix := testPrefix(t, opts)
	a, b := redis.NewClient(opts), redis.NewClient(opts)
	defer a.Close()
	defer b.Close()
	storetesting.TwoInstances(t, New(a, Config{Prefix: prefix}), New(b, Config{Prefix: prefix}))
}

// storeVia returns a store whose connections go through p.
func storeVia(t *testing.T, opts *redis.Options, p *storetesting.Proxy) *Store {
	t.Helper()
	o := *opts
	o.Addr = p.Addr()
	o.Password = "not-in-errors"
	if opts.Password != "" {
		o.Password = opts.Password
	}
	o.DialTimeout = 2 * time.Second
	o.DialerRetries = 1 // fail fast while cut, to keep the test short
	c := redis.NewClient(&o)
	t.Cleanup(func() { c.Close() })
	return New(c, Config{Prefix: testPrefix(t, opts)})
}

func checkStoreError(t *testing.T, err error, addr string) {
	t.Helper()
	var se *sessions.StoreError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want a *sessions.StoreError", err, err)
	}
	if se.Store != "redis" || se.Addr != addr {
		t.Errorf("StoreError names %q at %q, want redis at %s", se.Store, se.Addr, addr)
	}
	if strings.Contains(err.Error(), "not-in-errors") {
		t.Errorf("the error shows the password: %v", err)
	}
}

// A Redis that goes away mid-run gives StoreErrors (no panic), and the store works again once
// it is back, without being reopened.
func TestFault(t *testing.T) {
	opts := testOptions(t)
	p := storetesting.NewProxy(t, opts.Addr)
	s := storeVia(t, opts, p)
	cache := s.Cache(s.prefix + "cache:")
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	if err := s.Create(ctx, "faultkey0001", sessions.Record{Values: map[string]json.RawMessage{"a": storetesting.Raw(`1`)}, Expiry: exp}); err != nil {
		t.Fatal(err)
	}

	p.Cut()
	ctx5, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := s.Load(ctx5, "faultkey0001")
	checkStoreError(t, err, p.Addr())
	t.Logf("while Redis is unreachable: %v", err)
	checkStoreError(t, s.Update(ctx5, "faultkey0001", sessions.Changes{Set: map[string]json.RawMessage{"b": storetesting.Raw(`2`)}, Expiry: exp}), p.Addr())
	checkStoreError(t, s.Create(ctx5, "faultkey0002", sessions.Record{Expiry: exp}), p.Addr())
	checkStoreError(t, s.Delete(ctx5, "faultkey0001"), p.Addr())
	_, _, err = cache.Get(ctx5, "x")
	checkStoreError(t, err, p.Addr())
	checkStoreError(t, cache.Set(ctx5, "x", sessions.Record{Expiry: exp}, time.Minute), p.Addr())

	p.Restore(t)
	storetesting.Eventually(t, "update after Redis is back", func() error {
		return s.Update(ctx, "faultkey0001", sessions.Changes{Set: map[string]json.RawMessage{"b": storetesting.Raw(`2`)}, Expiry: exp})
	})
	rec, err := s.Load(ctx, "faultkey0001")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Values) != 2 || string(rec.Values["b"]) != "2" {
		t.Errorf("values after recovery = %s", rec.Values)
	}
	if err := cache.Set(ctx, "x", sessions.Record{Expiry: exp}, time.Minute); err != nil {
		t.Errorf("cache after recovery: %v", err)
	}
}

// Redis restarted (or flushed its scripts) while the store runs: the scripts are loaded
// again.
func TestScriptFlush(t *testing.T) {
	s, opts := newStore(t)
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	if err := s.Create(ctx, "flushkey0001", sessions.Record{Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	defer c.Close()
	if err := c.ScriptFlush(ctx).Err(); err != nil {
		t.Skipf("SCRIPT FLUSH refused: %v", err)
	}
	if err := s.Update(ctx, "flushkey0001", sessions.Changes{Set: map[string]json.RawMessage{"a": storetesting.Raw(`1`)}, Expiry: exp}); err != nil {
		t.Fatal(err)
	}
}

func TestCache(t *testing.T) {
	opts := testOptions(t)
	c := redis.NewClient(opts)
	defer c.Close()
	cache := NewCache(c, testPrefix(t, opts))
	ctx := context.Background()
	if rec, found, err := cache.Get(ctx, "k"); err != nil || found || rec.Values != nil {
		t.Errorf("Get of a missing entry = %v, %v, %v", rec, found, err)
	}
	exp := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	given := map[string]json.RawMessage{"a": storetesting.Raw(`1`), "": storetesting.Raw(`"empty"`), "\x00x": storetesting.Raw(`[2]`)}
	if err := cache.Set(ctx, "k", sessions.Record{Values: given, Expiry: exp}, time.Minute); err != nil {
		t.Fatal(err)
	}
	given["a"] = storetesting.Raw(`"changed by the caller"`)
	rec, found, err := cache.Get(ctx, "k")
	if err != nil || !found || len(rec.Values) != 3 || string(rec.Values["a"]) != "1" || string(rec.Values[""]) != `"empty"` || string(rec.Values["\x00x"]) != "[2]" || !rec.Expiry.Equal(exp) {
		t.Errorf("Get = %q %v, %v, %v", rec.Values, rec.Expiry, found, err)
	}
	ttl, err := c.PTTL(ctx, cache.prefix+"k").Result()
	if err != nil || ttl <= 59*time.Second || ttl > time.Minute {
		t.Errorf("TTL = %v, %v; want about a minute", ttl, err)
	}
	// Set replaces the whole entry.
	if err := cache.Set(ctx, "k", sessions.Record{Values: map[string]json.RawMessage{"b": storetesting.Raw(`2`)}, Expiry: exp}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if rec, _, _ := cache.Get(ctx, "k"); len(rec.Values) != 1 || string(rec.Values["b"]) != "2" {
		t.Errorf("after a second Set: %q", rec.Values)
	}
	// An empty record is cached too.
	if err := cache.Set(ctx, "empty", sessions.Record{Expiry: exp}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if rec, found, err := cache.Get(ctx, "empty"); err != nil || !found || len(rec.Values) != 0 {
		t.Errorf("Get of an empty record = %q, %v, %v", rec.Values, found, err)
	}
	if err := cache.Set(ctx, "short", sessions.Record{Expiry: exp}, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(120 * time.Millisecond)
	if _, found, err := cache.Get(ctx, "short"); err != nil || found {
		t.Errorf("Get of an expired entry: found %v, %v", found, err)
	}
	if err := cache.Set(ctx, "k", sessions.Record{Expiry: exp}, 0); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := cache.Get(ctx, "k"); found {
		t.Error("Set with a zero ttl kept the entry")
	}
	if err := cache.Set(ctx, "k", sessions.Record{Expiry: exp}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := cache.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := cache.Get(ctx, "k"); found {
		t.Error("Delete kept the entry")
	}
	if NewCache(c, "").prefix != DefaultCachePrefix || NewCache(c, "").addr != opts.Addr {
		t.Error("NewCache defaults")
	}
}

// The Redis cache in front of an SQLite store (Django's cached_db) is a conforming store.
func TestCachedConformance(t *testing.T) {
	opts := testOptions(t)
	storetest.Run(t, func(t *testing.T) sessions.Store {
		db, err := sqlitestore.Open(filepath.Join(t.TempDir(), "s.db"), sqlitestore.Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		c := redis.NewClient(opts)
		t.Cleanup(func() { c.Close() })
		s, err := cachedstore.New(db, NewCache(c, testPrefix(t, opts)), cachedstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestAddr(t *testing.T) {
	cluster := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:7000", "127.0.0.1:7001"}})
	defer cluster.Close()
	ring := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"b": "127.0.0.1:7003", "a": "127.0.0.1:7002"}})
	defer ring.Close()
	for _, tt := range []struct {
		c    redis.UniversalClient
		want string
	}{
		{cluster, "127.0.0.1:7000,127.0.0.1:7001"},
		{ring, "127.0.0.1:7002,127.0.0.1:7003"},
	} {
		if got := New(tt.c, Config{}).addr; got != tt.want {
			t.Errorf("addr = %q, want %q", got, tt.want)
		}
	}
}
