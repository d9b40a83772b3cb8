// Package storetest is the conformance suite for session stores: every implementation of
// sessions.Store runs the same behavioural tests from its own test file.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) sessions.Store {
//			return mystore.New(…) // a fresh, empty store (or one that only this test uses)
//		})
//	}
//
// The suite checks loading, creating, updating and deleting sessions; ErrExists on a duplicate
// Create and ErrNotFound on loading or updating a deleted or expired session; expiry and
// DeleteExpired; Clear semantics; that maps handed to and returned by a store are not shared;
// and that concurrent requests changing different keys of one session all keep their change.
//
// Values are compared as JSON documents, not as bytes, so a store may re-encode them (as a JSON
// column does). Expiry times may be rounded to the second. The expiry tests wait about two
// seconds of real time, because they must work against stores that expire sessions by
// themselves (Redis) and cannot be given a fake clock.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
)

// Run runs every conformance test as a subtest of t. newStore is called once per subtest and
// must return a store that works; it may call t.Skip (a service that is not running) or
// t.Cleanup. Subtests use fresh random session keys, so stores that share a database between
// subtests still pass.
func Run(t *testing.T, newStore func(t *testing.T) sessions.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s sessions.Store)
	}{
		{"LoadMissing", testLoadMissing},
		{"CreateLoad", testCreateLoad},
		{"CreateEmpty", testCreateEmpty},
		{"CreateDuplicate", testCreateDuplicate},
		{"UpdateSetDelete", testUpdateSetDelete},
		{"UpdateSameKeyLastWins", testUpdateSameKeyLastWins},
		{"UpdateClear", testUpdateClear},
		{"UpdateMissing", testUpdateMissing},
		{"UpdateDeleted", testUpdateDeleted},
		{"UpdateExpiry", testUpdateExpiry},
		{"UpdatePastExpiry", testUpdatePastExpiry},
		{"Delete", testDelete},
		{"MapsNotShared", testMapsNotShared},
		{"Values", testValues},
		{"ConcurrentDisjointChanges", testConcurrentDisjointChanges},
		{"ConcurrentCreate", testConcurrentCreate},
		{"Expiry", testExpiry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			if s == nil {
				t.Fatal("storetest: newStore returned a nil store")
			}
			tt.run(t, s)
		})
	}
}

// newKey returns a fresh key in Django's format (32 characters of a-z0-9).
func newKey(t *testing.T) string {
	t.Helper()
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// values builds a Values map from key, JSON text pairs.
func values(pairs ...string) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i]] = json.RawMessage(pairs[i+1])
	}
	return m
}

func hour() time.Time { return time.Now().Add(time.Hour) }

func mustCreate(t *testing.T, s sessions.Store, key string, rec sessions.Record) {
	t.Helper()
	if err := s.Create(ctx(t), key, rec); err != nil {
		t.Fatalf("Create(%q) = %v, want nil", key, err)
	}
}

func mustUpdate(t *testing.T, s sessions.Store, key string, ch sessions.Changes) {
	t.Helper()
	if err := s.Update(ctx(t), key, ch); err != nil {
		t.Fatalf("Update(%q, %+v) = %v, want nil", key, ch, err)
	}
}

func mustLoad(t *testing.T, s sessions.Store, key string) sessions.Record {
	t.Helper()
	rec, err := s.Load(ctx(t), key)
	if err != nil {
		t.Fatalf("Load(%q) = %v, want the session", key, err)
	}
	return rec
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, sessions.ErrNotFound) {
		t.Fatalf("%s = %v, want an error matching sessions.ErrNotFound", what, err)
	}
}

// sameValues compares two Values maps as JSON documents.
func sameValues(t *testing.T, what string, got, want map[string]json.RawMessage) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values %s, want %d %s", what, len(got), show(got), len(want), show(want))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Fatalf("%s: key %q missing from %s, want %s", what, k, show(got), show(want))
		}
		if !sameJSON(g, w) {
			t.Fatalf("%s: value of %q is %s, want %s", what, k, g, w)
		}
	}
}

func sameJSON(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func show(m map[string]json.RawMessage) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%s", k, m[k])
	}
	b.WriteByte('}')
	return b.String()
}

// sameTime allows stores to round expiry times to the second.
func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if d := got.Sub(want); d < -time.Second || d > time.Second {
		t.Fatalf("%s: expiry %v, want %v (within a second)", what, got, want)
	}
}

func testLoadMissing(t *testing.T, s sessions.Store) {
	_, err := s.Load(ctx(t), newKey(t))
	wantNotFound(t, "Load of a key never stored", err)
}

func testCreateLoad(t *testing.T, s sessions.Store) {
	key := newKey(t)
	exp := hour()
	want := values(
		"_auth_user_id", `"42"`,
		"n", `7`,
		"f", `1.5`,
		"ok", `true`,
		"none", `null`,
		"list", `[1,"two",{"three":3}]`,
		"obj", `{"a":{"b":[]}}`,
		"text", `"caf\u00e9 <b>&amp;</b> \"quoted\""`,
	)
	mustCreate(t, s, key, sessions.Record{Values: want, Expiry: exp})
	rec := mustLoad(t, s, key)
	sameValues(t, "Load after Create", rec.Values, want)
	sameTime(t, "Load after Create", rec.Expiry, exp)
}

func testCreateEmpty(t *testing.T, s sessions.Store) {
	for _, v := range []map[string]json.RawMessage{nil, {}} {
		key := newKey(t)
		mustCreate(t, s, key, sessions.Record{Values: v, Expiry: hour()})
		rec := mustLoad(t, s, key)
		if len(rec.Values) != 0 {
			t.Fatalf("Load of a session created with no values gave %s", show(rec.Values))
		}
	}
}

func testCreateDuplicate(t *testing.T, s sessions.Store) {
	key := newKey(t)
	first := values("who", `"first"`)
	mustCreate(t, s, key, sessions.Record{Values: first, Expiry: hour()})
	err := s.Create(ctx(t), key, sessions.Record{Values: values("who", `"second"`), Expiry: hour()})
	if !errors.Is(err, sessions.ErrExists) {
		t.Fatalf("second Create of one key = %v, want an error matching sessions.ErrExists", err)
	}
	sameValues(t, "Load after a refused Create", mustLoad(t, s, key).Values, first)
}

func testUpdateSetDelete(t *testing.T, s sessions.Store) {
	key := newKey(t)
	mustCreate(t, s, key, sessions.Record{Values: values("a", `1`, "b", `2`, "c", `3`), Expiry: hour()})
	mustUpdate(t, s, key, sessions.Changes{
		Set:    values("b", `"two"`, "d", `[4]`),
		Delete: []string{"a", "never-there"},
		Expiry: hour(),
	})
	sameValues(t, "Load after Update", mustLoad(t, s, key).Values, values("b", `"two"`, "c", `3`, "d", `[4]`))

	// An update with no changes only renews the expiry.
	mustUpdate(t, s, key, sessions.Changes{Expiry: hour()})
	sameValues(t, "Load after an empty Update", mustLoad(t, s, key).Values, values("b", `"two"`, "c", `3`, "d", `[4]`))

	// Deleting every key leaves an empty session, which still exists.
	mustUpdate(t, s, key, sessions.Changes{Delete: []string{"b", "c", "d"}, Expiry: hour()})
	if rec := mustLoad(t, s, key); len(rec.Values) != 0 {
		t.Fatalf("Load after deleting every key gave %s, want no values", show(rec.Values))
	}
}

func testUpdateSameKeyLastWins(t *testing.T, s sessions.Store) {
	key := newKey(t)
	mustCreate(t, s, key, sessions.Record{Values: values("k", `"created"`), Expiry: hour()})
	mustUpdate(t, s, key, sessions.Changes{Set: values("k", `"first"`), Expiry: hour()})
	mustUpdate(t, s, key, sessions.Changes{Set: values("k", `"second"`), Expiry: hour()})
	sameValues(t, "Load after two updates of one key", mustLoad(t, s, key).Values, values("k", `"second"`))
}

func testUpdateClear(t *testing.T, s sessions.Store) {
	key := newKey(t)
	mustCreate(t, s, key, sessions.Record{Values: values("a", `1`, "b", `2`), Expiry: hour()})
	// Clear drops every stored value, then Set is applied.
	mustUpdate(t, s, key, sessions.Changes{Clear: true, Set: values("z", `26`, "b", `"new"`), Expiry: hour()})
	sameValues(t, "Load after Update with Clear", mustLoad(t, s, key).Values, values("z", `26`, "b", `"new"`))

	// Clear alone empties the session but keeps it.
	mustUpdate(t, s, key, sessions.Changes{Clear: true, Expiry: hour()})
	if rec := mustLoad(t, s, key); len(rec.Values) != 0 {
		t.Fatalf("Load after Update with only Clear gave %s, want no values", show(rec.Values))
	}
}

func testUpdateMissing(t *testing.T, s sessions.Store) {
	key := newKey(t)
	err := s.Update(ctx(t), key, sessions.Changes{Set: values("a", `1`), Expiry: hour()})
	wantNotFound(t, "Update of a key never stored", err)
	// The refused update must not have created the session.
	_, err = s.Load(ctx(t), key)
	wantNotFound(t, "Load after a refused Update", err)
}

func testUpdateDeleted(t *testing.T, s sessions.Store) {
	key := newKey(t)
	mustCreate(t, s, key, sessions.Record{Values: values("a", `1`), Expiry: hour()})
	if err := s.Delete(ctx(t), key); err != nil {
		t.Fatalf("Delete = %v", err)
	}
	err := s.Update(ctx(t), key, sessions.Changes{Set: values("b", `2`), Expiry: hour()})
	wantNotFound(t, "Update of a deleted session (Django's session interrupted)", err)
	_, err = s.Load(ctx(t), key)
	wantNotFound(t, "Load after a refused Update", err)
}

func testUpdateExpiry(t *testing.T, s sessions.Store) {
	key := newKey(t)
	mustCreate(t, s, key, sessions.Record{Values: values("a", `1`), Expiry: hour()})
	later := time.Now().Add(48 * time.Hour)
	mustUpdate(t, s, key, sessions.Changes{Expiry: later})
	sameTime(t, "Load after Update with a new expiry", mustLoad(t, s, key).Expiry, later)
}

func testUpdatePastExpiry(t *testing.T, s sessions.Store) {
	key := newKey(t)
	mustCreate(t, s, key, sessions.Record{Values: values("a", `1`), Expiry: hour()})
	mustUpdate(t, s, key, sessions.Changes{Expiry: time.Now().Add(-time.Minute)})
	_, err := s.Load(ctx(t), key)
	wantNotFound(t, "Load of a session updated with an expiry in the past", err)
}

func testDelete(t *testing.T, s sessions.Store) {
	key, other := newKey(t), newKey(t)
	mustCreate(t, s, key, sessions.Record{Values: values("a", `1`), Expiry: hour()})
	mustCreate(t, s, other, sessions.Record{Values: values("b", `2`), Expiry: hour()})
	if err := s.Delete(ctx(t), key); err != nil {
		t.Fatalf("Delete = %v, want nil", err)
	}
	_, err := s.Load(ctx(t), key)
	wantNotFound(t, "Load after Delete", err)
	if err := s.Delete(ctx(t), key); err != nil {
		t.Fatalf("Delete of a missing session = %v, want nil", err)
	}
	sameValues(t, "Load of another session after Delete", mustLoad(t, s, other).Values, values("b", `2`))
	// A deleted key may be created again.
	mustCreate(t, s, key, sessions.Record{Values: values("c", `3`), Expiry: hour()})
	sameValues(t, "Load after re-creating a deleted key", mustLoad(t, s, key).Values, values("c", `3`))
}

func testMapsNotShared(t *testing.T, s sessions.Store) {
	key := newKey(t)
	given := values("a", `1`)
	mustCreate(t, s, key, sessions.Record{Values: given, Expiry: hour()})
	given["a"] = json.RawMessage(`"changed by the caller"`)
	given["x"] = json.RawMessage(`1`)

	rec := mustLoad(t, s, key)
	sameValues(t, "Load after the caller changed the map it gave Create", rec.Values, values("a", `1`))
	if rec.Values == nil {
		t.Fatal("Load returned nil Values for a session with values")
	}
	rec.Values["a"] = json.RawMessage(`"changed after Load"`)
	delete(rec.Values, "a")
	rec.Values["y"] = json.RawMessage(`2`)
	sameValues(t, "Load after the caller changed a loaded map", mustLoad(t, s, key).Values, values("a", `1`))

	set := values("b", `2`)
	mustUpdate(t, s, key, sessions.Changes{Set: set, Expiry: hour()})
	set["b"] = json.RawMessage(`"changed by the caller"`)
	sameValues(t, "Load after the caller changed the map it gave Update", mustLoad(t, s, key).Values, values("a", `1`, "b", `2`))
}

func testValues(t *testing.T, s sessions.Store) {
	key := newKey(t)
	big := `"` + strings.Repeat("0123456789abcdef", 4096) + `"` // 64 KB
	want := values(
		"big", big,
		"unicode", `"\u65e5\u672c \ud83d\ude00"`,
		"key with spaces and \u00e9", `{"nested":{"deep":[[],{}]}}`,
		"", `"empty key"`,
	)
	mustCreate(t, s, key, sessions.Record{Values: want, Expiry: hour()})
	sameValues(t, "Load of unusual values", mustLoad(t, s, key).Values, want)
}

// testConcurrentDisjointChanges runs what two browser tabs do at once, many times over: each
// goroutine loads the shared session and then saves a change of its own key. Every change must
// survive, whatever the interleaving.
func testConcurrentDisjointChanges(t *testing.T, s sessions.Store) {
	key := newKey(t)
	mustCreate(t, s, key, sessions.Record{Values: values("shared", `"kept"`, "gone", `1`), Expiry: hour()})
	const workers = 32
	const rounds = 4
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := context.Background()
			for r := range rounds {
				if _, err := s.Load(c, key); err != nil {
					errs <- fmt.Errorf("worker %d: Load: %w", w, err)
					return
				}
				ch := sessions.Changes{
					Set:    values(fmt.Sprintf("w%02d", w), fmt.Sprintf(`{"round":%d}`, r)),
					Expiry: hour(),
				}
				if w == 0 && r == 0 {
					ch.Delete = []string{"gone"}
				}
				if err := s.Update(c, key, ch); err != nil {
					errs <- fmt.Errorf("worker %d: Update: %w", w, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := values("shared", `"kept"`)
	for w := range workers {
		want[fmt.Sprintf("w%02d", w)] = json.RawMessage(fmt.Sprintf(`{"round":%d}`, rounds-1))
	}
	sameValues(t, "Load after concurrent changes of different keys", mustLoad(t, s, key).Values, want)
}

// testConcurrentCreate checks that of many Creates of one key exactly one succeeds.
func testConcurrentCreate(t *testing.T, s sessions.Store) {
	key := newKey(t)
	const workers = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won []int
	var other []error
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Create(context.Background(), key, sessions.Record{Values: values("w", fmt.Sprint(w)), Expiry: hour()})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won = append(won, w)
			case !errors.Is(err, sessions.ErrExists):
				other = append(other, err)
			}
		}()
	}
	wg.Wait()
	if len(other) > 0 {
		t.Fatalf("concurrent Create failed with %v, want nil or ErrExists", other[0])
	}
	if len(won) != 1 {
		t.Fatalf("%d concurrent Creates of one key succeeded, want exactly 1", len(won))
	}
	sameValues(t, "Load after concurrent Creates", mustLoad(t, s, key).Values, values("w", fmt.Sprint(won[0])))
}

func testExpiry(t *testing.T, s sessions.Store) {
	soon := time.Now().Add(time.Second)
	short, renewed, long := newKey(t), newKey(t), newKey(t)
	mustCreate(t, s, short, sessions.Record{Values: values("a", `1`), Expiry: soon})
	mustCreate(t, s, renewed, sessions.Record{Values: values("b", `2`), Expiry: soon})
	mustCreate(t, s, long, sessions.Record{Values: values("c", `3`), Expiry: hour()})
	mustLoad(t, s, short)
	mustUpdate(t, s, renewed, sessions.Changes{Expiry: hour()})

	time.Sleep(time.Until(soon) + 1100*time.Millisecond)

	_, err := s.Load(ctx(t), short)
	wantNotFound(t, "Load of an expired session", err)
	err = s.Update(ctx(t), short, sessions.Changes{Set: values("x", `1`), Expiry: hour()})
	wantNotFound(t, "Update of an expired session", err)
	sameValues(t, "Load of a session whose expiry an Update extended", mustLoad(t, s, renewed).Values, values("b", `2`))

	if err := s.DeleteExpired(ctx(t)); err != nil {
		t.Fatalf("DeleteExpired = %v, want nil", err)
	}
	_, err = s.Load(ctx(t), short)
	wantNotFound(t, "Load of an expired session after DeleteExpired", err)
	sameValues(t, "Load of a live session after DeleteExpired", mustLoad(t, s, renewed).Values, values("b", `2`))
	sameValues(t, "Load of a live session after DeleteExpired", mustLoad(t, s, long).Values, values("c", `3`))
	// The expired session is gone, so its key can be used again.
	mustCreate(t, s, short, sessions.Record{Values: values("d", `4`), Expiry: hour()})
	sameValues(t, "Load of a key re-created after it expired", mustLoad(t, s, short).Values, values("d", `4`))
}
