package templates_test

import (
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// Render answers 200 text/html; the page is the template's output.
func TestRenderResponse(t *testing.T) {
	c := site(t, htmlEngines(t, files("polls/detail.html", `<h1>{{ .question.Text }}</h1>`)), false)
	resp := c.Get("/page/polls/detail.html")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if got := resp.Text(); got != "<h1>What&#39;s &lt;new&gt;?</h1>" {
		t.Errorf("body %q", got)
	}
	// A page without a token sends no CSRF cookie.
	if ck := resp.Cookie("csrftoken"); ck != nil {
		t.Errorf("a page that printed no token set %v", ck)
	}
	if resp := c.Get("/page/missing.html"); resp.StatusCode != 500 {
		t.Errorf("missing template: %d", resp.StatusCode)
	}
}

// The url helper reverses named routes with the request's resolver.
func TestURLHelper(t *testing.T) {
	e := htmlEngines(t, files(
		"links.html", `<a href="{{ url . "polls:detail" .question.ID }}">{{ .question.Text }}</a>`+
			`{{ range .ids }}<a href="{{ url $ "polls:vote" . }}"></a>{{ end }}`+
			`<a href="{{ url . "polls:index" }}"></a>`,
		"bad.html", `{{ url . "polls:nope" }}`,
	))
	view := func(r *web.Request) (*web.Response, error) {
		return templates.Render(r, r.QueryValue("t"), templates.Context{"question": question{ID: 7, Text: "Q"}, "ids": []int{1, 22}})
	}
	c := site(t, e, false, urls.Path("links/", view))
	got := c.Get("/links/?t=links.html").Text()
	want := `<a href="/polls/7/">Q</a><a href="/polls/1/vote/"></a><a href="/polls/22/vote/"></a><a href="/polls/"></a>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	// A name that does not reverse is an error of the template, with urls' reason inside.
	var buf strings.Builder
	r := web.NewRequest(httpRequest("/"), &web.Site{Resolver: mustRouter(t)})
	err := e.Render(&buf, r, "bad.html", nil)
	var te *templates.Error
	var re *urls.ReverseError
	if !errors.As(err, &te) || !errors.As(err, &re) || te.Expression != `{{ url . "polls:nope" }}` {
		t.Errorf("%T %v", err, err)
	}
}

func mustRouter(t testing.TB) *urls.Router {
	r, err := urls.New(urls.Include("polls/", "polls", urls.Path("", okView, urls.Name("index"))))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func okView(r *web.Request) (*web.Response, error) { return web.Text("ok"), nil }

func httpRequest(target string) *http.Request {
	r, _ := http.NewRequest("GET", "http://testserver"+target, nil)
	return r
}

// The static helper writes STATIC_URL + the name percent-encoded as Python's quote does, or
// asks the Static hook.
func TestStaticHelper(t *testing.T) {
	fsys := files("s.html", `<link href="{{ static "polls/style.css" }}"><img src="{{ static .img }}">`)
	for _, c := range []struct {
		env  templates.Env
		img  string
		want string
	}{
		{templates.Env{}, "a b/ü.png",
			`<link href="/static/polls/style.css"><img src="/static/a%20b/%C3%BC.png">`},
		{templates.Env{StaticURL: "https://cdn.example.com/assets/"}, "x+y.png",
			`<link href="https://cdn.example.com/assets/polls/style.css"><img src="https://cdn.example.com/assets/x%2By.png">`},
		{templates.Env{StaticURL: "/static/", Static: func(name string) (string, error) {
			return "/static/" + strings.Replace(name, ".", ".abc123.", 1), nil
		}}, "logo.png", `<link href="/static/polls/style.abc123.css"><img src="/static/logo.abc123.png">`},
	} {
		c.env.Apps = []*apps.Config{appWith("site", fsys)}
		e, err := templates.New(c.env, templates.Config{AppDirs: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := render(t, e, "s.html", map[string]any{"img": c.img}); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}

// Python's urllib.parse.quote(name, safe="/") joined to STATIC_URL with urljoin, the vectors
// computed from Python's documented rules.
func TestStaticFileURL(t *testing.T) {
	env := templates.Env{}
	for name, want := range map[string]string{
		"css/base.css":       "/static/css/base.css",
		"a b.css":            "/static/a%20b.css",
		"~user/x_y-z.css":    "/static/~user/x_y-z.css",
		"q?.css":             "/static/q%3F.css",
		"100%.css":           "/static/100%25.css",
		"日本.css":             "/static/%E6%97%A5%E6%9C%AC.css",
		"../outside.css":     "/outside.css",
		"/rooted.css":        "/rooted.css",
		"a:b.css":            "/static/a%3Ab.css",
		"js/app.js#fragment": "/static/js/app.js%23fragment",
	} {
		got, err := env.StaticFileURL(name)
		if err != nil || got != want {
			t.Errorf("StaticFileURL(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
}

// csrf_field gives a token the CSRF middleware accepts; printing a token makes the cookie be
// sent; a page that prints none sends none.
func TestCSRFHelpers(t *testing.T) {
	e := htmlEngines(t, files(
		"form.html", `<form method="post" action="{{ url . "polls:vote" 7 }}">{{ csrf_field . }}<input name="choice"></form>`,
		"meta.html", `<meta name="csrf-token" content="{{ csrf_token . }}"><meta name="t2" content="{{ .csrf_token }}">`,
		"plain.html", `no form`,
		"field.html", `{{ csrf_field . }}|{{ csrf_token . }}|{{ .csrf_token }}`,
	))
	c := site(t, e, false)

	page := c.Get("/page/form.html")
	token := csrf.FindToken(page.Content)
	if len(token) != 64 {
		t.Fatalf("no token in %s", page.Text())
	}
	if page.Cookie("csrftoken") == nil || !strings.Contains(page.Header.Get("Vary"), "Cookie") {
		t.Errorf("the page with a token sent no cookie (Vary %q)", page.Header.Get("Vary"))
	}
	if resp := c.Post("/polls/7/vote/", url.Values{"choice": {"1"}}); resp.StatusCode != 403 {
		t.Errorf("POST without the token: %d", resp.StatusCode)
	}
	if resp := c.Post("/polls/7/vote/", url.Values{"choice": {"1"}, "csrfmiddlewaretoken": {token}}); resp.StatusCode != 200 || resp.Text() != "voted for 1" {
		t.Errorf("POST with the token: %d %s", resp.StatusCode, resp.Text())
	}

	c.ClearCookies()
	meta := c.Get("/page/meta.html")
	var toks []string
	for _, part := range strings.Split(meta.Text(), `content="`)[1:] {
		toks = append(toks, part[:strings.IndexByte(part, '"')])
	}
	if len(toks) != 2 || len(toks[0]) != 64 || len(toks[1]) != 64 || meta.Cookie("csrftoken") == nil {
		t.Errorf("meta tokens %q, cookie %v", toks, meta.Cookie("csrftoken"))
	}

	c.ClearCookies()
	if plain := c.Get("/page/plain.html"); plain.Cookie("csrftoken") != nil {
		t.Error("a page without a token sent the CSRF cookie")
	}

	// Without the CSRF middleware the helpers write nothing, as Django's NOTPROVIDED.
	if got := render(t, e, "field.html", nil); got != "||" {
		t.Errorf("no request: %s", got)
	}
}

// The messages helper asks the hook only when a template uses it.
func TestMessagesHelper(t *testing.T) {
	calls := 0
	env := templates.Env{
		Apps: []*apps.Config{appWith("site", files(
			"with.html", `{{ with messages . }}<ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}`,
			"without.html", `nothing`,
		))},
		Messages: func(r *web.Request) any {
			calls++
			if r.QueryValue("none") != "" {
				return nil
			}
			return []string{"Saved.", "<b>Hi</b>"}
		},
	}
	e, err := templates.New(env, templates.Config{AppDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	c := site(t, e, false)
	if got := c.Get("/page/with.html").Text(); got != "<ul><li>Saved.</li><li>&lt;b&gt;Hi&lt;/b&gt;</li></ul>" {
		t.Errorf("with messages: %s", got)
	}
	if got := c.Get("/page/with.html?none=1").Text(); got != "" {
		t.Errorf("no messages: %q", got)
	}
	calls = 0
	c.Get("/page/without.html")
	if calls != 0 {
		t.Errorf("a page without messages called the hook %d times", calls)
	}
}

// The context: processors' values under the view's data; structs and maps as data; debug only
// for internal addresses in debug mode.
func TestContext(t *testing.T) {
	type inner struct{ Shadowed, Deep string }
	type page struct {
		inner
		Title    string
		Shadowed string
		hidden   string
	}
	env := &templates.Env{InternalIPs: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}}
	site := &web.Site{Debug: true}
	r := web.NewRequest(httpRequest("/"), site)
	r.RemoteAddr = "192.0.2.7:1234"

	ctx, err := env.Context(r, page{inner: inner{"inner", "deep"}, Title: "T", Shadowed: "outer", hidden: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if ctx["request"] != r || ctx["debug"] != true || ctx["Title"] != "T" || ctx["Shadowed"] != "outer" || ctx["Deep"] != "deep" {
		t.Errorf("context %v", ctx)
	}
	if _, ok := ctx["hidden"]; ok {
		t.Error("unexported field in the context")
	}
	if tok, ok := ctx["csrf_token"].(interface{ String() string }); !ok || tok.String() != "" {
		t.Errorf("csrf_token without the middleware: %v", ctx["csrf_token"])
	}

	ctx, _ = env.Context(r, map[string]any{"request": "mine", "debug": "mine"})
	if ctx["request"] != "mine" || ctx["debug"] != "mine" {
		t.Errorf("the view's values do not win: %v", ctx)
	}
	ctx, _ = env.Context(r, &map[string]int{"n": 1})
	if ctx["n"] != 1 {
		t.Errorf("pointer to map: %v", ctx)
	}

	r.RemoteAddr = "198.51.100.1:1"
	if ctx, _ := env.Context(r, nil); ctx["debug"] != false {
		t.Error("debug for an address that is not internal")
	}
	site.Debug = false
	r.RemoteAddr = "192.0.2.7:1234"
	if ctx, _ := env.Context(r, nil); ctx["debug"] != false {
		t.Error("debug with the site not in debug mode")
	}

	if ctx, _ := env.Context(nil, templates.Context{"a": 1}); len(ctx) != 1 {
		t.Errorf("no request: %v", ctx)
	}
	for _, bad := range []any{42, map[int]string{1: "x"}, []string{"x"}} {
		if _, err := env.Context(r, bad); err == nil || !strings.Contains(err.Error(), "must be a map with string keys, a struct or nil") {
			t.Errorf("%T: %v", bad, err)
		}
	}
}

// Render without the engines in the middleware says how to fix it.
func TestRenderWithoutEngines(t *testing.T) {
	router, _ := urls.New(urls.Path("", func(r *web.Request) (*web.Response, error) {
		return templates.Render(r, "x.html", nil)
	}))
	var got error
	h := handler.New(handler.Config{Site: web.Site{Resolver: router, AllowedHosts: []string{"testserver"}},
		Logger: quiet, Teardown: []func(*web.Request, error){func(_ *web.Request, err error) { got = err }}})
	cantertest.New(t, h).Get("/")
	if got == nil || !strings.Contains(got.Error(), "put the *templates.Engines in the site's middleware") {
		t.Errorf("error %v", got)
	}
}

// With debug on, the technical 500 page shows the template's file, line and expression.
func TestDebugPageShowsTemplateError(t *testing.T) {
	e := htmlEngines(t, files("polls/detail.html", "<h1>\n{{ .question.Txt }}</h1>"))
	resp := site(t, e, true).Get("/page/polls/detail.html")
	if resp.StatusCode != 500 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	body := resp.Text()
	for _, s := range []string{"polls/detail.html:2:", "(app site)", "{{ .question.Txt }}", "can&#39;t evaluate field Txt", "*templates.Error"} {
		if !strings.Contains(body, s) {
			t.Errorf("the debug page does not show %q", s)
		}
	}
}
