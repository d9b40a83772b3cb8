package storetesting

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
)

// newClock returns a clock at the current time, to the millisecond that stores keep.
func newClock() *Clock { return NewClock(time.Now().Truncate(time.Millisecond)) }

// Contract checks the sessions.Store contract on a store whose notion of now can be moved:
// expiry is tested by moving the clock, not by waiting. newStore returns an empty store
// whose Config.Now is c.Now.
func Contract(t *testing.T, newStore func(t *testing.T, c *Clock) sessions.Store) {
	ctx := context.Background()
	hour := time.Hour

	t.Run("CreateLoad", func(t *testing.T) {
		c := newClock()
		s := newStore(t, c)
		exp := c.Now().Add(hour)
		err := s.Create(ctx, "key00000001", sessions.Record{
			Values: map[string]json.RawMessage{"a": Raw(`1`), "b": Raw(`{"x":[1,"é\u2028<>"]}`), "": Raw(`null`), "q\"\\\n": Raw(`"s"`)},
			Expiry: exp,
		})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := s.Load(ctx, "key00000001")
		if err != nil {
			t.Fatal(err)
		}
		CheckValues(t, rec.Values, map[string]string{"a": `1`, "b": `{"x":[1,"é\u2028<>"]}`, "": `null`, "q\"\\\n": `"s"`})
		if d := rec.Expiry.Sub(exp); d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("expiry = %v, want %v", rec.Expiry, exp)
		}
		if _, err := s.Load(ctx, "key00000002"); !errors.Is(err, sessions.ErrNotFound) {
			t.Errorf("load of a missing key: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("CreateEmpty", func(t *testing.T) {
		c := newClock()
		s := newStore(t, c)
		if err := s.Create(ctx, "emptykey0001", sessions.Record{Expiry: c.Now().Add(hour)}); err != nil {
			t.Fatal(err)
		}
		rec, err := s.Load(ctx, "emptykey0001")
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Values) != 0 {
			t.Errorf("values = %s, want none", rec.Values)
		}
		if err := s.Update(ctx, "emptykey0001", sessions.Changes{Set: map[string]json.RawMessage{"a": Raw(`1`)}, Expiry: c.Now().Add(hour)}); err != nil {
			t.Fatalf("update of an empty session: %v", err)
		}
	})

	t.Run("CreateExists", func(t *testing.T) {
		c := newClock()
		s := newStore(t, c)
		rec := sessions.Record{Values: map[string]json.RawMessage{"a": Raw(`1`)}, Expiry: c.Now().Add(hour)}
		if err := s.Create(ctx, "dupkey000001", rec); err != nil {
			t.Fatal(err)
		}
		rec2 := sessions.Record{Values: map[string]json.RawMessage{"b": Raw(`2`)}, Expiry: c.Now().Add(hour)}
		if err := s.Create(ctx, "dupkey000001", rec2); !errors.Is(err, sessions.ErrExists) {
			t.Fatalf("second create: err = %v, want ErrExists", err)
		}
		got, err := s.Load(ctx, "dupkey000001")
		if err != nil {
			t.Fatal(err)
		}
		CheckValues(t, got.Values, map[string]string{"a": `1`})
		// Once it has expired, the key may be taken again.
		c.Add(2 * hour)
		rec2.Expiry = c.Now().Add(hour)
		if err := s.Create(ctx, "dupkey000001", rec2); err != nil {
			t.Fatalf("create over an expired session: %v", err)
		}
		got, err = s.Load(ctx, "dupkey000001")
		if err != nil {
			t.Fatal(err)
		}
		CheckValues(t, got.Values, map[string]string{"b": `2`})
	})

	t.Run("UpdateMerges", func(t *testing.T) {
		c := newClock()
		s := newStore(t, c)
		key := "mergekey0001"
		if err := s.Create(ctx, key, sessions.Record{Values: map[string]json.RawMessage{"a": Raw(`1`), "b": Raw(`2`), "c": Raw(`3`)}, Expiry: c.Now().Add(hour)}); err != nil {
			t.Fatal(err)
		}
		exp := c.Now().Add(3 * hour)
		err := s.Update(ctx, key, sessions.Changes{Set: map[string]json.RawMessage{"a": Raw(`"one"`), "d": Raw(`[4]`)}, Delete: []string{"b", "missing"}, Expiry: exp})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := s.Load(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		CheckValues(t, rec.Values, map[string]string{"a": `"one"`, "c": `3`, "d": `[4]`})
		if d := rec.Expiry.Sub(exp); d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("expiry = %v, want %v", rec.Expiry, exp)
		}
		// Clear drops what was stored before Set applies.
		if err := s.Update(ctx, key, sessions.Changes{Clear: true, Set: map[string]json.RawMessage{"e": Raw(`true`)}, Expiry: exp}); err != nil {
			t.Fatal(err)
		}
		rec, err = s.Load(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		CheckValues(t, rec.Values, map[string]string{"e": `true`})
		if err := s.Update(ctx, key, sessions.Changes{Clear: true, Expiry: exp}); err != nil {
			t.Fatal(err)
		}
		rec, err = s.Load(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		CheckValues(t, rec.Values, map[string]string{})
	})

	t.Run("UpdateMissing", func(t *testing.T) {
		c := newClock()
		s := newStore(t, c)
		ch := sessions.Changes{Set: map[string]json.RawMessage{"a": Raw(`1`)}, Expiry: c.Now().Add(hour)}
		if err := s.Update(ctx, "nokey0000001", ch); !errors.Is(err, sessions.ErrNotFound) {
			t.Errorf("update of a missing session: err = %v, want ErrNotFound", err)
		}
		if _, err := s.Load(ctx, "nokey0000001"); !errors.Is(err, sessions.ErrNotFound) {
			t.Errorf("update created the session: load err = %v", err)
		}
		if err := s.Create(ctx, "delkey000001", sessions.Record{Expiry: c.Now().Add(hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "delkey000001"); err != nil {
			t.Fatal(err)
		}
		if err := s.Update(ctx, "delkey000001", ch); !errors.Is(err, sessions.ErrNotFound) {
			t.Errorf("update of a deleted session: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("Expiry", func(t *testing.T) {
		c := newClock()
		s := newStore(t, c)
		if err := s.Create(ctx, "expkey000001", sessions.Record{Values: map[string]json.RawMessage{"a": Raw(`1`)}, Expiry: c.Now().Add(hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.Create(ctx, "expkey000002", sessions.Record{Values: map[string]json.RawMessage{"a": Raw(`1`)}, Expiry: c.Now().Add(3 * hour)}); err != nil {
			t.Fatal(err)
		}
		c.Add(2 * hour)
		if _, err := s.Load(ctx, "expkey000001"); !errors.Is(err, sessions.ErrNotFound) {
			t.Errorf("load of an expired session: err = %v, want ErrNotFound", err)
		}
		ch := sessions.Changes{Set: map[string]json.RawMessage{"b": Raw(`2`)}, Expiry: c.Now().Add(hour)}
		if err := s.Update(ctx, "expkey000001", ch); !errors.Is(err, sessions.ErrNotFound) {
			t.Errorf("update of an expired session: err = %v, want ErrNotFound", err)
		}
		if err := s.DeleteExpired(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Load(ctx, "expkey000002"); err != nil {
			t.Errorf("DeleteExpired removed a valid session: %v", err)
		}
		c.Add(-2 * hour) // the expired row is gone, not only hidden
		if _, err := s.Load(ctx, "expkey000001"); !errors.Is(err, sessions.ErrNotFound) {
			t.Errorf("DeleteExpired kept an expired session: err = %v", err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		c := newClock()
		s := newStore(t, c)
		if err := s.Delete(ctx, "neverthere01"); err != nil {
			t.Errorf("delete of a missing session: %v", err)
		}
		if err := s.Create(ctx, "delkey000002", sessions.Record{Values: map[string]json.RawMessage{"a": Raw(`1`)}, Expiry: c.Now().Add(hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "delkey000002"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Load(ctx, "delkey000002"); !errors.Is(err, sessions.ErrNotFound) {
			t.Errorf("load after delete: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("ConcurrentUpdates", func(t *testing.T) {
		c := newClock()
		s := newStore(t, c)
		key := "racekey00001"
		if err := s.Create(ctx, key, sessions.Record{Values: map[string]json.RawMessage{"base": Raw(`0`)}, Expiry: c.Now().Add(hour)}); err != nil {
			t.Fatal(err)
		}
		const n = 64
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Load(ctx, key); err != nil {
					errs <- err
					return
				}
				ch := sessions.Changes{Set: map[string]json.RawMessage{fmt.Sprintf("k%d", i): Raw(fmt.Sprint(i))}, Expiry: c.Now().Add(hour)}
				if err := s.Update(ctx, key, ch); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		rec, err := s.Load(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"base": `0`}
		for i := range n {
			want[fmt.Sprintf("k%d", i)] = fmt.Sprint(i)
		}
		CheckValues(t, rec.Values, want)
	})
}
