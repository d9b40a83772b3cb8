// Package sqlitestore keeps sessions in an SQLite database file: the embedded default, with
// no server to run. It uses a pure-Go SQLite (no cgo), so the binary stays static.
//
//	store, err := sqlitestore.Open("sessions.db", sqlitestore.Config{})
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer store.Close()
//
// The store is tuned for web traffic: the database runs in WAL mode with synchronous=NORMAL
// and a busy timeout, reads use a pool of read-only connections, and every write goes through
// one connection, so concurrent requests of one process queue in Go instead of failing with
// "database is locked". Updates run in a BEGIN IMMEDIATE transaction that reads the stored
// session, applies the request's changes and writes it back: two requests of one browser that
// change different keys of the session both keep their change, also when several processes
// share the file.
//
// # Layouts
//
// By default the table is canter_session, with the values as a JSON object in session_data
// and expire_date as Unix milliseconds. With Config.DjangoCompatible the table is Django's
// django_session (session_key varchar(40), session_data text, expire_date datetime, indexed)
// and session_data is Django's encoding, signing.Dumps of the values with compress=true and
// the salt "django.contrib.sessions.SessionStore", keyed by Config.SecretKey with
// Config.FallbackKeys; expire_date is written as Django writes it with USE_TZ = True. A
// Django site and a Go service that open the same database file then share their users'
// sessions.
//
// Open creates the table and its index when they do not exist (Migrate does it again on
// demand). Run Store.DeleteExpired from time to time, as Django's clearsessions command: an
// expired session is never loaded, but its row stays until then.
package sqlitestore
