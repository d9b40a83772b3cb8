// Package pgstore keeps sessions in a PostgreSQL table, for several instances of a site
// behind a load balancer. It uses pgx's connection pool, which prepares and caches its
// statements and reconnects by itself after the server was restarted or unreachable.
//
//	store, err := pgstore.Open("postgres://app@db:5432/app", pgstore.Config{})
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer store.Close()
//
// New builds a store on a pool the application already has.
//
// # Failures
//
// Open does not connect, so a site starts while its database is down. Every operation that
// cannot reach the database returns a *sessions.StoreError that names the store and the
// server's address (never the password); the session middleware answers 503 and the next
// request tries again. The table and its index are created by the first operation that
// reaches the database (or by Migrate).
//
// # Layouts
//
// By default the table is canter_session: session_key text, session_data jsonb and
// expire_date timestamp with time zone, indexed. An update is a single UPDATE that removes
// the deleted keys and merges the set ones with jsonb operators, so concurrent requests of
// one browser that change different keys both keep their change.
//
// With Config.DjangoCompatible the table is Django's django_session (session_key
// varchar(40), session_data text, expire_date timestamp with time zone, indexed) and
// session_data is Django's encoding: signing.Dumps of the values with compress=true and the
// salt "django.contrib.sessions.SessionStore", keyed by Config.SecretKey with
// Config.FallbackKeys. An update then locks the row (SELECT … FOR UPDATE), merges and
// re-signs it in a transaction. A Django site and a Go service that share the database and
// the secret key share their users' sessions.
//
// # Speed
//
// Each update commits, and PostgreSQL waits for its WAL to reach the disk before it
// answers. Sessions can afford to lose the last fraction of a second of changes on a crash of
// the server (never to be corrupted): adding synchronous_commit=off to the address of a pool
// used only for sessions, as in "postgres://app@db/app?synchronous_commit=off", made the
// load-and-update benchmark three times faster here.
//
// Run Store.DeleteExpired from time to time, as Django's clearsessions command: an expired
// session is never loaded, but its row stays until then.
package pgstore
