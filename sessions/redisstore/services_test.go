package redisstore

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
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
		msg := fmt.Sprintf("Redis is not reachable at %s (%v): start it on 127.0.0.1:6379 or set CANTER_TEST_REDIS to host:port or a redis:// URL", opts.Addr, err)
		if os.Getenv("CANTER_TEST_SERVICES") == "require" {
			t.Fatal(msg + " (CANTER_TEST_SERVICES=require)")
		}
		t.Skip(msg + "; set CANTER_TEST_SERVICES=require to fail instead of skipping")
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

// proxy forwards TCP connections on a loopback port to a target, and can be cut off (the
// port refuses connections and open connections are closed) and restored.
type proxy struct {
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func newProxy(t testing.TB, target string) *proxy {
	t.Helper()
	p := &proxy{target: target, conns: map[net.Conn]struct{}{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(func() {
		p.Cut()
		p.wg.Wait()
	})
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.DialTimeout("tcp", p.target, 3*time.Second)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[u] = struct{}{}, struct{}{}
			p.mu.Unlock()
			p.wg.Add(2)
			go p.pipe(c, u)
			go p.pipe(u, c)
		}
	}()
}

func (p *proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	io.Copy(dst, src)
	dst.Close()
	src.Close()
}

// Cut closes the port and every open connection.
func (p *proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// Restore listens on the port again.
func (p *proxy) Restore(t testing.TB) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port may take a moment to be free again
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("cannot listen on %s again: %v", p.addr, err)
	}
	p.serve(ln)
}
