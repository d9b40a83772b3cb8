package redisstore

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

// benchValues is a typical logged-in session.
func benchValues() map[string]json.RawMessage {
	return map[string]json.RawMessage{
		"_auth_user_id":      json.RawMessage(`"42"`),
		"_auth_user_backend": json.RawMessage(`"django.contrib.auth.backends.ModelBackend"`),
		"_auth_user_hash":    json.RawMessage(`"6d1c4f3e8a8b0f2a1c9e5b7d3f0a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b0d2f4a"`),
		"cart":               json.RawMessage(`[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1}]`),
		"step":               json.RawMessage(`1`),
	}
}

func benchStore(b *testing.B, n int) (*Store, []string) {
	s, _ := newStore(b)
	keys := make([]string, n)
	exp := time.Now().Add(time.Hour)
	for i := range keys {
		keys[i] = fmt.Sprintf("benchsessionkey%017d", i)
		if err := s.Create(context.Background(), keys[i], sessions.Record{Values: benchValues(), Expiry: exp}); err != nil {
			b.Fatal(err)
		}
	}
	return s, keys
}

// BenchmarkLoadUpdate is the form flow: every request loads its session and saves a change.
func BenchmarkLoadUpdate(b *testing.B) {
	s, keys := benchStore(b, 1000)
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

// BenchmarkLoadUpdateParallel is the form flow from concurrent requests, each on its own
// session.
func BenchmarkLoadUpdateParallel(b *testing.B) {
	s, keys := benchStore(b, 1000)
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
