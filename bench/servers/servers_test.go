package servers_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/canter-go/canter/bench/servers"
)

// TestEveryServerAnswersAsSpecified runs Check on every endpoint of every server, through a
// real loopback connection.
func TestEveryServerAnswersAsSpecified(t *testing.T) {
	for _, s := range servers.All() {
		t.Run(s.Name, func(t *testing.T) {
			h, closeFn, err := s.New(servers.Options{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer closeFn()
			srv := httptest.NewServer(h)
			defer srv.Close()
			for _, e := range s.Endpoints {
				err := servers.Check(srv.URL, e, s.FullStack)
				if errors.Is(err, servers.ErrNotWired) {
					t.Logf("%s: %v", e, err)
					continue
				}
				if err != nil {
					t.Errorf("%s: %v", e, err)
				}
			}
		})
	}
}

// TestCheckFails makes sure Check can fail: a server that answers everything with the wrong
// body, and a form whose session forgets the counter, are both refused.
func TestCheckFails(t *testing.T) {
	wrong := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Hello, World?"))
	}))
	defer wrong.Close()
	for _, e := range servers.Endpoints() {
		if err := servers.Check(wrong.URL, e, false); err == nil {
			t.Errorf("%s: a wrong answer passed", e)
		}
	}
	s, _ := servers.Lookup("chi-full-mem")
	h, closeFn, err := s.New(servers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	// Dropping the session cookie on the way in makes every visit the first.
	forgetful := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Cookie")
		h.ServeHTTP(w, r)
	}))
	defer forgetful.Close()
	if err := servers.Check(forgetful.URL, servers.Form, true); err == nil {
		t.Error("a form without a working session passed")
	}
	if err := servers.Check(forgetful.URL, servers.Plaintext, true); err != nil {
		t.Errorf("plaintext through the full stack: %v", err)
	}
}

func TestEndpointsAndPaths(t *testing.T) {
	for _, e := range servers.Endpoints() {
		if servers.Path(e) == "" {
			t.Errorf("endpoint %s has no path", e)
		}
	}
	for _, s := range servers.All() {
		if s.Peer != "" {
			if _, ok := servers.Lookup(s.Peer); !ok {
				t.Errorf("%s: peer %s is not a server", s.Name, s.Peer)
			}
		}
	}
}

func ExampleCheck() {
	s, _ := servers.Lookup("nethttp")
	h, closeFn, _ := s.New(servers.Options{})
	defer closeFn()
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, e := range s.Endpoints {
		fmt.Println(e, servers.Check(srv.URL, e, false))
	}
	// Output:
	// plaintext <nil>
	// json <nil>
	// params <nil>
}
