package sessions_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/web"
)

var djangoKey = regexp.MustCompile(`^[a-z0-9]{32}$`)

// cookieOutcome is what a response did to the session cookie.
type cookieOutcome int

const (
	noCookie cookieOutcome = iota // no Set-Cookie for the session
	sameKey                       // set, with the key the browser sent
	newKey                        // set, with a fresh Django-style key
	deleted                       // deleted (empty value, Max-Age=0)
)

func (o cookieOutcome) String() string {
	return [...]string{"no cookie", "same key", "new key", "deleted"}[o]
}

// TestDjangoRules pins SessionMiddleware.process_response: when the session is saved, when its
// cookie is set or deleted, when Vary: Cookie is added, and which store calls that costs.
func TestDjangoRules(t *testing.T) {
	const (
		none    = iota // the browser sends no cookie
		live           // the key of a stored session
		unknown        // a well-formed key that names no session
		short          // a value shorter than 8 characters
		odd            // a long value that cannot be a key
	)
	tests := []struct {
		name   string
		send   int
		every  bool // SaveEveryRequest
		path   string
		cookie cookieOutcome
		vary   bool
		calls  [4]int32 // loads, creates, updates, deletes
		status int
	}{
		{"no cookie, untouched", none, false, "/none/", noCookie, false, [4]int32{}, 200},
		{"no cookie, read", none, false, "/get/?k=a", noCookie, true, [4]int32{}, 200},
		{"no cookie, set", none, false, "/set/?k=a&v=1", newKey, true, [4]int32{0, 1, 0, 0}, 200},
		{"no cookie, flush", none, false, "/flush/", noCookie, true, [4]int32{}, 200},
		{"no cookie, set then fail", none, false, "/fail/", noCookie, true, [4]int32{}, 500},
		{"live, untouched", live, false, "/none/", noCookie, false, [4]int32{}, 200},
		{"live, read", live, false, "/get/?k=a", noCookie, true, [4]int32{1, 0, 0, 0}, 200},
		{"live, set", live, false, "/set/?k=b&v=2", sameKey, true, [4]int32{1, 0, 1, 0}, 200},
		{"live, delete a key", live, false, "/delete/?k=a", sameKey, true, [4]int32{1, 0, 1, 0}, 200},
		{"live, delete a missing key", live, false, "/delete/?k=zz", noCookie, true, [4]int32{1, 0, 0, 0}, 200},
		{"live, clear (the key stays)", live, false, "/clear/", sameKey, true, [4]int32{1, 0, 1, 0}, 200},
		{"live, flush", live, false, "/flush/", deleted, true, [4]int32{0, 0, 0, 1}, 200},
		{"live, set with a 404", live, false, "/status/404/", sameKey, true, [4]int32{1, 0, 1, 0}, 404},
		{"live, set with a 499", live, false, "/status/499/", sameKey, true, [4]int32{1, 0, 1, 0}, 499},
		{"live, set with a 500", live, false, "/status/500/", noCookie, true, [4]int32{1, 0, 0, 0}, 500},
		{"live, set with a 503", live, false, "/status/503/", noCookie, true, [4]int32{1, 0, 0, 0}, 503},
		{"live, set then the view fails", live, false, "/fail/", noCookie, true, [4]int32{1, 0, 0, 0}, 500},
		{"unknown, untouched", unknown, false, "/none/", noCookie, false, [4]int32{}, 200},
		{"unknown, read", unknown, false, "/get/?k=a", deleted, true, [4]int32{1, 0, 0, 0}, 200},
		{"unknown, set", unknown, false, "/set/?k=a&v=1", newKey, true, [4]int32{1, 1, 0, 0}, 200},
		{"short, untouched", short, false, "/none/", deleted, true, [4]int32{}, 200},
		{"short, set", short, false, "/set/?k=a&v=1", newKey, true, [4]int32{0, 1, 0, 0}, 200},
		{"odd, read (never looked up)", odd, false, "/get/?k=a", deleted, true, [4]int32{}, 200},
		{"odd, set", odd, false, "/set/?k=a&v=1", newKey, true, [4]int32{0, 1, 0, 0}, 200},
		{"every: no cookie, untouched", none, true, "/none/", noCookie, false, [4]int32{}, 200},
		{"every: live, untouched", live, true, "/none/", sameKey, false, [4]int32{1, 0, 1, 0}, 200},
		{"every: live, read", live, true, "/get/?k=a", sameKey, true, [4]int32{1, 0, 1, 0}, 200},
		{"every: live, untouched, 500", live, true, "/status/500/", noCookie, true, [4]int32{1, 0, 0, 0}, 500},
		{"every: unknown, untouched", unknown, true, "/none/", deleted, true, [4]int32{1, 0, 0, 0}, 200},
		{"every: no cookie, set", none, true, "/set/?k=a&v=1", newKey, true, [4]int32{0, 1, 0, 0}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, sessions.Config{SaveEveryRequest: tt.every})
			var sent string
			switch tt.send {
			case live:
				sent = s.seed(map[string]string{"a": `"1"`})
			case unknown:
				sent = "unknownkey00000000000000000000ab"
			case short:
				sent = "abc"
			case odd:
				sent = "NOT-A-KEY-BUT-LONG-ENOUGH"
			}
			if tt.send != none {
				s.client.SetCookie(&http.Cookie{Name: "sessionid", Value: sent})
			}
			s.store.calls()
			resp := s.client.Get(tt.path)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tt.status, resp.Text())
			}
			got := outcome(t, resp, sent)
			if got != tt.cookie {
				t.Errorf("cookie: %v, want %v (Set-Cookie %q)", got, tt.cookie, resp.Header.Values("Set-Cookie"))
			}
			if vary := resp.Header.Get("Vary") == "Cookie"; vary != tt.vary {
				t.Errorf("Vary %q, want Cookie: %v", resp.Header.Get("Vary"), tt.vary)
			}
			if calls := s.store.calls(); calls != tt.calls {
				t.Errorf("store calls (loads, creates, updates, deletes) = %v, want %v", calls, tt.calls)
			}
			if tt.send == unknown || tt.send == odd || tt.send == short {
				for _, line := range resp.Header.Values("Set-Cookie") {
					if strings.Contains(line, sent) {
						t.Errorf("the client's key %q was adopted: %q", sent, line)
					}
				}
			}
		})
	}
}

// outcome classifies the session cookie of resp.
func outcome(t *testing.T, resp *cantertest.Response, sent string) cookieOutcome {
	t.Helper()
	lines := resp.Header.Values("Set-Cookie")
	if len(lines) == 0 {
		return noCookie
	}
	if len(lines) > 1 {
		t.Fatalf("%d Set-Cookie headers: %q", len(lines), lines)
	}
	c := resp.Cookie("sessionid")
	switch {
	case c == nil:
		t.Fatalf("Set-Cookie for another cookie: %q", lines)
	case c.Value == "" && c.MaxAge < 0:
		return deleted
	case c.Value == sent:
		return sameKey
	case djangoKey.MatchString(c.Value):
		return newKey
	}
	t.Fatalf("unexpected session cookie %q", lines)
	return noCookie
}

func TestSavedValuesAndMerge(t *testing.T) {
	s := newSite(t, sessions.Config{})
	key := s.seed(map[string]string{"a": `"1"`, "b": `"2"`})
	s.client.SetCookie(&http.Cookie{Name: "sessionid", Value: key})
	s.client.Get("/set/?k=c&v=3")
	s.client.Get("/delete/?k=a")
	want := map[string]string{"b": `"2"`, "c": `"3"`}
	if got := s.stored(key); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stored %v, want %v", got, want)
	}
	// A request that saw "b" clears the session; the clear drops keys saved meanwhile too.
	s.client.Get("/clear/")
	if got := s.stored(key); len(got) != 0 {
		t.Fatalf("after clear: stored %v, want nothing", got)
	}
}

// TestConcurrentRequestsMerge sends many requests of one browser at once, each setting its own
// key: with Django's last-writer-wins most would be lost.
func TestConcurrentRequestsMerge(t *testing.T) {
	s := newSite(t, sessions.Config{})
	key := s.seed(map[string]string{"shared": `"yes"`})
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest("GET", fmt.Sprintf("/set/?k=tab%02d&v=%d", i, i), nil)
			req.AddCookie(&http.Cookie{Name: "sessionid", Value: key})
			rec := httptest.NewRecorder()
			s.h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Errorf("request %d: status %d", i, rec.Code)
			}
		}()
	}
	wg.Wait()
	got := s.stored(key)
	if len(got) != n+1 {
		t.Fatalf("stored %d keys after %d concurrent requests, want %d: %v", len(got), n, n+1, got)
	}
	for i := range n {
		if v := got[fmt.Sprintf("tab%02d", i)]; v != fmt.Sprintf(`"%d"`, i) {
			t.Errorf("tab%02d = %s, want \"%d\"", i, v, i)
		}
	}
}

func TestCookieAttributes(t *testing.T) {
	tests := []struct {
		name   string
		cfg    sessions.Config
		secure bool // the request comes over HTTPS
		check  func(t *testing.T, c *http.Cookie, line string)
	}{
		{"Django's defaults", sessions.Config{}, false, func(t *testing.T, c *http.Cookie, line string) {
			want(t, line, c.Name == "sessionid", c.Path == "/", c.Domain == "", c.HttpOnly, !c.Secure,
				c.SameSite == http.SameSiteLaxMode, c.MaxAge == 1209600,
				c.RawExpires == "Tue, 28 Nov 2023 22:13:20 GMT")
		}},
		{"settings", sessions.Config{
			CookieName: "sid", CookieDomain: ".example.com", CookiePath: "/app/", CookieSecure: true,
			CookieNoHTTPOnly: true, CookieSameSite: http.SameSiteStrictMode, CookieAge: time.Hour,
		}, false, func(t *testing.T, c *http.Cookie, line string) {
			want(t, line, c.Name == "sid", c.Path == "/app/", c.Domain == "example.com", !c.HttpOnly, c.Secure,
				c.SameSite == http.SameSiteStrictMode, c.MaxAge == 3600,
				c.RawExpires == "Tue, 14 Nov 2023 23:13:20 GMT")
		}},
		{"no SameSite attribute", sessions.Config{CookieSameSite: http.SameSiteDefaultMode}, false,
			func(t *testing.T, c *http.Cookie, line string) {
				want(t, line, !strings.Contains(line, "SameSite"))
			}},
		{"SameSite None", sessions.Config{CookieSameSite: http.SameSiteNoneMode, CookieSecure: true}, false,
			func(t *testing.T, c *http.Cookie, line string) {
				want(t, line, c.SameSite == http.SameSiteNoneMode, c.Secure)
			}},
		{"Secure over HTTPS", sessions.Config{}, true, func(t *testing.T, c *http.Cookie, line string) {
			want(t, line, c.Secure)
		}},
		{"expire at browser close", sessions.Config{ExpireAtBrowserClose: true}, false,
			func(t *testing.T, c *http.Cookie, line string) {
				want(t, line, c.MaxAge == 0, c.RawExpires == "", !strings.Contains(line, "Max-Age"))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.cfg)
			s.client.Secure = tt.secure
			resp := s.client.Get("/app/set/?k=a&v=1")
			if resp.StatusCode == 404 {
				resp = s.client.Get("/set/?k=a&v=1")
			}
			lines := resp.Header.Values("Set-Cookie")
			if len(lines) != 1 {
				t.Fatalf("Set-Cookie = %q, want one cookie", lines)
			}
			c, err := http.ParseSetCookie(lines[0])
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c, lines[0])
		})
	}
}

func want(t *testing.T, line string, conds ...bool) {
	t.Helper()
	for i, ok := range conds {
		if !ok {
			t.Errorf("condition %d fails for Set-Cookie %q", i+1, line)
		}
	}
}

func TestDeletedCookie(t *testing.T) {
	s := newSite(t, sessions.Config{CookieDomain: "example.com", CookiePath: "/", CookieSameSite: http.SameSiteStrictMode})
	key := s.seed(map[string]string{"a": `1`})
	req := httptest.NewRequest("GET", "/flush/", nil)
	req.AddCookie(&http.Cookie{Name: "sessionid", Value: key})
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	// Django: sessionid=""; Domain=example.com; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Strict
	line := rec.Header().Get("Set-Cookie")
	for _, part := range []string{"sessionid=", "Domain=example.com", "Expires=Thu, 01 Jan 1970 00:00:00 GMT", "Max-Age=0", "Path=/", "SameSite=Strict"} {
		if !strings.Contains(line, part) {
			t.Errorf("deleting cookie %q lacks %q", line, part)
		}
	}
	if s.stored(key) != nil {
		t.Error("Flush left the session in the store")
	}
}

func TestVaryIsPatched(t *testing.T) {
	s := newSite(t, sessions.Config{})
	resp := s.client.Get("/vary/")
	if got := resp.Header.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding, Cookie" {
		t.Fatalf("Vary = %q, want [\"Accept-Encoding, Cookie\"]", got)
	}
}

func TestExpiry(t *testing.T) {
	tests := []struct {
		name       string
		cfg        sessions.Config
		query      string
		maxAge     int    // 0: no Max-Age
		stored     string // the _session_expiry value kept in the session; "" for none
		storeUntil time.Duration
	}{
		{"default", sessions.Config{}, "default", 1209600, "", 1209600 * time.Second},
		{"seconds", sessions.Config{}, "age=300s", 300, "300", 300 * time.Second},
		{"zero: browser close", sessions.Config{}, "age=0s", 0, "0", 1209600 * time.Second},
		{"a date", sessions.Config{}, "at=1h", 3600, `"2023-11-14T23:13:20+00:00"`, time.Hour},
		{"a date with microseconds", sessions.Config{}, "at=1h0m0.5s", 3600, `"2023-11-14T23:13:20.500000+00:00"`, time.Hour + time.Second/2},
		{"browser close by setting", sessions.Config{ExpireAtBrowserClose: true}, "default", 0, "", 1209600 * time.Second},
		{"own age beats browser close", sessions.Config{ExpireAtBrowserClose: true}, "age=60s", 60, "60", time.Minute},
		{"custom CookieAge", sessions.Config{CookieAge: 2 * time.Hour}, "default", 7200, "", 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.cfg)
			resp := s.client.Get("/expiry/?" + tt.query)
			c := resp.Cookie("sessionid")
			if c == nil {
				t.Fatalf("no session cookie: %q", resp.Header.Values("Set-Cookie"))
			}
			if c.MaxAge != tt.maxAge {
				t.Errorf("Max-Age %d, want %d", c.MaxAge, tt.maxAge)
			}
			if tt.maxAge == 0 && c.RawExpires != "" {
				t.Errorf("a browser-session cookie has Expires %q", c.RawExpires)
			}
			if tt.maxAge != 0 {
				wantExp := time.Unix(1700000000, 0).Add(time.Duration(tt.maxAge) * time.Second).UTC().Format(http.TimeFormat)
				if c.RawExpires != wantExp {
					t.Errorf("Expires %q, want %q", c.RawExpires, wantExp)
				}
			}
			got := s.stored(c.Value)
			if got[sessions.ExpiryKey] != tt.stored {
				t.Errorf("%s = %q, want %q", sessions.ExpiryKey, got[sessions.ExpiryKey], tt.stored)
			}
			rec, err := s.mem.Load(t.Context(), c.Value)
			if err != nil {
				t.Fatal(err)
			}
			if w := time.Unix(1700000000, 0).Add(tt.storeUntil); !rec.Expiry.Equal(w) {
				t.Errorf("store expiry %v, want %v", rec.Expiry, w)
			}
		})
	}
}

// TestExpiryIsHonoured checks that the store forgets a session at its expiry and that the
// middleware then starts a new one.
func TestExpiryIsHonoured(t *testing.T) {
	s := newSite(t, sessions.Config{})
	s.client.Get("/expiry/?age=60s")
	s.client.Get("/set/?k=a&v=1")
	old := s.client.Cookie("sessionid").Value
	s.clock.Add(59 * time.Second)
	if got := s.client.Get("/get/?k=a").Text(); got != "1" {
		t.Fatalf("before expiry: %q, want 1", got)
	}
	s.clock.Add(2 * time.Second)
	resp := s.client.Get("/get/?k=a")
	if resp.Text() != "" || outcome(t, resp, old) != deleted {
		t.Fatalf("after expiry: %q, cookie %q; want an empty session whose cookie is deleted", resp.Text(), resp.Header.Values("Set-Cookie"))
	}
}

func TestCycleKey(t *testing.T) {
	s := newSite(t, sessions.Config{})
	s.client.Get("/set/?k=cart&v=3+apples")
	before := s.client.Cookie("sessionid").Value
	resp := s.client.Get("/login/?user=42")
	after := resp.Cookie("sessionid")
	if after == nil || after.Value == before || !djangoKey.MatchString(after.Value) {
		t.Fatalf("login set cookie %q; want a new key replacing %q", resp.Header.Values("Set-Cookie"), before)
	}
	if s.stored(before) != nil {
		t.Error("the old key still names a session")
	}
	got := s.stored(after.Value)
	if got["cart"] != `"3 apples"` || got["_auth_user_id"] != `"42"` {
		t.Errorf("new session holds %v; want the cart kept and the user id added", got)
	}
	// The old key, replayed by an attacker who planted it, opens nothing.
	s.client.SetCookie(&http.Cookie{Name: "sessionid", Value: before})
	if body := s.client.Get("/get/?k=_auth_user_id").Text(); body != "" {
		t.Errorf("the old key still reads the user id %q", body)
	}
}

func TestCycleKeyOfNewSession(t *testing.T) {
	s := newSite(t, sessions.Config{})
	resp := s.client.Get("/login/?user=7")
	c := resp.Cookie("sessionid")
	if c == nil || !djangoKey.MatchString(c.Value) {
		t.Fatalf("Set-Cookie %q", resp.Header.Values("Set-Cookie"))
	}
	if got := s.stored(c.Value); got["_auth_user_id"] != `"7"` {
		t.Errorf("stored %v", got)
	}
}

// TestInterrupted deletes the session while a request that changes it runs.
func TestInterrupted(t *testing.T) {
	s := newSite(t, sessions.Config{})
	key := s.seed(map[string]string{"a": `1`})
	view := s.mw.Wrap(func(r *web.Request) (*web.Response, error) {
		sess := sessions.Get(r)
		sess.Has("a")                  // loads the session
		s.mem.Delete(r.Context(), key) // a logout in another tab
		sess.Set("b", 2)
		return web.Text("ok"), nil
	})
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(&http.Cookie{Name: "sessionid", Value: key})
	resp, err := view(web.NewRequest(req, nil))
	var e *web.Error
	if !errors.As(err, &e) || e.Status != 400 || e.Message != sessions.InterruptedMessage {
		t.Fatalf("got %v, %v; want a 400 *web.Error with Django's message", resp, err)
	}
	if s.stored(key) != nil {
		t.Fatal("the interrupted request brought the deleted session back")
	}

	// Through the gateway: a 400 answer that does not set the cookie again.
	key = s.seed(map[string]string{"a": `1`})
	s.client.SetCookie(&http.Cookie{Name: "sessionid", Value: key})
	r := s.client.Get("/interrupt/")
	if r.StatusCode != 400 || len(r.Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("status %d, Set-Cookie %q; want 400 and no cookie", r.StatusCode, r.Header.Values("Set-Cookie"))
	}
	if err := s.lastErr(); err == nil || !strings.Contains(err.Error(), sessions.InterruptedMessage) {
		t.Fatalf("request error %v, want Django's message", err)
	}
	if s.stored(key) != nil {
		t.Fatal("the interrupted request brought the deleted session back")
	}
}

func TestStoreDown(t *testing.T) {
	for _, plain := range []bool{false, true} {
		t.Run(fmt.Sprintf("plain error %v", plain), func(t *testing.T) {
			s := newSite(t, sessions.Config{})
			s.store.plainErrors = plain
			key := s.seed(map[string]string{"a": `"1"`})
			s.client.SetCookie(&http.Cookie{Name: "sessionid", Value: key})
			s.store.down.Store(true)
			for _, path := range []string{"/get/?k=a", "/set/?k=b&v=2", "/flush/", "/login/?user=1", "/nethttp/"} {
				resp := s.client.Get(path)
				if resp.StatusCode != 503 {
					t.Errorf("%s with the store down: status %d, want 503", path, resp.StatusCode)
				}
				if len(resp.Header.Values("Set-Cookie")) != 0 {
					t.Errorf("%s with the store down set %q", path, resp.Header.Values("Set-Cookie"))
				}
				if err := s.lastErr(); web.StatusOf(err) != 503 {
					t.Errorf("%s: request error %v, want a 503", path, err)
				}
			}
			logs := s.logs.String()
			wantStore, wantAddr := "store=fake", "addr=127.0.0.1:6390"
			if plain {
				wantStore, wantAddr = "store=*sessions_test.countingStore", "connection refused"
			}
			if !strings.Contains(logs, wantStore) || !strings.Contains(logs, wantAddr) {
				t.Errorf("the log does not name the store and its address:\n%s", logs)
			}
			if strings.Contains(logs, "panic") {
				t.Errorf("the log reports a panic:\n%s", logs)
			}

			// The store comes back: the site recovers by itself.
			s.store.down.Store(false)
			if resp := s.client.Get("/get/?k=a"); resp.StatusCode != 200 || resp.Text() != "1" {
				t.Fatalf("after recovery: %d %q, want 200 \"1\"", resp.StatusCode, resp.Text())
			}
		})
	}
}

func TestStoreDownOnSave(t *testing.T) {
	s := newSite(t, sessions.Config{})
	view := s.mw.Wrap(func(r *web.Request) (*web.Response, error) {
		sess := sessions.Get(r)
		sess.Set("a", 1) // no cookie: nothing to load
		s.store.down.Store(true)
		return web.Text("ok"), nil
	})
	_, err := view(web.NewRequest(httptest.NewRequest("GET", "/", nil), nil))
	var se *sessions.StoreError
	if web.StatusOf(err) != 503 || !errors.As(err, &se) || se.Op != "create" {
		t.Fatalf("err = %v, want a 503 wrapping the store's *StoreError", err)
	}
}

func TestLoadReturnsTheError(t *testing.T) {
	s := newSite(t, sessions.Config{})
	key := s.seed(map[string]string{"a": `1`})
	s.store.down.Store(true)
	view := s.mw.Wrap(func(r *web.Request) (*web.Response, error) {
		if err := sessions.Get(r).Load(); err != nil {
			return nil, err
		}
		return web.Text("loaded"), nil
	})
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(&http.Cookie{Name: "sessionid", Value: key})
	if _, err := view(web.NewRequest(req, nil)); web.StatusOf(err) != 503 {
		t.Fatalf("Load with the store down = %v, want a 503 error", err)
	}
}

func TestUnencodableValue(t *testing.T) {
	s := newSite(t, sessions.Config{})
	view := s.mw.Wrap(func(r *web.Request) (*web.Response, error) {
		sess := sessions.Get(r)
		sess.Set("ok", 1)
		sess.Set("callback", func() {})
		return web.Text("ok"), nil
	})
	_, err := view(web.NewRequest(httptest.NewRequest("GET", "/", nil), nil))
	if err == nil || web.StatusOf(err) != 500 || !strings.Contains(err.Error(), `"callback"`) {
		t.Fatalf("err = %v, want a 500 naming the key", err)
	}
	if n := s.store.creates.Load(); n != 0 {
		t.Fatalf("%d creates: a session with a value that cannot be stored was saved", n)
	}
}

func TestNetHTTPHandler(t *testing.T) {
	s := newSite(t, sessions.Config{})
	for i := 1; i <= 3; i++ {
		resp := s.client.Get("/nethttp/")
		if resp.StatusCode != 200 || resp.Text() != "net/http" {
			t.Fatalf("status %d %q", resp.StatusCode, resp.Text())
		}
		if i == 1 && (resp.Cookie("sessionid") == nil || resp.Header.Get("Vary") != "Cookie") {
			t.Fatalf("first request: Set-Cookie %q, Vary %q", resp.Header.Values("Set-Cookie"), resp.Header.Get("Vary"))
		}
	}
	if got := s.stored(s.client.Cookie("sessionid").Value); got["n"] != "3" {
		t.Fatalf("stored %v, want n = 3", got)
	}
}

func TestConfigErrors(t *testing.T) {
	_, err := sessions.New(sessions.Config{
		CookieName:     "bad name",
		CookieAge:      -time.Second,
		CookiePath:     "app",
		CookieSameSite: http.SameSiteNoneMode,
	})
	if err == nil {
		t.Fatal("New accepted a bad config")
	}
	for _, setting := range []string{"Config.Store", "SESSION_COOKIE_NAME", "SESSION_COOKIE_AGE", "SESSION_COOKIE_PATH", "SESSION_COOKIE_SAMESITE"} {
		if !strings.Contains(err.Error(), setting) {
			t.Errorf("the error does not mention %s:\n%v", setting, err)
		}
	}
}

func TestGetWithoutMiddleware(t *testing.T) {
	defer func() {
		p := recover()
		if err, ok := p.(error); !ok || !strings.Contains(err.Error(), "sessions.New") {
			t.Fatalf("panic %v, want an error explaining the middleware is missing", p)
		}
	}()
	sessions.Get(web.NewRequest(httptest.NewRequest("GET", "/", nil), nil))
}

// existsStore says ErrExists to the first n creates.
type existsStore struct {
	sessions.Store
	refuse int
	keys   []string
}

func (s *existsStore) Create(ctx context.Context, key string, rec sessions.Record) error {
	s.keys = append(s.keys, key)
	if len(s.keys) <= s.refuse {
		return sessions.ErrExists
	}
	return s.Store.Create(ctx, key, rec)
}

func TestKeysAreRedrawn(t *testing.T) {
	store := &existsStore{Store: memstore.New(), refuse: 3}
	s := newSite(t, sessions.Config{Store: store})
	resp := s.client.Get("/set/?k=a&v=1")
	c := resp.Cookie("sessionid")
	if c == nil || len(store.keys) != 4 || c.Value != store.keys[3] {
		t.Fatalf("cookie %v after creates of %q; want the fourth key", c, store.keys)
	}
	seen := map[string]bool{}
	for _, k := range store.keys {
		if !djangoKey.MatchString(k) || seen[k] {
			t.Fatalf("keys %q: want distinct 32-character a-z0-9 keys", store.keys)
		}
		seen[k] = true
	}

	// A store that never accepts a key is broken: 503, not an endless loop.
	broken := &existsStore{Store: memstore.New(), refuse: 1 << 30}
	s = newSite(t, sessions.Config{Store: broken})
	if resp := s.client.Get("/set/?k=a&v=1"); resp.StatusCode != 503 {
		t.Fatalf("status %d with a store that refuses every key, want 503", resp.StatusCode)
	}
}

func TestNewKeysAreRandom(t *testing.T) {
	counts := map[rune]int{}
	s := newSite(t, sessions.Config{})
	const n = 300
	for range n {
		s.client.ClearCookies()
		key := s.client.Get("/set/?k=a&v=1").Cookie("sessionid").Value
		for _, c := range key {
			counts[c]++
		}
	}
	// 9600 characters over 36 symbols: about 267 each. A symbol seen under 150 or over 400
	// times would mean a biased draw (the chance of it by luck is negligible).
	if len(counts) != 36 {
		t.Fatalf("%d distinct characters in %d keys, want 36", len(counts), n)
	}
	for c, k := range counts {
		if k < 150 || k > 400 {
			t.Errorf("character %q drawn %d times of %d", c, k, n*32)
		}
	}
}

func TestNetHTTPHandlerInterrupted(t *testing.T) {
	s := newSite(t, sessions.Config{})
	key := s.seed(map[string]string{"n": `1`})
	s.client.SetCookie(&http.Cookie{Name: "sessionid", Value: key})
	resp := s.client.Get("/nethttp-interrupt/")
	if resp.StatusCode != 400 || len(resp.Header.Values("Set-Cookie")) != 0 || strings.Contains(resp.Text(), "net/http") {
		t.Fatalf("status %d, Set-Cookie %q, body %q; want 400, no cookie and not the handler's body",
			resp.StatusCode, resp.Header.Values("Set-Cookie"), resp.Text())
	}
	if err := s.lastErr(); err == nil || !strings.Contains(err.Error(), sessions.InterruptedMessage) {
		t.Fatalf("request error %v", err)
	}
}

// TestSessionFromGoroutines uses one session from several goroutines of a view.
func TestSessionFromGoroutines(t *testing.T) {
	s := newSite(t, sessions.Config{})
	resp, err := s.within("", func(sess *sessions.Session) {
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sess.Set(fmt.Sprint("k", i), i)
				sess.Has("k0")
				sess.Keys()
			}()
		}
		wg.Wait()
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.stored(resp.Cookie("sessionid").Value); len(got) != 8 {
		t.Fatalf("stored %v, want 8 keys", got)
	}
}

func TestLongCookieSettingsAreChecked(t *testing.T) {
	s := newSite(t, sessions.Config{CookiePath: "/" + strings.Repeat("p", 4100)})
	_, err := s.within("", func(sess *sessions.Session) { sess.Set("a", 1) })
	if err == nil || !strings.Contains(err.Error(), "SESSION_COOKIE_PATH") {
		t.Fatalf("err = %v, want the cookie refused, naming the settings", err)
	}
}
