package settings

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeFile writes a settings file into a fresh directory.
func writeFile(t testing.TB, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "settings.toml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// secretEnv makes a loaded configuration valid with DEBUG off.
var secretEnv = []string{"CANTER_SECRET_KEY=" + strings.Repeat("s", 50), "CANTER_ALLOWED_HOSTS=example.com"}

// loadProblems loads and returns the problems, failing if there are none.
func loadProblems(t *testing.T, opts Options) []Problem {
	t.Helper()
	s, err := Load(opts)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Load() = %v, want an *Error", err)
	}
	if s != nil {
		t.Error("Load() returned settings with an error")
	}
	return e.Problems
}

// TestPrecedence sets each of three settings in a different set of layers
// and checks that the file loses to the environment, which loses to code.
func TestPrecedence(t *testing.T) {
	file := writeFile(t, `
SESSION_COOKIE_NAME = "from-file"
CSRF_COOKIE_NAME = "from-file"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_AGE = 60
ALLOWED_HOSTS = ["file.example"]
`)
	env := []string{
		"CANTER_SECRET_KEY=" + strings.Repeat("s", 50),
		"CANTER_SESSION_COOKIE_NAME=from-env",
		"CANTER_CSRF_COOKIE_NAME=from-env",
		"CANTER_SESSION_COOKIE_AGE=120",
		"CANTER_LOG_FORMAT=json",
	}
	s, err := Load(Options{File: file, Env: env, Override: []func(*Settings){
		func(s *Settings) { s.CSRFCookieName = "from-code" },
		func(s *Settings) { s.LogFormat = "text" },
		func(s *Settings) { s.CSRFCookieName += "-again" }, // overrides run in order
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		setting   string
		got, want any
	}{
		{"SESSION_COOKIE_NAME (file, env)", s.SessionCookieName, "from-env"},
		{"CSRF_COOKIE_NAME (file, env, code)", s.CSRFCookieName, "from-code-again"},
		{"X_FRAME_OPTIONS (file)", s.XFrameOptions, "SAMEORIGIN"},
		{"SESSION_COOKIE_AGE (file, env)", s.SessionCookieAge, 120 * time.Second},
		{"ALLOWED_HOSTS (file)", s.AllowedHosts, []string{"file.example"}},
		{"LOG_FORMAT (env, code)", s.LogFormat, "text"},
		{"SESSION_ENGINE (default)", s.SessionEngine, "db"},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.setting, tt.got, tt.want)
		}
	}
}

// TestLoadedSources checks that each problem names where its value came
// from: the file and line, the variable, code, or the default.
func TestLoadedSources(t *testing.T) {
	file := writeFile(t, `# settings
DEBUG = false

SESSION_COOKIE_SAMESITE = "Lex"
CSRF_MODE = "tokens"
LOG_FORMAT = "yaml"

[DATABASES.default]
ENGINE = "sqlite"
NAME = ""

[[TEMPLATES]]
BACKEND = "html"

[[TEMPLATES]]
BACKEND = "jinja"
`)
	problems := loadProblems(t, Options{
		File: file,
		Env:  []string{"CANTER_X_FRAME_OPTIONS=ALLOWALL", "CANTER_LOG_FORMAT=xml"},
		Override: []func(*Settings){func(s *Settings) {
			s.CSRFMode = "tokenless" // code changes a value from the file
			s.StaticURL = "/assets"
		}},
	})
	want := map[string]string{
		"SECRET_KEY":              "default",
		"ALLOWED_HOSTS":           "default",
		"SESSION_COOKIE_SAMESITE": file + ":4",
		"CSRF_MODE":               "code",
		"LOG_FORMAT":              "environment variable CANTER_LOG_FORMAT",
		"X_FRAME_OPTIONS":         "environment variable CANTER_X_FRAME_OPTIONS",
		"DATABASES.default.NAME":  file + ":10",
		"TEMPLATES[1].BACKEND":    file + ":16",
		"STATIC_URL":              "code",
	}
	got := map[string]string{}
	for _, p := range problems {
		got[p.Setting] = p.Source
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sources:\n got %v\nwant %v\n%v", got, want, &Error{problems})
	}
}

// TestSourceAfterLoad: a setting loaded from the file and then changed in
// code on a copy is reported as coming from code.
func TestSourceAfterLoad(t *testing.T) {
	file := writeFile(t, "X_FRAME_OPTIONS = \"SAMEORIGIN\"\nALLOWED_HOSTS = [\"a.example\"]\n")
	s, err := Load(Options{File: file, Env: secretEnv[:1]})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Clone()
	c.XFrameOptions = "bad"
	c.AllowedHosts[0] = "a.example:80" // changed in place
	problems := problemsOf(t, c)
	if len(problems) != 2 || problems[0].Source != "code" || problems[1].Source != "code" {
		t.Errorf("problems = %v, want two from code", &Error{problems})
	}
	s.XFrameOptions = "SAMEORIGN" // a new value on the loaded settings too
	problems = problemsOf(t, s)
	if len(problems) != 1 || problems[0].Source != "code" {
		t.Errorf("problems = %v, want one from code", &Error{problems})
	}
}

func TestSettingsFileChoice(t *testing.T) {
	dir := t.TempDir()
	chosen := filepath.Join(dir, "chosen.toml")
	if err := os.WriteFile(chosen, []byte(`SESSION_COOKIE_NAME = "chosen"`), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.toml")

	t.Run("named by CANTER_SETTINGS_FILE", func(t *testing.T) {
		s, err := Load(Options{Env: append([]string{FileVariable + "=" + chosen}, secretEnv...)})
		if err != nil {
			t.Fatal(err)
		}
		if s.SessionCookieName != "chosen" {
			t.Errorf("SESSION_COOKIE_NAME = %q, want the file's", s.SessionCookieName)
		}
	})
	t.Run("Options.File wins over CANTER_SETTINGS_FILE", func(t *testing.T) {
		s, err := Load(Options{File: chosen, Env: append([]string{FileVariable + "=" + missing}, secretEnv...)})
		if err != nil {
			t.Fatal(err)
		}
		if s.SessionCookieName != "chosen" {
			t.Errorf("SESSION_COOKIE_NAME = %q, want the file's", s.SessionCookieName)
		}
	})
	t.Run("missing file named in code", func(t *testing.T) {
		problems := loadProblems(t, Options{File: missing, Env: secretEnv})
		if len(problems) != 1 || problems[0].Source != "code" || !strings.Contains(problems[0].Message, "does not exist") ||
			!strings.Contains(problems[0].Message, "missing.toml") {
			t.Errorf("problems = %v", &Error{problems})
		}
	})
	t.Run("missing file named in the environment", func(t *testing.T) {
		problems := loadProblems(t, Options{Env: append([]string{FileVariable + "=" + missing}, secretEnv...)})
		if len(problems) != 1 || problems[0].Source != "environment variable CANTER_SETTINGS_FILE" {
			t.Errorf("problems = %v", &Error{problems})
		}
	})
	t.Run("unreadable file", func(t *testing.T) {
		problems := loadProblems(t, Options{File: dir, Env: secretEnv}) // a directory
		if len(problems) != 1 || !strings.Contains(problems[0].Message, "cannot be read") {
			t.Errorf("problems = %v", &Error{problems})
		}
	})
	t.Run("no settings.toml is fine", func(t *testing.T) {
		t.Chdir(t.TempDir())
		s, err := Load(Options{Env: secretEnv})
		if err != nil {
			t.Fatal(err)
		}
		if s.SessionCookieName != "sessionid" {
			t.Errorf("SESSION_COOKIE_NAME = %q, want the default", s.SessionCookieName)
		}
	})
	t.Run("settings.toml in the working directory", func(t *testing.T) {
		wd := t.TempDir()
		if err := os.WriteFile(filepath.Join(wd, DefaultFile), []byte("SESSION_COOKIE_NAME = \"cwd\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Chdir(wd)
		s, err := Load(Options{Env: secretEnv})
		if err != nil {
			t.Fatal(err)
		}
		if s.SessionCookieName != "cwd" {
			t.Errorf("SESSION_COOKIE_NAME = %q, want the file's", s.SessionCookieName)
		}
	})
}

func TestInvalidTOML(t *testing.T) {
	file := writeFile(t, "DEBUG = true\nALLOWED_HOSTS = [\"a\",\n\nSECRET_KEY = \n")
	problems := loadProblems(t, Options{File: file, Env: []string{"CANTER_DEBUG=perhaps"}})
	if len(problems) < 2 {
		t.Fatalf("problems = %v, want the syntax error and the environment's", &Error{problems})
	}
	p := problems[0]
	if !strings.HasPrefix(p.Source, file+":") || !strings.Contains(p.Message, "invalid TOML") || p.Fix == "" {
		t.Errorf("syntax problem = %+v", p)
	}
	if problems[1].Source != "environment variable CANTER_DEBUG" {
		t.Errorf("second problem = %v, want the environment's", problems[1])
	}
}

// TestFileTypeMismatches writes one wrong value per case and expects one
// problem on the right path, with the types named.
func TestFileTypeMismatches(t *testing.T) {
	tests := []struct {
		toml    string
		setting string
		message string
		fix     string
	}{
		{`DEBUG = "true"`, "DEBUG", "expected a boolean, found a string", "without quotes"},
		{`SECRET_KEY = 12345`, "SECRET_KEY", "expected a string, found an integer", "double quotes"},
		{`DATA_UPLOAD_MAX_NUMBER_FIELDS = "1000"`, "DATA_UPLOAD_MAX_NUMBER_FIELDS", "expected an integer, found a string", "whole number"},
		{`DATA_UPLOAD_MAX_MEMORY_SIZE = 2.5e6`, "DATA_UPLOAD_MAX_MEMORY_SIZE", "expected an integer, found a float", "whole number"},
		{`SESSION_COOKIE_AGE = true`, "SESSION_COOKIE_AGE", "expected a duration, found a boolean", `"336h"`},
		{`SESSION_COOKIE_AGE = 1.5`, "SESSION_COOKIE_AGE", "expected a duration, found a float", "whole seconds"},
		{`SESSION_COOKIE_AGE = "two weeks"`, "SESSION_COOKIE_AGE", "is not a duration", "whole seconds"},
		{`SESSION_COOKIE_AGE = 9223372036854775807`, "SESSION_COOKIE_AGE", "is too large for a duration", "292 years"},
		{`SESSION_COOKIE_AGE = 1979-05-27T07:32:00Z`, "SESSION_COOKIE_AGE", "found a date-time", "whole seconds"},
		{`ALLOWED_HOSTS = "example.com"`, "ALLOWED_HOSTS", "expected a list of strings, found a string", `["example.com"]`},
		{`ALLOWED_HOSTS = ["a.example", 1]`, "ALLOWED_HOSTS[1]", "expected a string, found an integer", "double quotes"},
		{`MIDDLEWARE = {security = true}`, "MIDDLEWARE", "expected a list of strings, found a table", `["a", "b"]`},
		{`SECURE_PROXY_SSL_HEADER = ["X-Forwarded-Proto"]`, "SECURE_PROXY_SSL_HEADER", "expected a pair [header, value], found a list", `["X-Forwarded-Proto", "https"]`},
		{`SECURE_PROXY_SSL_HEADER = ["X-Forwarded-Proto", 1]`, "SECURE_PROXY_SSL_HEADER", "expected a pair", "[] to unset"},
		{`SECURE_PROXY_SSL_HEADER = "X-Forwarded-Proto"`, "SECURE_PROXY_SSL_HEADER", "expected a pair [header, value], found a string", "https"},
		{`DATABASES = "sqlite"`, "DATABASES", "expected a table of tables, found a string", "[DATABASES.default], with the keys ENGINE, NAME, URL"},
		{"[DATABASES.default]\nENGINE = 1\nNAME = \"x\"", "DATABASES.default.ENGINE", "expected a string, found an integer", "double quotes"},
		{`DATABASES = {default = "x"}`, "DATABASES.default", "expected a table, found a string", "ENGINE, NAME, URL"},
		{`CACHES = ["memory"]`, "CACHES", "expected a table of tables, found a list", "[CACHES.default], with the keys BACKEND, LOCATION"},
		{`TEMPLATES = {BACKEND = "html"}`, "TEMPLATES", "expected a list of tables, found a table", "[[TEMPLATES]]"},
		{"[[TEMPLATES]]\nBACKEND = \"html\"\nAPP_DIRS = \"yes\"", "TEMPLATES[0].APP_DIRS", "expected a boolean, found a string", "true or false"},
		{"[[TEMPLATES]]\nBACKEND = \"html\"\nOPTIONS = 1", "TEMPLATES[0].OPTIONS", "expected a table, found an integer", "keys and values"},
		{"[[TEMPLATES]]\nBACKEND = \"html\"\nDIRS = \"templates\"", "TEMPLATES[0].DIRS", "expected a list of strings, found a string", `["templates"]`},
	}
	for _, tt := range tests {
		t.Run(tt.toml, func(t *testing.T) {
			file := writeFile(t, tt.toml+"\n")
			problems := loadProblems(t, Options{File: file, Env: secretEnv})
			if len(problems) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(problems), &Error{problems})
			}
			p := problems[0]
			if p.Setting != tt.setting || !strings.Contains(p.Message, tt.message) || !strings.Contains(p.Fix, tt.fix) {
				t.Errorf("problem = %q\nwant setting %s, message with %q, fix with %q", p.String(), tt.setting, tt.message, tt.fix)
			}
			if !strings.HasPrefix(p.Source, file+":") {
				t.Errorf("Source = %q, want the file and a line", p.Source)
			}
		})
	}
}

// TestAllProblemsTogether: many mistakes in one file and the environment
// come back in one error, in file order, then the environment's, then the
// validation's; a mistake is not reported twice.
func TestAllProblemsTogether(t *testing.T) {
	file := writeFile(t, `DEBUG = "no"
SESION_ENGINE = "db"
ALLOWED_HOSTS = ["a.example", 2]
SESSION_COOKIE_SAMESITE = "Lex"

[DATABASES.default]
ENGINE = "sqlite"
NAME = 7
`)
	problems := loadProblems(t, Options{File: file, Env: []string{
		"CANTER_SECRET_KEY=" + strings.Repeat("s", 50),
		"CANTER_SERVER_READ_TIMEOUT=soon",
		"CANTER_X_FRAME_OPTIONS=deny-all",
	}})
	var got []string
	for _, p := range problems {
		got = append(got, p.Setting)
	}
	want := []string{
		"DEBUG", "SESION_ENGINE", "ALLOWED_HOSTS[1]", "DATABASES.default.NAME", // the file, in order
		"SERVER_READ_TIMEOUT",                        // the environment
		"SESSION_COOKIE_SAMESITE", "X_FRAME_OPTIONS", // validation
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems for\n %v\nwant\n %v\n%v", got, want, &Error{problems})
	}
}

// TestEnvironmentOverridesRepairFile: a wrong value in the file that the
// environment replaces is still reported, but validation does not repeat it.
func TestEnvironmentOverridesRepairFile(t *testing.T) {
	file := writeFile(t, "ALLOWED_HOSTS = \"a.example\"\n")
	problems := loadProblems(t, Options{File: file, Env: []string{
		"CANTER_SECRET_KEY=" + strings.Repeat("s", 50),
		"CANTER_ALLOWED_HOSTS=b.example:80",
	}})
	if len(problems) != 2 || problems[0].Source != file+":1" || problems[1].Source != "environment variable CANTER_ALLOWED_HOSTS" ||
		problems[1].Setting != "ALLOWED_HOSTS[0]" {
		t.Errorf("problems = %v, want the file's type error and the environment's port", &Error{problems})
	}
}

func TestDidYouMean(t *testing.T) {
	tests := []struct {
		toml    string
		setting string
		fix     string
	}{
		{"SESSION_COOKIE_AGEE = 1", "SESSION_COOKIE_AGEE", "did you mean SESSION_COOKIE_AGE?"},
		{"debug = true", "debug", "did you mean DEBUG?"},
		{"ALLOWED_HOST = []", "ALLOWED_HOST", "did you mean ALLOWED_HOSTS?"},
		{"CRSF_COOKIE_NAME = \"x\"", "CRSF_COOKIE_NAME", "did you mean CSRF_COOKIE_NAME?"},
		{"STATICFILES_DIR = []", "STATICFILES_DIR", "did you mean STATICFILES_DIRS?"},
		{"SECURE_HSTS_INCLUDE_SUBDOMIANS = true", "SECURE_HSTS_INCLUDE_SUBDOMIANS", "did you mean SECURE_HSTS_INCLUDE_SUBDOMAINS?"},
		{"secure_ssl_redirect = true", "secure_ssl_redirect", "did you mean SECURE_SSL_REDIRECT?"},
		{"TIME_ZONE = \"UTC\"", "TIME_ZONE", "remove it"},
		{"LOGGING = {}", "LOGGING", "LOGGING_LEVEL and LOG_FORMAT"},
		{"MIDDLEWARE_CLASSES = []", "MIDDLEWARE_CLASSES", "MIDDLEWARE"},
		{"WSGI_APPLICATION = \"x\"", "WSGI_APPLICATION", "http.Handler"},
		{"[DATABASES.default]\nENGIN = \"sqlite\"\nNAME = \"x\"", "DATABASES.default.ENGIN", "did you mean ENGINE?"},
		{"[DATABASES.default]\nENGINE = \"postgres\"\nURL = \"postgres://db/app\"\nHOST = \"db\"", "DATABASES.default.HOST", "postgres://user:password@host:5432/name"},
		{"[CACHES.default]\nBACKEND = \"memory\"\nLOCATON = \"x\"", "CACHES.default.LOCATON", "did you mean LOCATION?"},
		{"[[TEMPLATES]]\nBACKEND = \"html\"\nDIR = [\"t\"]", "TEMPLATES[0].DIR", "did you mean DIRS?"},
	}
	for _, tt := range tests {
		t.Run(tt.setting, func(t *testing.T) {
			file := writeFile(t, tt.toml+"\n")
			problems := loadProblems(t, Options{File: file, Env: secretEnv})
			if len(problems) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(problems), &Error{problems})
			}
			p := problems[0]
			if p.Setting != tt.setting || p.Message != "is not a Canter setting" || !strings.Contains(p.Fix, tt.fix) {
				t.Errorf("problem = %q, want %s with a fix containing %q", p, tt.setting, tt.fix)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	candidates := []string{"DEBUG", "SECRET_KEY", "SESSION_COOKIE_AGE", "CSRF_COOKIE_AGE"}
	tests := []struct{ word, want string }{
		{"DEBUG", "DEBUG"},
		{"Debug", "DEBUG"},
		{"DEBGU", "DEBUG"},
		{"SECRETKEY", "SECRET_KEY"},
		{"SESSION_COOKIE_AG", "SESSION_COOKIE_AGE"},
		{"CSRF_COOKIES_AGE", "CSRF_COOKIE_AGE"},
		{"PORT", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.word, candidates); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := suggest("x", nil); got != "" {
		t.Errorf("suggest with no candidates = %q", got)
	}
}
