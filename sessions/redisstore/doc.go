// Package redisstore keeps sessions in Redis, for several instances of a site behind a load
// balancer, and offers a Redis cache for a cached database store.
//
//	store, err := redisstore.Open("redis://127.0.0.1:6379/0", redisstore.Config{})
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer store.Close()
//
// New builds a store on a go-redis client the application already has (a single server, a
// Cluster or a Ring).
//
// # Layout
//
// Each session is a hash under Config.Prefix + the session key ("canter:session:…"): one
// field per session key, holding its JSON value, and a field "\x00expiry" with the expiry in
// Unix milliseconds, which also keeps an empty session's hash in existence. Redis removes
// the hash when it expires (PEXPIREAT), so DeleteExpired has nothing to do.
//
// Creating and updating are Lua scripts, which Redis runs atomically: an update checks that
// the session still exists (or reports sessions.ErrNotFound, Django's "session
// interrupted"), removes the deleted fields, writes the set ones and moves the expiry. Two
// requests of one browser that change different keys of the session both keep their change.
//
// # Failures
//
// Open does not connect, so a site starts while Redis is down. Every operation that cannot
// reach Redis returns a *sessions.StoreError that names the store and the server's address
// (never the password); the session middleware answers 503, and the client's pool dials
// again on later requests. Scripts flushed by a restart of Redis are loaded again.
//
// # Cache
//
// Cache implements cachedstore.Cache: the Redis cache that cachedstore puts in front of a
// database store, like Django's cached_db engine, so that reads of a session shared by every
// instance of the site usually cost one Redis round trip and writes still go to the database.
// Store.Cache shares a store's client; NewCache takes any client.
package redisstore
