package pgstore_test

import (
	"context"
	"log"

	"github.com/canter-go/canter/sessions/pgstore"
)

// Several instances behind a load balancer share sessions through one PostgreSQL table.
func ExampleOpen() {
	store, err := pgstore.Open("postgres://app@127.0.0.1:5432/app", pgstore.Config{})
	if err != nil {
		log.Fatal(err) // only a malformed address or table name fails here
	}
	defer store.Close()
	// Optional: create the table now rather than on the first request.
	if err := store.Migrate(context.Background()); err != nil {
		log.Print(err) // a *sessions.StoreError naming the server; the store retries later
	}
}

// A Go service that shares a Django site's database and SECRET_KEY reads and writes the
// same django_session rows.
func ExampleOpen_django() {
	store, err := pgstore.Open("postgres://app@127.0.0.1:5432/app", pgstore.Config{
		DjangoCompatible: true,
		SecretKey:        "django-insecure-test-key-0123456789", // settings.SECRET_KEY
	})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
}
