package servers

import (
	"database/sql"
	"errors"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// sqliteStore is an alexedwards/scs Store over modernc.org/sqlite. scs's own SQLite store needs
// cgo (mattn/go-sqlite3); this one keeps the whole module pure Go, like Canter's SQLite store.
type sqliteStore struct{ db *sql.DB }

// openSQLite opens (and creates) a session database in dir with the settings a web server
// wants from SQLite: WAL journal, NORMAL synchronous, a busy timeout instead of SQLITE_BUSY.
func openSQLite(dir string) (*sql.DB, error) {
	dsn := "file:" + filepath.Join(dir, "sessions.db") +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// Opening a SQLite connection is costly: keep a few open instead of letting database/sql
	// churn through them (its default keeps 2 idle).
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	return db, db.Ping()
}

func newSQLiteStore(dir string) (*sqliteStore, error) {
	if dir == "" {
		return nil, errors.New("servers: the SQLite session store needs Options.Dir")
	}
	db, err := openSQLite(dir)
	if err != nil {
		return nil, err
	}
	_, err = db.Exec(`CREATE TABLE IF NOT EXISTS scs_sessions (
		token TEXT PRIMARY KEY, data BLOB NOT NULL, expiry INTEGER NOT NULL)`)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &sqliteStore{db: db}, nil
}

// Find returns the data of an unexpired session.
func (s *sqliteStore) Find(token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.QueryRow(`SELECT data FROM scs_sessions WHERE token = ? AND expiry > ?`,
		token, time.Now().UnixNano()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return b, err == nil, err
}

// Commit stores or replaces a session.
func (s *sqliteStore) Commit(token string, b []byte, expiry time.Time) error {
	_, err := s.db.Exec(`INSERT INTO scs_sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, b, expiry.UnixNano())
	return err
}

// Delete removes a session.
func (s *sqliteStore) Delete(token string) error {
	_, err := s.db.Exec(`DELETE FROM scs_sessions WHERE token = ?`, token)
	return err
}
