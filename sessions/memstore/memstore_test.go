package memstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/sessions/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) sessions.Store { return memstore.New() })
}

// clock is a fake time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestExpiryWithClock(t *testing.T) {
	c := &clock{t: time.Unix(1700000000, 0)}
	s := memstore.New()
	s.Now = c.now
	ctx := context.Background()
	if err := s.Create(ctx, "k1", sessions.Record{Expiry: c.t.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, "k1"); err != nil {
		t.Fatalf("Load before expiry = %v", err)
	}
	c.t = c.t.Add(time.Minute) // expiry is exclusive: a session is dead at its expiry time
	if _, err := s.Load(ctx, "k1"); err != sessions.ErrNotFound {
		t.Fatalf("Load at expiry = %v, want ErrNotFound", err)
	}
	if s.Len() != 1 {
		t.Fatalf("Len = %d before DeleteExpired, want 1", s.Len())
	}
	if err := s.DeleteExpired(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 0 {
		t.Fatalf("Len = %d after DeleteExpired, want 0", s.Len())
	}
}

func TestCreateSweepsExpired(t *testing.T) {
	c := &clock{t: time.Unix(1700000000, 0)}
	s := memstore.New()
	s.Now = c.now
	ctx := context.Background()
	for i := range 1000 {
		if err := s.Create(ctx, key(i), sessions.Record{Expiry: c.t.Add(time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	c.t = c.t.Add(time.Hour)
	for i := 1000; i < 1100; i++ {
		if err := s.Create(ctx, key(i), sessions.Record{Expiry: c.t.Add(time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Len(); n >= 1000 {
		t.Fatalf("Len = %d: creating sessions never removed the 1000 expired ones", n)
	}
}

func key(i int) string {
	const digits = "0123456789"
	b := []byte("sessionkey00000000000000")
	for j := len(b) - 1; i > 0; j-- {
		b[j] = digits[i%10]
		i /= 10
	}
	return string(b)
}
