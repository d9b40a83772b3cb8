package storetesting

import (
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// Unavailable skips the test because a service it needs (msg says which, and how to start
// it) cannot be reached, or fails it when CANTER_TEST_SERVICES=require.
func Unavailable(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CANTER_TEST_SERVICES") == "require" {
		t.Fatal(msg + " (CANTER_TEST_SERVICES=require)")
	}
	t.Skip(msg + "; set CANTER_TEST_SERVICES=require to fail instead of skipping")
}

// Eventually retries op until it succeeds, for at most 10 seconds.
func Eventually(t *testing.T, what string, op func() error) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for tries := 1; ; tries++ {
		err := op()
		if err == nil {
			if tries > 1 {
				t.Logf("%s: succeeded at try %d", what, tries)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still failing after %d tries: %v", what, tries, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Proxy forwards TCP connections on a loopback port to a target, and can be cut off (the
// port refuses connections and open connections are closed) and restored.
type Proxy struct {
	target string
	addr   string // the proxy's own address

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// NewProxy returns a Proxy to target on a loopback port of its own. The test's cleanup cuts it.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	p := &Proxy{target: target, conns: map[net.Conn]struct{}{}}
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

// Addr returns the proxy's address (host:port), for a store to connect to.
func (p *Proxy) Addr() string { return p.addr }

func (p *Proxy) serve(ln net.Listener) {
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

func (p *Proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	io.Copy(dst, src)
	dst.Close()
	src.Close()
}

// Cut closes the port and every open connection.
func (p *Proxy) Cut() {
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
func (p *Proxy) Restore(t testing.TB) {
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
