package canter

import (
	"fmt"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/cachedstore"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/sessions/pgstore"
	"github.com/canter-go/canter/sessions/redisstore"
	"github.com/canter-go/canter/sessions/sqlitestore"
	"github.com/canter-go/canter/settings"
)

// openDatabaseStore opens the session store of DATABASES["default"]: an SQLite file (NAME) or
// PostgreSQL (URL).
func openDatabaseStore(s *settings.Settings, onClose func(func() error)) (sessions.Store, error) {
	db, ok := s.Databases["default"]
	if !ok {
		return nil, fmt.Errorf("SESSION_ENGINE = %q needs DATABASES[\"default\"]", s.SessionEngine)
	}
	switch db.Engine {
	case settings.DatabaseSQLite:
		store, err := sqlitestore.Open(db.Name, sqlitestore.Config{})
		if err != nil {
			return nil, err
		}
		onClose(store.Close)
		return store, nil
	case settings.DatabasePostgres:
		store, err := pgstore.Open(db.URL, pgstore.Config{})
		if err != nil {
			return nil, err
		}
		onClose(func() error { store.Close(); return nil })
		return store, nil
	}
	return nil, fmt.Errorf("DATABASES[\"default\"] ENGINE = %q is not sqlite or postgres", db.Engine)
}

// openCacheStore opens a session store kept in the cache SESSION_CACHE_ALIAS names: memory or
// Redis.
func openCacheStore(s *settings.Settings, onClose func(func() error)) (sessions.Store, error) {
	c, ok := s.Caches[s.SessionCacheAlias]
	if !ok {
		return nil, fmt.Errorf("SESSION_CACHE_ALIAS = %q names no entry of CACHES", s.SessionCacheAlias)
	}
	switch c.Backend {
	case settings.CacheMemory:
		return memstore.New(), nil
	case settings.CacheRedis:
		store, err := redisstore.Open(c.Location, redisstore.Config{})
		if err != nil {
			return nil, err
		}
		onClose(store.Close)
		return store, nil
	}
	return nil, fmt.Errorf("CACHES[%q] BACKEND = %q is not memory or redis", s.SessionCacheAlias, c.Backend)
}

// openCache opens the cache in front of the database for cached_db.
func openCache(s *settings.Settings, onClose func(func() error)) (cachedstore.Cache, error) {
	c, ok := s.Caches[s.SessionCacheAlias]
	if !ok {
		return nil, fmt.Errorf("SESSION_CACHE_ALIAS = %q names no entry of CACHES", s.SessionCacheAlias)
	}
	switch c.Backend {
	case settings.CacheMemory:
		return cachedstore.NewMemoryCache(10000), nil
	case settings.CacheRedis:
		store, err := redisstore.Open(c.Location, redisstore.Config{})
		if err != nil {
			return nil, err
		}
		onClose(store.Close)
		return store.Cache(""), nil
	}
	return nil, fmt.Errorf("CACHES[%q] BACKEND = %q is not memory or redis", s.SessionCacheAlias, c.Backend)
}
