// Package servers builds the end-to-end benchmark servers: one http.Handler per framework, all
// answering the same endpoints with the same bytes, so a load test measures the framework and
// not the view.
//
// The endpoints:
//
//	GET  /plaintext                       "Hello, World!" as text/plain
//	GET  /json                            {"message":"Hello, World!"}, encoded per request
//	GET  /users/<int:id>/posts/<slug>     "user 42 post hello-world"; an id that is not a
//	                                      non-negative integer is a 404
//	GET  /form                            an HTML page that reads a visit counter from the
//	                                      session, stores it plus one, and renders a CSRF token
//	POST /form                            the token is checked; 303 See Other back to /form
//
// Bare servers (net/http's ServeMux, chi, gin, echo, httprouter, Canter's gateway alone) serve
// the first three. The full-stack servers add sessions, CSRF and security headers around every
// endpoint: Canter with its default middleware stack, and chi with alexedwards/scs and
// gorilla/csrf plus the headers Django's SecurityMiddleware and XFrameOptionsMiddleware send.
//
// Check drives one endpoint of a running server the way a browser would and tells whether it
// answered as specified; the load driver runs it before every measurement and the tests run it
// against every server.
package servers

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strconv"
)

// Endpoint names.
const (
	Plaintext = "plaintext"
	JSON      = "json"
	Params    = "params"
	Form      = "form"
)

// Endpoints lists every endpoint, in table order.
func Endpoints() []string { return []string{Plaintext, JSON, Params, Form} }

// Paths requested by the load generator for the single-request endpoints.
const (
	PlaintextPath = "/plaintext"
	JSONPath      = "/json"
	ParamsPath    = "/users/42/posts/hello-world"
	FormPath      = "/form"
)

// Path returns the path an endpoint is requested at.
func Path(endpoint string) string {
	switch endpoint {
	case Plaintext:
		return PlaintextPath
	case JSON:
		return JSONPath
	case Params:
		return ParamsPath
	case Form:
		return FormPath
	}
	return ""
}

// Options configure a server.
type Options struct {
	// Dir is a directory the server may keep files in (the SQLite session database).
	Dir string
}

// Server describes one benchmark server.
type Server struct {
	// Name is how the command line and the tables name the server.
	Name string
	// About says in a few words what runs.
	About string
	// Endpoints are the endpoints the server serves and the driver measures by default.
	Endpoints []string
	// Peer is the Canter server a rival is compared with; empty for Canter's own servers.
	Peer string
	// FullStack reports whether the server answers through sessions, CSRF and the security
	// headers (Check then demands the headers).
	FullStack bool
	// New builds the handler; close releases what it holds (databases).
	New func(o Options) (h http.Handler, close func() error, err error)
}

// Serves reports whether the server answers endpoint.
func (s Server) Serves(endpoint string) bool {
	for _, e := range s.Endpoints {
		if e == endpoint {
			return true
		}
	}
	return false
}

var bare = []string{Plaintext, JSON, Params}
var full = []string{Plaintext, JSON, Params, Form}

// All returns every server, Canter's first.
func All() []Server {
	wired := StackWired()
	return []Server{
		{Name: "canter", About: "canter.New() with its default middleware stack; signed-cookie sessions", Endpoints: full, FullStack: wired, New: newCanter},
		{Name: "canter-sqlite", About: "canter.New() with its default middleware stack; SQLite sessions", Endpoints: []string{Form}, FullStack: wired, New: newCanterSQLite},
		{Name: "canter-core", About: "Canter's gateway (handler.New) and router, no middleware", Endpoints: bare, Peer: "canter", New: newCanterCore},
		{Name: "nethttp", About: "net/http ServeMux (Go 1.22 patterns)", Endpoints: bare, Peer: "canter", New: newNetHTTP},
		{Name: "chi", About: "chi, no middleware", Endpoints: bare, Peer: "canter", New: newChi},
		{Name: "gin", About: "gin.New(), no middleware", Endpoints: bare, Peer: "canter", New: newGin},
		{Name: "echo", About: "echo.New(), no middleware", Endpoints: bare, Peer: "canter", New: newEcho},
		{Name: "httprouter", About: "httprouter", Endpoints: bare, Peer: "canter", New: newHTTPRouter},
		{Name: "chi-full", About: "chi + security headers + scs (SQLite store) + gorilla/csrf", Endpoints: []string{Plaintext, Form}, Peer: "canter-sqlite", FullStack: true, New: newChiFullSQLite},
		{Name: "chi-full-mem", About: "chi + security headers + scs (memory store) + gorilla/csrf", Endpoints: []string{Plaintext, Form}, Peer: "canter", FullStack: true, New: newChiFullMemory},
	}
}

// Lookup returns the server with the given name.
func Lookup(name string) (Server, bool) {
	for _, s := range All() {
		if s.Name == name {
			return s, true
		}
	}
	return Server{}, false
}

// The answers every server gives.
const (
	helloWorld  = "Hello, World!"
	contentText = "text/plain; charset=utf-8"
	contentJSON = "application/json"
	contentHTML = "text/html; charset=utf-8"
	// visitsKey is the session key of the form page's counter.
	visitsKey = "visits"
	// csrfField and csrfCookie follow Django's names, which every server uses.
	csrfField  = "csrfmiddlewaretoken"
	csrfCookie = "csrftoken"
	// sessionCookie is Django's SESSION_COOKIE_NAME.
	sessionCookie = "sessionid"
	// sessionAge is Django's SESSION_COOKIE_AGE: two weeks, in seconds.
	sessionAge = 1209600
)

// message is the JSON endpoint's document.
type message struct {
	Message string `json:"message"`
}

// securityHeaders are what Django's SecurityMiddleware and XFrameOptionsMiddleware send by
// default; the rival full stack sends the same.
var securityHeaders = [...][2]string{
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "same-origin"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"X-Frame-Options", "DENY"},
}

// parseID reads a user id as Django's and Flask's int converter does: digits only, fitting an
// int64. It reports false for anything else, which every server answers with 404.
func parseID(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// userPost is the params endpoint's body.
func userPost(id int64, slug string) string {
	return "user " + strconv.FormatInt(id, 10) + " post " + slug
}

// formPage renders the form page; every server sends these bytes for the same visit count,
// field and token.
func formPage(visits int, field, token string) []byte {
	b := make([]byte, 0, 384+len(token))
	b = append(b, `<!doctype html><html><head><title>Visits</title></head><body><p>Visits: `...)
	b = strconv.AppendInt(b, int64(visits), 10)
	b = append(b, `</p><form method="post" action="/form"><input type="hidden" name="`...)
	b = append(b, html.EscapeString(field)...)
	b = append(b, `" value="`...)
	b = append(b, html.EscapeString(token)...)
	b = append(b, `"><input name="note"><button>Save</button></form></body></html>`...)
	return b
}

// jsonBody encodes the JSON endpoint's document without a trailing newline.
func jsonBody() ([]byte, error) { return json.Marshal(message{Message: helloWorld}) }

// ErrNotWired is what Check returns for an endpoint a server does not serve yet (it answers
// 501 Not Implemented).
var ErrNotWired = errors.New("not wired yet (the server answers 501)")

func notWired(what string) error {
	return fmt.Errorf("%w: %s", ErrNotWired, what)
}
