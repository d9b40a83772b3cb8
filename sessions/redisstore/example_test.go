package redisstore_test

import (
	"log"

	"github.com/redis/go-redis/v9"

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

// A store on a client the application already has, and a cache on the same client.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer client.Close()
	store := redisstore.New(client, redisstore.Config{Prefix: "shop:session:"})
	cache := store.Cache("shop:cache:")
	_, _ = store, cache
}
