package settings

import (
	"errors"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDefaultsAreDjangos checks Defaults against Django's documented values
// (the reference: sessions 5.1, CSRF 4.1, security 7.1–7.3, uploads 3.3)
// and Canter's stated choices.
func TestDefaultsAreDjangos(t *testing.T) {
	d := Defaults()
	tests := []struct {
		name      string
		got, want any
	}{
		// Core.
		{"DEBUG", d.Debug, false},
		{"SECRET_KEY", d.SecretKey, ""},
		{"SECRET_KEY_FALLBACKS", d.SecretKeyFallbacks, []string{}},
		{"ALLOWED_HOSTS", d.AllowedHosts, []string{}},
		{"INSTALLED_APPS", d.InstalledApps, []string{}},
		{"MIDDLEWARE", d.Middleware, []string{"security", "sessions", "common", "csrf", "xframe"}},
		{"ROOT_URLCONF", d.RootURLConf, ""},
		// Sessions (5.1).
		{"SESSION_COOKIE_NAME", d.SessionCookieName, "sessionid"},
		{"SESSION_COOKIE_AGE", d.SessionCookieAge, 1209600 * time.Second},
		{"SESSION_COOKIE_DOMAIN", d.SessionCookieDomain, ""},
		{"SESSION_COOKIE_PATH", d.SessionCookiePath, "/"},
		{"SESSION_COOKIE_SECURE", d.SessionCookieSecure, false},
		{"SESSION_COOKIE_HTTPONLY", d.SessionCookieHTTPOnly, true},
		{"SESSION_COOKIE_SAMESITE", d.SessionCookieSameSite, "Lax"},
		{"SESSION_SAVE_EVERY_REQUEST", d.SessionSaveEveryRequest, false},
		{"SESSION_EXPIRE_AT_BROWSER_CLOSE", d.SessionExpireAtBrowserClose, false},
		{"SESSION_ENGINE", d.SessionEngine, "db"},
		{"SESSION_CACHE_ALIAS", d.SessionCacheAlias, "default"},
		// CSRF (4.1).
		{"CSRF_COOKIE_NAME", d.CSRFCookieName, "csrftoken"},
		{"CSRF_COOKIE_AGE", d.CSRFCookieAge, 31449600 * time.Second},
		{"CSRF_COOKIE_DOMAIN", d.CSRFCookieDomain, ""},
		{"CSRF_COOKIE_PATH", d.CSRFCookiePath, "/"},
		{"CSRF_COOKIE_SECURE", d.CSRFCookieSecure, false},
		{"CSRF_COOKIE_HTTPONLY", d.CSRFCookieHTTPOnly, false},
		{"CSRF_COOKIE_SAMESITE", d.CSRFCookieSameSite, "Lax"},
		{"CSRF_HEADER_NAME", d.CSRFHeaderName, "X-CSRFToken"},
		{"CSRF_TRUSTED_ORIGINS", d.CSRFTrustedOrigins, []string{}},
		{"CSRF_USE_SESSIONS", d.CSRFUseSessions, false},
		{"CSRF_MODE", d.CSRFMode, "token"},
		// Security (7.1–7.3).
		{"SECURE_SSL_REDIRECT", d.SecureSSLRedirect, false},
		{"SECURE_HSTS_SECONDS", d.SecureHSTSSeconds, time.Duration(0)},
		{"SECURE_HSTS_INCLUDE_SUBDOMAINS", d.SecureHSTSIncludeSubdomains, false},
		{"SECURE_HSTS_PRELOAD", d.SecureHSTSPreload, false},
		{"SECURE_CONTENT_TYPE_NOSNIFF", d.SecureContentTypeNosniff, true},
		{"SECURE_REFERRER_POLICY", d.SecureReferrerPolicy, "same-origin"},
		{"SECURE_CROSS_ORIGIN_OPENER_POLICY", d.SecureCrossOriginOpenerPolicy, "same-origin"},
		{"SECURE_SSL_HOST", d.SecureSSLHost, ""},
		{"SECURE_REDIRECT_EXEMPT", d.SecureRedirectExempt, []string{}},
		{"SECURE_PROXY_SSL_HEADER", d.SecureProxySSLHeader, [2]string{}},
		{"X_FRAME_OPTIONS", d.XFrameOptions, "DENY"},
		{"APPEND_SLASH", d.AppendSlash, true},
		{"PREPEND_WWW", d.PrependWWW, false},
		{"DISALLOWED_USER_AGENTS", d.DisallowedUserAgents, []string{}},
		{"USE_X_FORWARDED_HOST", d.UseXForwardedHost, false},
		{"USE_X_FORWARDED_PORT", d.UseXForwardedPort, false},
		{"TRUSTED_PROXIES", d.TrustedProxies, []string{}},
		// Uploads (3.3).
		{"DATA_UPLOAD_MAX_MEMORY_SIZE", d.DataUploadMaxMemorySize, int64(2621440)},
		{"DATA_UPLOAD_MAX_NUMBER_FIELDS", d.DataUploadMaxNumberFields, 1000},
		{"DATA_UPLOAD_MAX_NUMBER_FILES", d.DataUploadMaxNumberFiles, 100},
		{"FILE_UPLOAD_MAX_MEMORY_SIZE", d.FileUploadMaxMemorySize, int64(2621440)},
		// Canter's choices.
		{"DATABASES", d.Databases, map[string]Database{"default": {Engine: "sqlite", Name: "canter.sqlite3"}}},
		{"CACHES", d.Caches, map[string]Cache{"default": {Backend: "memory"}}},
		{"TEMPLATES", d.Templates, []Template{}},
		{"STATIC_URL", d.StaticURL, "/static/"},
		{"STATIC_ROOT", d.StaticRoot, ""},
		{"STATICFILES_DIRS", d.StaticfilesDirs, []string{}},
		{"LOGGING_LEVEL", d.LoggingLevel, "INFO"},
		{"LOG_FORMAT", d.LogFormat, "text"},
		{"SERVER_READ_HEADER_TIMEOUT", d.ServerReadHeaderTimeout, 5 * time.Second},
		{"SERVER_READ_TIMEOUT", d.ServerReadTimeout, 30 * time.Second},
		{"SERVER_WRITE_TIMEOUT", d.ServerWriteTimeout, 60 * time.Second},
		{"SERVER_IDLE_TIMEOUT", d.ServerIdleTimeout, 120 * time.Second},
		{"SERVER_MAX_HEADER_BYTES", d.ServerMaxHeaderBytes, 1048576},
		{"SERVER_SHUTDOWN_TIMEOUT", d.ServerShutdownTimeout, 30 * time.Second},
	}
	checked := map[string]bool{}
	for _, tt := range tests {
		checked[tt.name] = true
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.name, tt.got, tt.want)
		}
	}
	// Every setting has its default asserted here, CSRF_FAILURE_VIEW aside
	// (Django's is a Python path; Canter's empty value means built-in).
	for _, name := range names(settingFields) {
		if !checked[name] && name != "CSRF_FAILURE_VIEW" {
			t.Errorf("the default of %s is not checked", name)
		}
	}
	if d.CSRFFailureView != "" {
		t.Errorf("CSRF_FAILURE_VIEW = %q, want empty", d.CSRFFailureView)
	}
}

// TestEverySettingIsTagged guards the table that loading and listing rely on.
func TestEverySettingIsTagged(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[Settings](), reflect.TypeFor[Database](), reflect.TypeFor[Cache](), reflect.TypeFor[Template]()} {
		seen := map[string]bool{}
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			name := f.Tag.Get("setting")
			if name == "" || name != strings.ToUpper(name) {
				t.Errorf("%s.%s has setting tag %q, want an upper-case Django name", typ.Name(), f.Name, name)
			}
			if seen[name] {
				t.Errorf("%s: setting %s is tagged twice", typ.Name(), name)
			}
			seen[name] = true
		}
	}
}

func TestDefaultsAreFreshValues(t *testing.T) {
	a, b := Defaults(), Defaults()
	a.Middleware[0] = "changed"
	a.Databases["default"] = Database{Engine: "postgres"}
	a.AllowedHosts = append(a.AllowedHosts, "example.com")
	if b.Middleware[0] != "security" || b.Databases["default"].Engine != "sqlite" || len(b.AllowedHosts) != 0 {
		t.Fatalf("changing one Defaults() value changed another: %+v", b)
	}
}

func TestDefaultsValidateOnlyInDebug(t *testing.T) {
	d := Defaults()
	err := d.Validate()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Defaults().Validate() = %v, want *Error (no SECRET_KEY, no ALLOWED_HOSTS)", err)
	}
	got := []string{}
	for _, p := range e.Problems {
		got = append(got, p.Setting+"@"+p.Source)
	}
	want := []string{"SECRET_KEY@default", "ALLOWED_HOSTS@default"}
	if !slices.Equal(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	d.Debug = true
	if err := d.Validate(); err != nil {
		t.Errorf("Defaults() with DEBUG on: %v", err)
	}
}

func TestClone(t *testing.T) {
	s := Defaults()
	s.Templates = []Template{{Backend: "html", Dirs: []string{"a"}, Options: map[string]any{"nested": map[string]any{"k": []any{"v"}}}}}
	c := s.Clone()
	if !reflect.DeepEqual(s, c) {
		t.Fatalf("clone differs:\n%+v\n%+v", s, c)
	}
	c.Templates[0].Dirs[0] = "b"
	c.Templates[0].Options["nested"].(map[string]any)["k"].([]any)[0] = "changed"
	c.Databases["other"] = Database{}
	c.Middleware = c.Middleware[:1]
	if s.Templates[0].Dirs[0] != "a" || s.Templates[0].Options["nested"].(map[string]any)["k"].([]any)[0] != "v" ||
		len(s.Databases) != 1 || len(s.Middleware) != 5 {
		t.Errorf("changing the clone changed the original: %+v", s)
	}
}

func TestLogLevel(t *testing.T) {
	tests := []struct {
		level string
		want  slog.Level
	}{
		{"DEBUG", slog.LevelDebug},
		{"debug", slog.LevelDebug},
		{"INFO", slog.LevelInfo},
		{"WARNING", slog.LevelWarn},
		{"ERROR", slog.LevelError},
		{"nonsense", slog.LevelInfo},
	}
	for _, tt := range tests {
		s := Settings{LoggingLevel: tt.level}
		if got := s.LogLevel(); got != tt.want {
			t.Errorf("LogLevel() for %q = %v, want %v", tt.level, got, tt.want)
		}
	}
}
