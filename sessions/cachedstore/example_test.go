package cachedstore_test

import (
	"fmt"
	"time"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/cachedstore"
	"github.com/canter-go/canter/sessions/memstore"
)

// A cache in front of a store: here memory over memory; in production a database store behind
// a memory or Redis cache.
func ExampleNew() {
	var db sessions.Store = memstore.New() // a database store in production
	store, err := cachedstore.New(db, cachedstore.NewMemoryCache(100_000), cachedstore.Options{
		MaxCacheAge: 10 * time.Minute,
	})
	if err != nil {
		panic(err)
	}
	mw, err := sessions.New(sessions.Config{Store: store})
	fmt.Println(mw != nil, err)
	// Output: true <nil>
}
