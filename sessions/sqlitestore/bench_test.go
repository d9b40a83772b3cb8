package sqlitestore

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/canter-go/canter/sessions/internal/storetesting"
)

// benchPath returns a database file in memory-backed storage (/dev/shm) when there is one,
// so that the benchmarks measure the store rather than the disk.
func benchPath(b *testing.B) string {
	dir := "/dev/shm"
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		dir = b.TempDir()
	} else {
		d, err := os.MkdirTemp(dir, "canter-bench-")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(d) })
		dir = d
	}
	return filepath.Join(dir, "sessions.db")
}

func benchStore(b *testing.B, cfg Config, sessionCount int) (*Store, []string) {
	s, err := Open(benchPath(b), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, storetesting.BenchSessions(b, s, sessionCount)
}

var layouts = []struct {
	name string
	cfg  Config
}{
	{"JSON", Config{}},
	{"Django", Config{DjangoCompatible: true, SecretKey: storetesting.DjangoKey}},
}

// BenchmarkLoadUpdate is the form flow: every request loads its session and saves a change.
// Run it with -cpu 1 for one core.
func BenchmarkLoadUpdate(b *testing.B) {
	for _, l := range layouts {
		b.Run(l.name, func(b *testing.B) {
			s, keys := benchStore(b, l.cfg, 1000)
			cpu := cpuTime()
			storetesting.LoadUpdate(b, s, keys)
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkLoadUpdateParallel is the form flow from concurrent requests (GOMAXPROCS×4
// goroutines with -cpu N), each on its own session.
func BenchmarkLoadUpdateParallel(b *testing.B) {
	for _, l := range layouts {
		b.Run(l.name, func(b *testing.B) {
			s, keys := benchStore(b, l.cfg, 1000)
			cpu := cpuTime()
			storetesting.LoadUpdateParallel(b, s, keys)
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkLoad is a request that only reads its session.
func BenchmarkLoad(b *testing.B) {
	for _, l := range layouts {
		b.Run(l.name, func(b *testing.B) {
			s, keys := benchStore(b, l.cfg, 1000)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				if _, err := s.Load(ctx, keys[i%len(keys)]); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}
