package settings

import (
	"log/slog"
	"reflect"
	"strings"
	"time"
)

// NoLimit turns off a DATA_UPLOAD_* limit. It plays the part of Django's None:
// DATA_UPLOAD_MAX_MEMORY_SIZE = -1 accepts request bodies of any size. Zero is
// a real limit (nothing is accepted), not "off".
const NoLimit = -1

// Session engines, the values of SESSION_ENGINE.
const (
	// SessionSignedCookies keeps the whole session in a signed cookie.
	SessionSignedCookies = "signed_cookies"
	// SessionMemory keeps sessions in the process; they are lost on restart
	// and not shared between instances.
	SessionMemory = "memory"
	// SessionDB keeps sessions in DATABASES["default"] (Django's default).
	SessionDB = "db"
	// SessionCache keeps sessions in CACHES[SESSION_CACHE_ALIAS].
	SessionCache = "cache"
	// SessionCachedDB writes to the database and reads through the cache.
	SessionCachedDB = "cached_db"
)

// CSRF modes, the values of CSRF_MODE.
const (
	// CSRFToken is Django's protection: a secret in a cookie (or the
	// session), a masked token in forms and the X-CSRFToken header, and the
	// Origin and Referer checks.
	CSRFToken = "token"
	// CSRFOrigin is token-free protection: unsafe requests are accepted when
	// the Origin header or Fetch Metadata (Sec-Fetch-Site) shows they come
	// from this site or a trusted origin.
	CSRFOrigin = "origin"
)

// Database engines, the values of DATABASES[alias].ENGINE.
const (
	// DatabaseSQLite is an embedded SQLite file named by NAME.
	DatabaseSQLite = "sqlite"
	// DatabasePostgres is a PostgreSQL server reached through URL.
	DatabasePostgres = "postgres"
)

// Cache backends, the values of CACHES[alias].BACKEND.
const (
	// CacheMemory is a cache in the process.
	CacheMemory = "memory"
	// CacheRedis is a Redis server reached through LOCATION.
	CacheRedis = "redis"
)

// Template backends, the values of TEMPLATES[i].BACKEND.
const (
	// TemplatesHTML is Go's html/template.
	TemplatesHTML = "html"
	// TemplatesDjango is the Django template language.
	TemplatesDjango = "django"
)

// Settings is a project's configuration: one flat value with Django's
// settings under Go names. The struct tag `setting` of each field is the
// Django name, which is also the key in settings.toml and, after the prefix
// CANTER_, the environment variable.
//
// Start from [Defaults] (Django's defaults) or [Load]; a zero Settings is not
// a useful configuration. Durations are [time.Duration]; where Django counts
// seconds, the file and the environment accept whole seconds as well as Go
// duration strings such as "336h".
type Settings struct {
	// Debug turns on detailed error pages and relaxes host checking.
	// Never enable it in production. Django's default: false.
	Debug bool `setting:"DEBUG"`
	// SecretKey signs sessions, CSRF secrets and anything else signed. It
	// must be set, and kept secret, whenever Debug is false. Prefer the
	// environment variable CANTER_SECRET_KEY to the file.
	SecretKey string `setting:"SECRET_KEY"`
	// SecretKeyFallbacks are older keys that are still accepted when
	// checking signatures, so a key can be rotated without logging every
	// user out. Nothing new is signed with them.
	SecretKeyFallbacks []string `setting:"SECRET_KEY_FALLBACKS"`
	// AllowedHosts lists the host names this site serves. An entry that
	// starts with "." also matches every subdomain; "*" matches anything.
	// Ports are ignored. With Debug on and an empty list, Django allows
	// ".localhost", "127.0.0.1" and "[::1]".
	AllowedHosts []string `setting:"ALLOWED_HOSTS"`
	// InstalledApps names the registered apps to enable, in order.
	InstalledApps []string `setting:"INSTALLED_APPS"`
	// Middleware names the registered middleware layers, outermost first.
	// A project may reorder or drop the built-in layers, or add its own.
	Middleware []string `setting:"MIDDLEWARE"`
	// RootURLConf names the app whose URLs are the root of the site. Empty
	// means the project's own URLs.
	RootURLConf string `setting:"ROOT_URLCONF"`

	// Databases maps an alias to a database. Sessions with the "db" and
	// "cached_db" engines use "default".
	Databases map[string]Database `setting:"DATABASES"`
	// Caches maps an alias to a cache. Sessions with the "cache" and
	// "cached_db" engines use SessionCacheAlias.
	Caches map[string]Cache `setting:"CACHES"`

	// SessionCookieName is the session cookie's name. Django: "sessionid".
	SessionCookieName string `setting:"SESSION_COOKIE_NAME"`
	// SessionCookieAge is how long a session lasts. Django: 1209600 seconds
	// (two weeks).
	SessionCookieAge time.Duration `setting:"SESSION_COOKIE_AGE"`
	// SessionCookieDomain is the session cookie's Domain attribute; empty
	// means a host-only cookie.
	SessionCookieDomain string `setting:"SESSION_COOKIE_DOMAIN"`
	// SessionCookiePath is the session cookie's Path. Django: "/".
	SessionCookiePath string `setting:"SESSION_COOKIE_PATH"`
	// SessionCookieSecure sends the session cookie over HTTPS only.
	SessionCookieSecure bool `setting:"SESSION_COOKIE_SECURE"`
	// SessionCookieHTTPOnly hides the session cookie from JavaScript.
	// Django: true.
	SessionCookieHTTPOnly bool `setting:"SESSION_COOKIE_HTTPONLY"`
	// SessionCookieSameSite is "Lax" (Django's default), "Strict", "None",
	// or "" to send no SameSite attribute (Django's False).
	SessionCookieSameSite string `setting:"SESSION_COOKIE_SAMESITE"`
	// SessionSaveEveryRequest saves the session, and renews its cookie, on
	// every request instead of only when it changed.
	SessionSaveEveryRequest bool `setting:"SESSION_SAVE_EVERY_REQUEST"`
	// SessionExpireAtBrowserClose makes the session cookie a browser-session
	// cookie (no Max-Age or Expires).
	SessionExpireAtBrowserClose bool `setting:"SESSION_EXPIRE_AT_BROWSER_CLOSE"`
	// SessionEngine chooses where sessions live: "signed_cookies", "memory",
	// "db" (Django's default), "cache" or "cached_db".
	SessionEngine string `setting:"SESSION_ENGINE"`
	// SessionCacheAlias is the cache used by the "cache" and "cached_db"
	// engines. Django: "default".
	SessionCacheAlias string `setting:"SESSION_CACHE_ALIAS"`

	// CSRFCookieName is the CSRF cookie's name. Django: "csrftoken".
	CSRFCookieName string `setting:"CSRF_COOKIE_NAME"`
	// CSRFCookieAge is the CSRF cookie's lifetime. Django: 31449600 seconds
	// (52 weeks). Zero makes it a browser-session cookie (Django's None).
	CSRFCookieAge time.Duration `setting:"CSRF_COOKIE_AGE"`
	// CSRFCookieDomain is the CSRF cookie's Domain; empty means host-only.
	CSRFCookieDomain string `setting:"CSRF_COOKIE_DOMAIN"`
	// CSRFCookiePath is the CSRF cookie's Path. Django: "/".
	CSRFCookiePath string `setting:"CSRF_COOKIE_PATH"`
	// CSRFCookieSecure sends the CSRF cookie over HTTPS only.
	CSRFCookieSecure bool `setting:"CSRF_COOKIE_SECURE"`
	// CSRFCookieHTTPOnly hides the CSRF cookie from JavaScript, which must
	// then read the token from the page.
	CSRFCookieHTTPOnly bool `setting:"CSRF_COOKIE_HTTPONLY"`
	// CSRFCookieSameSite is "Lax" (Django's default), "Strict", "None" or "".
	CSRFCookieSameSite string `setting:"CSRF_COOKIE_SAMESITE"`
	// CSRFHeaderName is the HTTP header that carries the token, written as
	// a header name. Django: "X-CSRFToken" (its "HTTP_X_CSRFTOKEN").
	CSRFHeaderName string `setting:"CSRF_HEADER_NAME"`
	// CSRFTrustedOrigins are other origins allowed to send unsafe requests,
	// written scheme://host[:port]; a host may start with "*." to trust
	// every subdomain, as in "https://*.example.com".
	CSRFTrustedOrigins []string `setting:"CSRF_TRUSTED_ORIGINS"`
	// CSRFUseSessions keeps the CSRF secret in the session instead of a
	// cookie. The "sessions" middleware must then come before "csrf".
	CSRFUseSessions bool `setting:"CSRF_USE_SESSIONS"`
	// CSRFFailureView names the registered view that renders a CSRF
	// rejection. Empty means the built-in 403 page.
	CSRFFailureView string `setting:"CSRF_FAILURE_VIEW"`
	// CSRFMode is "token" (Django's protection, the default) or "origin"
	// (token-free: the Origin header and Fetch Metadata only).
	CSRFMode string `setting:"CSRF_MODE"`

	// SecureProxySSLHeader is a [header, value] pair: a request whose header
	// (the part before the first comma) equals value is treated as HTTPS.
	// Set it only behind a proxy that sets or strips that header. The zero
	// pair means "unset". Django's "HTTP_X_FORWARDED_PROTO" is written here
	// as the header name "X-Forwarded-Proto".
	SecureProxySSLHeader [2]string `setting:"SECURE_PROXY_SSL_HEADER"`
	// UseXForwardedHost takes the host from X-Forwarded-Host.
	UseXForwardedHost bool `setting:"USE_X_FORWARDED_HOST"`
	// UseXForwardedPort takes the port from X-Forwarded-Port.
	UseXForwardedPort bool `setting:"USE_X_FORWARDED_PORT"`
	// TrustedProxies lists the IP addresses and CIDR ranges of proxies whose
	// forwarding headers (X-Forwarded-For) are believed. Empty trusts none.
	TrustedProxies []string `setting:"TRUSTED_PROXIES"`
	// AppendSlash redirects a 404 for "/path" to "/path/" when that
	// resolves. Django: true.
	AppendSlash bool `setting:"APPEND_SLASH"`
	// PrependWWW redirects requests for example.com to www.example.com.
	PrependWWW bool `setting:"PREPEND_WWW"`
	// DisallowedUserAgents are regular expressions (Go RE2 syntax); a
	// request whose User-Agent matches one is refused with 403.
	DisallowedUserAgents []string `setting:"DISALLOWED_USER_AGENTS"`
	// XFrameOptions is the X-Frame-Options value: "DENY" (Django's default)
	// or "SAMEORIGIN".
	XFrameOptions string `setting:"X_FRAME_OPTIONS"`
	// SecureHSTSSeconds is the HSTS max-age sent on HTTPS responses; zero
	// (Django's default) sends no Strict-Transport-Security header.
	SecureHSTSSeconds time.Duration `setting:"SECURE_HSTS_SECONDS"`
	// SecureHSTSIncludeSubdomains adds includeSubDomains to HSTS.
	SecureHSTSIncludeSubdomains bool `setting:"SECURE_HSTS_INCLUDE_SUBDOMAINS"`
	// SecureHSTSPreload adds preload to HSTS.
	SecureHSTSPreload bool `setting:"SECURE_HSTS_PRELOAD"`
	// SecureContentTypeNosniff sends X-Content-Type-Options: nosniff.
	// Django: true.
	SecureContentTypeNosniff bool `setting:"SECURE_CONTENT_TYPE_NOSNIFF"`
	// SecureReferrerPolicy is the Referrer-Policy value, one policy or
	// several separated by commas. Django: "same-origin". Empty sends none.
	SecureReferrerPolicy string `setting:"SECURE_REFERRER_POLICY"`
	// SecureCrossOriginOpenerPolicy is the Cross-Origin-Opener-Policy value.
	// Django: "same-origin". Empty sends none.
	SecureCrossOriginOpenerPolicy string `setting:"SECURE_CROSS_ORIGIN_OPENER_POLICY"`
	// SecureSSLRedirect redirects plain-HTTP requests to HTTPS (301).
	SecureSSLRedirect bool `setting:"SECURE_SSL_REDIRECT"`
	// SecureSSLHost, when set, is the host[:port] that HTTPS redirects go
	// to instead of the request's host.
	SecureSSLHost string `setting:"SECURE_SSL_HOST"`
	// SecureRedirectExempt are regular expressions (Go RE2 syntax) matched
	// against the path without its leading "/"; matching paths are not
	// redirected to HTTPS.
	SecureRedirectExempt []string `setting:"SECURE_REDIRECT_EXEMPT"`

	// Templates configures the template engines. Django's default is none.
	Templates []Template `setting:"TEMPLATES"`
	// StaticURL is the URL prefix of static files. It must end in "/".
	StaticURL string `setting:"STATIC_URL"`
	// StaticRoot is the directory that collected static files are copied
	// to for deployment.
	StaticRoot string `setting:"STATIC_ROOT"`
	// StaticfilesDirs are extra directories searched for static files.
	StaticfilesDirs []string `setting:"STATICFILES_DIRS"`

	// LoggingLevel is the lowest level logged: "DEBUG", "INFO" (the
	// default), "WARNING" or "ERROR". See [Settings.LogLevel].
	LoggingLevel string `setting:"LOGGING_LEVEL"`
	// LogFormat is "text" (the default) or "json".
	LogFormat string `setting:"LOG_FORMAT"`

	// DataUploadMaxMemorySize is the largest request body, in bytes, read
	// into memory (excluding file uploads). Django: 2621440 (2.5 MiB).
	// NoLimit (-1) turns the check off, as Django's None does.
	DataUploadMaxMemorySize int64 `setting:"DATA_UPLOAD_MAX_MEMORY_SIZE"`
	// DataUploadMaxNumberFields is the most GET or POST parameters a
	// request may carry. Django: 1000. NoLimit turns the check off.
	DataUploadMaxNumberFields int `setting:"DATA_UPLOAD_MAX_NUMBER_FIELDS"`
	// DataUploadMaxNumberFiles is the most files one request may upload.
	// Django: 100. NoLimit turns the check off.
	DataUploadMaxNumberFiles int `setting:"DATA_UPLOAD_MAX_NUMBER_FILES"`
	// FileUploadMaxMemorySize is how many bytes of uploaded files one
	// request may keep in memory, all its files together; files beyond it
	// are spooled to temporary files. Django: 2621440.
	FileUploadMaxMemorySize int64 `setting:"FILE_UPLOAD_MAX_MEMORY_SIZE"`

	// ServerReadHeaderTimeout bounds reading a request's headers (5s).
	ServerReadHeaderTimeout time.Duration `setting:"SERVER_READ_HEADER_TIMEOUT"`
	// ServerReadTimeout bounds reading a whole request (30s). Zero means
	// no limit.
	ServerReadTimeout time.Duration `setting:"SERVER_READ_TIMEOUT"`
	// ServerWriteTimeout bounds writing a response (60s); long streams need
	// a larger value or zero (no limit).
	ServerWriteTimeout time.Duration `setting:"SERVER_WRITE_TIMEOUT"`
	// ServerIdleTimeout bounds how long a keep-alive connection waits for
	// the next request (120s).
	ServerIdleTimeout time.Duration `setting:"SERVER_IDLE_TIMEOUT"`
	// ServerMaxHeaderBytes bounds the size of request headers (1 MiB).
	ServerMaxHeaderBytes int `setting:"SERVER_MAX_HEADER_BYTES"`
	// ServerShutdownTimeout is how long a stopping server lets requests in
	// flight finish (30s).
	ServerShutdownTimeout time.Duration `setting:"SERVER_SHUTDOWN_TIMEOUT"`

	// from records where loaded values came from, for problem reports.
	from *provenance
}

// Database is one entry of DATABASES.
type Database struct {
	// Engine is "sqlite" or "postgres".
	Engine string `setting:"ENGINE"`
	// Name is the SQLite file (":memory:" for an in-memory database).
	Name string `setting:"NAME"`
	// URL is the PostgreSQL connection string, as a URL
	// (postgres://user:password@host:5432/name?sslmode=disable) or as
	// key=value pairs. Keep its password in the environment.
	URL string `setting:"URL"`
}

// Cache is one entry of CACHES.
type Cache struct {
	// Backend is "memory" or "redis".
	Backend string `setting:"BACKEND"`
	// Location is the Redis URL (redis://, rediss:// or unix://); memory
	// caches ignore it.
	Location string `setting:"LOCATION"`
}

// Template is one entry of TEMPLATES.
type Template struct {
	// Backend is "html" (Go's html/template) or "django".
	Backend string `setting:"BACKEND"`
	// Dirs are directories searched for templates, in order.
	Dirs []string `setting:"DIRS"`
	// AppDirs also searches each installed app's templates.
	AppDirs bool `setting:"APP_DIRS"`
	// Options are passed to the backend as they are.
	Options map[string]any `setting:"OPTIONS"`
}

// Defaults returns Django's default settings, with Canter's choices where
// Django names Python code: the middleware "security", "sessions", "common",
// "csrf" and "xframe" in Django's order, SQLite in canter.sqlite3 as the
// default database, and an in-process cache. Each call returns a new value.
//
// The defaults are for development: SECRET_KEY and ALLOWED_HOSTS are empty,
// which [Settings.Validate] accepts only with DEBUG on.
func Defaults() *Settings {
	return &Settings{
		SecretKeyFallbacks: []string{},
		AllowedHosts:       []string{},
		InstalledApps:      []string{},
		Middleware:         []string{"security", "sessions", "common", "csrf", "xframe"},

		Databases: map[string]Database{"default": {Engine: DatabaseSQLite, Name: "canter.sqlite3"}},
		Caches:    map[string]Cache{"default": {Backend: CacheMemory}},

		SessionCookieName:     "sessionid",
		SessionCookieAge:      1209600 * time.Second,
		SessionCookiePath:     "/",
		SessionCookieHTTPOnly: true,
		SessionCookieSameSite: "Lax",
		SessionEngine:         SessionDB,
		SessionCacheAlias:     "default",

		CSRFCookieName:     "csrftoken",
		CSRFCookieAge:      31449600 * time.Second,
		CSRFCookiePath:     "/",
		CSRFCookieSameSite: "Lax",
		CSRFHeaderName:     "X-CSRFToken",
		CSRFTrustedOrigins: []string{},
		CSRFMode:           CSRFToken,

		TrustedProxies:                []string{},
		AppendSlash:                   true,
		DisallowedUserAgents:          []string{},
		XFrameOptions:                 "DENY",
		SecureContentTypeNosniff:      true,
		SecureReferrerPolicy:          "same-origin",
		SecureCrossOriginOpenerPolicy: "same-origin",
		SecureRedirectExempt:          []string{},

		Templates:       []Template{},
		StaticURL:       "/static/",
		StaticfilesDirs: []string{},

		LoggingLevel: "INFO",
		LogFormat:    "text",

		DataUploadMaxMemorySize:   2621440,
		DataUploadMaxNumberFields: 1000,
		DataUploadMaxNumberFiles:  100,
		FileUploadMaxMemorySize:   2621440,

		ServerReadHeaderTimeout: 5 * time.Second,
		ServerReadTimeout:       30 * time.Second,
		ServerWriteTimeout:      60 * time.Second,
		ServerIdleTimeout:       120 * time.Second,
		ServerMaxHeaderBytes:    1 << 20,
		ServerShutdownTimeout:   30 * time.Second,
	}
}

// Clone returns a deep copy of s: changing a list or map of the copy leaves
// s alone. Use it to derive settings for a test from a shared base.
func (s *Settings) Clone() *Settings {
	c := deepCopy(reflect.ValueOf(s).Elem()).Interface().(Settings)
	return &c
}

// LogLevel returns LoggingLevel as a [slog.Level]. WARNING is [slog.LevelWarn];
// an unknown level gives [slog.LevelInfo] ([Settings.Validate] reports it).
func (s *Settings) LogLevel() slog.Level {
	switch strings.ToUpper(s.LoggingLevel) {
	case "DEBUG":
		return slog.LevelDebug
	case "WARNING":
		return slog.LevelWarn
	case "ERROR":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// deepCopy copies v and everything it refers to through maps, slices and
// interfaces. Unexported fields (the provenance pointer, which is never
// changed after loading) are shared.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Map:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			m.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return m
	case reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			s.Index(i).Set(deepCopy(v.Index(i)))
		}
		return s
	case reflect.Interface:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(deepCopy(v.Elem()))
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		c.Set(v) // copies unexported fields too
		for i := range v.NumField() {
			if c.Field(i).CanSet() {
				c.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return c
	}
	return v
}

// field describes one setting of Settings (or of a nested struct).
type field struct {
	name  string // the Django name, from the struct tag
	index int    // the struct field index
}

// fieldsOf lists the fields of a struct type that carry a setting tag.
func fieldsOf(t reflect.Type) []field {
	var fs []field
	for i := range t.NumField() {
		f := t.Field(i)
		if name, ok := f.Tag.Lookup("setting"); ok {
			fs = append(fs, field{name: name, index: i})
		}
	}
	return fs
}

// settingFields is the read-only table of the settings, in declaration
// order, built once from the struct tags.
var settingFields = fieldsOf(reflect.TypeFor[Settings]())

// lookupField finds a setting of t by its Django name.
func lookupField(fs []field, name string) (field, bool) {
	for _, f := range fs {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

// names returns the Django names of fs.
func names(fs []field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out
}
