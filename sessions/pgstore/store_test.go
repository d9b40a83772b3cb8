package pgstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/internal/storetesting"
	"github.com/canter-go/canter/signing"
)

func open(t testing.TB, dsn string, cfg Config) *Store {
	t.Helper()
	s, err := Open(dsn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	dsn := testDSN(t)
	layouts := []struct {
		name string
		cfg  Config
	}{
		{"JSON", Config{}},
		{"Django", Config{DjangoCompatible: true, SecretKey: storetesting.DjangoKey}},
	}
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			storetesting.Contract(t, func(t *testing.T, c *storetesting.Clock) sessions.Store {
				cfg := l.cfg
				cfg.Now = c.Now
				cfg.Table = testTable(t, dsn)
				return open(t, dsn, cfg)
			})
		})
	}
}

// Two stores stand for two instances behind a load balancer.
func TestTwoInstances(t *testing.T) {
	dsn := testDSN(t)
	for _, django := range []bool{false, true} {
		t.Run(map[bool]string{false: "JSON", true: "Django"}[django], func(t *testing.T) {
			cfg := Config{Table: testTable(t, dsn), DjangoCompatible: django, SecretKey: storetesting.DjangoKey}
			storetesting.TwoInstances(t, open(t, dsn, cfg), open(t, dsn, cfg))
		})
	}
}

// Instances that start together create the table once, without failing.
func TestConcurrentMigrate(t *testing.T) {
	dsn := testDSN(t)
	table := testTable(t, dsn)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := open(t, dsn, Config{Table: table})
			if err := s.Migrate(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

func execSQL(t *testing.T, dsn, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

// Django's row, inserted as Django would, loads through the store.
func TestDjangoRowLoads(t *testing.T) {
	dsn := testDSN(t)
	ctx := context.Background()
	table := testTable(t, dsn)
	s := open(t, dsn, Config{Table: table, DjangoCompatible: true, SecretKey: storetesting.DjangoKey})
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	expire := time.Now().Add(time.Hour).Truncate(time.Microsecond)
	// The data was signed long ago: Django's db backend loads it without a max age.
	execSQL(t, dsn, `INSERT INTO `+table+` VALUES ($1, $2, $3), ($4, $2, $5)`,
		"djangokey0000000000000000000000a", storetesting.DjangoData, expire,
		"djangokey0000000000000000000000b", time.Now().Add(-time.Second))
	rec, err := s.Load(ctx, "djangokey0000000000000000000000a")
	if err != nil {
		t.Fatal(err)
	}
	storetesting.CheckValues(t, rec.Values, map[string]string{"k": `"v"`})
	if !rec.Expiry.Equal(expire) {
		t.Errorf("expiry = %v, want %v", rec.Expiry, expire)
	}
	if _, err := s.Load(ctx, "djangokey0000000000000000000000b"); !errors.Is(err, sessions.ErrNotFound) {
		t.Errorf("expired Django row: err = %v, want ErrNotFound", err)
	}
	rotated := open(t, dsn, Config{Table: table, DjangoCompatible: true, SecretKey: "new-secret", FallbackKeys: []string{storetesting.DjangoKey}})
	rec, err = rotated.Load(ctx, "djangokey0000000000000000000000a")
	if err != nil {
		t.Fatal(err)
	}
	storetesting.CheckValues(t, rec.Values, map[string]string{"k": `"v"`})

	// With the wrong key the session reads as empty, with Django's warning.
	var log bytes.Buffer
	wrong := open(t, dsn, Config{Table: table, DjangoCompatible: true, SecretKey: "another", Logger: slog.New(slog.NewTextHandler(&log, nil))})
	rec, err = wrong.Load(ctx, "djangokey0000000000000000000000a")
	if err != nil || len(rec.Values) != 0 {
		t.Errorf("load with the wrong key = %s, %v; want an empty session", rec.Values, err)
	}
	if !strings.Contains(log.String(), "Session data corrupted") {
		t.Errorf("log = %q, want Django's warning", log.String())
	}
}

// What the store writes in Django's layout is what Django reads.
func TestDjangoRowWritten(t *testing.T) {
	dsn := testDSN(t)
	ctx := context.Background()
	table := testTable(t, dsn)
	s := open(t, dsn, Config{Table: table, DjangoCompatible: true, SecretKey: storetesting.DjangoKey})
	exp := time.Date(2030, 1, 2, 3, 4, 5, 678901000, time.UTC)
	long := strings.Repeat("compressible ", 20)
	err := s.Create(ctx, "writtenkey000000000000000000000a", sessions.Record{
		Values: map[string]json.RawMessage{"_auth_user_id": storetesting.Raw(`"42"`), "long": storetesting.Raw(`"` + long + `"`)},
		Expiry: exp,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, "writtenkey000000000000000000000a", sessions.Changes{Set: map[string]json.RawMessage{"é": storetesting.Raw(`"ü"`)}, Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var data string
	var expire time.Time
	var column string
	if err := conn.QueryRow(ctx, `SELECT session_data, expire_date, pg_typeof(expire_date)::text FROM `+table+` WHERE session_key = $1`, "writtenkey000000000000000000000a").Scan(&data, &expire, &column); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(data, ".") {
		t.Errorf("session_data %q is not compressed", data)
	}
	var got map[string]any
	if err := signing.Loads(data, &got, signing.Options{Key: storetesting.DjangoKey, Salt: "django.contrib.sessions.SessionStore"}); err != nil {
		t.Fatalf("signing.Loads(%q): %v", data, err)
	}
	if got["_auth_user_id"] != "42" || got["long"] != long || got["é"] != "ü" || len(got) != 3 {
		t.Errorf("decoded session_data = %v", got)
	}
	if !expire.Equal(exp) || column != "timestamp with time zone" {
		t.Errorf("expire_date = %v (%s), want %v (timestamp with time zone)", expire, column, exp)
	}
}

// The default layout keeps JSON in a jsonb column: values keep their meaning and nested
// objects are replaced, not merged.
func TestJSONB(t *testing.T) {
	dsn := testDSN(t)
	ctx := context.Background()
	s := open(t, dsn, Config{Table: testTable(t, dsn)})
	exp := time.Now().Add(time.Hour)
	if err := s.Create(ctx, "jsonbkey0001", sessions.Record{Values: map[string]json.RawMessage{"o": storetesting.Raw(`{"x": 1, "y": 2}`), "n": storetesting.Raw(`1.50`)}, Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, "jsonbkey0001", sessions.Changes{Set: map[string]json.RawMessage{"o": storetesting.Raw(`{"z":3}`), "s": storetesting.Raw(`"\u00e9\"\\"`)}, Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Load(ctx, "jsonbkey0001")
	if err != nil {
		t.Fatal(err)
	}
	storetesting.CheckValues(t, rec.Values, map[string]string{"o": `{"z":3}`, "n": `1.5`, "s": `"é\"\\"`})
	if err := s.Update(ctx, "jsonbkey0001", sessions.Changes{Set: map[string]json.RawMessage{"bad": storetesting.Raw(`{`)}, Expiry: exp}); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("update with a broken value: err = %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		dsn  string
		cfg  Config
		want string
	}{
		{"postgres://u:secretpw@127.0.0.1:notaport/db", Config{}, "not a valid PostgreSQL URL"},
		{"postgres://127.0.0.1/db", Config{Table: "a.b.c"}, "not a plain SQL name"},
		{"postgres://127.0.0.1/db", Config{Table: "x; DROP"}, "not a plain SQL name"},
		{"postgres://127.0.0.1/db", Config{DjangoCompatible: true}, "SECRET_KEY"},
	}
	for _, tt := range tests {
		_, err := Open(tt.dsn, tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "secretpw") {
			t.Errorf("Open(%q, %+v): err = %v, want one that says %q and hides the password", tt.dsn, tt.cfg, err, tt.want)
		}
	}
}

// storeVia returns a store whose connections go through p.
func storeVia(t *testing.T, dsn string, p *storetesting.Proxy, cfg Config) *Store {
	t.Helper()
	pc, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(p.Addr())
	pc.ConnConfig.Host = host
	n, _ := strconv.Atoi(port)
	pc.ConnConfig.Port = uint16(n)
	pc.ConnConfig.Password = "not-in-errors"
	pc.ConnConfig.ConnectTimeout = 2 * time.Second
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	s, err := New(pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func targetOf(t *testing.T, dsn string) string {
	pc, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(pc.Host, "/") {
		t.Skip("the fault test needs PostgreSQL on TCP, not on a Unix socket")
	}
	return net.JoinHostPort(pc.Host, strconv.Itoa(int(pc.Port)))
}

// checkStoreError checks that err reports the store unreachable at addr, without secrets.
func checkStoreError(t *testing.T, err error, addr string) {
	t.Helper()
	var se *sessions.StoreError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v (%T), want a *sessions.StoreError", err, err)
	}
	if se.Store != "postgres" || !strings.HasPrefix(se.Addr, addr+"/") {
		t.Errorf("StoreError names %q at %q, want postgres at %s/…", se.Store, se.Addr, addr)
	}
	if strings.Contains(err.Error(), "not-in-errors") {
		t.Errorf("the error shows the password: %v", err)
	}
}

// A database that goes away mid-run gives StoreErrors, and the store works again once it
// is back, without being reopened.
func TestFault(t *testing.T) {
	dsn := testDSN(t)
	for _, django := range []bool{false, true} {
		t.Run(map[bool]string{false: "JSON", true: "Django"}[django], func(t *testing.T) {
			p := storetesting.NewProxy(t, targetOf(t, dsn))
			s := storeVia(t, dsn, p, Config{Table: testTable(t, dsn), DjangoCompatible: django, SecretKey: storetesting.DjangoKey})
			ctx := context.Background()
			exp := time.Now().Add(time.Hour)
			if err := s.Create(ctx, "faultkey0001", sessions.Record{Values: map[string]json.RawMessage{"a": storetesting.Raw(`1`)}, Expiry: exp}); err != nil {
				t.Fatal(err)
			}

			p.Cut()
			ctx5, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			_, err := s.Load(ctx5, "faultkey0001")
			checkStoreError(t, err, p.Addr())
			t.Logf("while the database is unreachable: %v", err)
			err = s.Update(ctx5, "faultkey0001", sessions.Changes{Set: map[string]json.RawMessage{"b": storetesting.Raw(`2`)}, Expiry: exp})
			checkStoreError(t, err, p.Addr())
			checkStoreError(t, s.Create(ctx5, "faultkey0002", sessions.Record{Expiry: exp}), p.Addr())
			checkStoreError(t, s.Delete(ctx5, "faultkey0001"), p.Addr())
			checkStoreError(t, s.DeleteExpired(ctx5), p.Addr())

			p.Restore(t)
			storetesting.Eventually(t, "update after the database is back", func() error {
				return s.Update(ctx, "faultkey0001", sessions.Changes{Set: map[string]json.RawMessage{"b": storetesting.Raw(`2`)}, Expiry: exp})
			})
			rec, err := s.Load(ctx, "faultkey0001")
			if err != nil {
				t.Fatal(err)
			}
			storetesting.CheckValues(t, rec.Values, map[string]string{"a": `1`, "b": `2`})
		})
	}
}

// A store made while the database is down starts working (and creates its table) once the
// database is up.
func TestStartWhileDown(t *testing.T) {
	dsn := testDSN(t)
	p := storetesting.NewProxy(t, targetOf(t, dsn))
	p.Cut()
	s := storeVia(t, dsn, p, Config{Table: testTable(t, dsn)})
	ctx := context.Background()
	_, err := s.Load(ctx, "downkey00001")
	checkStoreError(t, err, p.Addr())
	p.Restore(t)
	storetesting.Eventually(t, "create once the database is up", func() error {
		return s.Create(ctx, "downkey00001", sessions.Record{Expiry: time.Now().Add(time.Hour)})
	})
	if _, err := s.Load(ctx, "downkey00001"); err != nil {
		t.Fatal(err)
	}
}
