package csrf

import (
	"html/template"
	"regexp"

	"github.com/canter-go/canter/web"
)

// Field returns the hidden form field that carries a new token, for html/template pages:
// <input type="hidden" name="csrfmiddlewaretoken" value="…">, as Django's {% csrf_token %}
// renders it. It returns "" when the request is not protected (see Token).
func Field(r *web.Request) template.HTML {
	tok := Token(r)
	if tok == "" {
		return ""
	}
	// A token holds only letters and digits: nothing to escape.
	return template.HTML(`<input type="hidden" name="` + FieldName + `" value="` + tok + `">`)
}

// FuncMap returns template functions for html/template, to register before parsing:
//
//	csrf_field  func(*web.Request) template.HTML   the hidden input (Field)
//	csrf_token  func(*web.Request) string          a token alone (Token), for a <meta> tag
//
// Templates call them with the request they are rendered for, as in
// <form method="post">{{ csrf_field .Request }}…</form>. The functions take the request as an
// argument so that one parsed template serves every request.
func FuncMap() template.FuncMap {
	return template.FuncMap{"csrf_field": Field, "csrf_token": Token}
}

var (
	inputTag  = regexp.MustCompile(`(?is)<input\b[^>]*\bname\s*=\s*["']?` + FieldName + `\b[^>]*>`)
	valueAttr = regexp.MustCompile(`(?is)\bvalue\s*=\s*["']?([A-Za-z0-9]*)`)
)

// FindToken returns the token of the first csrfmiddlewaretoken field in an HTML page, or "".
// Tests use it to post a form as a browser
// would: fetch the page, then send its token back.
func FindToken(page []byte) string {
	if tag := inputTag.Find(page); tag != nil {
		if m := valueAttr.FindSubmatch(tag); m != nil {
			return string(m[1])
		}
	}
	return ""
}
