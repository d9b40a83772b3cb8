package servers

import (
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
	"github.com/go-chi/chi/v5"
	"github.com/gorilla/csrf"
)

// The rival full stack: chi with the security headers Django sends, alexedwards/scs sessions and
// gorilla/csrf, in Django's order (security, sessions, CSRF, x-frame — the headers middleware
// sets both security and x-frame headers up front).

// csrfKey signs gorilla/csrf's cookie; a fixed key keeps runs comparable.
var csrfKey = []byte("bench-csrf-key-32-bytes-long!!!!")

func newChiFullSQLite(o Options) (http.Handler, func() error, error) {
	store, err := newSQLiteStore(o.Dir)
	if err != nil {
		return nil, nil, err
	}
	return chiFull(store), store.db.Close, nil
}

func newChiFullMemory(Options) (http.Handler, func() error, error) {
	// No cleanup goroutine: scs 2.9.0's StopCleanup races with it, and benchmark sessions do
	// not expire during a run anyway.
	return chiFull(memstore.NewWithCleanupInterval(0)), nothingToClose, nil
}

func chiFull(store scs.Store) http.Handler {
	sm := scs.New()
	sm.Store = store
	sm.Lifetime = sessionAge * time.Second
	sm.Cookie.Name = sessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = false // served over plain HTTP on loopback

	protect := csrf.Protect(csrfKey,
		csrf.Secure(false),
		csrf.Path("/"),
		csrf.SameSite(csrf.SameSiteLaxMode),
		csrf.CookieName(csrfCookie),
		csrf.FieldName(csrfField),
	)

	r := chi.NewRouter()
	r.Use(securityHeadersMiddleware, sm.LoadAndSave, plaintextHTTP, protect)
	chiRoutes(r)
	r.Get("/form", func(w http.ResponseWriter, r *http.Request) {
		n := sm.GetInt(r.Context(), visitsKey) + 1
		sm.Put(r.Context(), visitsKey, n)
		w.Header()["Content-Type"] = []string{contentHTML}
		_, _ = w.Write(formPage(n, csrfField, csrf.Token(r)))
	})
	r.Post("/form", func(w http.ResponseWriter, r *http.Request) {
		_ = r.PostFormValue("note")
		http.Redirect(w, r, "/form", http.StatusSeeOther)
	})
	return r
}

func securityHeadersMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range securityHeaders {
			h[kv[0]] = []string{kv[1]}
		}
		next.ServeHTTP(w, r)
	})
}

// plaintextHTTP tells gorilla/csrf (1.7.3 and later) that the request came over plain HTTP, as
// its documentation asks; without it the Referer check assumes HTTPS.
func plaintextHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, csrf.PlaintextHTTPRequest(r))
	})
}
