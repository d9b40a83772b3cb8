package sessions_test

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/web"
)

// within runs f on the session of a request that carries key (none when empty), through the
// middleware, and returns the response.
func (s *site) within(key string, f func(sess *sessions.Session)) (*web.Response, error) {
	s.t.Helper()
	view := s.mw.Wrap(func(r *web.Request) (*web.Response, error) {
		f(sessions.Get(r))
		return web.Text("ok"), nil
	})
	req := httptest.NewRequest("GET", "/", nil)
	if key != "" {
		req.AddCookie(&http.Cookie{Name: "sessionid", Value: key})
	}
	return view(web.NewRequest(req, nil))
}

func TestFlags(t *testing.T) {
	tests := []struct {
		name               string
		do                 func(s *sessions.Session)
		accessed, modified bool
	}{
		{"nothing", func(s *sessions.Session) {}, false, false},
		{"Key does not load", func(s *sessions.Session) { s.Key() }, false, false},
		{"IsEmpty does not load", func(s *sessions.Session) { s.IsEmpty() }, false, false},
		{"GetString", func(s *sessions.Session) { s.GetString("a") }, true, false},
		{"Has", func(s *sessions.Session) { s.Has("zz") }, true, false},
		{"Keys", func(s *sessions.Session) { s.Keys() }, true, false},
		{"Set", func(s *sessions.Session) { s.Set("b", 1) }, true, true},
		{"Delete of a key", func(s *sessions.Session) { s.Delete("a") }, true, true},
		{"Delete of a missing key", func(s *sessions.Session) { s.Delete("zz") }, true, false},
		{"Pop of a key", func(s *sessions.Session) { s.PopString("a") }, true, true},
		{"Pop of a missing key", func(s *sessions.Session) { s.PopString("zz") }, true, false},
		{"Clear", func(s *sessions.Session) { s.Clear() }, true, true},
		{"MarkModified", func(s *sessions.Session) { s.MarkModified() }, true, true},
		{"ExpiryAge", func(s *sessions.Session) { s.ExpiryAge() }, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, sessions.Config{})
			key := s.seed(map[string]string{"a": `"x"`})
			var accessed, modified bool
			if _, err := s.within(key, func(sess *sessions.Session) {
				tt.do(sess)
				accessed, modified = sess.Accessed(), sess.Modified()
			}); err != nil {
				t.Fatal(err)
			}
			if accessed != tt.accessed || modified != tt.modified {
				t.Fatalf("accessed %v, modified %v; want %v, %v", accessed, modified, tt.accessed, tt.modified)
			}
		})
	}
}

func TestGetters(t *testing.T) {
	s := newSite(t, sessions.Config{})
	key := s.seed(map[string]string{
		"s": `"caf\u00e9 \"q\""`, "plain": `"abc"`, "n": `42`, "f": `1.5`, "b": `true`, "no": `false`,
		"list": `[1,2,3]`, "obj": `{"name":"bob","age":7}`, "_auth_user_id": `"42"`,
	})
	type person struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	s.within(key, func(sess *sessions.Session) {
		if v, ok := sess.GetString("s"); !ok || v != `café "q"` {
			t.Errorf("GetString(s) = %q, %v", v, ok)
		}
		if v, ok := sess.GetString("plain"); !ok || v != "abc" {
			t.Errorf("GetString(plain) = %q, %v", v, ok)
		}
		if _, ok := sess.GetString("n"); ok {
			t.Error("GetString of a number reported ok")
		}
		if v, ok := sess.GetInt("n"); !ok || v != 42 {
			t.Errorf("GetInt(n) = %d, %v", v, ok)
		}
		if _, ok := sess.GetInt("f"); ok {
			t.Error("GetInt of 1.5 reported ok")
		}
		if _, ok := sess.GetInt("_auth_user_id"); ok {
			t.Error("GetInt of a string reported ok")
		}
		if v, ok := sess.GetBool("b"); !ok || !v {
			t.Errorf("GetBool(b) = %v, %v", v, ok)
		}
		if v, ok := sess.GetBool("no"); !ok || v {
			t.Errorf("GetBool(no) = %v, %v", v, ok)
		}
		if _, ok := sess.GetBool("missing"); ok {
			t.Error("GetBool of a missing key reported ok")
		}
		if v, ok := sessions.Value[[]int](sess, "list"); !ok || !reflect.DeepEqual(v, []int{1, 2, 3}) {
			t.Errorf("Value[[]int](list) = %v, %v", v, ok)
		}
		if v, ok := sessions.Value[person](sess, "obj"); !ok || v != (person{"bob", 7}) {
			t.Errorf("Value[person](obj) = %v, %v", v, ok)
		}
		if v, ok := sessions.Value[float64](sess, "f"); !ok || v != 1.5 {
			t.Errorf("Value[float64](f) = %v, %v", v, ok)
		}
		if _, ok := sessions.Value[int](sess, "obj"); ok {
			t.Error("Value[int] of an object reported ok")
		}
		var p person
		if found, err := sess.Get("obj", &p); !found || err != nil || p.Name != "bob" {
			t.Errorf("Get(obj) = %v, %v, %+v", found, err, p)
		}
		if found, err := sess.Get("list", &p); !found || err == nil {
			t.Errorf("Get(list) into a struct = %v, %v; want found and an error", found, err)
		}
		if found, err := sess.Get("missing", &p); found || err != nil {
			t.Errorf("Get(missing) = %v, %v", found, err)
		}
		if got := sess.Keys(); !reflect.DeepEqual(got, []string{"_auth_user_id", "b", "f", "list", "n", "no", "obj", "plain", "s"}) {
			t.Errorf("Keys() = %q", got)
		}
		if sess.Len() != 9 {
			t.Errorf("Len() = %d", sess.Len())
		}
	})
}

func TestPop(t *testing.T) {
	s := newSite(t, sessions.Config{})
	key := s.seed(map[string]string{"flash": `"Saved."`, "flashes": `[["message","hi"]]`, "n": `1`})
	s.within(key, func(sess *sessions.Session) {
		if v, ok := sess.PopString("flash"); !ok || v != "Saved." {
			t.Errorf("PopString = %q, %v", v, ok)
		}
		if v, ok := sess.PopString("flash"); ok {
			t.Errorf("second PopString = %q, %v; a flash shows once", v, ok)
		}
		if v, ok := sessions.PopValue[[][2]string](sess, "flashes"); !ok || v[0] != [2]string{"message", "hi"} {
			t.Errorf("PopValue = %v, %v", v, ok)
		}
		var n int
		if found, err := sess.Pop("n", &n); !found || err != nil || n != 1 {
			t.Errorf("Pop(n) = %v, %v, %d", found, err, n)
		}
	})
	if got := s.stored(key); len(got) != 0 {
		t.Fatalf("stored %v after popping everything", got)
	}
}

// TestSetEncodesLikeDjango checks that values are stored as Python's json.dumps writes them.
func TestSetEncodesLikeDjango(t *testing.T) {
	s := newSite(t, sessions.Config{})
	resp, err := s.within("", func(sess *sessions.Session) {
		sess.Set("é", "<>&") // the spec's example: {"é":"<>&"} → {"\u00e9":"<>&"}
		sess.Set("f", 1.0)   // Python writes 1.0
		sess.Set("m", map[string]int{"b": 1, "a": 2})
		sess.Set("later", []int{1})
	})
	if err != nil || resp.Cookie("sessionid") == nil {
		t.Fatalf("no session saved: %v", err)
	}
	got := s.stored(resp.Cookie("sessionid").Value)
	want := map[string]string{"é": `"<>&"`, "f": `1.0`, "m": `{"a":2,"b":1}`, "later": `[1]`}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("stored %v, want %v", got, want)
	}
}

// TestExpiryAPI reads expiries as Django writes them into the session.
func TestExpiryAPI(t *testing.T) {
	now := time.Unix(1700000000, 0) // 2023-11-14T22:13:20Z
	tests := []struct {
		name    string
		cfg     sessions.Config
		value   string // _session_expiry as JSON; "" for none
		age     time.Duration
		date    time.Time
		browser bool
	}{
		{"none", sessions.Config{}, "", 1209600 * time.Second, now.Add(1209600 * time.Second), false},
		{"none, browser close set", sessions.Config{ExpireAtBrowserClose: true}, "", 1209600 * time.Second, now.Add(1209600 * time.Second), true},
		{"null", sessions.Config{ExpireAtBrowserClose: true}, `null`, 1209600 * time.Second, now.Add(1209600 * time.Second), true},
		{"seconds", sessions.Config{ExpireAtBrowserClose: true}, `300`, 300 * time.Second, now.Add(300 * time.Second), false},
		{"zero", sessions.Config{}, `0`, 1209600 * time.Second, now.Add(1209600 * time.Second), true},
		{"aware date", sessions.Config{}, `"2023-11-15T22:13:20+00:00"`, 86400 * time.Second, now.Add(86400 * time.Second), false},
		{"date in another zone", sessions.Config{}, `"2023-11-15T23:13:20+01:00"`, 86400 * time.Second, now.Add(86400 * time.Second), false},
		{"naive date", sessions.Config{}, `"2023-11-15T22:13:20"`, 86400 * time.Second, now.Add(86400 * time.Second), false},
		{"date with microseconds rounds down", sessions.Config{}, `"2023-11-14T22:13:20.500000+00:00"`, 0, now.Add(time.Second / 2), false},
		{"past date rounds down as timedelta", sessions.Config{}, `"2023-11-14T22:13:18.500000+00:00"`, -2 * time.Second, now.Add(-1500 * time.Millisecond), false},
		{"custom age", sessions.Config{CookieAge: time.Hour}, "", time.Hour, now.Add(time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.cfg)
			values := map[string]string{"a": `1`}
			if tt.value != "" {
				values[sessions.ExpiryKey] = tt.value
			}
			key := s.seed(values)
			s.within(key, func(sess *sessions.Session) {
				if got := sess.ExpiryAge(); got != tt.age {
					t.Errorf("ExpiryAge() = %v, want %v", got, tt.age)
				}
				if got := sess.ExpiryDate(); !got.Equal(tt.date) {
					t.Errorf("ExpiryDate() = %v, want %v", got, tt.date)
				}
				if got := sess.ExpiresAtBrowserClose(); got != tt.browser {
					t.Errorf("ExpiresAtBrowserClose() = %v, want %v", got, tt.browser)
				}
			})
		})
	}
}

func TestFlushThenSet(t *testing.T) {
	s := newSite(t, sessions.Config{})
	key := s.seed(map[string]string{"_auth_user_id": `"1"`})
	resp, err := s.within(key, func(sess *sessions.Session) {
		if err := sess.Flush(); err != nil {
			t.Fatal(err)
		}
		if sess.Key() != "" || !sess.IsEmpty() {
			t.Fatalf("after Flush: key %q, empty %v", sess.Key(), sess.IsEmpty())
		}
		sess.Set("message", "logged out")
	})
	if err != nil {
		t.Fatal(err)
	}
	c := resp.Cookie("sessionid")
	if c == nil || c.Value == key || !djangoKey.MatchString(c.Value) {
		t.Fatalf("cookie %v; want a new key", c)
	}
	if s.stored(key) != nil {
		t.Error("Flush left the old session")
	}
	if got := s.stored(c.Value); len(got) != 1 || got["message"] != `"logged out"` {
		t.Errorf("new session holds %v", got)
	}
}
