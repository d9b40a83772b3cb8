package settings

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// loadEnv loads with no file and the given variables on top of secretEnv.
func loadEnv(t *testing.T, vars ...string) (*Settings, []Problem) {
	t.Helper()
	t.Chdir(t.TempDir()) // no settings.toml
	s, err := Load(Options{Env: append(append([]string{}, secretEnv...), vars...)})
	if err != nil {
		return nil, err.(*Error).Problems
	}
	return s, nil
}

func TestEnvironmentValues(t *testing.T) {
	tests := []struct {
		variable string
		get      func(*Settings) any
		want     any
	}{
		// Booleans, in the spellings environments use.
		{"CANTER_DEBUG=true", func(s *Settings) any { return s.Debug }, true},
		{"CANTER_DEBUG=TRUE", func(s *Settings) any { return s.Debug }, true},
		{"CANTER_DEBUG=1", func(s *Settings) any { return s.Debug }, true},
		{"CANTER_DEBUG=yes", func(s *Settings) any { return s.Debug }, true},
		{"CANTER_DEBUG=On", func(s *Settings) any { return s.Debug }, true},
		{"CANTER_APPEND_SLASH=false", func(s *Settings) any { return s.AppendSlash }, false},
		{"CANTER_APPEND_SLASH=0", func(s *Settings) any { return s.AppendSlash }, false},
		{"CANTER_APPEND_SLASH=no", func(s *Settings) any { return s.AppendSlash }, false},
		{"CANTER_APPEND_SLASH= off ", func(s *Settings) any { return s.AppendSlash }, false},
		// Strings are taken as they are.
		{"CANTER_SECRET_KEY= spaced key ", func(s *Settings) any { return s.SecretKey }, " spaced key "},
		{"CANTER_ROOT_URLCONF=polls", func(s *Settings) any { return s.RootURLConf }, "polls"},
		{"CANTER_CSRF_FAILURE_VIEW=", func(s *Settings) any { return s.CSRFFailureView }, ""},
		{"CANTER_SECRET_KEY=a=b=c", func(s *Settings) any { return s.SecretKey }, "a=b=c"},
		// Integers.
		{"CANTER_DATA_UPLOAD_MAX_NUMBER_FIELDS=500", func(s *Settings) any { return s.DataUploadMaxNumberFields }, 500},
		{"CANTER_DATA_UPLOAD_MAX_MEMORY_SIZE=-1", func(s *Settings) any { return s.DataUploadMaxMemorySize }, int64(NoLimit)},
		// Durations: seconds, as Django, or Go durations.
		{"CANTER_SESSION_COOKIE_AGE=3600", func(s *Settings) any { return s.SessionCookieAge }, time.Hour},
		{"CANTER_SESSION_COOKIE_AGE=1h30m", func(s *Settings) any { return s.SessionCookieAge }, 90 * time.Minute},
		{"CANTER_CSRF_COOKIE_AGE=0", func(s *Settings) any { return s.CSRFCookieAge }, time.Duration(0)},
		{"CANTER_SERVER_SHUTDOWN_TIMEOUT=500ms", func(s *Settings) any { return s.ServerShutdownTimeout }, 500 * time.Millisecond},
		// Lists: commas, or a JSON array when entries hold commas.
		{"CANTER_ALLOWED_HOSTS=a.example, .b.example,", func(s *Settings) any { return s.AllowedHosts }, []string{"a.example", ".b.example"}},
		{"CANTER_INSTALLED_APPS=", func(s *Settings) any { return s.InstalledApps }, []string{}},
		{"CANTER_MIDDLEWARE=csrf", func(s *Settings) any { return s.Middleware }, []string{"csrf"}},
		{`CANTER_DISALLOWED_USER_AGENTS=["bot{1,3}", "^curl"]`, func(s *Settings) any { return s.DisallowedUserAgents }, []string{"bot{1,3}", "^curl"}},
		{"CANTER_CSRF_TRUSTED_ORIGINS=https://a.example,https://*.b.example", func(s *Settings) any { return s.CSRFTrustedOrigins },
			[]string{"https://a.example", "https://*.b.example"}},
		// Pairs.
		{"CANTER_SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto,https", func(s *Settings) any { return s.SecureProxySSLHeader },
			[2]string{"X-Forwarded-Proto", "https"}},
		{`CANTER_SECURE_PROXY_SSL_HEADER=["X-Forwarded-Proto", "https"]`, func(s *Settings) any { return s.SecureProxySSLHeader },
			[2]string{"X-Forwarded-Proto", "https"}},
		{"CANTER_SECURE_PROXY_SSL_HEADER=", func(s *Settings) any { return s.SecureProxySSLHeader }, [2]string{}},
		// Structured values as JSON.
		{`CANTER_DATABASES={"default": {"ENGINE": "postgres", "URL": "postgres://app:pw@db/app"}}`, func(s *Settings) any { return s.Databases },
			map[string]Database{"default": {Engine: "postgres", URL: "postgres://app:pw@db/app"}}},
		{`CANTER_CACHES={"default": {"BACKEND": "redis", "LOCATION": "redis://cache:6379/0"}}`, func(s *Settings) any { return s.Caches },
			map[string]Cache{"default": {Backend: "redis", Location: "redis://cache:6379/0"}}},
		{`CANTER_TEMPLATES=[{"BACKEND": "html", "DIRS": ["t"], "APP_DIRS": true, "OPTIONS": {"depth": 2}}]`, func(s *Settings) any {
			return len(s.Templates) == 1 && s.Templates[0].Backend == "html" && s.Templates[0].Dirs[0] == "t" && s.Templates[0].AppDirs &&
				s.Templates[0].Options["depth"] != nil
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.variable, func(t *testing.T) {
			s, problems := loadEnv(t, tt.variable)
			if problems != nil {
				t.Fatal(&Error{problems})
			}
			if got := tt.get(s); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestEnvironmentProblems(t *testing.T) {
	tests := []struct {
		variable string
		setting  string
		message  string
		fix      string
	}{
		{"CANTER_DEBUG=maybe", "DEBUG", "is not a boolean", "yes/no"},
		{"CANTER_DEBUG=", "DEBUG", "is not a boolean", "true or false"},
		{"CANTER_DATA_UPLOAD_MAX_NUMBER_FILES=5e2", "DATA_UPLOAD_MAX_NUMBER_FILES", "is not an integer", "whole number"},
		{"CANTER_DATA_UPLOAD_MAX_NUMBER_FILES=", "DATA_UPLOAD_MAX_NUMBER_FILES", "is not an integer", "whole number"},
		{"CANTER_SESSION_COOKIE_AGE=two weeks", "SESSION_COOKIE_AGE", "is not a duration", `"336h"`},
		{"CANTER_SESSION_COOKIE_AGE=99999999999", "SESSION_COOKIE_AGE", "too large", "292 years"},
		{"CANTER_SERVER_IDLE_TIMEOUT=-5", "SERVER_IDLE_TIMEOUT", "is negative", "positive"}, // parsed, then validated
		{`CANTER_ALLOWED_HOSTS=["a.example", 1]`, "ALLOWED_HOSTS[1]", "expected a string, found an integer", "double quotes"},
		{`CANTER_ALLOWED_HOSTS=[broken`, "ALLOWED_HOSTS", "is not valid JSON", "a list of strings in JSON"},
		{`CANTER_DISALLOWED_USER_AGENTS=[Bb]ot`, "DISALLOWED_USER_AGENTS", "is not valid JSON", `["[Bb]ot"]`},
		{"CANTER_SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto", "SECURE_PROXY_SSL_HEADER", "is not a pair", "X-Forwarded-Proto,https"},
		{"CANTER_SECURE_PROXY_SSL_HEADER=a,b,c", "SECURE_PROXY_SSL_HEADER", "is not a pair", "separated by a comma"},
		{`CANTER_SECURE_PROXY_SSL_HEADER=["X-Forwarded-Proto"]`, "SECURE_PROXY_SSL_HEADER", "expected a pair [header, value], found an array", "https"},
		{"CANTER_DATABASES=postgres://db/app", "DATABASES", "is not valid JSON", "an object of objects in JSON"},
		{`CANTER_DATABASES={"default": {"ENGINE": "sqlite", "NAME": "x"}} extra`, "DATABASES", "is not valid JSON: unexpected text after the value", "JSON"},
		{`CANTER_DATABASES=["sqlite"]`, "DATABASES", "expected an object of objects, found an array", `{"default": {…}}`},
		{`CANTER_DATABASES={"default": {"ENGINE": "sqlite", "NAME": 3}}`, "DATABASES.default.NAME", "expected a string, found an integer", "double quotes"},
		{`CANTER_DATABASES={"default": {"ENGINE": "sqlite", "NAME": "x", "NAMES": "y"}}`, "DATABASES.default.NAMES", "is not a Canter setting", "did you mean NAME?"},
		{`CANTER_DATABASES={"default": {"ENGINE": "sqlite", "NAME": null}}`, "DATABASES.default.NAME", "expected a string, found null", "double quotes"},
		{`CANTER_DATABASES={"default": {"ENGINE": "sqlite", "NAME": "x"}, "b": []}`, "DATABASES.b", "expected an object, found an array", "JSON object with the keys ENGINE, NAME, URL"},
		{`CANTER_TEMPLATES={"BACKEND": "html"}`, "TEMPLATES", "expected an array of objects, found an object", "JSON array of objects"},
		{`CANTER_TEMPLATES=[{"BACKEND": "html", "APP_DIRS": 1.5}]`, "TEMPLATES[0].APP_DIRS", "expected a boolean, found a number with a fraction", "true or false"},
		{`CANTER_CACHES={"default": {"BACKEND": "redis"}}`, "CACHES.default.LOCATION", "must be set for Redis", "redis://"}, // parsed, then validated
	}
	for _, tt := range tests {
		t.Run(tt.variable, func(t *testing.T) {
			_, problems := loadEnv(t, tt.variable)
			if len(problems) != 1 {
				t.Fatalf("got %d problems, want 1: %v", len(problems), &Error{problems})
			}
			p := problems[0]
			if p.Setting != tt.setting || !strings.Contains(p.Message, tt.message) || !strings.Contains(p.Fix, tt.fix) {
				t.Errorf("problem = %q\nwant setting %s, message with %q, fix with %q", p.String(), tt.setting, tt.message, tt.fix)
			}
			variable, _, _ := strings.Cut(tt.variable, "=")
			if p.Source != "environment variable "+variable {
				t.Errorf("Source = %q, want the variable %s", p.Source, variable)
			}
		})
	}
}

func TestEnvironmentNamesAndOrder(t *testing.T) {
	s, problems := loadEnv(t,
		"CANTER_ADDR=127.0.0.1:8000",     // someone else's variable: ignored
		"CANTER_NOT_A_SETTING=whatever",  // ignored as well
		"SESSION_COOKIE_NAME=unprefixed", // not ours
		"canter_session_cookie_name=lower",
		"CANTER_SESSION_COOKIE_NAME=first",
		"CANTER_SESSION_COOKIE_NAME=last", // the last one wins
		"NOEQUALSSIGN",
	)
	if problems != nil {
		t.Fatal(&Error{problems})
	}
	if s.SessionCookieName != "last" {
		t.Errorf("SESSION_COOKIE_NAME = %q, want the last CANTER_ value", s.SessionCookieName)
	}
}

func TestSecretsMaskedInProblems(t *testing.T) {
	_, problems := loadEnv(t,
		"CANTER_SECRET_KEY_FALLBACKS=["+`"old-secret", 5]`,
		`CANTER_DATABASES={"default": {"ENGINE": "postgres", "URL": "mysql://app:hunter2@db/app"}}`,
	)
	text := (&Error{problems}).Error()
	for _, secret := range []string{"old-secret", "hunter2"} {
		if strings.Contains(text, secret) {
			t.Errorf("the report shows %q:\n%s", secret, text)
		}
	}
	if !strings.Contains(text, "SECRET_KEY_FALLBACKS[1] = "+Mask) || !strings.Contains(text, "mysql://app:"+Mask+"@db/app") {
		t.Errorf("the report does not show the masked values:\n%s", text)
	}
}
