package middleware

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"

	"github.com/canter-go/canter/web"
)

// RequestIDConfig configures RequestIDs. Django has no such middleware; the defaults are the
// common practice of proxies and tracing systems.
type RequestIDConfig struct {
	// Header is the header that carries the id, on the response and, when trusted, on the
	// request (default "X-Request-ID").
	Header string
	// TrustIncoming takes the id from the request's Header when it has a usable one (1 to 200
	// printable ASCII characters without spaces), so that a proxy's id follows the request
	// through the logs. Leave it off unless a proxy you run sets or strips the header: clients
	// can send any value (default false: every request gets a new id).
	TrustIncoming bool
	// Generate makes a new id (default: 128 random bits as 26 base32 characters, from
	// crypto/rand.Text).
	Generate func() string
}

// DefaultRequestIDHeader is the header RequestIDs uses by default.
const DefaultRequestIDHeader = "X-Request-ID"

// maxRequestIDLength bounds a trusted incoming id.
const maxRequestIDLength = 200

type requestIDs struct {
	header   string
	trust    bool
	generate func() string
}

type requestIDKey struct{}

// RequestIDs returns a middleware that gives every request an id: a new random one, or the
// incoming one when TrustIncoming is set. The id is set on the response header (unless the
// response has one) and on the request, where RequestID finds it for logs (AccessLog records
// it). Put it first in the list so that every layer sees the id.
//
// It returns an error for a header name that is not a valid HTTP token.
func RequestIDs(cfg RequestIDConfig) (web.Middleware, error) {
	m := &requestIDs{header: cfg.Header, trust: cfg.TrustIncoming, generate: cfg.Generate}
	if m.header == "" {
		m.header = DefaultRequestIDHeader
	}
	for i := 0; i < len(m.header); i++ {
		if !isTokenByte(m.header[i]) {
			return nil, configError("request_id", []string{fmt.Sprintf("Header: %q is not a valid header name", cfg.Header)})
		}
	}
	m.header = http.CanonicalHeaderKey(m.header)
	if m.generate == nil {
		m.generate = rand.Text
	}
	return m, nil
}

// Wrap implements web.Middleware.
func (m *requestIDs) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		var id string
		if m.trust {
			if v := r.Header[m.header]; len(v) > 0 && validRequestID(v[0]) {
				id = v[0]
			}
		}
		if id == "" {
			id = m.generate()
		}
		r.Set(requestIDKey{}, id)
		resp, err := next(r)
		if err != nil {
			return nil, err
		}
		if h := resp.Header(); len(h[m.header]) == 0 {
			h[m.header] = []string{id}
		}
		return resp, nil
	}
}

// RequestID returns the id RequestIDs gave the request, or "" when that middleware did not run.
func RequestID(r *web.Request) string {
	id, _ := r.Get(requestIDKey{}).(string)
	return id
}

func validRequestID(s string) bool {
	if len(s) == 0 || len(s) > maxRequestIDLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// isTokenByte reports whether c may appear in an HTTP header name (RFC 9110 tchar).
func isTokenByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return c != 0 && c < 0x80 && strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
