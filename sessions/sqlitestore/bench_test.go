package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
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

// benchValues is a typical logged-in session.
func benchValues() map[string]json.RawMessage {
	return map[string]json.RawMessage{
		"_auth_user_id":      json.RawMessage(`"42"`),
		"_auth_user_backend": json.RawMessage(`"django.contrib.auth.backends.ModelBackend"`),
		"_auth_user_hash":    json.RawMessage(`"6d1c4f3e8a8b0f2a1c9e5b7d3f0a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b0d2f4a"`),
		"cart":               json.RawMessage(`[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1}]`),
		"step":               json.RawMessage(`1`),
	}
}

func benchStore(b *testing.B, cfg Config, sessionCount int) (*Store, []string) {
	s, err := Open(benchPath(b), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	keys := make([]string, sessionCount)
	exp := time.Now().Add(time.Hour)
	for i := range keys {
		keys[i] = fmt.Sprintf("benchsessionkey%017d", i)
		if err := s.Create(context.Background(), keys[i], sessions.Record{Values: benchValues(), Expiry: exp}); err != nil {
			b.Fatal(err)
		}
	}
	return s, keys
}

var layouts = []struct {
	name string
	cfg  Config
}{
	{"JSON", Config{}},
	{"Django", Config{DjangoCompatible: true, SecretKey: djangoKey}},
}

// BenchmarkLoadUpdate is the form flow: every request loads its session and saves a change.
// Run it with -cpu 1 for one core.
func BenchmarkLoadUpdate(b *testing.B) {
	for _, l := range layouts {
		b.Run(l.name, func(b *testing.B) {
			s, keys := benchStore(b, l.cfg, 1000)
			ctx := context.Background()
			exp := time.Now().Add(time.Hour)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				key := keys[i%len(keys)]
				if _, err := s.Load(ctx, key); err != nil {
					b.Fatal(err)
				}
				ch := sessions.Changes{Set: map[string]json.RawMessage{"step": json.RawMessage(strconv.Itoa(i))}, Expiry: exp}
				if err := s.Update(ctx, key, ch); err != nil {
					b.Fatal(err)
				}
			}
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
			ctx := context.Background()
			exp := time.Now().Add(time.Hour)
			var next atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(4)
			b.ResetTimer()
			cpu := cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := int(next.Add(1))
					key := keys[i%len(keys)]
					if _, err := s.Load(ctx, key); err != nil {
						b.Error(err)
						return
					}
					ch := sessions.Changes{Set: map[string]json.RawMessage{"step": json.RawMessage(strconv.Itoa(i))}, Expiry: exp}
					if err := s.Update(ctx, key, ch); err != nil {
						b.Error(err)
						return
					}
				}
			})
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
