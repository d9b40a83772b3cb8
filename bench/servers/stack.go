package servers

import "github.com/canter-go/canter/web"

// SessionStore names where the Canter full-stack servers keep sessions.
type SessionStore string

// The session stores measured.
const (
	// CookieSessions keeps the session in a signed cookie, Canter's default.
	CookieSessions SessionStore = "cookie"
	// SQLiteSessions keeps sessions in a SQLite database file in Options.Dir.
	SQLiteSessions SessionStore = "sqlite"
)

// Stack is what the Canter full-stack servers take from the packages that make Canter's default
// middleware stack, its sessions and its CSRF protection. It is the only seam between these
// servers and those packages: wiring them means filling it in defaultStack, nothing else.
type Stack struct {
	// Wired reports whether the fields below are Canter's own. Until they are, the form
	// endpoint answers 501 Not Implemented and the load driver reports it as not wired.
	Wired bool
	// Middleware is added to the app with Use, outermost first. Leave it empty for the layers
	// that canter.New() installs by itself.
	Middleware []web.Middleware
	// Visits reads the "visits" counter of the request's session (0 when absent), stores the
	// counter plus one, and returns the new value.
	Visits func(r *web.Request) (int, error)
	// Token returns the name of the CSRF form field and a token for the page.
	Token func(r *web.Request) (field, token string, err error)
	// Close releases the session store.
	Close func() error
}

// defaultStack returns Canter's default stack with sessions kept in store (dir holds the
// SQLite database).
//
// TODO(wiring): Canter's middleware, sessions and csrf packages do not exist on this branch yet.
// When they land, fill in the Stack, roughly:
//
//	Middleware: whatever canter.New() does not install itself, in Django's order:
//	            middleware.Security, sessions.Middleware(<store>), middleware.Common,
//	            csrf.Middleware, middleware.XFrame
//	            (<store>: the signed-cookie store for CookieSessions; for SQLiteSessions the
//	            SQLite store over openSQLite(dir), which uses the same pragmas and pool as the
//	            rival's scs store in sqlitestore.go)
//	Visits:     read visitsKey from the request's session, add one, store it back
//	Token:      csrf's form field name ("csrfmiddlewaretoken") and csrf.Token(r)
//	Close:      close the SQLite database (nothingToClose for cookies)
//	Wired:      true
//
// Nothing else in this module changes: the form views, the checks and the load driver already
// handle both stores.
func defaultStack(store SessionStore, dir string) (Stack, error) {
	_, _ = store, dir
	return Stack{Close: nothingToClose}, nil
}

// StackWired reports whether the Canter servers run Canter's own default stack yet; until then
// "canter" is the bare app and its form endpoint answers 501.
func StackWired() bool {
	st, err := defaultStack(CookieSessions, "")
	if err != nil {
		return false
	}
	if st.Close != nil {
		_ = st.Close()
	}
	return st.Wired
}
