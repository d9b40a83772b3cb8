package pgstore

import (
	"testing"

	"github.com/canter-go/canter/sessions/internal/storetesting"
)

var layouts = []struct {
	name string
	cfg  Config
}{
	{"JSON", Config{}},
	{"Django", Config{DjangoCompatible: true, SecretKey: storetesting.DjangoKey}},
}

func benchStore(b *testing.B, cfg Config, n int) (*Store, []string) {
	dsn := testDSN(b)
	cfg.Table = testTable(b, dsn)
	s := open(b, dsn, cfg)
	return s, storetesting.BenchSessions(b, s, n)
}

// BenchmarkLoadUpdate is the form flow: every request loads its session and saves a change.
func BenchmarkLoadUpdate(b *testing.B) {
	for _, l := range layouts {
		b.Run(l.name, func(b *testing.B) {
			s, keys := benchStore(b, l.cfg, 1000)
			storetesting.LoadUpdate(b, s, keys)
		})
	}
}

// BenchmarkLoadUpdateParallel is the form flow from concurrent requests, each on its own
// session.
func BenchmarkLoadUpdateParallel(b *testing.B) {
	for _, l := range layouts {
		b.Run(l.name, func(b *testing.B) {
			s, keys := benchStore(b, l.cfg, 1000)
			storetesting.LoadUpdateParallel(b, s, keys)
		})
	}
}
