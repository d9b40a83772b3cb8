package loadgen

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestBuckets(t *testing.T) {
	prev := -1
	for _, v := range []uint64{0, 1, 127, 128, 130, 255, 256, 1000, 1e6, 1e9, 1 << 40} {
		i := bucketOf(v)
		if i <= prev {
			t.Errorf("bucketOf(%d) = %d, not above the previous %d", v, i, prev)
		}
		prev = i
		mid := bucketMid(i)
		if diff := float64(mid) - float64(v); diff < 0 && -diff > float64(v)/64 || diff > float64(v)/64+1 {
			t.Errorf("bucketMid(bucketOf(%d)) = %d, more than 1/64 away", v, mid)
		}
	}
	// Every value lands in a bucket whose range holds it.
	for v := uint64(0); v < 1<<16; v++ {
		i := bucketOf(v)
		if bucketOf(v+1) < i {
			t.Fatalf("buckets not monotonic at %d", v)
		}
	}
}

// TestPercentiles compares the histogram with exact percentiles of random latencies.
func TestPercentiles(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h histogram
	var all []time.Duration
	for range 100000 {
		d := time.Duration(r.ExpFloat64() * float64(200*time.Microsecond))
		h.record(d)
		all = append(all, d)
	}
	slices.Sort(all)
	for _, p := range []float64{50, 90, 99} {
		exact := all[int(p/100*float64(len(all)))]
		got := h.percentile(p)
		if diff := float64(got-exact) / float64(exact); diff > 0.02 || diff < -0.02 {
			t.Errorf("p%v = %v, exact %v", p, got, exact)
		}
	}
	if h.percentile(100) != all[len(all)-1] {
		t.Errorf("p100 = %v, max %v", h.percentile(100), all[len(all)-1])
	}
}

func addr(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }

func TestRunFixedPath(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/big" {
			// Large enough that net/http sends it chunked.
			_, _ = w.Write([]byte(strings.Repeat("x", 10000)))
			return
		}
		if r.URL.Path != "/ok" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	for _, path := range []string{"/ok", "/big"} {
		hits.Store(0)
		res, err := Run(Config{Addr: addr(srv), Connections: 4, Duration: 200 * time.Millisecond, Path: path})
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests == 0 || res.Requests != hits.Load() {
			t.Errorf("%s: %d requests counted, server saw %d", path, res.Requests, hits.Load())
		}
		if res.Errors != 0 || res.SocketErrors != 0 {
			t.Errorf("%s: errors %d/%d: %s", path, res.Errors, res.SocketErrors, res.FirstError)
		}
		if !(res.P50 > 0 && res.P50 <= res.P99 && res.P99 <= res.Max) {
			t.Errorf("%s: percentiles out of order: %v %v %v", path, res.P50, res.P99, res.Max)
		}
	}
	res, err := Run(Config{Addr: addr(srv), Connections: 2, Duration: 100 * time.Millisecond, Path: "/missing"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != res.Requests || res.Requests == 0 {
		t.Errorf("404s: %d errors of %d requests", res.Errors, res.Requests)
	}
}

// TestRunForm runs the form flow against a server that checks the token and counts per-session
// visits in a cookie, as a signed-cookie session would.
func TestRunForm(t *testing.T) {
	var gets, posts, bad atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			gets.Add(1)
			n := 0
			if c, err := r.Cookie("visits"); err == nil {
				n = len(c.Value)
			}
			http.SetCookie(w, &http.Cookie{Name: "visits", Value: strings.Repeat("v", n+1)})
			http.SetCookie(w, &http.Cookie{Name: "csrftoken", Value: "secret"})
			_, _ = w.Write([]byte(`<form><input type="hidden" name="tok" value="a+b/c="></form>`))
		case http.MethodPost:
			posts.Add(1)
			c, err := r.Cookie("csrftoken")
			if err != nil || c.Value != "secret" || r.PostFormValue("tok") != "a+b/c=" || r.Header.Get("Origin") != "http://"+r.Host {
				bad.Add(1)
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			http.Redirect(w, r, "/form", http.StatusSeeOther)
		}
	}))
	defer srv.Close()
	scrape := func(page []byte) (string, string, bool) {
		return "tok", "a+b/c=", strings.Contains(string(page), `name="tok"`)
	}
	res, err := Run(Config{Addr: addr(srv), Connections: 3, Duration: 200 * time.Millisecond, Form: &FormFlow{Path: "/form", Scrape: scrape}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 || res.SocketErrors != 0 || bad.Load() != 0 {
		t.Fatalf("errors %d/%d, refused posts %d: %s", res.Errors, res.SocketErrors, bad.Load(), res.FirstError)
	}
	if posts.Load() == 0 || res.Requests != gets.Load()+posts.Load() {
		t.Errorf("%d requests counted, server saw %d GET and %d POST", res.Requests, gets.Load(), posts.Load())
	}
}

func TestFormEscape(t *testing.T) {
	for in, want := range map[string]string{"abc-_.": "abc-_.", "a+b/c=": "a%2Bb%2Fc%3D", "": ""} {
		if got := formEscape(in); got != want {
			t.Errorf("formEscape(%q) = %q, want %q", in, got, want)
		}
	}
}
