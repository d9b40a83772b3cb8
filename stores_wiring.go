package canter

import (
	"fmt"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/cachedstore"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/settings"
)

// openDatabaseStore opens the session store of DATABASES["default"].
func openDatabaseStore(s *settings.Settings, onClose func(func() error)) (sessions.Store, error) {
	db, ok := s.Databases["default"]
	if !ok {
		return nil, fmt.Errorf("SESSION_ENGINE = %q needs DATABASES[\"default\"]", s.SessionEngine)
	}
	return nil, fmt.Errorf("DATABASES engine %q: database session stores are not built into this program yet", db.Engine)
}

// openCacheStore opens a session store kept in the cache SESSION_CACHE_ALIAS names.
func openCacheStore(s *settings.Settings, onClose func(func() error)) (sessions.Store, error) {
	c, ok := s.Caches[s.SessionCacheAlias]
	if !ok {
		return nil, fmt.Errorf("SESSION_CACHE_ALIAS = %q names no entry of CACHES", s.SessionCacheAlias)
	}
	if c.Backend == settings.CacheMemory {
		return memstore.New(), nil
	}
	return nil, fmt.Errorf("CACHES backend %q is not built into this program yet", c.Backend)
}

// openCache opens the cache in front of the database for cached_db.
func openCache(s *settings.Settings, onClose func(func() error)) (cachedstore.Cache, error) {
	c, ok := s.Caches[s.SessionCacheAlias]
	if !ok {
		return nil, fmt.Errorf("SESSION_CACHE_ALIAS = %q names no entry of CACHES", s.SessionCacheAlias)
	}
	if c.Backend == settings.CacheMemory {
		return cachedstore.NewMemoryCache(10000), nil
	}
	return nil, fmt.Errorf("CACHES backend %q is not built into this program yet", c.Backend)
}
