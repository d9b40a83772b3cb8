package storetesting

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
)

// TwoInstances checks that a and b, two stores on one database (two instances of a site, or
// two processes), merge their concurrent updates of one session: each update keeps its key.
func TwoInstances(t *testing.T, a, b sessions.Store) {
	t.Helper()
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	if err := a.Create(ctx, "sharedkey001", sessions.Record{Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	const n = 40
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			ch := sessions.Changes{Set: map[string]json.RawMessage{"k" + strconv.Itoa(i): Raw("1")}, Expiry: exp}
			if err := s.Update(ctx, "sharedkey001", ch); err != nil {
				t.Errorf("update %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	rec, err := b.Load(ctx, "sharedkey001")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Values) != n {
		t.Errorf("%d values after %d concurrent updates from two stores: %s", len(rec.Values), n, rec.Values)
	}
}
