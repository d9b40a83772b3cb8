package sqlitestore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/internal/storetesting"
	"github.com/canter-go/canter/signing"
)

func open(t *testing.T, path string, cfg Config) *Store {
	t.Helper()
	s, err := Open(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	layouts := []struct {
		name string
		cfg  Config
		path func(t *testing.T) string
	}{
		{"JSON", Config{}, func(t *testing.T) string { return filepath.Join(t.TempDir(), "s.db") }},
		{"Django", Config{DjangoCompatible: true, SecretKey: storetesting.DjangoKey}, func(t *testing.T) string { return filepath.Join(t.TempDir(), "s.db") }},
		{"Memory", Config{}, func(*testing.T) string { return ":memory:" }},
	}
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			storetesting.Contract(t, func(t *testing.T, c *storetesting.Clock) sessions.Store {
				cfg := l.cfg
				cfg.Now = c.Now
				return open(t, l.path(t), cfg)
			})
		})
	}
}

// Two stores on one file stand for two processes: their updates of one session must merge.
func TestTwoProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	storetesting.TwoInstances(t, open(t, path, Config{}), open(t, path, Config{}))
}

// Django's row, inserted as Django would, loads through the store.
func TestDjangoRowLoads(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "django.db")
	s := open(t, path, Config{DjangoCompatible: true, SecretKey: storetesting.DjangoKey})
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The data was signed long ago; Django's db backend loads it without a max age, so only
	// expire_date decides.
	expire := time.Now().UTC().Add(time.Hour).Format("2006-01-02 15:04:05.000000")
	if _, err := db.Exec(`INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)`, "djangokey0000000000000000000000a", storetesting.DjangoData, expire); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Load(ctx, "djangokey0000000000000000000000a")
	if err != nil {
		t.Fatal(err)
	}
	storetesting.CheckValues(t, rec.Values, map[string]string{"k": `"v"`})
	if want, _ := time.Parse("2006-01-02 15:04:05.000000", expire); !rec.Expiry.Equal(want) {
		t.Errorf("expiry = %v, want %v", rec.Expiry, want)
	}

	// An expired Django row is not loaded.
	past := time.Now().UTC().Add(-time.Second).Format(time.DateTime)
	if _, err := db.Exec(`INSERT INTO django_session VALUES (?, ?, ?)`, "djangokey0000000000000000000000b", storetesting.DjangoData, past); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, "djangokey0000000000000000000000b"); !errors.Is(err, sessions.ErrNotFound) {
		t.Errorf("expired Django row: err = %v, want ErrNotFound", err)
	}

	// With the key as a fallback (rotated), the row still loads.
	rotated := open(t, path, Config{DjangoCompatible: true, SecretKey: "new-secret", FallbackKeys: []string{storetesting.DjangoKey}})
	rec, err = rotated.Load(ctx, "djangokey0000000000000000000000a")
	if err != nil {
		t.Fatal(err)
	}
	storetesting.CheckValues(t, rec.Values, map[string]string{"k": `"v"`})
}

// What the store writes in Django's layout is what Django reads: signing.loads with the
// sessions salt, and expire_date in Django's text form.
func TestDjangoRowWritten(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "django.db")
	s := open(t, path, Config{DjangoCompatible: true, SecretKey: storetesting.DjangoKey})
	exp := time.Date(2030, 1, 2, 3, 4, 5, 678901000, time.UTC)
	long := strings.Repeat("compressible ", 20)
	err := s.Create(ctx, "writtenkey000000000000000000000a", sessions.Record{
		Values: map[string]json.RawMessage{"_auth_user_id": storetesting.Raw(`"42"`), "long": storetesting.Raw(`"` + long + `"`)},
		Expiry: exp,
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var data, expire string
	if err := db.QueryRow(`SELECT session_data, CAST(expire_date AS text) FROM django_session WHERE session_key = ?`, "writtenkey000000000000000000000a").Scan(&data, &expire); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(data, ".") {
		t.Errorf("session_data %q is not compressed", data)
	}
	var got map[string]any
	if err := signing.Loads(data, &got, signing.Options{Key: storetesting.DjangoKey, Salt: "django.contrib.sessions.SessionStore"}); err != nil {
		t.Fatalf("signing.Loads(%q): %v", data, err)
	}
	if got["_auth_user_id"] != "42" || got["long"] != long || len(got) != 2 {
		t.Errorf("decoded session_data = %v", got)
	}
	if expire != "2030-01-02 03:04:05.678901" {
		t.Errorf("expire_date = %q, want Django's %q", expire, "2030-01-02 03:04:05.678901")
	}
}

func TestDjangoTime(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		// Python: str(datetime(2030, 1, 2, 3, 4, 5)) and str(datetime(2030, 1, 2, 3, 4, 5, 500)).
		{time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), "2030-01-02 03:04:05"},
		{time.Date(2030, 1, 2, 3, 4, 5, 500000, time.UTC), "2030-01-02 03:04:05.000500"},
		{time.Date(2030, 1, 2, 4, 4, 5, 999, time.FixedZone("CET", 3600)), "2030-01-02 03:04:05"},
	}
	for _, tt := range tests {
		if got := djangoTime(tt.t); got != tt.want {
			t.Errorf("djangoTime(%v) = %q, want %q", tt.t, got, tt.want)
		}
		back, err := parseDjangoTime(tt.want)
		if err != nil || !back.Equal(tt.t.Truncate(time.Microsecond)) {
			t.Errorf("parseDjangoTime(%q) = %v, %v", tt.want, back, err)
		}
	}
	if _, err := parseDjangoTime("tomorrow"); err == nil {
		t.Error("parseDjangoTime accepted a word")
	}
}

// Data that does not verify reads as an empty session, with Django's warning, and is
// replaced on the next update.
func TestCorruptedData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "django.db")
	var log bytes.Buffer
	s := open(t, path, Config{DjangoCompatible: true, SecretKey: "another-secret", Logger: slog.New(slog.NewTextHandler(&log, nil))})
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	expire := time.Now().UTC().Add(time.Hour).Format(time.DateTime)
	if _, err := db.Exec(`INSERT INTO django_session VALUES (?, ?, ?)`, "corruptkey000000000000000000000a", storetesting.DjangoData, expire); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Load(ctx, "corruptkey000000000000000000000a")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Values) != 0 {
		t.Errorf("values of data signed with another key = %s, want none", rec.Values)
	}
	if !strings.Contains(log.String(), "Session data corrupted") || strings.Contains(log.String(), "corruptkey000000000000000000000a") {
		t.Errorf("log = %q, want the warning without the whole key", log.String())
	}
	if err := s.Update(ctx, "corruptkey000000000000000000000a", sessions.Changes{Set: map[string]json.RawMessage{"a": storetesting.Raw(`1`)}, Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	rec, err = s.Load(ctx, "corruptkey000000000000000000000a")
	if err != nil {
		t.Fatal(err)
	}
	storetesting.CheckValues(t, rec.Values, map[string]string{"a": `1`})
}

// Django 3.2 with DEFAULT_HASHING_ALGORITHM = "sha1" wrote the legacy format (spec 6.4).
func TestLegacyFormat(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "django.db")
	const legacy = "OGVhMGIwY2EyNzVkMGEzY2ZkYjdmNWE3NTQ5M2RmZGUzMjYyZjg0Mzp7ImsiOiJ2In0="
	s := open(t, path, Config{DjangoCompatible: true, SecretKey: storetesting.DjangoKey, AcceptSHA1: true})
	strict := open(t, path, Config{DjangoCompatible: true, SecretKey: storetesting.DjangoKey, Logger: slog.New(slog.DiscardHandler)})
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	expire := time.Now().UTC().Add(time.Hour).Format(time.DateTime)
	if _, err := db.Exec(`INSERT INTO django_session VALUES (?, ?, ?)`, "legacykey0000000000000000000000a", legacy, expire); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Load(ctx, "legacykey0000000000000000000000a")
	if err != nil {
		t.Fatal(err)
	}
	storetesting.CheckValues(t, rec.Values, map[string]string{"k": `"v"`})
	rec, err = strict.Load(ctx, "legacykey0000000000000000000000a")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Values) != 0 {
		t.Errorf("legacy data read without AcceptSHA1: %s", rec.Values)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		cfg  Config
		want string
	}{
		{"bad table", filepath.Join(dir, "a.db"), Config{Table: `x"; DROP`}, "not a plain SQL name"},
		{"no secret", filepath.Join(dir, "a.db"), Config{DjangoCompatible: true}, "SECRET_KEY"},
		{"empty path", "", Config{}, "empty database path"},
	}
	for _, tt := range tests {
		_, err := Open(tt.path, tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one that says %q", tt.name, err, tt.want)
		}
	}
	// A file that cannot be opened is a StoreError that names the store and the path.
	bad := filepath.Join(dir, "missing", "dir", "s.db")
	_, err := Open(bad, Config{})
	var se *sessions.StoreError
	if !errors.As(err, &se) || se.Store != "sqlite" || se.Addr != bad {
		t.Errorf("open of %s: err = %#v, want a *sessions.StoreError naming sqlite and the path", bad, err)
	}
}

func TestInvalidValue(t *testing.T) {
	s := open(t, ":memory:", Config{})
	err := s.Create(context.Background(), "invalidkey01", sessions.Record{Values: map[string]json.RawMessage{"a": storetesting.Raw(`{`)}, Expiry: time.Now().Add(time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("create with a broken value: err = %v", err)
	}
}

func TestClosed(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "s.db"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = s.Load(context.Background(), "closedkey001")
	var se *sessions.StoreError
	if !errors.As(err, &se) || se.Op != "load" {
		t.Errorf("load after close: err = %v, want a *sessions.StoreError", err)
	}
}

// Many concurrent requests, from two stores on one file (two processes), mixing every
// operation: none may fail with SQLite's "database is locked".
func TestNoLockErrors(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	stores := []*Store{open(t, path, Config{}), open(t, path, Config{Readers: 2})}
	exp := time.Now().Add(time.Hour)
	const workers, ops = 48, 60
	var wg sync.WaitGroup
	errs := make(chan error, workers*ops)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[w%2]
			for i := range ops {
				key := fmt.Sprintf("busykey%03d%03d", w, i%5)
				var err error
				switch i % 6 {
				case 0:
					err = s.Create(ctx, key, sessions.Record{Values: map[string]json.RawMessage{"w": storetesting.Raw(fmt.Sprint(w))}, Expiry: exp})
					if errors.Is(err, sessions.ErrExists) {
						err = nil
					}
				case 1, 3:
					_, err = s.Load(ctx, key)
				case 2, 4:
					err = s.Update(ctx, fmt.Sprintf("busykey%03d%03d", (w+1)%workers, 0), sessions.Changes{Set: map[string]json.RawMessage{fmt.Sprint("i", i): storetesting.Raw("1")}, Expiry: exp})
				case 5:
					if i%12 == 5 {
						err = s.DeleteExpired(ctx)
					} else {
						err = s.Delete(ctx, key)
					}
				}
				if err != nil && !errors.Is(err, sessions.ErrNotFound) {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
