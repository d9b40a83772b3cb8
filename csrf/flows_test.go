package csrf_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// Tokens masked by Django's algorithm, as the spec gives them, validate here.
func TestDjangoTokensValidate(t *testing.T) {
	vectors := []struct{ token, secret string }{
		{strings.Repeat("vFioG3XOLyGyGsPRFyB9iYUs341ufzIE", 2), strings.Repeat("a", 32)},
		{strings.Repeat("a", 64), strings.Repeat("a", 32)},
		{strings.Repeat("b", 64), strings.Repeat("a", 32)},
		{strings.Repeat("a", 32) + strings.Repeat("b", 32), strings.Repeat("b", 32)},
		{strings.Repeat("b", 32) + strings.Repeat("c", 32), strings.Repeat("b", 32)},
		{strings.Repeat("a", 32) + strings.Repeat("c", 32), strings.Repeat("c", 32)},
		{"1bcdefghij2bcdefghij3bcdefghij4bcdefghij5bcdefghij6bcdefghijABCD", "lcccccccX2kcccccccY2jcccccccssIC"},
		{"2JgchWvM1tpxT2lfz9aydoXW9yT1DN3NdLiejYxOOlzzV4nhBbYqmqZYbAV3V5Bf", "lcccccccX2kcccccccY2jcccccccssIC"},
		// The spec's worked example of masking.
		{"0123456789ABCDEFGHIJKLMNOPQRSTUV02468acegiKMOQSUWY02468acegikmoq", "abcdefghijklmnopqrstuvwxyzABCDEF"},
	}
	s := newSite(t, siteConfig(), false)
	for _, v := range vectors {
		for _, c := range []gatewayCase{
			{method: "POST", cookie: v.secret, form: form(v.token)},
			{method: "POST", cookie: v.secret, header: hdr("X-CSRFToken", v.token)},
			{method: "POST", cookie: v.token, form: form(v.token)}, // a Django 3.2 masked cookie
		} {
			if resp := s.do(c.request()); resp.StatusCode != http.StatusOK {
				t.Errorf("token %s with cookie %s: status %d", v.token, c.cookie, resp.StatusCode)
			}
		}
	}
	// And a token for another secret does not.
	bad := gatewayCase{method: "POST", cookie: strings.Repeat("d", 32), form: form(vectors[0].token)}
	if resp := s.do(bad.request()); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a token for another secret: status %d, want 403", resp.StatusCode)
	}
}

// A token Canter hands out unmasks, by the spec's algorithm, to the secret in the cookie; two
// renders give two different tokens, and both validate.
func TestRendersGiveDifferentValidTokens(t *testing.T) {
	s := newSite(t, siteConfig(), false)
	c := cantertest.New(t, s.h)
	c.EnforceCSRFChecks = true
	resp := c.Get("/two/")
	tokens := strings.Fields(resp.Text())
	if len(tokens) != 2 {
		t.Fatalf("GET /two/ = %q", resp.Text())
	}
	if n := len(resp.Header.Values("Set-Cookie")); n != 1 {
		t.Fatalf("%d Set-Cookie headers, want 1", n)
	}
	cookie := c.Cookie("csrftoken")
	if cookie == nil || len(cookie.Value) != 32 {
		t.Fatalf("cookie = %v, want a 32-character secret", cookie)
	}
	if tokens[0] == tokens[1] {
		t.Fatalf("two renders gave the same token %s", tokens[0])
	}
	if tokens[0][:32] == tokens[1][:32] || tokens[0][32:] == tokens[1][32:] {
		t.Errorf("two tokens share a half: %s %s", tokens[0], tokens[1])
	}
	for _, tok := range tokens {
		if len(tok) != 64 {
			t.Fatalf("token %q is not 64 characters", tok)
		}
		if got := refUnmask(tok); got != cookie.Value {
			t.Errorf("reference unmask of %s = %s, want the cookie's %s", tok, got, cookie.Value)
		}
		if resp := c.Post("/form/", form(tok)); resp.StatusCode != 200 || resp.Text() != "posted" {
			t.Errorf("POST with %s: %d %q", tok, resp.StatusCode, resp.Text())
		}
	}
	// The next page keeps the same secret.
	c.Get("/two/")
	if again := c.Cookie("csrftoken"); again.Value != cookie.Value {
		t.Errorf("secret changed from %s to %s without rotation", cookie.Value, again.Value)
	}
}

// Rotating the secret (at login) invalidates every token handed out before.
func TestRotateInvalidatesOldTokens(t *testing.T) {
	s := newSite(t, siteConfig(), false)
	c := cantertest.New(t, s.h)
	c.EnforceCSRFChecks = true
	old := csrf.FindToken(c.Get("/form/").Content)
	oldSecret := c.Cookie("csrftoken").Value
	if old == "" {
		t.Fatal("no token in the form page")
	}
	resp := c.Post("/login/", form(old))
	if resp.StatusCode != 200 {
		t.Fatalf("login: %d %s", resp.StatusCode, resp.Text())
	}
	newSecret := c.Cookie("csrftoken").Value
	if len(newSecret) != 32 || newSecret == oldSecret {
		t.Fatalf("secret after rotation = %q, before %q", newSecret, oldSecret)
	}
	s.logs.take()
	if resp := c.Post("/form/", form(old)); resp.StatusCode != 403 {
		t.Fatalf("old token after rotation: status %d, want 403", resp.StatusCode)
	}
	if logs := s.logs.take(); len(logs) != 1 || logs[0].Message != "Forbidden (CSRF token from POST incorrect.): /form/" {
		t.Errorf("logs = %v", logs)
	}
	fresh := csrf.FindToken(c.Get("/form/").Content)
	if resp := c.Post("/form/", form(fresh)); resp.StatusCode != 200 {
		t.Fatalf("new token: status %d", resp.StatusCode)
	}
}

// The cookie is written only when the secret is new or was used, with Django's attributes.
func TestCookieWrites(t *testing.T) {
	s := newSite(t, siteConfig(), false)
	get := func(path, cookie string) *http.Response {
		return s.do(gatewayCase{method: "GET", path: path, cookie: cookie}.request())
	}

	resp := get("/api/", "")
	if len(resp.Cookies()) != 0 || resp.Header.Get("Vary") != "" {
		t.Errorf("a page without a token set %v, Vary %q", resp.Cookies(), resp.Header.Get("Vary"))
	}

	resp = get("/form/", "")
	c := setCookie(resp, "csrftoken")
	if c == nil {
		t.Fatal("a page with a token set no cookie")
	}
	raw := resp.Header.Get("Set-Cookie")
	for _, part := range []string{"Max-Age=31449600", "Path=/", "SameSite=Lax"} {
		if !strings.Contains(raw, part) {
			t.Errorf("Set-Cookie %q lacks %s", raw, part)
		}
	}
	if c.HttpOnly || c.Secure || c.Domain != "" || len(c.Value) != 32 {
		t.Errorf("cookie = %+v", c)
	}
	if d := time.Until(c.Expires) - 31449600*time.Second; d < -time.Minute || d > time.Minute {
		t.Errorf("Expires = %v, want in 52 weeks", c.Expires)
	}
	if resp.Header.Get("Vary") != "Cookie" {
		t.Errorf("Vary = %q, want Cookie", resp.Header.Get("Vary"))
	}

	if resp := get("/api/", secretA); len(resp.Cookies()) != 0 {
		t.Errorf("an unused valid secret was rewritten: %v", resp.Cookies())
	}
	if c := setCookie(get("/form/", secretA), "csrftoken"); c == nil || c.Value != secretA {
		t.Errorf("a used secret was not renewed as is: %v", c)
	}
	if c := setCookie(get("/api/", "bad!"), "csrftoken"); c == nil || len(c.Value) != 32 || c.Value == "bad!" {
		t.Errorf("a malformed cookie was not replaced on GET: %v", c)
	}
	if resp := get("/api/", tokenA2); len(resp.Cookies()) != 0 {
		t.Errorf("an unused 64-character cookie was rewritten: %v", resp.Cookies())
	}
	if c := setCookie(get("/form/", tokenA2), "csrftoken"); c == nil || c.Value != secretA {
		t.Errorf("a used 64-character cookie was not rewritten as its 32-character secret: %v", c)
	}
	rejected := s.do(gatewayCase{method: "POST", cookie: "short", form: form(tokenA)}.request())
	if c := setCookie(rejected, "csrftoken"); rejected.StatusCode != 403 || c == nil || len(c.Value) != 32 {
		t.Errorf("a POST with a malformed cookie: %d, cookie %v; want 403 with a new cookie", rejected.StatusCode, c)
	}
}

func TestCookieSettings(t *testing.T) {
	cfg := csrf.Config{ // built by hand: CookieAge 0 is a browser-session cookie
		CookieName:     "__Host-csrf",
		CookieSecure:   true,
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteStrictMode,
	}
	s := newSite(t, cfg, false)
	resp := s.do(gatewayCase{method: "GET", path: "/token/"}.request())
	c := setCookie(resp, "__Host-csrf")
	if c == nil {
		t.Fatalf("no cookie in %v", resp.Header["Set-Cookie"])
	}
	raw := resp.Header.Get("Set-Cookie")
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" ||
		strings.Contains(raw, "Max-Age") || strings.Contains(raw, "Expires") {
		t.Errorf("Set-Cookie = %q", raw)
	}

	cfg = csrf.DefaultConfig()
	cfg.CookieDomain = ".example.com"
	cfg.CookiePath = "/app/"
	cfg.CookieSameSite = http.SameSiteDefaultMode
	s = newSite(t, cfg, false)
	raw = s.do(gatewayCase{method: "GET", path: "/token/"}.request()).Header.Get("Set-Cookie")
	if !strings.Contains(raw, "Domain=example.com") || !strings.Contains(raw, "Path=/app/") || strings.Contains(raw, "SameSite") {
		t.Errorf("Set-Cookie = %q", raw)
	}
}

func TestVaryIsPatched(t *testing.T) {
	mw := csrf.Default()
	view := func(r *web.Request) (*web.Response, error) {
		resp := web.Text(csrf.Token(r))
		resp.Header().Set("Vary", "Accept-Encoding, cookie")
		return resp, nil
	}
	view2 := func(r *web.Request) (*web.Response, error) {
		resp := web.Text(csrf.Token(r))
		resp.Header().Set("Vary", "Accept-Encoding")
		return resp, nil
	}
	router, _ := urls.New(urls.Path("a/", view), urls.Path("b/", view2))
	h := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, AllowedHosts: []string{"testserver"}},
		Middleware: []web.Middleware{mw},
		Logger:     quiet,
	})
	c := cantertest.New(t, h)
	c.EnforceCSRFChecks = true
	if got := c.Get("/a/").Header.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding, cookie" {
		t.Errorf("Vary = %q, want it untouched", got)
	}
	if got := c.Get("/b/").Header.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding, Cookie" {
		t.Errorf("Vary = %q, want one line Accept-Encoding, Cookie", got)
	}
}

// A test drives a form as a browser does, over HTTPS too; the client does not bypass CSRF.
func TestTestClientFlow(t *testing.T) {
	s := newSite(t, siteConfig(), false)
	c := cantertest.New(t, s.h)
	c.EnforceCSRFChecks = true
	c.Secure = true
	page := c.Get("/form/")
	token := csrf.FindToken(page.Content)
	if len(token) != 64 {
		t.Fatalf("FindToken = %q in %s", token, page.Text())
	}
	if resp := c.Post("/form/", url.Values{"csrfmiddlewaretoken": {token}}); resp.StatusCode != 403 {
		t.Fatalf("HTTPS POST without Referer: %d, want 403", resp.StatusCode)
	}
	c.Header.Set("Referer", "https://testserver/form/")
	if resp := c.Post("/form/", url.Values{"csrfmiddlewaretoken": {token}}); resp.StatusCode != 200 {
		t.Fatalf("POST with the page's token: %d %s", resp.StatusCode, resp.Text())
	}
	// A script sends the cookie's value in the header.
	c.Header.Set("X-CSRFToken", c.Cookie("csrftoken").Value)
	if resp := c.PostJSON("/api/", map[string]int{"a": 1}); resp.StatusCode != 200 {
		t.Fatalf("POST JSON with the cookie in the header: %d %s", resp.StatusCode, resp.Text())
	}
}

// TestTestClientSkipsChecksByDefault: like Django's test client, cantertest's requests are
// accepted unless EnforceCSRFChecks is set; the mark cannot come from the network.
func TestTestClientSkipsChecksByDefault(t *testing.T) {
	s := newSite(t, csrf.DefaultConfig(), false)
	c := cantertest.New(t, s.h)
	if resp := c.Post("/api/", nil); resp.StatusCode != 200 {
		t.Errorf("default test client POST without token: %d", resp.StatusCode)
	}
	c.EnforceCSRFChecks = true
	if resp := c.Post("/api/", nil); resp.StatusCode != 403 {
		t.Errorf("enforcing test client POST without token: %d", resp.StatusCode)
	}
}
