package settings

import (
	"slices"
	"strings"
	"testing"
)

// TestIsSensitive follows Django's HIDDEN_SETTINGS,
// re.compile("API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE", re.I),
// used with search: a match anywhere in the name.
func TestIsSensitive(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"SECRET_KEY", true},
		{"SECRET_KEY_FALLBACKS", true},
		{"secret_key", true},
		{"STRIPE_API_URL", true},
		{"HTTP_AUTHORIZATION", true},
		{"GITHUB_TOKEN", true},
		{"CSRF_TOKEN_NAME", true},
		{"Password", true},
		{"PASSPHRASE", true},
		{"AWS_SIGNATURE_VERSION", true},
		{"HTTP_COOKIE", true},
		{"monkey", true}, // a match anywhere, as Django's search
		{"DEBUG", false},
		{"SESSION_COOKIE_NAME", false}, // COOKIE alone is not listed
		{"CSRF_HEADER_NAME", false},
		{"DATABASES", false},
		{"URL", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsSensitive(tt.name); got != tt.want {
			t.Errorf("IsSensitive(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMasked(t *testing.T) {
	s := Defaults()
	s.SecretKey = "super-secret-key"
	s.SecretKeyFallbacks = []string{"older-secret"}
	s.Databases = map[string]Database{
		"default": {Engine: "postgres", URL: "postgres://app:hunter2@db.internal:5432/app?sslmode=require"},
		"dsn":     {Engine: "postgres", URL: "host=db user=app password='p w' dbname=app"},
		"plain":   {Engine: "postgres", URL: "postgres://app@db.internal/app"},
	}
	s.Caches = map[string]Cache{"default": {Backend: "redis", Location: "redis://:redispass@cache:6379/0"}}
	s.Templates = []Template{{Backend: "html", Options: map[string]any{"api_key": "abc123", "debug": true}}}
	entries := s.Masked()

	if !slices.IsSortedFunc(entries, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("entries are not sorted by name")
	}
	if len(entries) != len(settingFields) {
		t.Errorf("%d entries, want one per setting (%d)", len(entries), len(settingFields))
	}
	values := map[string]string{}
	for _, e := range entries {
		values[e.Name] = e.Value
	}
	for _, name := range []string{"SECRET_KEY", "SECRET_KEY_FALLBACKS"} {
		if values[name] != Mask {
			t.Errorf("%s = %s, want %s", name, values[name], Mask)
		}
	}
	all := strings.Join(slices.Collect(func(yield func(string) bool) {
		for _, e := range entries {
			if !yield(e.Value) {
				return
			}
		}
	}), "\n")
	for _, secret := range []string{"super-secret-key", "older-secret", "hunter2", "p w", "redispass", "abc123"} {
		if strings.Contains(all, secret) {
			t.Errorf("Masked shows %q", secret)
		}
	}
	for _, want := range []string{
		"postgres://app:" + Mask + "@db.internal:5432/app?sslmode=require",
		"password=" + Mask + " dbname=app",
		"postgres://app@db.internal/app", // no password, nothing to hide
		"redis://:" + Mask + "@cache:6379/0",
	} {
		if !strings.Contains(values["DATABASES"]+values["CACHES"], want) {
			t.Errorf("DATABASES/CACHES do not show %q:\n%s\n%s", want, values["DATABASES"], values["CACHES"])
		}
	}
	if want := `[{BACKEND = "html", DIRS = [], APP_DIRS = false, OPTIONS = {api_key = ` + Mask + `, debug = true}}]`; values["TEMPLATES"] != want {
		t.Errorf("TEMPLATES = %s, want %s", values["TEMPLATES"], want)
	}
	if s.SecretKey != "super-secret-key" || !strings.Contains(s.Databases["default"].URL, "hunter2") {
		t.Error("Masked changed the settings")
	}
}

func TestMaskedLiterals(t *testing.T) {
	s := Defaults()
	s.SecureProxySSLHeader = [2]string{"X-Forwarded-Proto", "https"}
	values := map[string]string{}
	for _, e := range s.Masked() {
		values[e.Name] = e.Value
	}
	tests := map[string]string{
		"DEBUG":                       "false",
		"SESSION_COOKIE_NAME":         `"sessionid"`,
		"SESSION_COOKIE_AGE":          "336h0m0s",
		"MIDDLEWARE":                  `["security", "sessions", "common", "csrf", "xframe"]`,
		"DATA_UPLOAD_MAX_MEMORY_SIZE": "2621440",
		"SECURE_PROXY_SSL_HEADER":     `["X-Forwarded-Proto", "https"]`,
		"DATABASES":                   `{default = {ENGINE = "sqlite", NAME = "canter.sqlite3", URL = ""}}`,
		"SECRET_KEY":                  Mask, // masked even when empty, as Django does
	}
	for name, want := range tests {
		if values[name] != want {
			t.Errorf("%s = %s, want %s", name, values[name], want)
		}
	}
	s.SecureProxySSLHeader = [2]string{}
	for _, e := range s.Masked() {
		if e.Name == "SECURE_PROXY_SSL_HEADER" && e.Value != "[]" {
			t.Errorf("an unset pair is shown as %s, want []", e.Value)
		}
	}
}

func TestMaskPasswords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u:p@h/db", "postgres://u:" + Mask + "@h/db"},
		{"postgres://u:p@ss@h/db", "postgres://u:" + Mask + "@h/db"},
		{"postgres://u@h/db", "postgres://u@h/db"},
		{"postgres://u:@h/db", "postgres://u:@h/db"},
		{"postgres://h/db?x=a:b@c", "postgres://h/db?x=a:b@c"},
		{"redis://:p@h:6379", "redis://:" + Mask + "@h:6379"},
		{"host=h password=secret port=5", "host=h password=" + Mask + " port=5"},
		{"host=h PASSWORD = 'a b' port=5", "host=h password=" + Mask + " port=5"},
		{"just text", "just text"},
	}
	for _, tt := range tests {
		if got := maskPasswords(tt.in); got != tt.want {
			t.Errorf("maskPasswords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
