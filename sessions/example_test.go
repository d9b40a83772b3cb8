package sessions_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// browser sends requests to h with the cookies it was given, as a browser would.
type browser struct {
	h       http.Handler
	cookies map[string]*http.Cookie
}

func (b *browser) get(path string) string {
	r := httptest.NewRequest("GET", path, nil)
	for _, c := range b.cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return strings.TrimSpace(w.Body.String())
}

func exampleSite(mw *sessions.Middleware, entries ...urls.Entry) *browser {
	router, err := urls.New(entries...)
	if err != nil {
		panic(err)
	}
	h := handler.New(handler.Config{Site: web.Site{Resolver: router}, Middleware: []web.Middleware{mw}})
	return &browser{h: h, cookies: map[string]*http.Cookie{}}
}

// A site that counts each browser's visits.
func ExampleNew() {
	mw, err := sessions.New(sessions.Config{Store: memstore.New()})
	if err != nil {
		panic(err)
	}
	b := exampleSite(mw, urls.Path("", func(r *web.Request) (*web.Response, error) {
		s := sessions.Get(r)
		n, _ := s.GetInt("visits")
		s.Set("visits", n+1)
		return web.Text(fmt.Sprintf("visit %d", n+1)), nil
	}))
	fmt.Println(b.get("/"))
	fmt.Println(b.get("/"))
	fmt.Println(b.get("/"))
	// Output:
	// visit 1
	// visit 2
	// visit 3
}

// A flash message is set by one request and shown, once, by the next.
func ExampleSession_PopString() {
	mw, _ := sessions.New(sessions.Config{Store: memstore.New()})
	b := exampleSite(mw,
		urls.Path("save/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Set("flash", "Saved.")
			return web.Text("saving"), nil
		}),
		urls.Path("", func(r *web.Request) (*web.Response, error) {
			msg, ok := sessions.Get(r).PopString("flash")
			if !ok {
				msg = "(no message)"
			}
			return web.Text(msg), nil
		}),
	)
	b.get("/save/")
	fmt.Println(b.get("/"))
	fmt.Println(b.get("/"))
	// Output:
	// Saved.
	// (no message)
}

// Logging in moves the session to a new key, so that a key planted beforehand opens nothing;
// logging out deletes the session and its cookie.
func ExampleSession_CycleKey() {
	mw, _ := sessions.New(sessions.Config{Store: memstore.New()})
	b := exampleSite(mw,
		urls.Path("cart/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Set("cart", []string{"apples"})
			return web.Text("added"), nil
		}),
		urls.Path("login/", func(r *web.Request) (*web.Response, error) {
			s := sessions.Get(r)
			if err := s.CycleKey(); err != nil {
				return nil, err // 503 when the store is down
			}
			s.Set("_auth_user_id", "42")
			return web.Text("logged in"), nil
		}),
		urls.Path("logout/", func(r *web.Request) (*web.Response, error) {
			if err := sessions.Get(r).Flush(); err != nil {
				return nil, err
			}
			return web.Text("logged out"), nil
		}),
	)
	b.get("/cart/")
	before := b.cookies["sessionid"].Value
	b.get("/login/")
	fmt.Println("new key:", b.cookies["sessionid"].Value != before)
	b.get("/logout/")
	fmt.Println("cookie kept:", b.cookies["sessionid"] != nil)
	// Output:
	// new key: true
	// cookie kept: false
}

// Value decodes a stored JSON value into any Go type.
func ExampleValue() {
	type cart struct {
		Items []string `json:"items"`
		Total int      `json:"total"`
	}
	mw, _ := sessions.New(sessions.Config{Store: memstore.New()})
	b := exampleSite(mw,
		urls.Path("add/", func(r *web.Request) (*web.Response, error) {
			sessions.Get(r).Set("cart", cart{Items: []string{"pear", "fig"}, Total: 7})
			return web.Text("added"), nil
		}),
		urls.Path("", func(r *web.Request) (*web.Response, error) {
			c, ok := sessions.Value[cart](sessions.Get(r), "cart")
			return web.Text(fmt.Sprint(c.Items, c.Total, ok)), nil
		}),
	)
	b.get("/add/")
	fmt.Println(b.get("/"))
	// Output: [pear fig] 7 true
}

// A net/http handler behind the gateway reaches the session with FromHTTP.
func ExampleFromHTTP() {
	mw, _ := sessions.New(sessions.Config{Store: memstore.New()})
	b := exampleSite(mw, urls.Path("", web.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := sessions.FromHTTP(r)
		name, ok := s.GetString("name")
		if !ok {
			name = "stranger"
			s.Set("name", "friend")
		}
		fmt.Fprintf(w, "hello, %s", name)
	})))
	fmt.Println(b.get("/"))
	fmt.Println(b.get("/"))
	// Output:
	// hello, stranger
	// hello, friend
}

// SetExpiry gives one session its own lifetime, such as a short one without "remember me".
func ExampleSession_SetExpiry() {
	mw, _ := sessions.New(sessions.Config{Store: memstore.New()})
	b := exampleSite(mw, urls.Path("", func(r *web.Request) (*web.Response, error) {
		s := sessions.Get(r)
		if r.URL.Query().Get("remember") == "" {
			s.SetExpiry(0) // the cookie ends when the browser closes
		} else {
			s.SetExpiry(30 * 24 * time.Hour)
		}
		return web.Text(fmt.Sprint(s.ExpiresAtBrowserClose(), s.ExpiryAge())), nil
	}))
	fmt.Println(b.get("/"))
	fmt.Println(b.get("/?remember=1"))
	// Output:
	// true 336h0m0s
	// false 720h0m0s
}

// ClearExpired is what the clearsessions command runs.
func ExampleClearExpired() {
	store := memstore.New()
	if err := sessions.ClearExpired(context.Background(), store); err != nil {
		fmt.Println(err)
	}
	fmt.Println("cleared")
	// Output: cleared
}
