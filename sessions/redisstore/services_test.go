package redisstore

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/canter-go/canter/sessions/internal/storetesting"
)

// testOptions returns the options of the test Redis: $CANTER_TEST_REDIS (host:port or a
// redis:// URL), or the local server at 127.0.0.1:6379. When it cannot be reached the test
// is skipped, or fails with CANTER_TEST_SERVICES=require.
func testOptions(t testing.TB) *redis.Options {
	t.Helper()
	addr := os.Getenv("CANTER_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	opts := &redis.Options{Addr: addr}
	if strings.Contains(addr, "://") {
		var err error
		if opts, err = redis.ParseURL(addr); err != nil {
			t.Fatalf("CANTER_TEST_REDIS: %v", err)
		}
	}
	opts.DialTimeout = 3 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	ping := *opts
	ping.MaxRetries = -1
	c := redis.NewClient(&ping)
	err := c.Ping(ctx).Err()
	c.Close()
	if err != nil {
		storetesting.Unavailable(t, fmt.Sprintf("Redis is not reachable at %s (%v): start it on 127.0.0.1:6379 or set CANTER_TEST_REDIS to host:port or a redis:// URL", opts.Addr, err))
	}
	return opts
}

var prefixSeq atomic.Int64

// testPrefix returns a key prefix of its own for this test run and deletes its keys after
// the test.
func testPrefix(t testing.TB, opts *redis.Options) string {
	t.Helper()
	prefix := fmt.Sprintf("canter-test:%d:%d:%d:", os.Getpid(), time.Now().UnixNano()%1e9, prefixSeq.Add(1))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c := redis.NewClient(opts)
		defer c.Close()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			if err := c.Del(ctx, iter.Val()).Err(); err != nil {
				t.Errorf("cannot delete %s: %v", iter.Val(), err)
			}
		}
		if err := iter.Err(); err != nil {
			t.Errorf("cannot delete the keys of %s: %v", prefix, err)
		}
	})
	return prefix
}
