// Package memstore keeps sessions in the memory of the process: for tests, development and
// single-instance services whose sessions may be lost on restart.
//
//	mw, err := sessions.New(sessions.Config{Store: memstore.New()})
//
// The store is safe for concurrent use. An update merges the request's changes into the stored
// session under a lock, so concurrent requests that change different keys all keep their change.
// Expired sessions are invisible at once and are removed by DeleteExpired, and from time to time
// while new sessions are created, so the map does not grow without bound.
package memstore

import (
	"context"
	"encoding/json"
	"maps"
	"sync"
	"time"

	"github.com/canter-go/canter/sessions"
)

// Store is a session store in memory. Make one with New; the zero Store is not usable.
type Store struct {
	// Now returns the current time, for tests that control expiry; nil means time.Now. Set it
	// before the store is used.
	Now func() time.Time

	mu       sync.RWMutex
	sessions map[string]*entry
	// sweepAt is the number of sessions at which Create next removes expired ones: twice the
	// count left by the last sweep, so sweeping costs O(1) per Create on average.
	sweepAt int
}

type entry struct {
	values map[string]json.RawMessage
	expiry time.Time
}

const minSweep = 1024

// New returns an empty store.
func New() *Store {
	return &Store{sessions: make(map[string]*entry), sweepAt: minSweep}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Load returns a copy of the session stored under key, or sessions.ErrNotFound when there is
// none or it has expired.
func (s *Store) Load(_ context.Context, key string) (sessions.Record, error) {
	now := s.now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.sessions[key]
	if !ok || !e.expiry.After(now) {
		return sessions.Record{}, sessions.ErrNotFound
	}
	return sessions.Record{Values: maps.Clone(e.values), Expiry: e.expiry}, nil
}

// Create stores a copy of rec under key, or returns sessions.ErrExists when a live session has
// that key. An expired session under the key is replaced.
func (s *Store) Create(_ context.Context, key string, rec sessions.Record) error {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.sessions[key]; ok && e.expiry.After(now) {
		return sessions.ErrExists
	}
	v := maps.Clone(rec.Values)
	if v == nil {
		v = make(map[string]json.RawMessage)
	}
	s.sessions[key] = &entry{values: v, expiry: rec.Expiry}
	if len(s.sessions) >= s.sweepAt {
		s.sweep(now)
	}
	return nil
}

// Update merges ch into the session stored under key: Clear drops every value, then the values
// of ch.Set are stored and the keys of ch.Delete removed, and the expiry becomes ch.Expiry. It
// returns sessions.ErrNotFound when the session was deleted or has expired.
func (s *Store) Update(_ context.Context, key string, ch sessions.Changes) error {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.sessions[key]
	if !ok || !e.expiry.After(now) {
		return sessions.ErrNotFound
	}
	if ch.Clear {
		clear(e.values)
	}
	for _, k := range ch.Delete {
		if _, set := ch.Set[k]; !set {
			delete(e.values, k)
		}
	}
	maps.Copy(e.values, ch.Set)
	e.expiry = ch.Expiry
	return nil
}

// Delete removes the session stored under key, if any.
func (s *Store) Delete(_ context.Context, key string) error {
	s.mu.Lock()
	delete(s.sessions, key)
	s.mu.Unlock()
	return nil
}

// DeleteExpired removes every expired session.
func (s *Store) DeleteExpired(context.Context) error {
	now := s.now()
	s.mu.Lock()
	s.sweep(now)
	s.mu.Unlock()
	return nil
}

// Len returns the number of sessions held, expired ones included until they are removed.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.sessions)
}

// sweep removes expired sessions; s.mu is held.
func (s *Store) sweep(now time.Time) {
	for k, e := range s.sessions {
		if !e.expiry.After(now) {
			delete(s.sessions, k)
		}
	}
	s.sweepAt = max(2*len(s.sessions), minSweep)
}

var _ sessions.Store = (*Store)(nil)
