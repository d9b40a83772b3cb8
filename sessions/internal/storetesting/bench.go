package storetesting

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
)

// BenchValues is a typical logged-in session.
func BenchValues() map[string]json.RawMessage {
	return map[string]json.RawMessage{
		"_auth_user_id":      json.RawMessage(`"42"`),
		"_auth_user_backend": json.RawMessage(`"django.contrib.auth.backends.ModelBackend"`),
		"_auth_user_hash":    json.RawMessage(`"6d1c4f3e8a8b0f2a1c9e5b7d3f0a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b0d2f4a"`),
		"cart":               json.RawMessage(`[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1}]`),
		"step":               json.RawMessage(`1`),
	}
}

// BenchSessions creates n sessions of BenchValues in s, valid for an hour, and returns their
// keys.
func BenchSessions(b testing.TB, s sessions.Store, n int) []string {
	b.Helper()
	keys := make([]string, n)
	exp := time.Now().Add(time.Hour)
	for i := range keys {
		keys[i] = fmt.Sprintf("benchsessionkey%017d", i)
		if err := s.Create(context.Background(), keys[i], sessions.Record{Values: BenchValues(), Expiry: exp}); err != nil {
			b.Fatal(err)
		}
	}
	return keys
}

// LoadUpdate is the form flow: every request loads its session (one of keys, in turn) and
// saves a change.
func LoadUpdate(b *testing.B, s sessions.Store, keys []string) {
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		key := keys[i%len(keys)]
		if _, err := s.Load(ctx, key); err != nil {
			b.Fatal(err)
		}
		ch := sessions.Changes{Set: map[string]json.RawMessage{"step": json.RawMessage(strconv.Itoa(i))}, Expiry: exp}
		if err := s.Update(ctx, key, ch); err != nil {
			b.Fatal(err)
		}
	}
}

// LoadUpdateParallel is the form flow from concurrent requests (GOMAXPROCS×4 goroutines),
// each on its own session.
func LoadUpdateParallel(b *testing.B, s sessions.Store, keys []string) {
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1))
			key := keys[i%len(keys)]
			if _, err := s.Load(ctx, key); err != nil {
				b.Error(err)
				return
			}
			ch := sessions.Changes{Set: map[string]json.RawMessage{"step": json.RawMessage(strconv.Itoa(i))}, Expiry: exp}
			if err := s.Update(ctx, key, ch); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
