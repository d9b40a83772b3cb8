package pgstore

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// testDSN returns the address of the test database: $CANTER_TEST_POSTGRES, or the local
// server (127.0.0.1:5432, user postgres, database test). When it cannot be reached the test
// is skipped, or fails with CANTER_TEST_SERVICES=require.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("CANTER_TEST_POSTGRES")
	if dsn == "" {
		dsn = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err == nil {
		err = conn.Ping(ctx)
		conn.Close(ctx)
	}
	if err != nil {
		msg := fmt.Sprintf("PostgreSQL is not reachable (%v): start it on 127.0.0.1:5432 (user postgres, database test, trust auth) or set CANTER_TEST_POSTGRES to a database URL", err)
		if os.Getenv("CANTER_TEST_SERVICES") == "require" {
			t.Fatal(msg + " (CANTER_TEST_SERVICES=require)")
		}
		t.Skip(msg + "; set CANTER_TEST_SERVICES=require to fail instead of skipping")
	}
	return dsn
}

var tableSeq atomic.Int64

// testTable returns a table name of its own for this test run and drops it after the test.
func testTable(t testing.TB, dsn string) string {
	t.Helper()
	name := fmt.Sprintf("canter_session_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, tableSeq.Add(1))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("cannot drop table %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS `+pgx.Identifier{name}.Sanitize()); err != nil {
			t.Errorf("cannot drop table %s: %v", name, err)
		}
	})
	return name
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
