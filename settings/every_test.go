package settings

import (
	"reflect"
	"strings"
	"testing"
)

// everyFile sets every setting to a valid value that is not its default.
const everyFile = `
DEBUG = true
SECRET_KEY = "file-key"
SECRET_KEY_FALLBACKS = ["old-key"]
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["polls"]
MIDDLEWARE = ["security", "sessions", "csrf"]
ROOT_URLCONF = "polls"
SESSION_COOKIE_NAME = "sid"
SESSION_COOKIE_AGE = 3600
SESSION_COOKIE_DOMAIN = ".example.com"
SESSION_COOKIE_PATH = "/app/"
SESSION_COOKIE_SECURE = true
SESSION_COOKIE_HTTPONLY = false
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_SAVE_EVERY_REQUEST = true
SESSION_EXPIRE_AT_BROWSER_CLOSE = true
SESSION_ENGINE = "cached_db"
SESSION_CACHE_ALIAS = "sessions"
CSRF_COOKIE_NAME = "csrf"
CSRF_COOKIE_AGE = "0s"
CSRF_COOKIE_DOMAIN = ".example.com"
CSRF_COOKIE_PATH = "/app/"
CSRF_COOKIE_SECURE = true
CSRF_COOKIE_HTTPONLY = true
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_HEADER_NAME = "X-XSRF-Token"
CSRF_TRUSTED_ORIGINS = ["https://*.example.com"]
CSRF_USE_SESSIONS = true
CSRF_FAILURE_VIEW = "polls:csrf_failure"
CSRF_MODE = "origin"
SECURE_PROXY_SSL_HEADER = ["X-Forwarded-Proto", "https"]
USE_X_FORWARDED_HOST = true
USE_X_FORWARDED_PORT = true
TRUSTED_PROXIES = ["10.0.0.0/8"]
APPEND_SLASH = false
PREPEND_WWW = true
DISALLOWED_USER_AGENTS = ["(?i)badbot"]
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = true
SECURE_HSTS_PRELOAD = true
SECURE_CONTENT_TYPE_NOSNIFF = false
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "unsafe-none"
SECURE_SSL_REDIRECT = true
SECURE_SSL_HOST = "secure.example.com"
SECURE_REDIRECT_EXEMPT = ["^health/$"]
STATIC_URL = "/assets/"
STATIC_ROOT = "public"
STATICFILES_DIRS = ["assets"]
LOGGING_LEVEL = "DEBUG"
LOG_FORMAT = "json"
DATA_UPLOAD_MAX_MEMORY_SIZE = -1
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
DATA_UPLOAD_MAX_NUMBER_FILES = 1
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
SERVER_READ_HEADER_TIMEOUT = "2s"
SERVER_READ_TIMEOUT = 10
SERVER_WRITE_TIMEOUT = "0"
SERVER_IDLE_TIMEOUT = "1m"
SERVER_MAX_HEADER_BYTES = 65536
SERVER_SHUTDOWN_TIMEOUT = 5

[DATABASES.default]
ENGINE = "postgres"
URL = "postgres://app@db/app"

[CACHES.sessions]
BACKEND = "redis"
LOCATION = "redis://cache:6379/0"

[[TEMPLATES]]
BACKEND = "django"
DIRS = ["templates"]
APP_DIRS = true
OPTIONS = { autoescape = false }
`

// everyEnv does the same through the environment.
var everyEnv = []string{
	"CANTER_DEBUG=yes",
	"CANTER_SECRET_KEY=env-key",
	"CANTER_SECRET_KEY_FALLBACKS=old-key",
	"CANTER_ALLOWED_HOSTS=example.com",
	"CANTER_INSTALLED_APPS=polls,blog",
	"CANTER_MIDDLEWARE=sessions,csrf",
	"CANTER_ROOT_URLCONF=polls",
	"CANTER_SESSION_COOKIE_NAME=sid",
	"CANTER_SESSION_COOKIE_AGE=3600",
	"CANTER_SESSION_COOKIE_DOMAIN=.example.com",
	"CANTER_SESSION_COOKIE_PATH=/app/",
	"CANTER_SESSION_COOKIE_SECURE=on",
	"CANTER_SESSION_COOKIE_HTTPONLY=off",
	"CANTER_SESSION_COOKIE_SAMESITE=",
	"CANTER_SESSION_SAVE_EVERY_REQUEST=1",
	"CANTER_SESSION_EXPIRE_AT_BROWSER_CLOSE=true",
	"CANTER_SESSION_ENGINE=signed_cookies",
	"CANTER_SESSION_CACHE_ALIAS=other",
	"CANTER_CSRF_COOKIE_NAME=csrf",
	"CANTER_CSRF_COOKIE_AGE=0",
	"CANTER_CSRF_COOKIE_DOMAIN=.example.com",
	"CANTER_CSRF_COOKIE_PATH=/app/",
	"CANTER_CSRF_COOKIE_SECURE=true",
	"CANTER_CSRF_COOKIE_HTTPONLY=true",
	"CANTER_CSRF_COOKIE_SAMESITE=Strict",
	"CANTER_CSRF_HEADER_NAME=X-XSRF-Token",
	"CANTER_CSRF_TRUSTED_ORIGINS=https://a.example",
	"CANTER_CSRF_USE_SESSIONS=true",
	"CANTER_CSRF_FAILURE_VIEW=csrf_failure",
	"CANTER_CSRF_MODE=origin",
	"CANTER_SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto,https",
	"CANTER_USE_X_FORWARDED_HOST=true",
	"CANTER_USE_X_FORWARDED_PORT=true",
	"CANTER_TRUSTED_PROXIES=10.0.0.1",
	"CANTER_APPEND_SLASH=false",
	"CANTER_PREPEND_WWW=true",
	"CANTER_DISALLOWED_USER_AGENTS=badbot",
	"CANTER_X_FRAME_OPTIONS=SAMEORIGIN",
	"CANTER_SECURE_HSTS_SECONDS=3600",
	"CANTER_SECURE_HSTS_INCLUDE_SUBDOMAINS=true",
	"CANTER_SECURE_HSTS_PRELOAD=true",
	"CANTER_SECURE_CONTENT_TYPE_NOSNIFF=false",
	"CANTER_SECURE_REFERRER_POLICY=origin",
	"CANTER_SECURE_CROSS_ORIGIN_OPENER_POLICY=",
	"CANTER_SECURE_SSL_REDIRECT=true",
	"CANTER_SECURE_SSL_HOST=secure.example.com",
	"CANTER_SECURE_REDIRECT_EXEMPT=^health/$",
	`CANTER_TEMPLATES=[{"BACKEND": "html"}]`,
	"CANTER_STATIC_URL=/assets/",
	"CANTER_STATIC_ROOT=public",
	"CANTER_STATICFILES_DIRS=assets",
	"CANTER_LOGGING_LEVEL=ERROR",
	"CANTER_LOG_FORMAT=json",
	"CANTER_DATA_UPLOAD_MAX_MEMORY_SIZE=1",
	"CANTER_DATA_UPLOAD_MAX_NUMBER_FIELDS=1",
	"CANTER_DATA_UPLOAD_MAX_NUMBER_FILES=1",
	"CANTER_FILE_UPLOAD_MAX_MEMORY_SIZE=1",
	"CANTER_SERVER_READ_HEADER_TIMEOUT=1",
	"CANTER_SERVER_READ_TIMEOUT=1",
	"CANTER_SERVER_WRITE_TIMEOUT=1",
	"CANTER_SERVER_IDLE_TIMEOUT=1",
	"CANTER_SERVER_MAX_HEADER_BYTES=1",
	"CANTER_SERVER_SHUTDOWN_TIMEOUT=1",
	`CANTER_DATABASES={}`,
	`CANTER_CACHES={"default": {"BACKEND": "memory", "LOCATION": "local"}}`,
}

// changedSettings lists the settings of s that differ from the defaults.
func changedSettings(s *Settings) map[string]bool {
	changed := map[string]bool{}
	v, d := reflect.ValueOf(s).Elem(), reflect.ValueOf(Defaults()).Elem()
	for _, f := range settingFields {
		if !reflect.DeepEqual(v.Field(f.index).Interface(), d.Field(f.index).Interface()) {
			changed[f.name] = true
		}
	}
	return changed
}

func TestEverySettingFromTheFile(t *testing.T) {
	s, err := Load(Options{File: writeFile(t, everyFile)})
	if err != nil {
		t.Fatal(err)
	}
	changed := changedSettings(s)
	for _, name := range names(settingFields) {
		if !changed[name] {
			t.Errorf("%s is not set by the file", name)
		}
	}
}

func TestEverySettingFromTheEnvironment(t *testing.T) {
	t.Chdir(t.TempDir())
	s, err := Load(Options{Env: everyEnv})
	if err != nil {
		t.Fatal(err)
	}
	changed := changedSettings(s)
	for _, name := range names(settingFields) {
		if !changed[name] {
			t.Errorf("%s is not set by CANTER_%s", name, name)
		}
	}
	if len(everyEnv) != len(settingFields) {
		t.Errorf("%d variables for %d settings", len(everyEnv), len(settingFields))
	}
	for _, kv := range everyEnv {
		name, _, _ := strings.Cut(strings.TrimPrefix(kv, EnvPrefix), "=")
		if _, ok := lookupField(settingFields, name); !ok {
			t.Errorf("%s names no setting", kv)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	file := writeFile(b, everyFile)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(Options{File: file, Env: everyEnv}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	s := valid()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
