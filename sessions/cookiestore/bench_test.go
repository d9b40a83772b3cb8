package cookiestore_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/cookiestore"
)

// BenchmarkLoadSave is what a request that changes its session costs the store: checking and
// decoding the cookie, then signing the new one, for a session of five values.
func BenchmarkLoadSave(b *testing.B) {
	s := newStore(b, cookiestore.Options{SecretKey: testKey})
	ctx := context.Background()
	cookie, err := s.Encode(ctx, sessions.Record{Values: map[string]json.RawMessage{
		"_auth_user_id": json.RawMessage(`"42"`), "_auth_user_backend": json.RawMessage(`"django.contrib.auth.backends.ModelBackend"`),
		"_auth_user_hash": json.RawMessage(`"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"`),
		"cart":            json.RawMessage(`[1,2,3]`), "theme": json.RawMessage(`"dark"`),
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec, err := s.Load(ctx, cookie)
		if err != nil {
			b.Fatal(err)
		}
		rec.Values["theme"] = json.RawMessage(`"light"`)
		if _, err := s.Encode(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
}
