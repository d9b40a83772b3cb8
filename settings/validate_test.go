package settings

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// valid returns settings that pass validation with DEBUG off.
func valid() *Settings {
	s := Defaults()
	s.SecretKey = strings.Repeat("k", 50)
	s.AllowedHosts = []string{"example.com"}
	return s
}

// problemsOf validates s and returns the problems.
func problemsOf(t *testing.T, s *Settings) []Problem {
	t.Helper()
	err := s.Validate()
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Validate() returned %T, want *Error", err)
	}
	return e.Problems
}

func TestValidBaseline(t *testing.T) {
	if err := valid().Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestValidationProblems changes one thing at a time and expects exactly
// one problem, naming the setting, with words from its message and fix.
func TestValidationProblems(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Settings)
		setting string
		value   string // the reported value; "" means not checked
		message string // a part of Message
		fix     string // a part of Fix
	}{
		// Core.
		{"empty SECRET_KEY without DEBUG", func(s *Settings) { s.SecretKey = "" },
			"SECRET_KEY", `""`, "must not be empty when DEBUG is false", "CANTER_SECRET_KEY"},
		{"empty fallback key", func(s *Settings) { s.SecretKeyFallbacks = []string{"old", ""} },
			"SECRET_KEY_FALLBACKS[1]", `""`, "is empty", "remove"},
		{"no ALLOWED_HOSTS without DEBUG", func(s *Settings) { s.AllowedHosts = nil },
			"ALLOWED_HOSTS", "[]", "must not be empty when DEBUG is false", "example.com"},
		{"empty host", func(s *Settings) { s.AllowedHosts = []string{"example.com", ""} },
			"ALLOWED_HOSTS[1]", `""`, "is empty", "remove"},
		{"host written as a URL", func(s *Settings) { s.AllowedHosts = []string{"https://example.com/app"} },
			"ALLOWED_HOSTS[0]", `"https://example.com/app"`, "is a URL", `"example.com"`},
		{"host with a path", func(s *Settings) { s.AllowedHosts = []string{"example.com/app"} },
			"ALLOWED_HOSTS[0]", "", "contains a path", `"example.com"`},
		{"host with a port", func(s *Settings) { s.AllowedHosts = []string{"example.com:8000"} },
			"ALLOWED_HOSTS[0]", "", "ignores ports", `"example.com"`},
		{"IPv6 host with a port", func(s *Settings) { s.AllowedHosts = []string{"[::1]:8000"} },
			"ALLOWED_HOSTS[0]", "", "ignores ports", `"[::1]"`},
		{"host with a space", func(s *Settings) { s.AllowedHosts = []string{"example .com"} },
			"ALLOWED_HOSTS[0]", "", "white space", "remove"},
		{"empty app", func(s *Settings) { s.InstalledApps = []string{"polls", " "} },
			"INSTALLED_APPS[1]", `" "`, "is empty", "remove"},

		// Middleware.
		{"empty middleware", func(s *Settings) { s.Middleware = []string{"security", ""} },
			"MIDDLEWARE[1]", `""`, "is empty", "remove"},
		{"middleware with spaces", func(s *Settings) { s.Middleware = []string{" security"} },
			"MIDDLEWARE[0]", "", "white space", `"security"`},
		{"repeated middleware", func(s *Settings) { s.Middleware = append(s.Middleware, "csrf") },
			"MIDDLEWARE[5]", `"csrf"`, "repeats MIDDLEWARE[3]", "once"},

		// Databases.
		{"unknown engine", func(s *Settings) {
			s.Databases["default"] = Database{Engine: "django.db.backends.postgresql", URL: "postgres://h/db"}
		},
			"DATABASES.default.ENGINE", "", "is not a database engine", `did you mean "postgres"?`},
		{"sqlite3", func(s *Settings) { s.Databases["default"] = Database{Engine: "sqlite3", Name: "x"} },
			"DATABASES.default.ENGINE", "", "is not a database engine", `did you mean "sqlite"?`},
		{"sqlite without NAME", func(s *Settings) { s.Databases["default"] = Database{Engine: "sqlite"} },
			"DATABASES.default.NAME", `""`, "must name the SQLite database file", ":memory:"},
		{"sqlite with URL", func(s *Settings) { s.Databases["default"] = Database{Engine: "sqlite", Name: "x", URL: "file:x"} },
			"DATABASES.default.URL", "", `is for "postgres"`, "remove URL"},
		{"postgres without URL", func(s *Settings) { s.Databases["default"] = Database{Engine: "postgres"} },
			"DATABASES.default.URL", `""`, "must be set for PostgreSQL", "CANTER_DATABASES"},
		{"postgres with another scheme", func(s *Settings) { s.Databases["default"] = Database{Engine: "postgres", URL: "mysql://u:pw@h/db"} },
			"DATABASES.default.URL", `"mysql://u:********************@h/db"`, `has the scheme "mysql"`, "postgres://"},
		{"postgres with neither URL nor DSN", func(s *Settings) { s.Databases["default"] = Database{Engine: "postgres", URL: "localhost"} },
			"DATABASES.default.URL", "", "neither a URL nor key=value pairs", "dbname="},
		{"postgres with a broken URL", func(s *Settings) { s.Databases["default"] = Database{Engine: "postgres", URL: "postgres://h:port/db"} },
			"DATABASES.default.URL", "", "is not a valid URL", "postgres://"},
		{"postgres with NAME", func(s *Settings) {
			s.Databases["default"] = Database{Engine: "postgres", URL: "postgres://h/db", Name: "db"}
		},
			"DATABASES.default.NAME", `"db"`, "PostgreSQL takes the database name from URL", "remove NAME"},
		{"empty database alias", func(s *Settings) { s.Databases[""] = Database{Engine: "sqlite", Name: "x"} },
			"DATABASES", `""`, "empty alias", "default"},

		// Caches.
		{"unknown cache backend", func(s *Settings) { s.Caches["default"] = Cache{Backend: "locmem"} },
			"CACHES.default.BACKEND", `"locmem"`, "is not a cache backend", `"memory" or "redis"`},
		{"redis without LOCATION", func(s *Settings) { s.Caches["default"] = Cache{Backend: "redis"} },
			"CACHES.default.LOCATION", `""`, "must be set for Redis", "redis://"},
		{"redis with an HTTP URL", func(s *Settings) { s.Caches["default"] = Cache{Backend: "redis", Location: "http://cache:6379"} },
			"CACHES.default.LOCATION", "", "is not a Redis URL", "rediss://"},
		{"empty cache alias", func(s *Settings) { s.Caches[""] = Cache{Backend: "memory"} },
			"CACHES", `""`, "empty alias", "default"},

		// Session cookie.
		{"empty session cookie name", func(s *Settings) { s.SessionCookieName = "" },
			"SESSION_COOKIE_NAME", `""`, "is empty", "name"},
		{"session cookie name with a space", func(s *Settings) { s.SessionCookieName = "session id" },
			"SESSION_COOKIE_NAME", "", "not a valid cookie name", "letters"},
		{"__Host- cookie that is not Secure", func(s *Settings) { s.SessionCookieName = "__Host-sessionid" },
			"SESSION_COOKIE_NAME", "", "__Host-", "SESSION_COOKIE_SECURE = true"},
		{"__Host- cookie with a Domain", func(s *Settings) {
			s.SessionCookieName, s.SessionCookieSecure, s.SessionCookieDomain = "__Host-s", true, "example.com"
		}, "SESSION_COOKIE_NAME", "", "no Domain", `SESSION_COOKIE_DOMAIN = ""`},
		{"__Secure- cookie that is not Secure", func(s *Settings) { s.CSRFCookieName = "__Secure-csrftoken" },
			"CSRF_COOKIE_NAME", "", "__Secure-", "CSRF_COOKIE_SECURE = true"},
		{"cookie domain with a scheme", func(s *Settings) { s.SessionCookieDomain = "https://example.com" },
			"SESSION_COOKIE_DOMAIN", "", "not a cookie domain", ".example.com"},
		{"cookie domain with a port", func(s *Settings) { s.CSRFCookieDomain = "example.com:8000" },
			"CSRF_COOKIE_DOMAIN", "", "not a cookie domain", "host-only"},
		{"relative cookie path", func(s *Settings) { s.SessionCookiePath = "app" },
			"SESSION_COOKIE_PATH", `"app"`, `starting with "/"`, `"/"`},
		{"empty cookie path", func(s *Settings) { s.CSRFCookiePath = "" },
			"CSRF_COOKIE_PATH", `""`, `starting with "/"`, `"/"`},
		{"misspelt SameSite", func(s *Settings) { s.SessionCookieSameSite = "Lex" },
			"SESSION_COOKIE_SAMESITE", `"Lex"`, "is not a SameSite value", `did you mean "Lax"?`},
		{"SameSite=None without Secure", func(s *Settings) { s.CSRFCookieSameSite = "None" },
			"CSRF_COOKIE_SAMESITE", `"None"`, "browsers drop SameSite=None cookies without Secure", "CSRF_COOKIE_SECURE = true"},
		{"zero session age", func(s *Settings) { s.SessionCookieAge = 0 },
			"SESSION_COOKIE_AGE", "0s", "must be positive", "SESSION_EXPIRE_AT_BROWSER_CLOSE"},
		{"negative session age", func(s *Settings) { s.SessionCookieAge = -time.Second },
			"SESSION_COOKIE_AGE", "-1s", "must be positive", "1209600"},

		// Session engine.
		{"unknown session engine", func(s *Settings) { s.SessionEngine = "file" },
			"SESSION_ENGINE", `"file"`, "is not a session engine", `"signed_cookies", "memory", "db", "cache" or "cached_db"`},
		{"Django's engine path", func(s *Settings) { s.SessionEngine = "django.contrib.sessions.backends.signed_cookies" },
			"SESSION_ENGINE", "", "is not a session engine", `did you mean "signed_cookies"?`},
		{"db engine without a default database", func(s *Settings) { s.Databases = map[string]Database{"other": {Engine: "sqlite", Name: "x"}} },
			"SESSION_ENGINE", `"db"`, `DATABASES["default"], which is not defined`, "[DATABASES.default]"},
		{"cache engine with a missing alias", func(s *Settings) { s.SessionEngine, s.SessionCacheAlias = "cache", "sessions" },
			"SESSION_CACHE_ALIAS", `"sessions"`, `names no cache in CACHES, which SESSION_ENGINE "cache" needs`, `[CACHES.sessions], or set SESSION_CACHE_ALIAS to one of "default"`},

		// CSRF.
		{"CSRF and session cookies share a name", func(s *Settings) { s.CSRFCookieName = "sessionid" },
			"CSRF_COOKIE_NAME", `"sessionid"`, "overwrite each other", "different names"},
		{"Django's META key as header name", func(s *Settings) { s.CSRFHeaderName = "HTTP_X_CSRFTOKEN" },
			"CSRF_HEADER_NAME", `"HTTP_X_CSRFTOKEN"`, "request.META key", `"X-Csrftoken"`},
		{"invalid header name", func(s *Settings) { s.CSRFHeaderName = "X CSRF" },
			"CSRF_HEADER_NAME", "", "not a valid HTTP header name", `"X-CSRFToken"`},
		{"empty header name", func(s *Settings) { s.CSRFHeaderName = "" },
			"CSRF_HEADER_NAME", `""`, "is empty", `"X-CSRFToken"`},
		{"trusted origin without scheme", func(s *Settings) { s.CSRFTrustedOrigins = []string{"example.com"} },
			"CSRF_TRUSTED_ORIGINS[0]", `"example.com"`, "has no scheme", `"https://example.com"`},
		{"trusted origin with a path", func(s *Settings) { s.CSRFTrustedOrigins = []string{"https://ok.example", "https://example.com/"} },
			"CSRF_TRUSTED_ORIGINS[1]", "", "path", `"https://example.com"`},
		{"trusted origin with a query", func(s *Settings) { s.CSRFTrustedOrigins = []string{"https://example.com?x"} },
			"CSRF_TRUSTED_ORIGINS[0]", "", "query", `"https://example.com"`},
		{"trusted origin with a wildcard inside", func(s *Settings) { s.CSRFTrustedOrigins = []string{"https://a.*.example.com"} },
			"CSRF_TRUSTED_ORIGINS[0]", "", `"*" other than as the first label`, "https://*.example.com"},
		{"trusted origin with a bad port", func(s *Settings) { s.CSRFTrustedOrigins = []string{"https://example.com:99999"} },
			"CSRF_TRUSTED_ORIGINS[0]", "", "invalid port", "1 to 65535"},
		{"trusted origin with an empty port", func(s *Settings) { s.CSRFTrustedOrigins = []string{"https://example.com:"} },
			"CSRF_TRUSTED_ORIGINS[0]", "", "invalid port", "1 to 65535"},
		{"trusted origin with user information", func(s *Settings) { s.CSRFTrustedOrigins = []string{"https://user@example.com"} },
			"CSRF_TRUSTED_ORIGINS[0]", "", "user information", "without user@"},
		{"trusted origin with an invalid scheme", func(s *Settings) { s.CSRFTrustedOrigins = []string{"1http://example.com"} },
			"CSRF_TRUSTED_ORIGINS[0]", "", "invalid scheme", "scheme://host[:port]"},
		{"trusted origin with an invalid host", func(s *Settings) { s.CSRFTrustedOrigins = []string{"https://exa_mple.com"} },
			"CSRF_TRUSTED_ORIGINS[0]", "", "invalid host name", "https://example.com"},
		{"trusted origin with an empty label", func(s *Settings) { s.CSRFTrustedOrigins = []string{"https://example..com"} },
			"CSRF_TRUSTED_ORIGINS[0]", "", "invalid host name", "https://example.com"},
		{"trusted origin with a bad IPv6 address", func(s *Settings) { s.CSRFTrustedOrigins = []string{"http://[::g]:8000"} },
			"CSRF_TRUSTED_ORIGINS[0]", "", "invalid IPv6 address", "scheme://host[:port]"},
		{"trusted origin with an unbracketed IPv6 address", func(s *Settings) { s.CSRFTrustedOrigins = []string{"http://::1"} },
			"CSRF_TRUSTED_ORIGINS[0]", "", "without brackets", "[address]"},
		{"CSRF in sessions with sessions after csrf", func(s *Settings) {
			s.CSRFUseSessions = true
			s.Middleware = []string{"security", "csrf", "sessions"}
		}, "CSRF_USE_SESSIONS", "true", `needs the "sessions" middleware before "csrf"`, `put "sessions" before "csrf"`},
		{"CSRF in sessions without sessions", func(s *Settings) {
			s.CSRFUseSessions = true
			s.Middleware = []string{"csrf"}
		}, "CSRF_USE_SESSIONS", "true", `needs the "sessions" middleware`, "CSRF_USE_SESSIONS = false"},
		{"unknown CSRF mode", func(s *Settings) { s.CSRFMode = "tokens" },
			"CSRF_MODE", `"tokens"`, "not one of the accepted values", `did you mean "token"?`},
		{"negative CSRF cookie age", func(s *Settings) { s.CSRFCookieAge = -time.Second },
			"CSRF_COOKIE_AGE", "-1s", "is negative", "0 or a positive duration"},

		// Security.
		{"proxy header without value", func(s *Settings) { s.SecureProxySSLHeader = [2]string{"X-Forwarded-Proto", ""} },
			"SECURE_PROXY_SSL_HEADER", `["X-Forwarded-Proto", ""]`, "must be a pair [header, value] with both parts set", `["X-Forwarded-Proto", "https"]`},
		{"proxy header without name", func(s *Settings) { s.SecureProxySSLHeader = [2]string{"", "https"} },
			"SECURE_PROXY_SSL_HEADER", "", "both parts set", "[] to unset"},
		{"proxy header as Django's META key", func(s *Settings) { s.SecureProxySSLHeader = [2]string{"HTTP_X_FORWARDED_PROTO", "https"} },
			"SECURE_PROXY_SSL_HEADER", `"HTTP_X_FORWARDED_PROTO"`, "request.META key", `"X-Forwarded-Proto"`},
		{"proxy header that is no header name", func(s *Settings) { s.SecureProxySSLHeader = [2]string{"X Forwarded", "https"} },
			"SECURE_PROXY_SSL_HEADER", "", "not a valid HTTP header name", `"X-Forwarded-Proto"`},
		{"bad proxy address", func(s *Settings) { s.TrustedProxies = []string{"10.0.0.1", "10.0.0.300"} },
			"TRUSTED_PROXIES[1]", `"10.0.0.300"`, "neither an IP address nor a CIDR range", "10.0.0.0/8"},
		{"bad proxy range", func(s *Settings) { s.TrustedProxies = []string{"10.0.0.0/33"} },
			"TRUSTED_PROXIES[0]", "", "CIDR", "10.0.0.1"},
		{"user agent pattern in Python syntax", func(s *Settings) { s.DisallowedUserAgents = []string{"(?<=bot)x"} },
			"DISALLOWED_USER_AGENTS[0]", `"(?<=bot)x"`, "is not a valid regular expression", "RE2"},
		{"unknown X-Frame-Options", func(s *Settings) { s.XFrameOptions = "SAMEORIGN" },
			"X_FRAME_OPTIONS", `"SAMEORIGN"`, "is not an X-Frame-Options value", `did you mean "SAMEORIGIN"?`},
		{"obsolete ALLOW-FROM", func(s *Settings) { s.XFrameOptions = "ALLOW-FROM https://example.com" },
			"X_FRAME_OPTIONS", "", "is not an X-Frame-Options value", "frame-ancestors"},
		{"unknown referrer policy", func(s *Settings) { s.SecureReferrerPolicy = "same-origin, strict-orign" },
			"SECURE_REFERRER_POLICY", `"same-origin, strict-orign"`, `contains "strict-orign"`, `did you mean "strict-origin"?`},
		{"empty part in a referrer policy", func(s *Settings) { s.SecureReferrerPolicy = "same-origin,,origin" },
			"SECURE_REFERRER_POLICY", "", `contains ""`, "separated by commas"},
		{"unknown opener policy", func(s *Settings) { s.SecureCrossOriginOpenerPolicy = "same-site" },
			"SECURE_CROSS_ORIGIN_OPENER_POLICY", `"same-site"`, "is not a Cross-Origin-Opener-Policy value", `"same-origin", "same-origin-allow-popups" or "unsafe-none"`},
		{"SSL host with a scheme", func(s *Settings) { s.SecureSSLHost = "https://secure.example.com" },
			"SECURE_SSL_HOST", "", "without scheme or path", "secure.example.com"},
		{"SSL host with a path", func(s *Settings) { s.SecureSSLHost = "secure.example.com/app" },
			"SECURE_SSL_HOST", "", "without scheme or path", "secure.example.com"},
		{"bad redirect exemption", func(s *Settings) { s.SecureRedirectExempt = []string{"^health$", "["} },
			"SECURE_REDIRECT_EXEMPT[1]", `"["`, "missing closing ]", "regexp/syntax"},
		{"negative HSTS", func(s *Settings) { s.SecureHSTSSeconds = -time.Hour },
			"SECURE_HSTS_SECONDS", "-1h0m0s", "is negative", "0 or a positive duration"},

		// Templates.
		{"unknown template backend", func(s *Settings) { s.Templates = []Template{{Backend: "jinja2"}} },
			"TEMPLATES[0].BACKEND", `"jinja2"`, "is not a template backend", `"html" or "django"`},
		{"template backend given twice", func(s *Settings) { s.Templates = []Template{{Backend: "html"}, {Backend: "django"}, {Backend: "html"}} },
			"TEMPLATES[2].BACKEND", `"html"`, "is configured twice (also TEMPLATES[0])", "merge"},
		{"empty template directory", func(s *Settings) { s.Templates = []Template{{Backend: "html", Dirs: []string{"templates", ""}}} },
			"TEMPLATES[0].DIRS[1]", `""`, "is empty", "remove"},

		// Static files.
		{"STATIC_URL without a slash", func(s *Settings) { s.StaticURL = "/static" },
			"STATIC_URL", `"/static"`, "must end with a slash", `"/static/"`},
		{"STATIC_ROOT among STATICFILES_DIRS", func(s *Settings) {
			s.StaticRoot = "build/static"
			s.StaticfilesDirs = []string{"assets", "build/static/"}
		}, "STATICFILES_DIRS[1]", `"build/static/"`, "is STATIC_ROOT", "apart"},
		{"empty static directory", func(s *Settings) { s.StaticfilesDirs = []string{""} },
			"STATICFILES_DIRS[0]", `""`, "is empty", "remove"},

		// Logging.
		{"unknown logging level", func(s *Settings) { s.LoggingLevel = "VERBOSE" },
			"LOGGING_LEVEL", `"VERBOSE"`, "not one of the accepted values", `"DEBUG", "INFO", "WARNING" or "ERROR"`},
		{"abbreviated logging level", func(s *Settings) { s.LoggingLevel = "warn" },
			"LOGGING_LEVEL", `"warn"`, "not one of the accepted values", `did you mean "WARNING"?`},
		{"unknown log format", func(s *Settings) { s.LogFormat = "xml" },
			"LOG_FORMAT", `"xml"`, "not one of the accepted values", `"text" or "json"`},

		// Limits.
		{"memory size below -1", func(s *Settings) { s.DataUploadMaxMemorySize = -2 },
			"DATA_UPLOAD_MAX_MEMORY_SIZE", "-2", "is negative", "-1 to turn the limit off"},
		{"field count below -1", func(s *Settings) { s.DataUploadMaxNumberFields = -5 },
			"DATA_UPLOAD_MAX_NUMBER_FIELDS", "-5", "is negative", "-1 to turn the limit off"},
		{"file count below -1", func(s *Settings) { s.DataUploadMaxNumberFiles = -2 },
			"DATA_UPLOAD_MAX_NUMBER_FILES", "-2", "is negative", "-1 to turn the limit off"},
		{"negative upload spool size", func(s *Settings) { s.FileUploadMaxMemorySize = -1 },
			"FILE_UPLOAD_MAX_MEMORY_SIZE", "-1", "is negative", "2621440"},
		{"negative header limit", func(s *Settings) { s.ServerMaxHeaderBytes = -1 },
			"SERVER_MAX_HEADER_BYTES", "-1", "is negative", "1048576"},

		// Server durations.
		{"negative read header timeout", func(s *Settings) { s.ServerReadHeaderTimeout = -1 },
			"SERVER_READ_HEADER_TIMEOUT", "-1ns", "is negative", "positive"},
		{"negative read timeout", func(s *Settings) { s.ServerReadTimeout = -time.Second },
			"SERVER_READ_TIMEOUT", "", "is negative", "positive"},
		{"negative write timeout", func(s *Settings) { s.ServerWriteTimeout = -time.Second },
			"SERVER_WRITE_TIMEOUT", "", "is negative", "positive"},
		{"negative idle timeout", func(s *Settings) { s.ServerIdleTimeout = -time.Second },
			"SERVER_IDLE_TIMEOUT", "", "is negative", "positive"},
		{"negative shutdown timeout", func(s *Settings) { s.ServerShutdownTimeout = -time.Second },
			"SERVER_SHUTDOWN_TIMEOUT", "", "is negative", "positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid()
			tt.change(s)
			problems := problemsOf(t, s)
			if len(problems) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(problems), &Error{problems})
			}
			p := problems[0]
			if p.Setting != tt.setting {
				t.Errorf("Setting = %q, want %q", p.Setting, tt.setting)
			}
			if tt.value != "" && p.Value != tt.value {
				t.Errorf("Value = %s, want %s", p.Value, tt.value)
			}
			if !strings.Contains(p.Message, tt.message) {
				t.Errorf("Message = %q, want it to contain %q", p.Message, tt.message)
			}
			if !strings.Contains(p.Fix, tt.fix) {
				t.Errorf("Fix = %q, want it to contain %q", p.Fix, tt.fix)
			}
			// A problem is reported on a setting that may still hold its
			// default; the rest were changed in code.
			wantSource := "code"
			if tt.setting == "SECRET_KEY" || tt.setting == "SESSION_ENGINE" && tt.value == `"db"` {
				wantSource = "default"
			}
			if p.Source != wantSource {
				t.Errorf("Source = %q, want %q", p.Source, wantSource)
			}
		})
	}
}

// TestValidationAccepts lists values that look unusual but are right.
func TestValidationAccepts(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Settings)
	}{
		{"DEBUG without key or hosts", func(s *Settings) { s.Debug, s.SecretKey, s.AllowedHosts = true, "", nil }},
		{"host patterns", func(s *Settings) {
			s.AllowedHosts = []string{"*", ".example.com", "EXAMPLE.org", "127.0.0.1", "[::1]", "::1", "localhost."}
		}},
		{"no upload limits", func(s *Settings) {
			s.DataUploadMaxMemorySize, s.DataUploadMaxNumberFields, s.DataUploadMaxNumberFiles = NoLimit, NoLimit, NoLimit
		}},
		{"zero limits", func(s *Settings) {
			s.DataUploadMaxMemorySize, s.DataUploadMaxNumberFields, s.DataUploadMaxNumberFiles, s.FileUploadMaxMemorySize = 0, 0, 0, 0
		}},
		{"browser-session CSRF cookie", func(s *Settings) { s.CSRFCookieAge = 0 }},
		{"no timeouts", func(s *Settings) {
			s.ServerReadHeaderTimeout, s.ServerReadTimeout, s.ServerWriteTimeout, s.ServerIdleTimeout, s.ServerShutdownTimeout = 0, 0, 0, 0, 0
		}},
		{"SameSite in any case, or none", func(s *Settings) { s.SessionCookieSameSite, s.CSRFCookieSameSite = "strict", "" }},
		{"SameSite=None on a Secure cookie", func(s *Settings) { s.SessionCookieSameSite, s.SessionCookieSecure = "None", true }},
		{"__Host- cookie done right", func(s *Settings) { s.CSRFCookieName, s.CSRFCookieSecure = "__Host-csrftoken", true }},
		{"__Secure- cookie done right", func(s *Settings) {
			s.SessionCookieName, s.SessionCookieSecure, s.SessionCookieDomain = "__Secure-sessionid", true, ".example.com"
		}},
		{"cookie paths", func(s *Settings) { s.SessionCookiePath, s.CSRFCookiePath = "/app/", "/app" }},
		{"lower-case X-Frame-Options", func(s *Settings) { s.XFrameOptions = "sameorigin" }},
		{"several referrer policies", func(s *Settings) { s.SecureReferrerPolicy = "no-referrer, strict-origin-when-cross-origin" }},
		{"no referrer policy or opener policy", func(s *Settings) { s.SecureReferrerPolicy, s.SecureCrossOriginOpenerPolicy = "", "" }},
		{"proxy header", func(s *Settings) { s.SecureProxySSLHeader = [2]string{"X-Forwarded-Proto", "https"} }},
		{"proxies", func(s *Settings) { s.TrustedProxies = []string{"10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"} }},
		{"trusted origins", func(s *Settings) {
			s.CSRFTrustedOrigins = []string{"https://example.com", "https://*.example.com", "http://localhost:5173", "http://[::1]:8000", "http://127.0.0.1:8000", "chrome-extension://abcdef"}
		}},
		{"RE2 patterns", func(s *Settings) {
			s.DisallowedUserAgents = []string{`(?i)badbot`, `^curl/`}
			s.SecureRedirectExempt = []string{`^health/$`}
		}},
		{"SSL host with a port", func(s *Settings) { s.SecureSSLHost = "secure.example.com:8443" }},
		{"signed cookie sessions without databases", func(s *Settings) {
			s.SessionEngine, s.Databases = SessionSignedCookies, map[string]Database{}
		}},
		{"memory sessions without caches", func(s *Settings) { s.SessionEngine, s.Caches = SessionMemory, nil }},
		{"cached_db sessions with both", func(s *Settings) {
			s.SessionEngine, s.SessionCacheAlias = SessionCachedDB, "sessions"
			s.Caches["sessions"] = Cache{Backend: "redis", Location: "rediss://cache:6380/1"}
		}},
		{"postgres by URL and by key=value", func(s *Settings) {
			s.Databases["default"] = Database{Engine: "postgres", URL: "postgresql://app:pw@db:5432/app?sslmode=disable"}
			s.Databases["reports"] = Database{Engine: "postgres", URL: "host=db dbname=reports"}
			s.Databases["memory"] = Database{Engine: "sqlite", Name: ":memory:"}
		}},
		{"redis on a socket", func(s *Settings) { s.Caches["default"] = Cache{Backend: "redis", Location: "unix:///run/redis.sock"} }},
		{"CSRF in sessions in the right order", func(s *Settings) { s.CSRFUseSessions = true }},
		{"CSRF in sessions without the csrf middleware", func(s *Settings) { s.CSRFUseSessions, s.Middleware = true, []string{"security"} }},
		{"origin mode", func(s *Settings) { s.CSRFMode = CSRFOrigin }},
		{"no middleware at all", func(s *Settings) { s.Middleware = nil }},
		{"duplicate apps are for the app registry", func(s *Settings) { s.InstalledApps = []string{"polls", "polls"} }},
		{"templates", func(s *Settings) {
			s.Templates = []Template{{Backend: "html", Dirs: []string{"templates"}, AppDirs: true}, {Backend: "django", Options: map[string]any{"debug": true}}}
		}},
		{"no static URL", func(s *Settings) { s.StaticURL = "" }},
		{"static root apart from sources", func(s *Settings) { s.StaticRoot, s.StaticfilesDirs = "public", []string{"assets"} }},
		{"lower-case logging level, JSON logs", func(s *Settings) { s.LoggingLevel, s.LogFormat = "debug", "json" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid()
			tt.change(s)
			if err := s.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestSecurityPolicyLists accepts exactly the values of Django's checks
// security.E023 and security.E024, as the reference lists them.
func TestSecurityPolicyLists(t *testing.T) {
	e023 := "no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url"
	for p := range strings.SplitSeq(e023, ", ") {
		s := valid()
		s.SecureReferrerPolicy = p
		if err := s.Validate(); err != nil {
			t.Errorf("referrer policy %q: %v", p, err)
		}
	}
	s := valid()
	s.SecureReferrerPolicy = e023 // all of them, comma-separated
	if err := s.Validate(); err != nil {
		t.Errorf("all referrer policies together: %v", err)
	}
	for _, p := range []string{"same-origin", "same-origin-allow-popups", "unsafe-none"} {
		s := valid()
		s.SecureCrossOriginOpenerPolicy = p
		if err := s.Validate(); err != nil {
			t.Errorf("opener policy %q: %v", p, err)
		}
	}
	for _, p := range []string{"Same-Origin", "none", "same-origin-plus-coep"} {
		s := valid()
		s.SecureCrossOriginOpenerPolicy = p
		if s.Validate() == nil {
			t.Errorf("opener policy %q accepted", p)
		}
	}
}

// TestValidationReportsEverything breaks several settings at once and gets
// all of them back, in one error.
func TestValidationReportsEverything(t *testing.T) {
	s := valid()
	s.SecretKey = ""
	s.SessionCookieSameSite = "lex"
	s.XFrameOptions = "allow"
	s.TrustedProxies = []string{"proxy"}
	s.LogFormat = "yaml"
	problems := problemsOf(t, s)
	var got []string
	for _, p := range problems {
		got = append(got, p.Setting)
	}
	want := []string{"SECRET_KEY", "SESSION_COOKIE_SAMESITE", "TRUSTED_PROXIES[0]", "X_FRAME_OPTIONS", "LOG_FORMAT"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("problems for %v, want %v", got, want)
	}
	msg := (&Error{problems}).Error()
	if !strings.HasPrefix(msg, "settings: 5 problems:\n\t") || strings.Count(msg, "\n\t") != 5 {
		t.Errorf("Error() = %q, want a header and one line per problem", msg)
	}
}

// TestSources checks where Validate says values came from when settings
// are built in code: unchanged defaults are "default", the rest "code".
func TestSources(t *testing.T) {
	s := Defaults()
	s.XFrameOptions = "nope"
	problems := problemsOf(t, s)
	sources := map[string]string{}
	for _, p := range problems {
		sources[p.Setting] = p.Source
	}
	want := map[string]string{"SECRET_KEY": "default", "ALLOWED_HOSTS": "default", "X_FRAME_OPTIONS": "code"}
	for k, v := range want {
		if sources[k] != v {
			t.Errorf("source of %s = %q, want %q", k, sources[k], v)
		}
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Setting: "DEBUG", Value: `"x"`, Source: "settings.toml:2", Message: "is not a boolean", Fix: "use true"},
			`settings.toml:2: DEBUG = "x" is not a boolean; use true`},
		{Problem{Setting: "SESION", Source: "settings.toml:3", Message: "is not a Canter setting", Fix: "did you mean SESSION?"},
			`settings.toml:3: SESION is not a Canter setting; did you mean SESSION?`},
		{Problem{Source: "code", Message: `the settings file "x" does not exist`, Fix: "create it"},
			`code: the settings file "x" does not exist; create it`},
		{Problem{Setting: "A", Value: "1", Message: "is odd"}, `A = 1 is odd`},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	one := &Error{Problems: []Problem{tests[0].p}}
	if got := one.Error(); got != "settings: "+tests[0].want {
		t.Errorf("Error() with one problem = %q", got)
	}
	if got := (&Error{}).Error(); got != "settings: no problems" {
		t.Errorf("Error() with none = %q", got)
	}
}
