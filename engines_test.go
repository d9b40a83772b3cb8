package canter_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/canter-go/canter"
	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// needService skips (or, with CANTER_TEST_SERVICES=require, fails) when nothing listens at addr.
func needService(t *testing.T, name, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err == nil {
		conn.Close()
		return
	}
	msg := name + " is not reachable at " + addr + ": start it to run this test"
	if os.Getenv("CANTER_TEST_SERVICES") == "require" {
		t.Fatal(msg + " (CANTER_TEST_SERVICES=require)")
	}
	t.Skip(msg + "; set CANTER_TEST_SERVICES=require to fail instead of skipping")
}

// TestSessionEngines builds a project for every SESSION_ENGINE and checks that a value set in
// one request is read in the next, through the store the setting names.
func TestSessionEngines(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		service [2]string
		set     func(s *settings.Settings)
	}{
		{"signed_cookies", [2]string{}, func(s *settings.Settings) { s.SessionEngine = settings.SessionSignedCookies }},
		{"memory", [2]string{}, func(s *settings.Settings) { s.SessionEngine = settings.SessionMemory }},
		{"db sqlite", [2]string{}, func(s *settings.Settings) {
			s.SessionEngine = settings.SessionDB
			s.Databases = map[string]settings.Database{"default": {Engine: settings.DatabaseSQLite, Name: filepath.Join(dir, "s.sqlite3")}}
		}},
		{"cache memory", [2]string{}, func(s *settings.Settings) { s.SessionEngine = settings.SessionCache }},
		{"cached_db sqlite+memory", [2]string{}, func(s *settings.Settings) {
			s.SessionEngine = settings.SessionCachedDB
			s.Databases = map[string]settings.Database{"default": {Engine: settings.DatabaseSQLite, Name: filepath.Join(dir, "c.sqlite3")}}
		}},
		{"db postgres", [2]string{"PostgreSQL", "127.0.0.1:5432"}, func(s *settings.Settings) {
			s.SessionEngine = settings.SessionDB
			s.Databases = map[string]settings.Database{"default": {Engine: settings.DatabasePostgres, URL: "postgres://postgres@127.0.0.1:5432/test"}}
		}},
		{"cache redis", [2]string{"Redis", "127.0.0.1:6379"}, func(s *settings.Settings) {
			s.SessionEngine = settings.SessionCache
			s.Caches = map[string]settings.Cache{"default": {Backend: settings.CacheRedis, Location: "redis://127.0.0.1:6379/0"}}
		}},
		{"cached_db postgres+redis", [2]string{"Redis", "127.0.0.1:6379"}, func(s *settings.Settings) {
			s.SessionEngine = settings.SessionCachedDB
			s.Databases = map[string]settings.Database{"default": {Engine: settings.DatabasePostgres, URL: "postgres://postgres@127.0.0.1:5432/test"}}
			s.Caches = map[string]settings.Cache{"default": {Backend: settings.CacheRedis, Location: "redis://127.0.0.1:6379/0"}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.service[0] != "" {
				needService(t, tt.service[0], tt.service[1])
				if strings.Contains(tt.name, "postgres") {
					needService(t, "PostgreSQL", "127.0.0.1:5432")
				}
			}
			p := &canter.Project{
				SettingsFile: filepath.Join(dir, "none.toml"),
				Env:          []string{},
				Catalog:      &apps.Catalog{},
				Settings: func(s *settings.Settings) {
					s.Debug = true
					s.SecretKey = "canter-insecure-engines-test-0123456789-0123456789-0123456789"
					tt.set(s)
				},
				URLs: []urls.Entry{
					urls.Path("set/<str:v>", func(r *web.Request) (*web.Response, error) {
						sessions.Get(r).Set("v", r.Param("v"))
						return web.Text("ok"), nil
					}),
					urls.Path("get", func(r *web.Request) (*web.Response, error) {
						v, _ := sessions.Get(r).GetString("v")
						return web.Text(v), nil
					}),
				},
			}
			os.WriteFile(p.SettingsFile, nil, 0o644)
			site, err := p.Build()
			if err != nil {
				t.Fatal(err)
			}
			defer site.Close()
			c := cantertest.New(t, site)
			if resp := c.Get("/set/hello"); resp.StatusCode != 200 || c.Cookie("sessionid") == nil {
				t.Fatalf("set: %d %s, cookie %v", resp.StatusCode, resp.Text(), c.Cookie("sessionid"))
			}
			if got := c.Get("/get").Text(); got != "hello" {
				t.Errorf("the next request reads %q", got)
			}
			store, err := site.SessionStore()
			if err != nil {
				t.Fatal(err)
			}
			if tt.name != "signed_cookies" {
				if _, err := store.Load(t.Context(), c.Cookie("sessionid").Value); err != nil {
					t.Errorf("the store does not hold the session: %v", err)
				}
			}
		})
	}
}
