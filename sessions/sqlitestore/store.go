package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/internal/sqlcodec"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Config holds the settings of a Store. The zero value is the default layout with its defaults.
type Config struct {
	// Table is the name of the sessions table. Empty means "canter_session", or Django's
	// "django_session" when DjangoCompatible is set.
	Table string

	// DjangoCompatible stores sessions in Django's table layout and encoding, so that a Django
	// site whose database is the same file reads and writes the same sessions: session_data is
	// signing.Dumps of the values with compress=true and the salt
	// "django.contrib.sessions.SessionStore", keyed by SecretKey, and expire_date is Django's
	// text form of a UTC datetime. It needs SecretKey.
	DjangoCompatible bool

	// SecretKey is Django's SECRET_KEY. It is required with DjangoCompatible and unused
	// otherwise.
	SecretKey string

	// FallbackKeys are Django's SECRET_KEY_FALLBACKS: session data signed with them is still
	// read (and written back signed with SecretKey). Default: none.
	FallbackKeys []string

	// AcceptSHA1 also reads session data that Django 3.2 (or older) wrote with SHA-1
	// signatures or in its legacy base64 format. Default: false, as in Django 4.0 and later.
	AcceptSHA1 bool

	// Readers is how many connections serve Load. Writes always go through one connection, so
	// they never wait for SQLite's file lock within the process. Zero means
	// max(4, GOMAXPROCS).
	Readers int

	// BusyTimeout is how long a statement waits for another process that holds the database
	// lock before it fails. Zero means 5 seconds.
	BusyTimeout time.Duration

	// Logger receives the warning "Session data corrupted" when a stored session cannot be
	// decoded (Django logs it on django.security.SuspiciousSession); such a session is read
	// as empty. Nil means slog.Default().
	Logger *slog.Logger

	// Now returns the current time. Nil means time.Now; set it in tests.
	Now func() time.Time
}

// Store keeps sessions in an SQLite database file. It implements sessions.Store and is safe
// for concurrent use. Create it with Open and release it with Close.
type Store struct {
	path   string
	table  string
	django bool
	column sqlcodec.Column
	now    func() time.Time

	write *sql.DB // one connection: writes are serialised in the process
	read  *sql.DB // several connections, read-only

	load, lock, insert, update, remove, expire *sql.Stmt

	shapesMu sync.RWMutex
	shapes   map[shape]*sql.Stmt // UPDATE statements of the default layout
}

var _ sessions.Store = (*Store)(nil)

var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Open opens (or creates) the SQLite database at path and the sessions table in it. The
// database is put in WAL mode with synchronous=NORMAL, so readers never wait for the writer
// and a commit costs no fsync; a crash of the machine may lose the last commits, never the
// file. Path ":memory:" keeps the sessions in memory, for tests.
func Open(path string, cfg Config) (*Store, error) {
	s := &Store{path: path, table: cfg.Table, django: cfg.DjangoCompatible, now: cfg.Now, shapes: map[shape]*sql.Stmt{}}
	if s.table == "" {
		s.table = "canter_session"
		if s.django {
			s.table = "django_session"
		}
	}
	if !tableName.MatchString(s.table) {
		return nil, fmt.Errorf("sqlitestore: table name %q is not a plain SQL name (letters, digits and _, not starting with a digit)", s.table)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.column = sqlcodec.Column{Codec: jsonCodec{}, Logger: cfg.Logger, Store: "sqlite", Table: s.table}
	if s.column.Logger == nil {
		s.column.Logger = slog.Default()
	}
	if s.django {
		c, err := sqlcodec.NewDjango("sqlitestore", cfg.SecretKey, cfg.FallbackKeys, cfg.AcceptSHA1)
		if err != nil {
			return nil, err
		}
		s.column.Codec = c
	}
	if path == "" {
		return nil, errors.New(`sqlitestore: empty database path: name a file, such as "sessions.db"`)
	}

	busy := cfg.BusyTimeout
	if busy <= 0 {
		busy = 5 * time.Second
	}
	params := "_pragma=busy_timeout(" + strconv.FormatInt(busy.Milliseconds(), 10) + ")"
	readers := cfg.Readers
	if readers <= 0 {
		readers = max(4, runtime.GOMAXPROCS(0))
	}
	var err error
	if path == ":memory:" {
		// Each connection to ":memory:" is its own database: use one for everything.
		s.write, err = sql.Open("sqlite", "file::memory:?"+params+"&_txlock=immediate")
		if err != nil {
			return nil, s.fail("open", err)
		}
		s.write.SetMaxOpenConns(1)
		s.write.SetConnMaxIdleTime(0)
		s.write.SetConnMaxLifetime(0)
		s.read = s.write
	} else {
		uri := "file:" + escapePath(path) + "?" + params + "&_pragma=synchronous(NORMAL)"
		s.write, err = sql.Open("sqlite", uri+"&_pragma=journal_mode(WAL)&_txlock=immediate")
		if err != nil {
			return nil, s.fail("open", err)
		}
		s.write.SetMaxOpenConns(1)
		s.write.SetMaxIdleConns(1)
		s.write.SetConnMaxIdleTime(0)
		s.write.SetConnMaxLifetime(0)
		// The writer connection switches the file to WAL before any reader opens it.
		if err := s.write.Ping(); err != nil {
			s.write.Close()
			return nil, s.fail("open", err)
		}
		s.read, err = sql.Open("sqlite", uri+"&_pragma=query_only(1)")
		if err != nil {
			s.write.Close()
			return nil, s.fail("open", err)
		}
		s.read.SetMaxOpenConns(readers)
		s.read.SetMaxIdleConns(readers)
		s.read.SetConnMaxIdleTime(0)
		s.read.SetConnMaxLifetime(0)
	}
	if err := s.Migrate(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.prepare(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// escapePath writes path as the path of an SQLite URI filename.
func escapePath(path string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return r.Replace(path)
}

// Migrate creates the sessions table and its index on expire_date if they do not exist.
// Open calls it; calling it again does nothing.
func (s *Store) Migrate(ctx context.Context) error {
	q := quote(s.table)
	var ddl []string
	if s.django {
		// Django's migration sessions.0001_initial, as sqlmigrate prints it for SQLite.
		index := s.table + "_expire_date"
		if s.table == "django_session" {
			index = "django_session_expire_date_a5c62663"
		}
		ddl = []string{
			`CREATE TABLE IF NOT EXISTS ` + q + ` ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL)`,
			`CREATE INDEX IF NOT EXISTS ` + quote(index) + ` ON ` + q + ` ("expire_date")`,
		}
	} else {
		ddl = []string{
			`CREATE TABLE IF NOT EXISTS ` + q + ` ("session_key" text NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" integer NOT NULL) WITHOUT ROWID`,
			`CREATE INDEX IF NOT EXISTS ` + quote(s.table+"_expire_date") + ` ON ` + q + ` ("expire_date")`,
		}
	}
	for _, stmt := range ddl {
		if _, err := s.write.ExecContext(ctx, stmt); err != nil {
			return s.fail("create table", err)
		}
	}
	return nil
}

func (s *Store) prepare() error {
	q := quote(s.table)
	expiry := `"expire_date"`
	if s.django {
		// The column is declared datetime; read it as the text Django wrote.
		expiry = `CAST("expire_date" AS text)`
	}
	statements := []struct {
		db   *sql.DB
		stmt **sql.Stmt
		sql  string
	}{
		{s.read, &s.load, `SELECT "session_data", ` + expiry + ` FROM ` + q + ` WHERE "session_key" = ?1 AND "expire_date" > ?2`},
		{s.write, &s.lock, `SELECT "session_data" FROM ` + q + ` WHERE "session_key" = ?1 AND "expire_date" > ?2`},
		// A key whose session has expired (but is not yet cleared) may be reused.
		{s.write, &s.insert, `INSERT INTO ` + q + ` ("session_key", "session_data", "expire_date") VALUES (?1, ?2, ?3)
			ON CONFLICT ("session_key") DO UPDATE SET "session_data" = excluded."session_data", "expire_date" = excluded."expire_date"
			WHERE ` + q + `."expire_date" <= ?4`},
		{s.write, &s.update, `UPDATE ` + q + ` SET "session_data" = ?2, "expire_date" = ?3 WHERE "session_key" = ?1`},
		{s.write, &s.remove, `DELETE FROM ` + q + ` WHERE "session_key" = ?1`},
		{s.write, &s.expire, `DELETE FROM ` + q + ` WHERE "expire_date" < ?1`},
	}
	for _, st := range statements {
		stmt, err := st.db.Prepare(st.sql)
		if err != nil {
			return s.fail("prepare", err)
		}
		*st.stmt = stmt
	}
	return nil
}

// Close closes the database. Operations after Close fail.
func (s *Store) Close() error {
	for _, st := range []*sql.Stmt{s.load, s.lock, s.insert, s.update, s.remove, s.expire} {
		if st != nil {
			st.Close()
		}
	}
	s.shapesMu.Lock()
	for _, st := range s.shapes {
		st.Close()
	}
	s.shapesMu.Unlock()
	err := s.write.Close()
	if s.read != s.write {
		if rerr := s.read.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Load returns the session stored under key, or sessions.ErrNotFound.
func (s *Store) Load(ctx context.Context, key string) (sessions.Record, error) {
	rows, err := s.load.QueryContext(ctx, key, s.timeValue(s.now()))
	if err != nil {
		return sessions.Record{}, s.fail("load", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return sessions.Record{}, s.fail("load", err)
		}
		return sessions.Record{}, sessions.ErrNotFound
	}
	var data sql.RawBytes
	var rec sessions.Record
	if s.django {
		var expiry sql.RawBytes
		if err := rows.Scan(&data, &expiry); err != nil {
			return sessions.Record{}, s.fail("load", err)
		}
		if rec.Expiry, err = parseDjangoTime(string(expiry)); err != nil {
			return sessions.Record{}, s.fail("load", err)
		}
	} else {
		var ms int64
		if err := rows.Scan(&data, &ms); err != nil {
			return sessions.Record{}, s.fail("load", err)
		}
		rec.Expiry = time.UnixMilli(ms)
	}
	rec.Values = s.column.Decode(key, data)
	if err := rows.Close(); err != nil {
		return sessions.Record{}, s.fail("load", err)
	}
	return rec, nil
}

// Create stores a new session, or returns sessions.ErrExists when a valid session has the key.
func (s *Store) Create(ctx context.Context, key string, rec sessions.Record) error {
	data, err := s.column.Encode(rec.Values)
	if err != nil {
		return err
	}
	res, err := s.insert.ExecContext(ctx, key, data, s.timeValue(rec.Expiry), s.timeValue(s.now()))
	if err != nil {
		return s.fail("create", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.fail("create", err)
	}
	if n == 0 {
		return sessions.ErrExists
	}
	return nil
}

// Update merges ch into the stored session atomically, so concurrent updates of the session
// (from this process or another one on the same file) each keep their change. It returns
// sessions.ErrNotFound when the session was deleted or has expired.
//
// In the default layout the merge is one UPDATE statement with SQLite's JSON functions; in
// Django's layout it is a BEGIN IMMEDIATE transaction that reads, decodes, changes, encodes
// and writes the session.
func (s *Store) Update(ctx context.Context, key string, ch sessions.Changes) error {
	if !s.django {
		return s.updateJSON(ctx, key, &ch)
	}
	tx, err := s.write.BeginTx(ctx, nil) // BEGIN IMMEDIATE: takes the write lock now
	if err != nil {
		return s.fail("update", err)
	}
	defer tx.Rollback()
	rows, err := tx.StmtContext(ctx, s.lock).QueryContext(ctx, key, s.timeValue(s.now()))
	if err != nil {
		return s.fail("update", err)
	}
	if !rows.Next() {
		err := rows.Err()
		rows.Close()
		if err != nil {
			return s.fail("update", err)
		}
		return sessions.ErrNotFound
	}
	var stored sql.RawBytes
	if err := rows.Scan(&stored); err != nil {
		rows.Close()
		return s.fail("update", err)
	}
	data, err := s.column.Merge(key, stored, &ch) // before Close, which invalidates stored
	if err := rows.Close(); err != nil {
		return s.fail("update", err)
	}
	if err != nil {
		return err
	}
	if _, err := tx.StmtContext(ctx, s.update).ExecContext(ctx, key, data, s.timeValue(ch.Expiry)); err != nil {
		return s.fail("update", err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail("update", err)
	}
	return nil
}

// Delete removes the session stored under key, if any.
func (s *Store) Delete(ctx context.Context, key string) error {
	if _, err := s.remove.ExecContext(ctx, key); err != nil {
		return s.fail("delete", err)
	}
	return nil
}

// DeleteExpired removes the sessions that have expired, as Django's clearsessions does.
func (s *Store) DeleteExpired(ctx context.Context) error {
	if _, err := s.expire.ExecContext(ctx, s.timeValue(s.now())); err != nil {
		return s.fail("delete expired", err)
	}
	return nil
}

// timeValue is t as the expire_date column holds it.
func (s *Store) timeValue(t time.Time) any {
	if s.django {
		return djangoTime(t)
	}
	return t.UnixMilli()
}

func (s *Store) fail(op string, err error) error {
	return &sessions.StoreError{Store: "sqlite", Addr: s.path, Op: op, Err: err}
}

// quote returns name as an SQL identifier.
func quote(name string) string { return `"` + name + `"` }

// djangoTime writes t as Django's SQLite backend stores a datetime when USE_TZ is on: the
// UTC time as str(datetime), with microseconds only when there are any.
func djangoTime(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		return t.Format(time.DateTime)
	}
	return t.Format("2006-01-02 15:04:05.000000")
}

// parseDjangoTime reads an expire_date written by Django or by djangoTime.
func parseDjangoTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("expire_date %q is not a datetime", s)
}
