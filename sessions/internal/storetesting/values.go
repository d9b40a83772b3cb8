package storetesting

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"
)

// The secret and session data of the Django reference vectors: Django 5 wrote {"k":"v"} for
// SECRET_KEY DjangoKey at 1700000000 (2023-11-14 22:13:20 UTC) as DjangoData.
const (
	DjangoKey  = "django-insecure-test-key-0123456789"
	DjangoData = "eyJrIjoidiJ9:1r31eq:-Am2ELRJ6u15baxqBPGqVmyQwV7uSoitQsB6LK8Txw8"
)

// Clock is a settable time source for a Config.Now. It is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock that reads t until it is moved.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Raw returns s as a session value.
func Raw(s string) json.RawMessage { return json.RawMessage(s) }

// EqualJSON reports whether a and b are the same JSON value.
func EqualJSON(t testing.TB, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("stored value %q is not JSON: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("expected value %q is not JSON: %v", b, err)
	}
	return fmt.Sprint(x) == fmt.Sprint(y)
}

// CheckValues checks that got holds the keys of want with the same JSON values, and no
// others.
func CheckValues(t testing.TB, got map[string]json.RawMessage, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("values = %s, want %v", got, want)
		return
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok || !EqualJSON(t, g, Raw(w)) {
			t.Errorf("values[%q] = %s, want %s (all: %s)", k, g, w, got)
		}
	}
}
