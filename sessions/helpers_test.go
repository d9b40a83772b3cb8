package sessions_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/internal/storetesting"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// countingStore counts the calls that reach a store, and can be made to fail.
type countingStore struct {
	inner                                    sessions.Store
	loads, creates, updates, deletes, expire atomic.Int32
	down                                     atomic.Bool
	plainErrors                              bool // fail with a plain error instead of a *StoreError
}

var errConnRefused = errors.New("dial tcp 127.0.0.1:6390: connect: connection refused")

func (c *countingStore) fail(op string) error {
	if !c.down.Load() {
		return nil
	}
	if c.plainErrors {
		return errConnRefused
	}
	return &sessions.StoreError{Store: "fake", Addr: "127.0.0.1:6390", Op: op, Err: errConnRefused}
}

func (c *countingStore) Load(ctx context.Context, key string) (sessions.Record, error) {
	c.loads.Add(1)
	if err := c.fail("load"); err != nil {
		return sessions.Record{}, err
	}
	return c.inner.Load(ctx, key)
}

func (c *countingStore) Create(ctx context.Context, key string, rec sessions.Record) error {
	c.creates.Add(1)
	if err := c.fail("create"); err != nil {
		return err
	}
	return c.inner.Create(ctx, key, rec)
}

func (c *countingStore) Update(ctx context.Context, key string, ch sessions.Changes) error {
	c.updates.Add(1)
	if err := c.fail("update"); err != nil {
		return err
	}
	return c.inner.Update(ctx, key, ch)
}

func (c *countingStore) Delete(ctx context.Context, key string) error {
	c.deletes.Add(1)
	if err := c.fail("delete"); err != nil {
		return err
	}
	return c.inner.Delete(ctx, key)
}

func (c *countingStore) DeleteExpired(ctx context.Context) error {
	c.expire.Add(1)
	if err := c.fail("delete expired"); err != nil {
		return err
	}
	return c.inner.DeleteExpired(ctx)
}

// calls returns the counts as "loads/creates/updates/deletes" and resets them.
func (c *countingStore) calls() [4]int32 {
	return [4]int32{c.loads.Swap(0), c.creates.Swap(0), c.updates.Swap(0), c.deletes.Swap(0)}
}

// site is a test site: the session middleware over a memory store, with the views below.
type site struct {
	t      *testing.T
	mem    *memstore.Store
	store  *countingStore
	mw     *sessions.Middleware
	h      *handler.Handler
	client *cantertest.Client
	logs   *syncBuffer
	errs   chan error // the request errors seen by teardown
	clock  *storetesting.Clock
	seeded int
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newSite builds a site; cfg's Store, Logger and Now are filled in.
func newSite(t *testing.T, cfg sessions.Config) *site {
	t.Helper()
	s := &site{t: t, mem: memstore.New(), logs: &syncBuffer{}, errs: make(chan error, 16),
		clock: storetesting.NewClock(time.Unix(1700000000, 0))}
	s.mem.Now = s.clock.Now
	s.store = &countingStore{inner: s.mem}
	if cfg.Store == nil {
		cfg.Store = s.store
	}
	logger := slog.New(slog.NewTextHandler(s.logs, nil))
	cfg.Logger = logger
	if cfg.Now == nil {
		cfg.Now = s.clock.Now
	}
	mw, err := sessions.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.mw = mw
	router, err := urls.New(testRoutes(s)...)
	if err != nil {
		t.Fatal(err)
	}
	s.h = handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"testserver"}},
		Middleware: []web.Middleware{mw},
		Logger:     logger,
		Teardown: []func(*web.Request, error){func(_ *web.Request, err error) {
			if err != nil {
				select {
				case s.errs <- err:
				default:
				}
			}
		}},
	})
	s.client = cantertest.New(t, s.h)
	return s
}

// lastErr returns the last request error recorded, or nil.
func (s *site) lastErr() error {
	var err error
	for {
		select {
		case e := <-s.errs:
			err = e
		default:
			return err
		}
	}
}

// seed stores a session directly, with values given as JSON text, and returns its key.
func (s *site) seed(values map[string]string) string {
	s.t.Helper()
	s.seeded++
	key := fmt.Sprintf("seeded%026d", s.seeded)
	rec := sessions.Record{Values: rawValues(values), Expiry: s.clock.Now().Add(time.Hour)}
	if err := s.mem.Create(context.Background(), key, rec); err != nil {
		s.t.Fatal(err)
	}
	return key
}

func rawValues(values map[string]string) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(values))
	for k, v := range values {
		m[k] = json.RawMessage(v)
	}
	return m
}

// stored returns the values stored under key as JSON text, or nil when there is no session.
func (s *site) stored(key string) map[string]string {
	s.t.Helper()
	rec, err := s.mem.Load(context.Background(), key)
	if errors.Is(err, sessions.ErrNotFound) {
		return nil
	}
	if err != nil {
		s.t.Fatal(err)
	}
	out := make(map[string]string, len(rec.Values))
	for k, v := range rec.Values {
		out[k] = string(v)
	}
	return out
}

func text(s string) (*web.Response, error) { return web.Text(s), nil }

func testRoutes(s *site) []urls.Entry {
	return []urls.Entry{
		urls.Path("interrupt/", func(r *web.Request) (*web.Response, error) {
			sess := sessions.Get(r)
			sess.Has("a")                         // loads the session
			s.mem.Delete(r.Context(), sess.Key()) // a logout in another tab
			sess.Set("b", 2)
			return text("changed")
		}),
		urls.Path("none/", func(r *web.Request) (*web.Response, error) { return text("untouched") }),
		urls.Path("get/", func(r *web.Request) (*web.Response, error) {
			v, _ := sessions.Get(r).GetString(r.QueryValue("k"))
			return text(v)
		}),
		urls.Path("set/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Set(r.QueryValue("k"), r.QueryValue("v"))
			return text("set")
		}),
		urls.Path("delete/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Delete(r.QueryValue("k"))
			return text("deleted")
		}),
		urls.Path("clear/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Clear()
			return text("cleared")
		}),
		urls.Path("flush/", func(r *web.Request) (*web.Response, error) {
			if err := sessions.Get(r).Flush(); err != nil {
				return nil, err
			}
			return text("flushed")
		}),
		urls.Path("login/", func(r *web.Request) (*web.Response, error) {
			s := sessions.Get(r)
			if err := s.CycleKey(); err != nil {
				return nil, err
			}
			s.Set("_auth_user_id", r.QueryValue("user"))
			return text("logged in")
		}),
		urls.Path("fail/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Set("k", "v")
			return nil, errors.New("the view failed")
		}),
		urls.Path("status/<int:code>/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Set("k", "v")
			code, _ := r.Params().Int("code")
			return web.Text("status").WithStatus(code), nil
		}),
		urls.Path("vary/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Has("k")
			resp := web.Text("vary")
			resp.Header().Set("Vary", "Accept-Encoding")
			return resp, nil
		}),
		urls.Path("expiry/", func(r *web.Request) (*web.Response, error) {
			s := sessions.Get(r)
			s.Set("x", 1)
			switch q := r.Query(); {
			case q.Has("age"):
				d, _ := time.ParseDuration(q.Get("age"))
				s.SetExpiry(d)
			case q.Has("at"):
				d, _ := time.ParseDuration(q.Get("at"))
				s.SetExpiryTime(time.Unix(1700000000, 0).Add(d))
			case q.Has("default"):
				s.UseDefaultExpiry()
			}
			return text("expiry")
		}),
		urls.Path("nethttp-interrupt/", web.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
			sess := sessions.FromHTTP(hr)
			sess.Has("n")
			s.mem.Delete(hr.Context(), sess.Key())
			sess.Set("n", 2)
			w.Write([]byte("net/http"))
		})),
		urls.Path("nethttp/", web.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
			s := sessions.FromHTTP(hr)
			n, _ := s.GetInt("n")
			s.Set("n", n+1)
			w.Write([]byte("net/http"))
		})),
	}
}
