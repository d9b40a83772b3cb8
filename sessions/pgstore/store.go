package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/internal/sqlcodec"
)

// Config holds the settings of a Store. The zero value is the default layout with its defaults.
type Config struct {
	// Table is the name of the sessions table, optionally qualified by its schema
	// ("auth.sessions"). Empty means "canter_session", or Django's "django_session" when
	// DjangoCompatible is set.
	Table string

	// DjangoCompatible stores sessions in Django's table layout and encoding, so that a Django
	// site using the same database reads and writes the same sessions: session_data is
	// signing.Dumps of the values with compress=true and the salt
	// "django.contrib.sessions.SessionStore", keyed by SecretKey. It needs SecretKey.
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

	// Logger receives the warning "Session data corrupted" when a stored session in Django's
	// layout cannot be decoded; such a session is read as empty, as Django does. Nil means
	// slog.Default().
	Logger *slog.Logger

	// Now returns the current time. Nil means time.Now; set it in tests.
	Now func() time.Time
}

// Store keeps sessions in a PostgreSQL table. It implements sessions.Store and is safe for
// concurrent use; several processes may share the table.
type Store struct {
	pool    *pgxpool.Pool
	ownPool bool
	addr    string
	table   string           // quoted, with its schema
	name    string           // the table's name without its schema, for index names
	django  *sqlcodec.Column // nil in the default layout
	now     func() time.Time

	ready   atomic.Bool // the table exists
	migrate sync.Mutex

	load, lock, insert, update, remove, expire string
}

var _ sessions.Store = (*Store)(nil)

var tableName = regexp.MustCompile(`^(?:[A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$`)

// Open returns a Store with its own connection pool to the database at dsn, a URL
// ("postgres://user:password@host:5432/dbname?sslmode=disable") or key=value string, as
// libpq accepts. It does not connect: the first operation does, and creates the table if it
// does not exist, so the program starts while the database is down and works once it is up.
// Without connect_timeout in dsn, connecting gives up after 5 seconds. Close closes the pool.
func Open(dsn string, cfg Config) (*Store, error) {
	pc, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("pgstore: the database address is not a valid PostgreSQL URL or key=value string: %s", parseReason(err))
	}
	if pc.ConnConfig.ConnectTimeout == 0 {
		pc.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	s, err := New(pool, cfg)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s.ownPool = true
	return s, nil
}

// parseReason returns why a DSN could not be parsed, without quoting the DSN: it may hold a
// password.
func parseReason(err error) string {
	var pe *pgconn.ParseConfigError
	if !errors.As(err, &pe) || pe.Unwrap() == nil {
		return "it cannot be parsed"
	}
	inner := pe.Unwrap()
	var ue *url.Error
	if errors.As(inner, &ue) {
		inner = ue.Err
	}
	return inner.Error()
}

// New returns a Store that uses pool, such as the pool of the application's own database.
// Close leaves the pool open.
func New(pool *pgxpool.Pool, cfg Config) (*Store, error) {
	s := &Store{pool: pool, now: cfg.Now}
	table := cfg.Table
	if table == "" {
		table = "canter_session"
		if cfg.DjangoCompatible {
			table = "django_session"
		}
	}
	if !tableName.MatchString(table) {
		return nil, fmt.Errorf("pgstore: table name %q is not a plain SQL name (letters, digits and _, not starting with a digit, optionally schema.table)", table)
	}
	parts := strings.Split(table, ".")
	s.name = parts[len(parts)-1]
	s.table = pgx.Identifier(parts).Sanitize()
	if cfg.DjangoCompatible {
		c, err := sqlcodec.NewDjango("pgstore", cfg.SecretKey, cfg.FallbackKeys, cfg.AcceptSHA1)
		if err != nil {
			return nil, err
		}
		logger := cfg.Logger
		if logger == nil {
			logger = slog.Default()
		}
		s.django = &sqlcodec.Column{Codec: c, Logger: logger, Store: "postgres", Table: s.table}
	}
	if s.now == nil {
		s.now = time.Now
	}
	cc := pool.Config().ConnConfig
	s.addr = net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port))) + "/" + cc.Database
	if strings.HasPrefix(cc.Host, "/") { // a Unix socket directory
		s.addr = cc.Host + "/.s.PGSQL." + strconv.Itoa(int(cc.Port)) + " " + cc.Database
	}

	t := s.table
	s.remove = `DELETE FROM ` + t + ` WHERE "session_key" = $1`
	s.expire = `DELETE FROM ` + t + ` WHERE "expire_date" < $1`
	// A key whose session has expired (but is not yet cleared) may be reused.
	s.insert = `INSERT INTO ` + t + ` ("session_key", "session_data", "expire_date") VALUES ($1, $2, $3)
		ON CONFLICT ("session_key") DO UPDATE SET "session_data" = EXCLUDED."session_data", "expire_date" = EXCLUDED."expire_date"
		WHERE ` + t + `."expire_date" <= $4`
	s.load = `SELECT "session_data", "expire_date" FROM ` + t + ` WHERE "session_key" = $1 AND "expire_date" > $2`
	if s.django != nil {
		s.lock = `SELECT "session_data" FROM ` + t + ` WHERE "session_key" = $1 AND "expire_date" > $2 FOR UPDATE`
		s.update = `UPDATE ` + t + ` SET "session_data" = $2, "expire_date" = $3 WHERE "session_key" = $1`
	} else {
		// One statement: the row lock it takes makes concurrent merges of a session queue.
		// jsonb - text[] removes keys, || replaces or adds the top-level keys of $5.
		s.update = `UPDATE ` + t + ` SET "session_data" =
			(CASE WHEN $3 THEN '{}'::jsonb ELSE "session_data" END - $4::text[]) || $5::jsonb,
			"expire_date" = $6
		WHERE "session_key" = $1 AND "expire_date" > $2`
	}
	return s, nil
}

// Close closes the connection pool if Open made it. It always returns nil; the error is
// there so that a Store is an io.Closer, as the other stores are.
func (s *Store) Close() error {
	if s.ownPool {
		s.pool.Close()
	}
	return nil
}

// Migrate creates the sessions table and its index on expire_date if they do not exist.
// The first operation of a Store calls it; call it at start-up to find problems early. A
// transaction-scoped advisory lock keeps two processes that start together from racing.
func (s *Store) Migrate(ctx context.Context) error {
	if s.ready.Load() {
		return nil
	}
	s.migrate.Lock()
	defer s.migrate.Unlock()
	if s.ready.Load() {
		return nil
	}
	var ddl []string
	if s.django != nil {
		// Django's migration sessions.0001_initial, as sqlmigrate prints it for PostgreSQL.
		index, like := s.name+"_expire_date", s.name+"_session_key_like"
		if s.name == "django_session" {
			index, like = "django_session_expire_date_a5c62663", "django_session_session_key_c0390e0f_like"
		}
		ddl = []string{
			`CREATE TABLE IF NOT EXISTS ` + s.table + ` ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" timestamp with time zone NOT NULL)`,
			`CREATE INDEX IF NOT EXISTS ` + pgx.Identifier{index}.Sanitize() + ` ON ` + s.table + ` ("expire_date")`,
			`CREATE INDEX IF NOT EXISTS ` + pgx.Identifier{like}.Sanitize() + ` ON ` + s.table + ` ("session_key" varchar_pattern_ops)`,
		}
	} else {
		ddl = []string{
			`CREATE TABLE IF NOT EXISTS ` + s.table + ` ("session_key" text NOT NULL PRIMARY KEY, "session_data" jsonb NOT NULL, "expire_date" timestamp with time zone NOT NULL)`,
			`CREATE INDEX IF NOT EXISTS ` + pgx.Identifier{s.name + "_expire_date"}.Sanitize() + ` ON ` + s.table + ` ("expire_date")`,
		}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, "canter sessions "+s.table); err != nil {
			return err
		}
		for _, stmt := range ddl {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return s.fail("create table", err)
	}
	s.ready.Store(true)
	return nil
}

// Load returns the session stored under key, or sessions.ErrNotFound.
func (s *Store) Load(ctx context.Context, key string) (sessions.Record, error) {
	if err := s.Migrate(ctx); err != nil {
		return sessions.Record{}, err
	}
	var data []byte
	var rec sessions.Record
	err := s.pool.QueryRow(ctx, s.load, key, s.now()).Scan(&data, &rec.Expiry)
	if errors.Is(err, pgx.ErrNoRows) {
		return sessions.Record{}, sessions.ErrNotFound
	}
	if err != nil {
		return sessions.Record{}, s.fail("load", err)
	}
	if s.django != nil {
		rec.Values = s.django.Decode(key, data)
		return rec, nil
	}
	if err := json.Unmarshal(data, &rec.Values); err != nil {
		return sessions.Record{}, s.fail("load", err)
	}
	if rec.Values == nil {
		rec.Values = make(map[string]json.RawMessage)
	}
	return rec, nil
}

// encode returns the session_data of values.
func (s *Store) encode(values map[string]json.RawMessage) (string, error) {
	if s.django != nil {
		return s.django.Encode(values)
	}
	b, err := sqlcodec.AppendObject(make([]byte, 0, 64+32*len(values)), values, "pgstore")
	return string(b), err
}

// Create stores a new session, or returns sessions.ErrExists when a valid session has the key.
func (s *Store) Create(ctx context.Context, key string, rec sessions.Record) error {
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	data, err := s.encode(rec.Values)
	if err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, s.insert, key, data, rec.Expiry, s.now())
	if err != nil {
		return s.fail("create", err)
	}
	if tag.RowsAffected() == 0 {
		return sessions.ErrExists
	}
	return nil
}

// Update merges ch into the stored session atomically, so concurrent updates of the session
// from any number of processes each keep their change. It returns sessions.ErrNotFound when
// the session was deleted or has expired.
//
// In the default layout the merge is one UPDATE with jsonb operators; in Django's layout it
// is a transaction that locks the row (SELECT … FOR UPDATE), decodes, merges and re-signs it.
func (s *Store) Update(ctx context.Context, key string, ch sessions.Changes) error {
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	if s.django != nil {
		return s.updateDjango(ctx, key, &ch)
	}
	set, err := sqlcodec.AppendObject(make([]byte, 0, 16+32*len(ch.Set)), ch.Set, "pgstore")
	if err != nil {
		return err
	}
	del := ch.Delete
	if del == nil {
		del = []string{}
	}
	tag, err := s.pool.Exec(ctx, s.update, key, s.now(), ch.Clear, del, string(set), ch.Expiry)
	if err != nil {
		return s.fail("update", err)
	}
	if tag.RowsAffected() == 0 {
		return sessions.ErrNotFound
	}
	return nil
}

func (s *Store) updateDjango(ctx context.Context, key string, ch *sessions.Changes) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return s.fail("update", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var stored []byte
	err = tx.QueryRow(ctx, s.lock, key, s.now()).Scan(&stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return sessions.ErrNotFound
	}
	if err != nil {
		return s.fail("update", err)
	}
	data, err := s.django.Merge(key, stored, ch)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, s.update, key, data, ch.Expiry); err != nil {
		return s.fail("update", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return s.fail("update", err)
	}
	return nil
}

// Delete removes the session stored under key, if any.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	if _, err := s.pool.Exec(ctx, s.remove, key); err != nil {
		return s.fail("delete", err)
	}
	return nil
}

// DeleteExpired removes the sessions that have expired, as Django's clearsessions does.
func (s *Store) DeleteExpired(ctx context.Context) error {
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	if _, err := s.pool.Exec(ctx, s.expire, s.now()); err != nil {
		return s.fail("delete expired", err)
	}
	return nil
}

func (s *Store) fail(op string, err error) error {
	return &sessions.StoreError{Store: "postgres", Addr: s.addr, Op: op, Err: err}
}
