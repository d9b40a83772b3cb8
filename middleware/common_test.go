package middleware

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

func TestCommonDisallowedUserAgents(t *testing.T) {
	mw := must(Common(CommonConfig{DisallowedUserAgents: []string{`^EvilCrawler`, `bot`}}))
	tests := []struct {
		agent  string // "-" sends no header
		status int
	}{
		{"EvilCrawler/1.0", 403},
		{"Mozilla/5.0 (compatible; Googlebot/2.1)", 403}, // searched anywhere, case-sensitive
		{"Mozilla/5.0 (compatible; GoogleBot/2.1)", 200},
		{"Friendly EvilCrawler", 200}, // ^ anchors at the start
		{"Mozilla/5.0", 200},
		{"-", 200},
	}
	c := client(t, web.Site{}, []web.Middleware{mw}, urls.Path("", text("ok")))
	for _, tt := range tests {
		r := request("GET", "/", nil)
		if tt.agent != "-" {
			r.Header.Set("User-Agent", tt.agent)
		}
		if resp := c.Do(r); resp.StatusCode != tt.status {
			t.Errorf("User-Agent %q: status %d, want %d", tt.agent, resp.StatusCode, tt.status)
		}
	}
	r := request("GET", "/", map[string]string{"User-Agent": "EvilCrawler"})
	_, err := call(mw, &web.Site{AllowedHosts: []string{"testserver"}}, text("ok"), r)
	if web.StatusOf(err) != 403 || !strings.Contains(err.Error(), "Forbidden user agent") {
		t.Fatalf("error = %v, want 403 Forbidden user agent", err)
	}
	if _, err := Common(CommonConfig{DisallowedUserAgents: []string{"a(b"}}); err == nil || !strings.Contains(err.Error(), "DISALLOWED_USER_AGENTS") {
		t.Fatalf("bad pattern: error %v, want one naming DISALLOWED_USER_AGENTS", err)
	}
}

// TestCommonHostValidation follows the rules of get_host (section 3.1 of the reference): the
// host is lower-cased, its port ignored and one trailing dot dropped; ".example.com" matches the
// domain and its subdomains; "*" matches any valid host; debug with no allowed hosts allows
// the local names only.
func TestCommonHostValidation(t *testing.T) {
	const rfc = " The domain name provided is not valid according to RFC 1034/1035."
	addHint := func(host, domain string) string {
		return "Invalid HTTP_HOST header: '" + host + "'. You may need to add '" + domain + "' to ALLOWED_HOSTS."
	}
	invalid := func(host string) string { return "Invalid HTTP_HOST header: '" + host + "'." + rfc }
	tests := []struct {
		allowed []string
		debug   bool
		host    string
		message string // "" when allowed
	}{
		{[]string{".example.com"}, false, "example.com", ""},
		{[]string{".example.com"}, false, "www.example.com", ""},
		{[]string{".example.com"}, false, "a.b.example.com:8443", ""},
		{[]string{".example.com"}, false, "EXAMPLE.com", ""},
		{[]string{".example.com"}, false, "example.com.", ""},
		{[]string{".example.com"}, false, "badexample.com", addHint("badexample.com", "badexample.com")},
		{[]string{".example.com"}, false, "example.org:80", addHint("example.org:80", "example.org")},
		{[]string{"example.com"}, false, "www.example.com", addHint("www.example.com", "www.example.com")},
		{[]string{"example.com"}, false, "example.com:8000", ""},
		{[]string{"example.com"}, false, "example.com:http", invalid("example.com:http")},
		{[]string{"*"}, false, "anything.test:1234", ""},
		{[]string{"*"}, false, "bad_host", invalid("bad_host")},
		{[]string{"*"}, false, "", invalid("")},
		{[]string{"[::1]"}, false, "[::1]", ""},
		{[]string{"[::1]"}, false, "[::1]:8000", ""},
		{[]string{"[2001:db8::1]"}, false, "[2001:DB8::1]:443", ""},
		{[]string{"[::1]"}, false, "[::2]:8000", addHint("[::2]:8000", "[::2]")},
		{[]string{"*"}, false, "[::1", invalid("[::1")},
		{[]string{"*"}, false, "[::1]x", invalid("[::1]x")},
		{nil, true, "localhost", ""},
		{nil, true, "app.localhost:8000", ""},
		{nil, true, "127.0.0.1:8000", ""},
		{nil, true, "[::1]:8000", ""},
		{nil, true, "example.com", addHint("example.com", "example.com")},
		{[]string{"example.com"}, true, "localhost", addHint("localhost", "localhost")}, // a list replaces the debug defaults
		{[]string{}, false, "localhost", addHint("localhost", "localhost")},
		{[]string{}, false, "127.0.0.1", addHint("127.0.0.1", "127.0.0.1")},
	}
	mw := must(Common(CommonConfig{}))
	for _, tt := range tests {
		site := web.Site{AllowedHosts: tt.allowed, Debug: tt.debug}
		h := newSite(t, site, []web.Middleware{mw}, urls.Path("", text("ok")))
		r := request("GET", "/", nil)
		r.Host = tt.host
		resp := clientFor(t, h).Do(r)
		want := 200
		if tt.message != "" {
			want = 400
		}
		if resp.StatusCode != want {
			t.Errorf("allowed %q, debug %v, Host %q: status %d, want %d", tt.allowed, tt.debug, tt.host, resp.StatusCode, want)
		}

		// The message, straight from the layer.
		r = request("GET", "/", nil)
		r.Host = tt.host
		_, err := call(mw, &site, text("ok"), r)
		var e *web.Error
		switch {
		case tt.message == "" && err != nil:
			t.Errorf("Host %q: unexpected error %v", tt.host, err)
		case tt.message != "" && (!errors.As(err, &e) || e.Message != tt.message || e.Kind != "DisallowedHost" || e.Status != 400):
			t.Errorf("Host %q: error %#v\nwant message %q", tt.host, err, tt.message)
		}
	}
}

func TestCommonPrependWWW(t *testing.T) {
	mw := must(Common(CommonConfig{PrependWWW: true}))
	routes := []urls.Entry{urls.Path("", text("home")), urls.Path("about/", text("about"))}
	tests := []struct {
		host, path string
		secure     bool
		status     int
		location   string
	}{
		{"example.com", "/", false, 301, "http://www.example.com/"},
		{"example.com:8000", "/about/?a=1", false, 301, "http://www.example.com:8000/about/?a=1"},
		{"example.com", "/about", false, 301, "http://www.example.com/about/"}, // slash added in the same redirect
		{"example.com", "/about?a=1", false, 301, "http://www.example.com/about/?a=1"},
		{"example.com", "/missing", false, 301, "http://www.example.com/missing"},
		{"example.com", "/", true, 301, "https://www.example.com/"},
		{"www.example.com", "/", false, 200, ""},
		{"www.example.com", "/about", false, 301, "/about/"},
	}
	h := newSite(t, web.Site{AllowedHosts: []string{".example.com"}}, []web.Middleware{mw}, routes...)
	for _, tt := range tests {
		r := request("GET", tt.path, nil)
		r.Host = tt.host
		if tt.secure {
			r.URL.Scheme = "https"
			r.TLS = tlsState()
		}
		resp := clientFor(t, h).Do(r)
		if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
			t.Errorf("%s %s: %d %q, want %d %q", tt.host, tt.path, resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
		}
	}
}

func TestCommonAppendSlash(t *testing.T) {
	notFound := func(*web.Request) (*web.Response, error) { return nil, web.NotFound("no such item") }
	routes := []urls.Entry{
		urls.Path("", text("home")),
		urls.Path("about/", text("about")),
		urls.Path("café/", text("café")),
		urls.Path("items/<int:id>/", text("item")),
		urls.Path("item", notFound),
		urls.Path("item/", text("item with slash")),
		urls.Path("post-only/", text("posted"), urls.Methods("POST")),
		urls.Path("raw/", NoAppendSlash(text("raw"))),
		urls.Path("files/<path:rest>/", text("file")),
	}
	tests := []struct {
		name     string
		method   string
		path     string
		debug    bool
		status   int
		location string
	}{
		{"resolves with slash", "GET", "/about", false, 301, "/about/"},
		{"already has slash", "GET", "/about/", false, 200, ""},
		{"query kept", "GET", "/about?a=1&b=%20", false, 301, "/about/?a=1&b=%20"},
		{"converter route", "GET", "/items/42", false, 301, "/items/42/"},
		{"converter does not match", "GET", "/items/x", false, 404, ""},
		{"does not resolve either way", "GET", "/missing", false, 404, ""},
		{"path resolves, view says 404", "GET", "/item", false, 404, ""},
		{"escaped path", "GET", "/caf%C3%A9", false, 301, "/caf%C3%A9/"},
		{"opted out", "GET", "/raw", false, 404, ""},
		{"route for other methods", "GET", "/post-only", false, 301, "/post-only/"},
		{"HEAD", "HEAD", "/about", false, 301, "/about/"},
		{"POST without debug", "POST", "/about", false, 301, "/about/"},
		{"GET in debug", "GET", "/about", true, 301, "/about/"},
		{"POST in debug", "POST", "/about", true, 500, ""},
		{"PUT in debug", "PUT", "/about", true, 500, ""},
		{"PATCH in debug", "PATCH", "/about", true, 500, ""},
		{"DELETE in debug", "DELETE", "/about", true, 500, ""},
		{"OPTIONS in debug", "OPTIONS", "/about", true, 301, "/about/"},
		{"POST in debug, no slash target", "POST", "/missing", true, 404, ""},
	}
	mw := must(Common(CommonConfig{}))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, web.Site{Debug: tt.debug, AllowedHosts: []string{"testserver"}}, []web.Middleware{mw}, routes...)
			resp := c.Do(request(tt.method, tt.path, nil))
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
				t.Fatalf("%s %s: %d %q, want %d %q", tt.method, tt.path, resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
			}
		})
	}

	t.Run("leading double slash", func(t *testing.T) {
		// With a catch-all route "//evil.com/" resolves; the redirect must not become the
		// scheme-relative URL //evil.com/.
		c := client(t, web.Site{}, []web.Middleware{mw}, urls.Path("<path:rest>/", text("any")))
		r := request("GET", "/x", nil)
		r.URL.Path, r.URL.RawPath, r.URL.RawQuery = "//evil.com", "", "next=1"
		resp := c.Do(r)
		if resp.StatusCode != 301 || resp.Header.Get("Location") != "/%2Fevil.com/?next=1" {
			t.Fatalf("GET //evil.com: %d %q, want 301 %q", resp.StatusCode, resp.Header.Get("Location"), "/%2Fevil.com/?next=1")
		}
	})

	t.Run("disabled", func(t *testing.T) {
		off := must(Common(CommonConfig{DisableAppendSlash: true}))
		c := client(t, web.Site{}, []web.Middleware{off}, routes...)
		if resp := c.Get("/about"); resp.StatusCode != 404 {
			t.Fatalf("APPEND_SLASH off: status %d, want 404", resp.StatusCode)
		}
	})

	t.Run("debug message", func(t *testing.T) {
		site := web.Site{Debug: true, AllowedHosts: []string{"testserver"}}
		router, _ := urls.New(routes...)
		site.Resolver = router
		_, err := call(mw, &site, func(*web.Request) (*web.Response, error) {
			return web.NewResponse(http.StatusNotFound), nil
		}, request("POST", "/about?x=1", nil))
		want := "You called this URL via POST, but the URL doesn't end in a slash and you have APPEND_SLASH set. " +
			"Canter can't redirect to the slash URL while maintaining POST data. " +
			"Change your form to point to testserver/about/?x=1 (note the trailing slash), " +
			"or set APPEND_SLASH=False in your settings."
		var ase *AppendSlashError
		if !errors.As(err, &ase) || err.Error() != want || web.StatusOf(err) != 500 {
			t.Fatalf("error = %v\nwant %q", err, want)
		}
		// Through the gateway, the debug page shows it.
		resp := clientFor(t, newSite(t, site, []web.Middleware{mw}, routes...)).Do(request("POST", "/about?x=1", nil))
		if resp.StatusCode != 500 || !strings.Contains(resp.Text(), "You called this URL via POST") {
			t.Fatalf("debug page: %d, message missing", resp.StatusCode)
		}
	})
}
