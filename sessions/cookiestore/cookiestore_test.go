package cookiestore_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/cookiestore"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// The spec's vectors (sections 5.4 and 6.3), computed by Django at t = 1700000000.
const (
	testKey = "django-insecure-test-key-0123456789"
	// signed_cookies value of {"k":"v"}
	djangoCookie = "eyJrIjoidiJ9:1r31eq:1DX78B3PHYaGU8qr6xuuJir62YDIaiEK21XG6nuTDRk"
	// db/file session_data of {"k":"v"}: the same data with another salt
	djangoDBData = "eyJrIjoidiJ9:1r31eq:-Am2ELRJ6u15baxqBPGqVmyQwV7uSoitQsB6LK8Txw8"
)

var epoch = time.Unix(1700000000, 0)

func at(t time.Time) func() time.Time { return func() time.Time { return t } }

func newStore(t testing.TB, o cookiestore.Options) *cookiestore.Store {
	t.Helper()
	s, err := cookiestore.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoadsDjangosCookie(t *testing.T) {
	s := newStore(t, cookiestore.Options{SecretKey: testKey, Now: at(epoch.Add(time.Hour))})
	rec, err := s.Load(context.Background(), djangoCookie)
	if err != nil {
		t.Fatalf("Load(Django's cookie) = %v", err)
	}
	if len(rec.Values) != 1 || string(rec.Values["k"]) != `"v"` {
		t.Fatalf("values %v, want {\"k\": \"v\"}", rec.Values)
	}
	if !rec.Expiry.Equal(epoch.Add(1209600 * time.Second)) {
		t.Errorf("expiry %v, want signing time + two weeks", rec.Expiry)
	}
}

func TestWritesDjangosCookie(t *testing.T) {
	s := newStore(t, cookiestore.Options{SecretKey: testKey, Now: at(epoch)})
	v, err := s.Encode(context.Background(), sessions.Record{Values: map[string]json.RawMessage{"k": json.RawMessage(`"v"`)}})
	if err != nil {
		t.Fatal(err)
	}
	if v != djangoCookie {
		t.Fatalf("Encode = %q, want Django's %q", v, djangoCookie)
	}
}

func TestRefuses(t *testing.T) {
	good := newStore(t, cookiestore.Options{SecretKey: testKey, Now: at(epoch.Add(time.Hour))})
	tampered := strings.Replace(djangoCookie, "eyJrIjoidiJ9", "eyJrIjoidyJ9", 1) // {"k":"w"}
	for name, value := range map[string]string{
		"the db engine's data (another salt)": djangoDBData,
		"tampered data":                       tampered,
		"no signature":                        "eyJrIjoidiJ9",
		"garbage":                             "not a cookie at all",
		"empty":                               "",
	} {
		if _, err := good.Load(context.Background(), value); !errors.Is(err, sessions.ErrNotFound) {
			t.Errorf("%s: Load = %v, want ErrNotFound", name, err)
		}
	}
	other := newStore(t, cookiestore.Options{SecretKey: "another-key", Now: at(epoch)})
	if _, err := other.Load(context.Background(), djangoCookie); !errors.Is(err, sessions.ErrNotFound) {
		t.Errorf("Load with the wrong key = %v, want ErrNotFound", err)
	}
}

func TestMaxAge(t *testing.T) {
	for _, tt := range []struct {
		name   string
		maxAge time.Duration
		after  time.Duration
		ok     bool
	}{
		{"default, at two weeks", 0, 1209600 * time.Second, true}, // Django: age > max_age fails
		{"default, past two weeks", 0, 1209601 * time.Second, false},
		{"an hour, after 59 minutes", time.Hour, 59 * time.Minute, true},
		{"an hour, after 61 minutes", time.Hour, 61 * time.Minute, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, cookiestore.Options{SecretKey: testKey, MaxAge: tt.maxAge, Now: at(epoch.Add(tt.after))})
			_, err := s.Load(context.Background(), djangoCookie)
			if ok := err == nil; ok != tt.ok {
				t.Fatalf("Load after %v = %v, want loaded: %v", tt.after, err, tt.ok)
			}
		})
	}
}

// TestOwnExpiry checks that a session's own expiry (set_expiry) is honoured.
func TestOwnExpiry(t *testing.T) {
	signer := newStore(t, cookiestore.Options{SecretKey: testKey, Now: at(epoch)})
	for _, tt := range []struct {
		name   string
		expiry string
		after  time.Duration
		ok     bool
	}{
		{"60 seconds, after 59", `60`, 59 * time.Second, true},
		{"60 seconds, after 61", `60`, 61 * time.Second, false},
		{"a month, after three weeks", `2592000`, 21 * 24 * time.Hour, true},
		{"a date, before it", `"2023-11-14T23:13:20+00:00"`, 59 * time.Minute, true},
		{"a date, after it", `"2023-11-14T23:13:20+00:00"`, 61 * time.Minute, false},
		{"browser close: the default age", `0`, 13 * 24 * time.Hour, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := signer.Encode(context.Background(), sessions.Record{Values: map[string]json.RawMessage{
				"a": json.RawMessage(`1`), sessions.ExpiryKey: json.RawMessage(tt.expiry),
			}})
			if err != nil {
				t.Fatal(err)
			}
			s := newStore(t, cookiestore.Options{SecretKey: testKey, Now: at(epoch.Add(tt.after))})
			_, err = s.Load(context.Background(), v)
			if ok := err == nil; ok != tt.ok {
				t.Fatalf("Load after %v = %v, want loaded: %v", tt.after, err, tt.ok)
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	rotated := newStore(t, cookiestore.Options{
		SecretKey: "the-new-key", FallbackKeys: []string{"an-older-key", testKey}, Now: at(epoch.Add(time.Hour)),
	})
	rec, err := rotated.Load(context.Background(), djangoCookie)
	if err != nil || string(rec.Values["k"]) != `"v"` {
		t.Fatalf("a cookie signed with a fallback key: %v, %v", rec.Values, err)
	}
	v, err := rotated.Encode(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	if v == djangoCookie {
		t.Fatal("the cookie was signed again with the old key")
	}
	newOnly := newStore(t, cookiestore.Options{SecretKey: "the-new-key", Now: at(epoch.Add(time.Hour))})
	if _, err := newOnly.Load(context.Background(), v); err != nil {
		t.Fatalf("the re-signed cookie does not load with the new key alone: %v", err)
	}
	oldOnly := newStore(t, cookiestore.Options{SecretKey: testKey, Now: at(epoch.Add(time.Hour))})
	if _, err := oldOnly.Load(context.Background(), v); err == nil {
		t.Fatal("a cookie signed with the new key loads with the old key")
	}
}

func TestCompression(t *testing.T) {
	s := newStore(t, cookiestore.Options{SecretKey: testKey, Now: at(epoch)})
	big := json.RawMessage(`"` + strings.Repeat("compressible ", 400) + `"`)
	v, err := s.Encode(context.Background(), sessions.Record{Values: map[string]json.RawMessage{"text": big}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v, ".") || len(v) > 1000 {
		t.Fatalf("a 5 KB compressible session gave a %d-byte value %.20q…; want a compressed value (\".\" prefix)", len(v), v)
	}
	rec, err := s.Load(context.Background(), v)
	if err != nil || !bytes.Equal(rec.Values["text"], big) {
		t.Fatalf("the compressed value does not load back: %v", err)
	}
}

func TestTooLarge(t *testing.T) {
	s := newStore(t, cookiestore.Options{SecretKey: testKey})
	_, err := s.Encode(context.Background(), sessions.Record{Values: map[string]json.RawMessage{"noise": noise(5000)}})
	if err == nil || !strings.Contains(err.Error(), "4096") || !strings.Contains(err.Error(), "server-side store") {
		t.Fatalf("Encode of a 5 KB session = %v, want an error naming the limit and the fix", err)
	}
}

// noise returns a hardly compressible JSON string of about n bytes, the same for the same n.
func noise(n int) json.RawMessage {
	b := make([]byte, n*3/4)
	rand.NewChaCha8([32]byte{byte(n), byte(n >> 8)}).Read(b)
	return json.RawMessage(`"` + base64.RawURLEncoding.EncodeToString(b) + `"`)
}

func TestNewErrors(t *testing.T) {
	if _, err := cookiestore.New(cookiestore.Options{}); err == nil || !strings.Contains(err.Error(), "SECRET_KEY") {
		t.Errorf("New without a key = %v", err)
	}
	if _, err := cookiestore.New(cookiestore.Options{SecretKey: "k", MaxAge: -time.Second}); err == nil {
		t.Error("New accepted a negative MaxAge")
	}
}

// site serves views through the session middleware with the cookie store.
func site(t *testing.T, store *cookiestore.Store, logs *bytes.Buffer) *cantertest.Client {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(logs, nil))
	mw, err := sessions.New(sessions.Config{Store: store, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	router, err := urls.New(
		urls.Path("set/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Set(r.QueryValue("k"), r.QueryValue("v"))
			return web.Text("set"), nil
		}),
		urls.Path("big/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Set("noise", noise(5000))
			return web.Text("big"), nil
		}),
		urls.Path("get/", func(r *web.Request) (*web.Response, error) {
			v, _ := sessions.Get(r).GetString(r.QueryValue("k"))
			return web.Text(v), nil
		}),
		urls.Path("login/", func(r *web.Request) (*web.Response, error) {
			s := sessions.Get(r)
			if err := s.CycleKey(); err != nil {
				return nil, err
			}
			s.Set("_auth_user_id", "1")
			return web.Text("in"), nil
		}),
		urls.Path("logout/", func(r *web.Request) (*web.Response, error) {
			return web.Text("out"), sessions.Get(r).Flush()
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	h := handler.New(handler.Config{
		Site:       web.Site{Resolver: router},
		Middleware: []web.Middleware{mw},
		Logger:     logger,
	})
	return cantertest.New(t, h)
}

func TestThroughTheMiddleware(t *testing.T) {
	var logs bytes.Buffer
	c := site(t, newStore(t, cookiestore.Options{SecretKey: testKey}), &logs)
	c.Get("/set/?k=user&v=ann")
	c.Get("/set/?k=theme&v=dark")
	if got := c.Get("/get/?k=user").Text(); got != "ann" {
		t.Fatalf("user = %q", got)
	}
	value := c.Cookie("sessionid").Value
	// The cookie is a Django signed_cookies value: Django's store with this key reads it.
	django := newStore(t, cookiestore.Options{SecretKey: testKey})
	rec, err := django.Load(context.Background(), value)
	if err != nil || string(rec.Values["theme"]) != `"dark"` {
		t.Fatalf("cookie %q holds %v, %v", value, rec.Values, err)
	}

	c.Get("/login/")
	if c.Cookie("sessionid").Value == value {
		t.Error("CycleKey left the cookie unchanged")
	}
	if got := c.Get("/get/?k=theme").Text(); got != "dark" {
		t.Errorf("after login the session lost its data: theme = %q", got)
	}

	resp := c.Get("/logout/")
	if ck := resp.Cookie("sessionid"); ck == nil || ck.MaxAge >= 0 {
		t.Fatalf("logout did not delete the cookie: %q", resp.Header.Values("Set-Cookie"))
	}

	// A forged cookie is an empty session, and is deleted when read.
	c.SetCookie(&http.Cookie{Name: "sessionid", Value: strings.Replace(djangoCookie, "1DX", "1DY", 1)})
	resp = c.Get("/get/?k=k")
	if resp.Text() != "" || resp.Cookie("sessionid") == nil || resp.Cookie("sessionid").MaxAge >= 0 {
		t.Fatalf("forged cookie: %q, Set-Cookie %q", resp.Text(), resp.Header.Values("Set-Cookie"))
	}
}

// TestTooLargeThroughTheMiddleware checks the 4 KB refusal: a 500 with the reason in the log,
// and no cookie at all rather than one the browser would drop.
func TestTooLargeThroughTheMiddleware(t *testing.T) {
	var logs bytes.Buffer
	c := site(t, newStore(t, cookiestore.Options{SecretKey: testKey}), &logs)
	c.Get("/set/?k=a&v=1")
	before := c.Cookie("sessionid").Value
	resp := c.Get("/big/")
	if resp.StatusCode != 500 {
		t.Fatalf("status %d, want 500", resp.StatusCode)
	}
	if n := len(resp.Header.Values("Set-Cookie")); n != 0 {
		t.Fatalf("a too-large session still set %d cookies", n)
	}
	for _, want := range []string{"4096", "server-side store", "cachedstore"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log does not say %q:\n%s", want, logs.String())
		}
	}
	if c.Cookie("sessionid").Value != before {
		t.Error("the browser's cookie changed")
	}
}

// TestCookieSizeCountsAttributes checks the limit on the whole Set-Cookie line: a value just
// under 4096 bytes does not fit once name and attributes are added.
func TestCookieSizeCountsAttributes(t *testing.T) {
	var logs bytes.Buffer
	store := newStore(t, cookiestore.Options{SecretKey: testKey})
	mw, err := sessions.New(sessions.Config{Store: store, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for n := 3000; n < 6000; n += 8 {
		v, err := store.Encode(context.Background(), sessions.Record{Values: map[string]json.RawMessage{"x": noise(n)}})
		// Name and attributes add about 100 bytes: "sessionid=", Path, Expires, Max-Age, HttpOnly, SameSite.
		if err == nil && len(v) > 4000 && len(v) <= 4096 {
			size = n
			break
		}
	}
	if size == 0 {
		t.Fatal("could not make a value of 4000 to 4096 bytes")
	}
	view := mw.Wrap(func(r *web.Request) (*web.Response, error) {
		sessions.Get(r).Set("x", noise(size))
		return web.Text("ok"), nil
	})
	_, err = view(web.NewRequest(httptestRequest(), nil))
	if err == nil || !strings.Contains(err.Error(), "4096") {
		t.Fatalf("err = %v, want the cookie refused", err)
	}
}
