package cookiestore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/cookiestore"
)

// The store is the middleware's Store; the cookie then holds the whole session.
func ExampleNew() {
	store, err := cookiestore.New(cookiestore.Options{
		SecretKey:    "the-site-secret-key",
		FallbackKeys: []string{"the-previous-secret-key"}, // cookies signed with it still load
	})
	if err != nil {
		panic(err)
	}
	mw, err := sessions.New(sessions.Config{Store: store})
	fmt.Println(mw != nil, err)
	// Output: true <nil>
}

// A Django site's signed_cookies session loads with the same SECRET_KEY.
func ExampleStore_Load() {
	store, _ := cookiestore.New(cookiestore.Options{
		SecretKey: "django-insecure-test-key-0123456789",
		Now:       func() time.Time { return time.Unix(1700000000, 0) },
	})
	rec, err := store.Load(context.Background(), "eyJrIjoidiJ9:1r31eq:1DX78B3PHYaGU8qr6xuuJir62YDIaiEK21XG6nuTDRk")
	fmt.Println(string(rec.Values["k"]), err)
	// Output: "v" <nil>
}

// Encode writes the cookie value Django writes for the same data.
func ExampleStore_Encode() {
	store, _ := cookiestore.New(cookiestore.Options{
		SecretKey: "django-insecure-test-key-0123456789",
		Now:       func() time.Time { return time.Unix(1700000000, 0) },
	})
	v, err := store.Encode(context.Background(), sessions.Record{
		Values: map[string]json.RawMessage{"k": json.RawMessage(`"v"`)},
	})
	fmt.Println(v, err)
	// Output: eyJrIjoidiJ9:1r31eq:1DX78B3PHYaGU8qr6xuuJir62YDIaiEK21XG6nuTDRk <nil>
}
