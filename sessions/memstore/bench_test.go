package memstore_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/memstore"
)

// BenchmarkLoadSave is what a request that changes its session costs the store: a Load and an
// Update of one key, on a session of five values.
func BenchmarkLoadSave(b *testing.B) {
	s := memstore.New()
	ctx := context.Background()
	const key = "abcdefghijklmnopqrstuvwxyz012345"
	rec := sessions.Record{Values: map[string]json.RawMessage{
		"_auth_user_id": json.RawMessage(`"42"`), "_auth_user_backend": json.RawMessage(`"django.contrib.auth.backends.ModelBackend"`),
		"_auth_user_hash": json.RawMessage(`"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"`),
		"cart":            json.RawMessage(`[1,2,3]`), "theme": json.RawMessage(`"dark"`),
	}, Expiry: time.Now().Add(time.Hour)}
	if err := s.Create(ctx, key, rec); err != nil {
		b.Fatal(err)
	}
	ch := sessions.Changes{Set: map[string]json.RawMessage{"theme": json.RawMessage(`"light"`)}, Expiry: time.Now().Add(time.Hour)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Load(ctx, key); err != nil {
			b.Fatal(err)
		}
		if err := s.Update(ctx, key, ch); err != nil {
			b.Fatal(err)
		}
	}
}
