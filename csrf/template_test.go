package csrf_test

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

var page = template.Must(template.New("page").Funcs(csrf.FuncMap()).Parse(
	`<meta name="csrf-token" content="{{ csrf_token .Request }}">` +
		`<form method="post">{{ csrf_field .Request }}<input name="q"></form>`))

func templateView(r *web.Request) (*web.Response, error) {
	var buf bytes.Buffer
	if err := page.Execute(&buf, map[string]any{"Request": r}); err != nil {
		return nil, err
	}
	return web.HTML(buf.String()), nil
}

func TestTemplateHelpers(t *testing.T) {
	h := siteWithout(t, nil, urls.Path("t/", csrf.Protect(templateView)))
	c := cantertest.New(t, h)
	text := c.Get("/t/").Text()
	secret := c.Cookie("csrftoken").Value

	const prefix = `<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="`
	i := strings.Index(text, prefix)
	if i < 0 {
		t.Fatalf("no hidden field in %s", text)
	}
	field := text[i+len(prefix):]
	field = field[:strings.IndexByte(field, '"')]
	meta := strings.TrimPrefix(text, `<meta name="csrf-token" content="`)
	meta = meta[:strings.IndexByte(meta, '"')]
	for _, tok := range []string{field, meta} {
		if len(tok) != 64 || refUnmask(tok) != secret {
			t.Errorf("token %q does not carry the cookie's secret %s", tok, secret)
		}
	}
	if field == meta {
		t.Error("two tokens of one page are equal")
	}
	if got := csrf.FindToken([]byte(text)); got != field {
		t.Errorf("FindToken = %q, want the field's %q", got, field)
	}
}

func TestFindToken(t *testing.T) {
	tok := strings.Repeat("aB3", 21) + "x"
	for _, c := range []struct{ page, want string }{
		{`<input type="hidden" name="csrfmiddlewaretoken" value="` + tok + `">`, tok},
		{`<INPUT value='` + tok + `' name='csrfmiddlewaretoken' type=hidden>`, tok},
		{`<input name=csrfmiddlewaretoken value=` + tok + `>`, tok},
		{`<input name="other" value="x"><input name="csrfmiddlewaretoken" value="` + tok + `">`, tok},
		{`<input name="csrfmiddlewaretoken2" value="` + tok + `">`, ""},
		{`no form`, ""},
	} {
		if got := csrf.FindToken([]byte(c.page)); got != c.want {
			t.Errorf("FindToken(%s) = %q, want %q", c.page, got, c.want)
		}
	}
}
