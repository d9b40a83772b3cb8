package redisstore

import (
	"testing"

	"github.com/canter-go/canter/sessions/internal/storetesting"
)

func benchStore(b *testing.B, n int) (*Store, []string) {
	s, _ := newStore(b)
	return s, storetesting.BenchSessions(b, s, n)
}

// BenchmarkLoadUpdate is the form flow: every request loads its session and saves a change.
func BenchmarkLoadUpdate(b *testing.B) {
	s, keys := benchStore(b, 1000)
	storetesting.LoadUpdate(b, s, keys)
}

// BenchmarkLoadUpdateParallel is the form flow from concurrent requests, each on its own
// session.
func BenchmarkLoadUpdateParallel(b *testing.B) {
	s, keys := benchStore(b, 1000)
	storetesting.LoadUpdateParallel(b, s, keys)
}
