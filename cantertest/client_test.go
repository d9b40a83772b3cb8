package cantertest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/canter-go/canter"
	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/web"
)

func site() *canter.App {
	app := canter.New()
	app.Get("/set", func(r *web.Request) (*web.Response, error) {
		resp := web.Text("set")
		resp.SetCookie(&http.Cookie{Name: "flavour", Value: "oat", Path: "/"})
		return resp, nil
	})
	app.Get("/read", func(r *web.Request) (*web.Response, error) {
		c, err := r.Cookie("flavour")
		if err != nil {
			return web.Text("none"), nil
		}
		return web.Text(c.Value), nil
	})
	app.Route("/login", func(r *web.Request) (*web.Response, error) {
		if r.Method == http.MethodPost {
			return web.RedirectWith(http.StatusSeeOther, "/welcome"), nil
		}
		return web.Text("form"), nil
	})
	app.Route("/keep", func(r *web.Request) (*web.Response, error) {
		return web.RedirectWith(http.StatusTemporaryRedirect, "/echo"), nil
	})
	app.Route("/echo", func(r *web.Request) (*web.Response, error) {
		form, _ := r.Form()
		return web.Text(r.Method + " " + form.Get("v")), nil
	})
	app.Get("/welcome", func(r *web.Request) (*web.Response, error) { return web.Text("welcome " + r.Method), nil })
	app.Get("/loop", func(r *web.Request) (*web.Response, error) { return web.Redirect("/loop"), nil })
	app.Get("/scheme", func(r *web.Request) (*web.Response, error) { return web.Text(r.Scheme()), nil })
	app.Post("/json", func(r *web.Request) (*web.Response, error) {
		var in map[string]int
		if err := r.DecodeJSON(&in); err != nil {
			return nil, err
		}
		in["n"]++
		return web.JSON(in)
	})
	return app
}

func TestClient(t *testing.T) {
	c := cantertest.New(t, site())
	if got := c.Get("/read").Text(); got != "none" {
		t.Errorf("before the cookie: %q", got)
	}
	if resp := c.Get("/set"); resp.Cookie("flavour") == nil {
		t.Error("response cookie not visible")
	}
	if got := c.Get("/read").Text(); got != "oat" {
		t.Errorf("cookie jar: %q", got)
	}
	if c.Cookie("flavour").Value != "oat" {
		t.Error("Client.Cookie")
	}
	c.ClearCookies()
	if got := c.Get("/read").Text(); got != "none" {
		t.Errorf("after ClearCookies: %q", got)
	}

	resp := c.Post("/login", url.Values{"user": {"ada"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/welcome" {
		t.Errorf("without following: %d", resp.StatusCode)
	}
	c.FollowRedirects = true
	resp = c.Post("/login", url.Values{"user": {"ada"}})
	if resp.Text() != "welcome GET" || len(resp.Redirects) != 1 || resp.Redirects[0] != "http://testserver/welcome" {
		t.Errorf("303 after POST: %q %v", resp.Text(), resp.Redirects)
	}
	if resp := c.Post("/keep", url.Values{"v": {"kept"}}); resp.Text() != "POST kept" {
		t.Errorf("307 keeps method and body: %q", resp.Text())
	}

	var out map[string]int
	c.PostJSON("/json", map[string]int{"n": 41}).JSON(&out)
	if out["n"] != 42 {
		t.Errorf("JSON round trip: %v", out)
	}
	c.Secure = true
	if got := c.Get("/scheme").Text(); got != "https" {
		t.Errorf("Secure client: %q", got)
	}
}

// TestFollowRedirectToHTTPS follows a redirect to the https URL of the same site, as
// SECURE_SSL_REDIRECT answers: the client must send the next request over HTTPS (and to the
// redirect's host), as Django's client does, or it loops.
func TestFollowRedirectToHTTPS(t *testing.T) {
	app := canter.New()
	app.Get("/account", func(r *web.Request) (*web.Response, error) {
		if !r.IsSecure() {
			return web.PermanentRedirect("https://" + r.Request.Host + r.URL.RequestURI()), nil
		}
		return web.Text("secure " + r.Request.Host), nil
	})
	ft := &fakeT{TB: t}
	c := cantertest.New(ft, app)
	c.FollowRedirects = true
	var resp *cantertest.Response
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("following the redirect to HTTPS failed: %v", p)
			}
		}()
		resp = c.Get("/account?tab=1")
	}()
	if resp == nil {
		return
	}
	if resp.Text() != "secure testserver" || len(resp.Redirects) != 1 || resp.Redirects[0] != "https://testserver/account?tab=1" {
		t.Errorf("GET /account = %q after %v", resp.Text(), resp.Redirects)
	}
}

func TestRedirectLoopFails(t *testing.T) {
	ft := &fakeT{TB: t}
	c := cantertest.New(ft, site())
	c.FollowRedirects = true
	func() {
		defer func() { recover() }()
		c.Get("/loop")
	}()
	if !ft.failed {
		t.Error("a redirect loop should fail the test")
	}
}

type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = true
	panic(fmt.Sprintf(format, args...))
}

func (f *fakeT) Helper() {}

func ExampleClient() {
	app := canter.New()
	app.Get("/", func(r *web.Request) (*web.Response, error) { return web.Text("Hello"), nil })
	c := cantertest.New(&testing.T{}, app)
	resp := c.Get("/")
	fmt.Println(resp.StatusCode, resp.Text())
	// Output: 200 Hello
}
