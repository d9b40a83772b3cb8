//go:build unix

package reload

import (
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

// observedListener reports when its Accept starts and returns.
type observedListener struct {
	*net.TCPListener
	entered  chan struct{}
	returned chan error
}

func (l observedListener) Accept() (net.Conn, error) {
	l.entered <- struct{}{}
	conn, err := l.TCPListener.Accept()
	l.returned <- err
	return conn, err
}

func TestDrainingListenerLeavesConnectionsToOthers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f, err := listenerFile(ln) // the same socket, as a newer child holds it
	if err != nil {
		t.Fatal(err)
	}
	other, err := net.FileListener(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	inner := observedListener{ln.(*net.TCPListener), make(chan struct{}, 4), make(chan error, 4)}
	var readies atomic.Int32
	d := newDrainingListener(inner, func() { readies.Add(1) })
	dial := func() {
		t.Helper()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
	}

	// Before draining, the listener serves.
	dial()
	conn, err := d.Accept()
	if err != nil {
		t.Fatalf("Accept before draining: %v", err)
	}
	conn.Close()
	<-inner.entered
	<-inner.returned

	// An Accept waiting when the drain comes wakes up and waits for Close instead.
	type accepted struct {
		conn net.Conn
		err  error
	}
	results := make(chan accepted, 2)
	accept := func() {
		conn, err := d.Accept()
		results <- accepted{conn, err}
	}
	go accept()
	<-inner.entered
	d.drain()
	select {
	case err := <-inner.returned:
		if err == nil {
			t.Fatal("the waiting Accept took a connection nobody made")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("drain did not wake the waiting Accept")
	}
	// A later Accept does not touch the socket at all.
	go accept()

	// Connections now go to the other holder of the socket.
	dial()
	took := make(chan error, 1)
	go func() {
		conn, err := other.Accept()
		if err == nil {
			conn.Close()
		}
		took <- err
	}()
	select {
	case err := <-took:
		if err != nil {
			t.Fatalf("the other listener could not accept: %v", err)
		}
	case r := <-results:
		t.Fatalf("the drained listener returned %v, %v", r.conn, r.err)
	case <-time.After(5 * time.Second):
		t.Fatal("nobody accepted the connection")
	}
	select {
	case <-inner.entered:
		t.Fatal("an Accept after the drain used the socket")
	case r := <-results:
		t.Fatalf("a drained Accept returned before Close: %v, %v", r.conn, r.err)
	case <-time.After(50 * time.Millisecond):
	}

	d.Close()
	for range 2 {
		select {
		case r := <-results:
			if !errors.Is(r.err, net.ErrClosed) {
				t.Errorf("Accept after Close = %v, %v; want net.ErrClosed", r.conn, r.err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Close did not end a drained Accept")
		}
	}
	if n := readies.Load(); n != 3 {
		t.Errorf("ready was called %d times, want once per Accept (3)", n)
	}
}
