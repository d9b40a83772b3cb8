package redisstore_test

import (
	"log"

	"github.com/redis/go-redis/v9"

	"github.com/canter-go/canter/sessions/cachedstore"
	"github.com/canter-go/canter/sessions/pgstore"
	"github.com/canter-go/canter/sessions/redisstore"
)

// Several instances behind a load balancer share sessions through one Redis.
func ExampleOpen() {
	store, err := redisstore.Open("redis://127.0.0.1:6379/0", redisstore.Config{})
	if err != nil {
		log.Fatal(err) // only a malformed address fails here
	}
	defer store.Close()
}

// A store on a client the application already has.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer client.Close()
	store := redisstore.New(client, redisstore.Config{Prefix: "shop:session:"})
	_ = store // sessions.Config{Store: store}
}

// Sessions kept in PostgreSQL with Redis as the cache in front of it: Django's cached_db.
func ExampleNewCache() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer client.Close()
	db, err := pgstore.Open("postgres://app@127.0.0.1:5432/app", pgstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	store, err := cachedstore.New(db, redisstore.NewCache(client, "shop:sessioncache:"), cachedstore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	_ = store // sessions.Config{Store: store}
}
