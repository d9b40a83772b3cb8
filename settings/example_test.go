package settings_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/canter-go/canter/settings"
)

// writeSettings writes an example settings file and returns its directory.
func writeSettings(content string) string {
	dir, err := os.MkdirTemp("", "settings-example")
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "settings.toml"), []byte(content), 0o600); err != nil {
		panic(err)
	}
	return dir
}

func ExampleLoad() {
	dir := writeSettings(`
ALLOWED_HOSTS = ["example.com", ".example.com"]
SESSION_COOKIE_AGE = 3600        # seconds, as in Django
MIDDLEWARE = ["security", "sessions", "common", "csrf"]
`)
	defer os.RemoveAll(dir)

	s, err := settings.Load(settings.Options{
		File: filepath.Join(dir, "settings.toml"),
		// A program passes os.Environ(); secrets come from there.
		Env: []string{
			"CANTER_SECRET_KEY=replace-me-with-fifty-random-characters-0123456789",
			"CANTER_SESSION_COOKIE_SECURE=true",
		},
		Override: []func(*settings.Settings){
			func(s *settings.Settings) { s.SessionCookieSameSite = "Strict" },
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("hosts:", s.AllowedHosts)
	fmt.Println("session:", s.SessionCookieAge, s.SessionCookieSecure, s.SessionCookieSameSite)
	fmt.Println("middleware:", s.Middleware)
	// Output:
	// hosts: [example.com .example.com]
	// session: 1h0m0s true Strict
	// middleware: [security sessions common csrf]
}

// Every problem is reported at once, with where it came from and the fix.
func ExampleLoad_problems() {
	dir := writeSettings(`DEBUG = false
ALLOWED_HOSTS = ["example.com"]
SESION_ENGINE = "cache"
SESSION_COOKIE_SAMESITE = "Lex"
`)
	defer os.RemoveAll(dir)

	_, err := settings.Load(settings.Options{
		File: filepath.Join(dir, "settings.toml"),
		Env:  []string{"CANTER_SESSION_COOKIE_AGE=two weeks"},
	})
	var problems *settings.Error
	if errors.As(err, &problems) {
		for _, p := range problems.Problems {
			fmt.Println(strings.TrimPrefix(p.String(), dir+string(filepath.Separator)))
		}
	}
	// Output:
	// settings.toml:3: SESION_ENGINE is not a Canter setting; did you mean SESSION_ENGINE?
	// environment variable CANTER_SESSION_COOKIE_AGE: SESSION_COOKIE_AGE = "two weeks" is not a duration; write whole seconds (1209600) or a duration string such as "336h" or "1h30m"
	// default: SECRET_KEY = "" must not be empty when DEBUG is false; set the environment variable CANTER_SECRET_KEY to a long random string (50 characters or more), or turn DEBUG on for development
	// settings.toml:4: SESSION_COOKIE_SAMESITE = "Lex" is not a SameSite value; use "Lax", "Strict", "None", or "" for no attribute (did you mean "Lax"?)
}

func ExampleDefaults() {
	s := settings.Defaults()
	fmt.Println(s.SessionCookieName, s.SessionCookieAge.Seconds(), s.SessionEngine)
	fmt.Println(s.CSRFCookieName, s.CSRFCookieAge.Seconds(), s.CSRFHeaderName)
	fmt.Println(s.XFrameOptions, s.SecureReferrerPolicy, s.DataUploadMaxMemorySize)
	fmt.Println(s.Middleware)
	// Output:
	// sessionid 1.2096e+06 db
	// csrftoken 3.14496e+07 X-CSRFToken
	// DENY same-origin 2621440
	// [security sessions common csrf xframe]
}

func ExampleSettings_Validate() {
	s := settings.Defaults()
	s.SecretKey = "replace-me-with-fifty-random-characters-0123456789"
	s.AllowedHosts = []string{"example.com"}
	s.SessionEngine = settings.SessionCache
	s.SessionCacheAlias = "sessions" // not in CACHES
	s.CSRFTrustedOrigins = []string{"example.com"}
	fmt.Println(s.Validate())
	// Output:
	// settings: 2 problems:
	// 	code: SESSION_CACHE_ALIAS = "sessions" names no cache in CACHES, which SESSION_ENGINE "cache" needs; define [CACHES.sessions], or set SESSION_CACHE_ALIAS to one of "default"
	// 	code: CSRF_TRUSTED_ORIGINS[0] = "example.com" has no scheme; write the origin with its scheme (usually https:// or http://), such as "https://example.com"
}

func ExampleSettings_Masked() {
	s := settings.Defaults()
	s.SecretKey = "do-not-show-me"
	s.Databases["default"] = settings.Database{Engine: "postgres", URL: "postgres://app:hunter2@db:5432/app"}
	for _, e := range s.Masked() {
		if e.Name == "SECRET_KEY" || e.Name == "DATABASES" || e.Name == "DEBUG" {
			fmt.Println(e.Name, "=", e.Value)
		}
	}
	// Output:
	// DATABASES = {default = {ENGINE = "postgres", NAME = "", URL = "postgres://app:********************@db:5432/app"}}
	// DEBUG = false
	// SECRET_KEY = ********************
}

func ExampleIsSensitive() {
	for _, name := range []string{"SECRET_KEY", "HTTP_AUTHORIZATION", "HTTP_COOKIE", "HTTP_USER_AGENT"} {
		fmt.Println(name, settings.IsSensitive(name))
	}
	// Output:
	// SECRET_KEY true
	// HTTP_AUTHORIZATION true
	// HTTP_COOKIE true
	// HTTP_USER_AGENT false
}
