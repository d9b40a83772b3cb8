package servers

import (
	"errors"

	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/web"
)

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

// defaultStack returns what the form views need from Canter's sessions and CSRF packages. The
// middleware itself is canter.New()'s default stack (security, sessions, common, CSRF,
// x-frame), configured through the app's settings in newCanterApp.
func defaultStack(store SessionStore, dir string) (Stack, error) {
	if store == SQLiteSessions && dir == "" {
		return Stack{}, errors.New("servers: the SQLite session store needs Options.Dir")
	}
	return Stack{
		Wired: true,
		Visits: func(r *web.Request) (int, error) {
			s := sessions.Get(r)
			n, _ := s.GetInt(visitsKey)
			s.Set(visitsKey, n+1)
			return int(n + 1), nil
		},
		Token: func(r *web.Request) (string, string, error) {
			return "csrfmiddlewaretoken", csrf.Token(r), nil
		},
		Close: nothingToClose,
	}, nil
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
