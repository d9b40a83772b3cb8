package web

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// Site holds what every request of a site shares: the upload limits, the host and proxy rules
// and the URL resolver. The gateway makes one from the settings; requests keep a pointer to it.
type Site struct {
	// Limits bounds what a request body may hold.
	Limits Limits
	// Resolver resolves and reverses URLs.
	Resolver Resolver
	// Debug turns on the technical error pages.
	Debug bool
	// AllowedHosts lists the host names the site answers to, with Django's rules:
	// "example.com", ".example.com" (the domain and its subdomains) or "*".
	AllowedHosts []string
	// UseXForwardedHost makes Host read X-Forwarded-Host (only behind a proxy that sets it).
	UseXForwardedHost bool
	// UseXForwardedPort makes Port read X-Forwarded-Port.
	UseXForwardedPort bool
	// TrustedProxies lists the addresses of reverse proxies whose X-Forwarded-For is believed
	// when finding the client's address. Empty (the default) trusts no proxy. When it is set,
	// SecureProxyHeader, X-Forwarded-Host and X-Forwarded-Port are also believed only from
	// these proxies.
	TrustedProxies []netip.Prefix
	// SecureProxyHeader names a header and the value by which a trusted proxy says the client
	// used HTTPS (Django's SECURE_PROXY_SSL_HEADER), such as {"X-Forwarded-Proto", "https"}.
	SecureProxyHeader [2]string
}

// Limits bound the body of a request, as Django's DATA_UPLOAD_* settings do. The zero Limits
// means Django's defaults; otherwise every field is taken as set, zero included, and a negative
// value turns a limit off.
type Limits struct {
	// MaxMemorySize is the largest body (not counting uploaded files) that is read into memory:
	// 2.5 MB by default (Django's DATA_UPLOAD_MAX_MEMORY_SIZE).
	MaxMemorySize int64
	// MaxNumberFields is the most query or form fields a request may send: 1000 by default.
	MaxNumberFields int
	// MaxNumberFiles is the most files a multipart request may upload: 100 by default.
	MaxNumberFiles int
	// FileMemorySize is how many bytes of uploaded files a request may keep in memory, all its
	// files together; a file that does not fit in what is left is written to a temporary file
	// instead: 2.5 MB by default (Django's FILE_UPLOAD_MAX_MEMORY_SIZE).
	FileMemorySize int64
}

// Django's defaults for Limits.
const (
	DefaultMaxMemorySize   = 2621440
	DefaultMaxNumberFields = 1000
	DefaultMaxNumberFiles  = 100
	DefaultFileMemorySize  = 2621440
)

// DefaultLimits returns Django's defaults.
func DefaultLimits() Limits {
	return Limits{DefaultMaxMemorySize, DefaultMaxNumberFields, DefaultMaxNumberFiles, DefaultFileMemorySize}
}

func (l *Limits) get() Limits {
	if *l == (Limits{}) {
		return DefaultLimits()
	}
	return *l
}

func (l *Limits) maxMemory() int64  { return l.get().MaxMemorySize }
func (l *Limits) maxFields() int    { return l.get().MaxNumberFields }
func (l *Limits) maxFiles() int     { return l.get().MaxNumberFiles }
func (l *Limits) fileMemory() int64 { return l.get().FileMemorySize }

var defaultSite = &Site{}

// Request is the request a view receives: the *http.Request (embedded, so every net/http method
// works) plus what the framework adds — the matched route and its parameters, query and form
// access with Django's limits, request-scoped values (Flask's g) and URL reversing.
//
// A Request belongs to one request; it is safe to keep after the view returns, but not to use
// from several goroutines at once.
type Request struct {
	*http.Request

	site       *Site
	match      Match
	matched    bool
	resolveErr error
	paramBuf   [4]Param

	// parsed holds what is read from the request on demand (query, body, form); it is made
	// on first use, which keeps a Request that needs none of it small.
	parsed *parsed

	values   []keyValue
	valueBuf [4]keyValue

	err error // the first error the gateway turned into a response
}

// parsed is the part of a Request that views read on demand.
type parsed struct {
	query    url.Values
	body     []byte
	bodyErr  error
	bodyRead bool
	form     *formData
}

// data returns the request's parsed part, making it on first use.
func (r *Request) data() *parsed {
	if r.parsed == nil {
		r.parsed = new(parsed)
	}
	return r.parsed
}

type keyValue struct{ key, value any }

type ctxKey struct{}

// NewRequest wraps r. site may be nil, which means Django's default limits, no resolver and no
// allowed hosts but the local ones.
func NewRequest(r *http.Request, site *Site) *Request {
	if site == nil {
		site = defaultSite
	}
	// The parameter and value buffers are attached when first used (Resolve, Set), so that
	// making a request stores nothing but these two pointers.
	return &Request{Request: r, site: site}
}

// RequestOf returns the *Request that carries r, for code that only has the *http.Request (a
// net/http handler mounted as a view or used as middleware). It returns nil when r did not come
// through the gateway.
func RequestOf(r *http.Request) *Request {
	req, _ := r.Context().Value(ctxKey{}).(*Request)
	return req
}

// HTTP returns an *http.Request whose context carries this Request, so that RequestOf finds it;
// pass it to net/http handlers. The context is added once, on first use.
func (r *Request) HTTP() *http.Request {
	if RequestOf(r.Request) != r {
		r.Request = r.Request.WithContext(context.WithValue(r.Request.Context(), ctxKey{}, r))
	}
	return r.Request
}

// Site returns the site the request belongs to.
func (r *Request) Site() *Site { return r.site }

// Match returns the route the request resolved to, or nil before URL resolution (in the
// request phase of middleware, as Django's request.resolver_match).
func (r *Request) Match() *Match {
	if !r.matched {
		return nil
	}
	return &r.match
}

// Resolve resolves the request's path with the site's resolver, once; later calls return the
// same result. The gateway calls it after the request phase of the middleware.
func (r *Request) Resolve() (*Match, error) {
	switch {
	case r.matched:
		return &r.match, nil
	case r.resolveErr != nil:
		return nil, r.resolveErr
	case r.site.Resolver == nil:
		r.resolveErr = NotFound("no URL patterns are configured")
		return nil, r.resolveErr
	}
	r.match.Params = r.paramBuf[:0]
	if err := r.site.Resolver.Resolve(r.Method, r.URL.Path, &r.match); err != nil {
		r.resolveErr = err
		return nil, err
	}
	r.matched = true
	return &r.match, nil
}

// Unresolve forgets the resolution, for middleware that changes the path (Django's
// request.path_info) and wants it resolved again.
func (r *Request) Unresolve() {
	r.matched, r.resolveErr = false, nil
	r.match = Match{}
}

// Params returns the path parameters of the matched route.
func (r *Request) Params() Params { return r.match.Params }

// Param returns the raw text of the named path parameter, or "".
func (r *Request) Param(name string) string { return r.match.Params.Get(name) }

// Reverse returns the path of a named route ("name" or "namespace:name") with the given
// arguments: positional values in pattern order, or a single map[string]any of named ones.
func (r *Request) Reverse(name string, args ...any) (string, error) {
	if r.site.Resolver == nil {
		return "", NotFound("no URL patterns are configured")
	}
	return r.site.Resolver.Reverse(name, args...)
}

// Set stores a request-scoped value (Flask's g). Keys are compared with ==; packages should use
// an unexported key type, applications may use strings.
func (r *Request) Set(key, value any) {
	for i := range r.values {
		if r.values[i].key == key {
			r.values[i].value = value
			return
		}
	}
	if r.values == nil {
		r.values = r.valueBuf[:0]
	}
	r.values = append(r.values, keyValue{key, value})
}

// Get returns the request-scoped value stored under key, or nil.
func (r *Request) Get(key any) any {
	for i := range r.values {
		if r.values[i].key == key {
			return r.values[i].value
		}
	}
	return nil
}

// Value returns the request-scoped value of type T stored under key, and whether there was one.
func Value[T any](r *Request, key any) (T, bool) {
	v, ok := r.Get(key).(T)
	return v, ok
}

// Err returns the first error that the gateway turned into a response for this request, or nil.
// Teardown hooks receive it.
func (r *Request) Err() error { return r.err }

// RecordError remembers err as the request's error if it is the first one. The gateway calls it.
func (r *Request) RecordError(err error) {
	if r.err == nil {
		r.err = err
	}
}

// Query returns the URL's query parameters, parsed once. Like Django, a query with more than
// Limits.MaxNumberFields fields is refused: Query then panics with a 400 *Error, which the
// gateway answers with "400 Bad Request" and Django's reason.
func (r *Request) Query() url.Values {
	d := r.data()
	if d.query == nil {
		raw := r.URL.RawQuery
		if err := r.checkFieldCount(raw); err != nil {
			panic(err)
		}
		q, _ := url.ParseQuery(raw)
		d.query = q
	}
	return d.query
}

// QueryValue returns the first value of the named query parameter, or "".
func (r *Request) QueryValue(key string) string { return r.Query().Get(key) }

func (r *Request) checkFieldCount(raw string) error {
	max := r.site.Limits.maxFields()
	if max < 0 || raw == "" {
		return nil
	}
	if strings.Count(raw, "&")+1 > max {
		return errTooManyFields
	}
	return nil
}

var errTooManyFields = &Error{
	Status:  http.StatusBadRequest,
	Kind:    "TooManyFieldsSent",
	Message: "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS.",
}

// IsSecure reports whether the client used HTTPS: the connection is TLS, or a trusted proxy says
// so in the configured SecureProxyHeader (the part before the first comma, as Django reads it).
func (r *Request) IsSecure() bool { return r.Scheme() == "https" }

// Scheme returns "https" or "http", honouring Site.SecureProxyHeader.
func (r *Request) Scheme() string {
	if name := r.site.SecureProxyHeader[0]; name != "" && r.proxyHeadersBelieved() {
		if v, ok := r.Header[http.CanonicalHeaderKey(name)]; ok && len(v) > 0 {
			first, _, _ := strings.Cut(v[0], ",")
			if strings.TrimSpace(first) == r.site.SecureProxyHeader[1] {
				return "https"
			}
			return "http"
		}
	}
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// ClientIP returns the client's address. It is the connection's peer unless that peer is a
// trusted proxy (Site.TrustedProxies); then X-Forwarded-For is read from the right, skipping
// trusted proxies, and the first untrusted address is the client. Nothing in a header is
// believed when no proxy is trusted, so clients cannot spoof their address.
func (r *Request) ClientIP() netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	var addr netip.Addr
	if err == nil {
		addr = peer.Addr().Unmap()
	} else if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		addr = a.Unmap()
	}
	if !r.trusted(addr) {
		return addr
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return addr
			}
			addr = hop.Unmap()
			if !r.trusted(addr) {
				return addr
			}
		}
	}
	return addr
}

// proxyHeadersBelieved reports whether the proxy headers the site is configured to read
// (SecureProxyHeader, X-Forwarded-Host, X-Forwarded-Port) may be believed for this request:
// always when no trusted proxies are listed (Django's behaviour: the settings alone say a
// proxy sets them), and only from a trusted proxy when some are, so that a client that reaches
// the site directly cannot claim HTTPS or another host.
func (r *Request) proxyHeadersBelieved() bool {
	if len(r.site.TrustedProxies) == 0 {
		return true
	}
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	return r.trusted(peer.Addr().Unmap())
}

func (r *Request) trusted(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range r.site.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
