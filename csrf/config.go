package csrf

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/canter-go/canter/web"
)

// Mode chooses what an unsafe request must show besides coming from a trusted origin.
type Mode int

const (
	// ModeToken (the default) is Django's protection: the Origin (or, over HTTPS, the Referer)
	// and Fetch Metadata checks, then a token that matches the browser's secret.
	ModeToken Mode = iota
	// ModeOrigin drops the token and relies on the Fetch Metadata and Origin checks alone, for
	// JSON APIs whose clients cannot fetch a token first. See the package documentation for
	// what it trusts.
	ModeOrigin
)

// String returns "token" or "origin".
func (m Mode) String() string {
	switch m {
	case ModeToken:
		return "token"
	case ModeOrigin:
		return "origin"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Django's defaults.
const (
	DefaultCookieName = "csrftoken"
	DefaultCookieAge  = 31449600 * time.Second // 52 weeks
	DefaultCookiePath = "/"
	DefaultHeaderName = "X-CSRFToken"
)

// Config describes the CSRF protection. The settings of the same names in Django
// (CSRF_COOKIE_NAME and so on) map onto its fields. DefaultConfig returns Django's defaults; in
// a Config built by hand, empty names take their defaults, but CookieAge is taken as written.
type Config struct {
	// CookieName is the cookie that holds the secret (CSRF_COOKIE_NAME): "csrftoken" when
	// empty. A name that starts with "__Host-" pins the cookie to this origin over HTTPS, so
	// that a subdomain cannot overwrite it; it requires CookieSecure, CookiePath "/" and no
	// CookieDomain.
	CookieName string
	// CookieAge is how long the browser keeps the cookie (CSRF_COOKIE_AGE): 31449600 seconds in
	// DefaultConfig. Zero makes it a browser-session cookie (Django's None).
	CookieAge time.Duration
	// CookieDomain is the cookie's Domain (CSRF_COOKIE_DOMAIN), such as ".example.com" to share
	// the cookie with subdomains; empty (the default) means this host only. When set, the
	// Referer check over HTTPS accepts this domain and its subdomains.
	CookieDomain string
	// CookiePath is the cookie's Path (CSRF_COOKIE_PATH): "/" when empty.
	CookiePath string
	// CookieSecure sends the cookie over HTTPS only (CSRF_COOKIE_SECURE): false by default;
	// set it when the site is served over HTTPS.
	CookieSecure bool
	// CookieHTTPOnly hides the cookie from JavaScript (CSRF_COOKIE_HTTPONLY): false by default,
	// so that scripts can read it and send it back in the header. Nothing is gained by hiding it:
	// scripts that need the token can read it from the page.
	CookieHTTPOnly bool
	// CookieSameSite is the cookie's SameSite (CSRF_COOKIE_SAMESITE): Lax when zero.
	// http.SameSiteDefaultMode writes no SameSite attribute (Django's False); None requires
	// CookieSecure.
	CookieSameSite http.SameSite
	// HeaderName is the request header a token may come in (CSRF_HEADER_NAME): "X-CSRFToken"
	// when empty. Django's spelling, "HTTP_X_CSRFTOKEN", is accepted too.
	HeaderName string
	// TrustedOrigins lists origins other than the site's own from which unsafe requests are
	// accepted (CSRF_TRUSTED_ORIGINS): "https://example.com", or "https://*.example.com" for
	// every subdomain of example.com. Each entry needs its scheme and, when it is not the
	// default, its port, exactly as browsers send them in the Origin header.
	TrustedOrigins []string
	// UseSessions keeps the secret in the user's session instead of a cookie
	// (CSRF_USE_SESSIONS): false by default. It needs Session.
	UseSessions bool
	// Session returns the session of a request, for UseSessions. It is called at the start of
	// every request, so it should only look the session up and leave its loading to the first
	// GetString. A nil Session answered by it is Django's ImproperlyConfigured error
	// (ErrNoSession). The sessions package provides a function to put here.
	Session func(r *web.Request) (Session, error)
	// SessionCookieDomain is the session cookie's domain (SESSION_COOKIE_DOMAIN). With
	// UseSessions it replaces CookieDomain in the Referer check.
	SessionCookieDomain string
	// FailureView answers rejected requests (CSRF_FAILURE_VIEW): Failure, Django's page, when
	// nil. It receives Django's reason for the rejection and should answer 403.
	FailureView FailureView
	// Mode is ModeToken (the default) or ModeOrigin, the token-free protection.
	Mode Mode
	// Logger receives a warning for every rejected request: nil means slog.Default() at the
	// time of the rejection.
	Logger *slog.Logger
}

// DefaultConfig returns Django's defaults: the cookie "csrftoken" kept for 52 weeks on path "/"
// with SameSite=Lax, readable by scripts and not limited to HTTPS; the header "X-CSRFToken";
// no trusted origins; tokens required.
func DefaultConfig() Config {
	return Config{
		CookieName:     DefaultCookieName,
		CookieAge:      DefaultCookieAge,
		CookiePath:     DefaultCookiePath,
		CookieSameSite: http.SameSiteLaxMode,
		HeaderName:     DefaultHeaderName,
	}
}

// New returns the CSRF middleware for cfg, or an error that lists every problem of the
// configuration with its fix.
func New(cfg Config) (*Middleware, error) {
	if cfg.CookieName == "" {
		cfg.CookieName = DefaultCookieName
	}
	if cfg.CookiePath == "" {
		cfg.CookiePath = DefaultCookiePath
	}
	if cfg.CookieSameSite == 0 {
		cfg.CookieSameSite = http.SameSiteLaxMode
	}
	if cfg.HeaderName == "" {
		cfg.HeaderName = DefaultHeaderName
	}
	if cfg.FailureView == nil {
		cfg.FailureView = Failure
	}
	m := &Middleware{cfg: cfg}

	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf("csrf: "+format, args...)) }

	if !isToken(cfg.CookieName) {
		fail("CookieName (CSRF_COOKIE_NAME) %q is not a valid cookie name; use letters, digits and - or _", cfg.CookieName)
	}
	if strings.HasPrefix(cfg.CookieName, "__Host-") && (!cfg.CookieSecure || cfg.CookiePath != "/" || cfg.CookieDomain != "") {
		fail("CookieName %q starts with __Host-, which browsers accept only with CookieSecure, CookiePath \"/\" and no CookieDomain", cfg.CookieName)
	}
	if strings.HasPrefix(cfg.CookieName, "__Secure-") && !cfg.CookieSecure {
		fail("CookieName %q starts with __Secure-, which browsers accept only with CookieSecure", cfg.CookieName)
	}
	if cfg.CookieAge < 0 {
		fail("CookieAge (CSRF_COOKIE_AGE) is %v; use a positive duration, or 0 for a browser-session cookie", cfg.CookieAge)
	}
	if cfg.CookieSameSite == http.SameSiteNoneMode && !cfg.CookieSecure {
		fail("CookieSameSite None needs CookieSecure (CSRF_COOKIE_SECURE): browsers drop SameSite=None cookies that are not Secure")
	}
	if !strings.HasPrefix(cfg.CookiePath, "/") {
		fail("CookiePath (CSRF_COOKIE_PATH) %q must start with /", cfg.CookiePath)
	}

	header := cfg.HeaderName
	if rest, ok := strings.CutPrefix(header, "HTTP_"); ok { // Django's META spelling
		header = strings.ReplaceAll(rest, "_", "-")
	}
	if !isToken(header) {
		fail("HeaderName (CSRF_HEADER_NAME) %q is not a valid header name", cfg.HeaderName)
	}
	m.headerKey = textproto.CanonicalMIMEHeaderKey(header)
	m.headerLabel = pythonTitle(header)

	switch cfg.Mode {
	case ModeToken, ModeOrigin:
	default:
		fail("Mode %v is not ModeToken or ModeOrigin", cfg.Mode)
	}
	if cfg.UseSessions && cfg.Session == nil {
		fail("UseSessions (CSRF_USE_SESSIONS) is set but Config.Session is nil; set it to the sessions package's accessor, or keep the secret in a cookie")
	}

	m.exact = make(map[string]bool, len(cfg.TrustedOrigins))
	for _, o := range cfg.TrustedOrigins {
		if err := m.addTrustedOrigin(o); err != nil {
			errs = append(errs, err)
		}
	}
	m.referHosts = make([]string, 0, len(cfg.TrustedOrigins))
	for _, o := range cfg.TrustedOrigins {
		u, _ := urlSplit(o)
		m.referHosts = append(m.referHosts, strings.ToLower(strings.TrimLeft(u.netloc, "*")))
	}
	m.goodDomain = cfg.CookieDomain
	if cfg.UseSessions {
		m.goodDomain = cfg.SessionCookieDomain
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

// Default returns the CSRF middleware with Django's defaults (DefaultConfig).
func Default() *Middleware {
	m, err := New(DefaultConfig())
	if err != nil {
		panic(err) // the defaults are valid
	}
	return m
}

// addTrustedOrigin checks one CSRF_TRUSTED_ORIGINS entry and files it as an exact origin or
// a wildcard one.
func (m *Middleware) addTrustedOrigin(origin string) error {
	bad := func(why string) error {
		return fmt.Errorf("csrf: TrustedOrigins (CSRF_TRUSTED_ORIGINS) entry %q %s", origin, why)
	}
	if !strings.Contains(origin, "://") {
		// Django's check 4_0.E001 says the same.
		return bad("must start with a scheme (usually http:// or https://), such as \"https://example.com\" or \"https://*.example.com\"")
	}
	u, ok := urlSplit(origin)
	switch {
	case !ok || u.scheme == "":
		return bad("is not a URL origin; write scheme://host[:port]")
	case u.netloc == "" || u.netloc == "*" || u.netloc == "*.":
		return bad("has no host; write scheme://host[:port]")
	case u.path != "" || u.query != "" || u.fragment != "" || strings.HasSuffix(origin, "?") || strings.HasSuffix(origin, "#"):
		return bad("has a path, query or fragment, which an Origin header never has; remove everything after the host and port")
	case strings.Contains(u.netloc, "@"):
		return bad("has user information, which an Origin header never has")
	case strings.ToLower(origin) != origin:
		return bad("has upper-case letters; browsers send origins in lower case, so it could never match")
	}
	host := u.netloc
	if strings.Contains(host, "*") {
		rest, ok := strings.CutPrefix(host, "*.")
		if !ok || strings.Contains(rest, "*") {
			return bad("has a * that is not a leading \"*.\"; write \"https://*.example.com\" for every subdomain of example.com")
		}
		if m.wildcards == nil {
			m.wildcards = make(map[string][]string)
		}
		m.wildcards[u.scheme] = append(m.wildcards[u.scheme], host[1:]) // ".example.com"
		return nil
	}
	m.exact[origin] = true
	return nil
}

// isToken reports whether s is a non-empty HTTP token (a valid header or cookie name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// pythonTitle spells a header name as Django's HttpHeaders.parse_header_name does (Python's
// str.title): a letter is upper case after anything that is not a letter, lower case after a
// letter. "X-CSRFToken" becomes "X-Csrftoken".
func pythonTitle(s string) string {
	b := []byte(s)
	prevLetter := false
	for i, c := range b {
		isLetter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if isLetter {
			if prevLetter {
				b[i] = c | 0x20
			} else {
				b[i] = c &^ 0x20
			}
		}
		prevLetter = isLetter
	}
	return string(b)
}
