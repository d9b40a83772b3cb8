package sqlitestore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/sqlitestore"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	store, err := sqlitestore.Open(filepath.Join(dir, "sessions.db"), sqlitestore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	ctx := context.Background()
	expiry := time.Now().Add(14 * 24 * time.Hour)
	err = store.Create(ctx, "0123456789abcdefghijklmnopqrstuv", sessions.Record{
		Values: map[string]json.RawMessage{"cart": json.RawMessage(`["apple"]`)},
		Expiry: expiry,
	})
	if err != nil {
		log.Fatal(err)
	}
	// A later request adds a key; what another request stored meanwhile stays.
	err = store.Update(ctx, "0123456789abcdefghijklmnopqrstuv", sessions.Changes{
		Set:    map[string]json.RawMessage{"step": json.RawMessage(`2`)},
		Expiry: expiry,
	})
	if err != nil {
		log.Fatal(err)
	}
	rec, err := store.Load(ctx, "0123456789abcdefghijklmnopqrstuv")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(rec.Values["cart"]), string(rec.Values["step"]))
	// Output: ["apple"] 2
}

// A Go service that shares a Django site's SQLite database and SECRET_KEY reads and writes
// the same django_session rows.
func ExampleOpen_django() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	store, err := sqlitestore.Open(filepath.Join(dir, "db.sqlite3"), sqlitestore.Config{
		DjangoCompatible: true,
		SecretKey:        "django-insecure-test-key-0123456789", // settings.SECRET_KEY
	})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	fmt.Println("ready")
	// Output: ready
}

func ExampleStore_DeleteExpired() {
	store, err := sqlitestore.Open(":memory:", sqlitestore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	// As Django's clearsessions command, run from a timer or a scheduled job.
	if err := store.DeleteExpired(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println("cleared")
	// Output: cleared
}
