package staticfiles

import (
	"reflect"
	"strings"
	"testing"
)

func TestCSSRefs(t *testing.T) {
	tests := []struct {
		css  string
		want []string // the URLs found, in order
	}{
		{`a{background:url(x.png)}`, []string{"x.png"}},
		{`a{background:url( "x.png" )}`, []string{"x.png"}},
		{`a{background:url('x y.png')}`, []string{"x y.png"}},
		{`a{background:URL(x.png)}`, []string{"x.png"}},
		{`a{background:url("a)b.png")}`, []string{"a)b.png"}},
		{`@import "a.css";`, []string{"a.css"}},
		{`@import 'a.css' screen;`, []string{"a.css"}},
		{`@IMPORT"a.css";`, []string{"a.css"}},
		{`@import url(a.css);`, []string{"a.css"}},
		{`@importx "a.css";`, nil},
		{`/* url(c.png) */ a{b:url(d.png)}`, []string{"d.png"}},
		{"/* multi\nline url(c.png)\n*/", nil},
		{`a::after{content:"url(c.png)"} b{c:url(d.png)}`, []string{"d.png"}},
		{`a::after{content:'it\'s url(c.png)'}`, nil},
		{`.tw\:bg-\[url\(\'x.png\'\)\]{background:url(y.png)}`, []string{"y.png"}},
		{`a{b:myurl(x.png)}`, nil},
		{`a{b:url(x.png`, nil},
		{`a{b:url("x.png" junk)}`, nil},
		{"/*# sourceMappingURL=site.css.map */", []string{"site.css.map"}},
		{"a{}\n/*# sourceMappingURL=site.css.map */\n", []string{"site.css.map"}},
		{"a{}\r\n/*# sourceMappingURL=site.css.map */\r\n", []string{"site.css.map"}},
		{"a{} /*# sourceMappingURL=site.css.map */", nil},
		{"/*# sourceMappingURL=site.css.map */ a{}", nil},
		{"/*# sourcemappingurl=site.css.map */", nil},
		{"/* sourceMappingURL=site.css.map */", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range cssRefs([]byte(tt.css)) {
			got = append(got, r.url)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("cssRefs(%q) = %q, want %q", tt.css, got, tt.want)
		}
	}
}

func TestCSSRefSpans(t *testing.T) {
	css := "@import 'a.css';\nb{c:url( x.png )}\n/*# sourceMappingURL=m.map */"
	var spans []string
	for _, r := range cssRefs([]byte(css)) {
		spans = append(spans, css[r.start:r.end])
	}
	want := []string{"@import 'a.css'", "url( x.png )", "/*# sourceMappingURL=m.map */"}
	if !reflect.DeepEqual(spans, want) {
		t.Errorf("spans = %q, want %q", spans, want)
	}
}

func TestJSRefs(t *testing.T) {
	tests := []struct {
		js   string
		want []string
	}{
		{"x()\n//# sourceMappingURL=app.js.map", []string{"app.js.map"}},
		{"x()\n//# sourceMappingURL=app.js.map\n", []string{"app.js.map"}},
		{"x()\r\n//# sourceMappingURL=app.js.map\r\n", []string{"app.js.map"}},
		{"x() //# sourceMappingURL=app.js.map", nil},
		{"//@ sourceMappingURL=app.js.map", nil},
		{"// # sourceMappingURL=app.js.map", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range jsRefs([]byte(tt.js)) {
			got = append(got, r.url)
			if span := tt.js[r.start:r.end]; strings.ContainsAny(span, "\r\n") {
				t.Errorf("jsRefs(%q) span %q takes the line ending", tt.js, span)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("jsRefs(%q) = %q, want %q", tt.js, got, tt.want)
		}
	}
}

func TestTarget(t *testing.T) {
	tests := []struct {
		source, url string
		name        string // "" for skipped
		out         string // the rewritten URL for the hashed name "H"
	}{
		{"css/site.css", "x.png", "css/x.png", "x.H.png"},
		{"css/site.css", "../img/x.png", "img/x.png", "../img/x.H.png"},
		{"css/site.css", "./img/../img/x.png", "css/img/x.png", "./img/../img/x.H.png"},
		{"css/site.css", "/static/img/x.png", "img/x.png", "/static/img/x.H.png"},
		{"css/site.css", "x.png#frag", "css/x.png", "x.H.png#frag"},
		{"css/site.css", "f.eot?#iefix", "css/f.eot", "f.H.eot?#iefix"},
		{"css/site.css", "f.woff?v=2", "css/f.woff", "f.H.woff?v=2"},
		{"css/site.css", "f.woff?v=2#x", "css/f.woff", "f.H.woff?v=2#x"},
		{"css/site.css", "my%20file.png", "css/my file.png", "my file.H.png"},
		{"css/site.css", "q%22uote.png", `css/q"uote.png`, "q%22uote.H.png"},
		{"css/site.css", "../../x.png", "../x.png", "../../x.H.png"},
		{"site.css", "data:image/png;base64,AA==", "", ""},
		{"site.css", "DATA:image/png;base64,AA==", "", ""},
		{"site.css", "https://example.com/x.png", "", ""},
		{"site.css", "//cdn.example.com/x.png", "", ""},
		{"site.css", "/elsewhere/x.png", "", ""},
		{"site.css", "#filter", "", ""},
		{"site.css", "?x", "", ""},
		{"site.css", "dir/", "", ""},
		{"site.css", "", "", ""},
	}
	for _, tt := range tests {
		name, build, skip := target(tt.source, tt.url, "/static/")
		if tt.name == "" {
			if !skip {
				t.Errorf("target(%q, %q) = %q, want it left alone", tt.source, tt.url, name)
			}
			continue
		}
		if skip || name != tt.name {
			t.Errorf("target(%q, %q) = %q (skip %v), want %q", tt.source, tt.url, name, skip, tt.name)
			continue
		}
		hashed := HashedName(name, "H")
		if out := build(hashed); out != tt.out {
			t.Errorf("target(%q, %q) rewrites to %q, want %q", tt.source, tt.url, out, tt.out)
		}
	}
}

// TestHashedName checks the names against Python's os.path.splitext, whose results for these
// inputs are documented behaviour: leading dots do not start an extension.
func TestHashedName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"css/site.css", "css/site.H.css"},
		{"site.css", "site.H.css"},
		{"LICENSE", "LICENSE.H"},
		{"dist/archive.tar.gz", "dist/archive.tar.H.gz"},
		{".htaccess", ".htaccess.H"},
		{"a/..dots", "a/..dots.H"},
		{"a/b.", "a/b.H."},
		{"a.b/c", "a.b/c.H"},
		{"a/x..y", "a/x..H.y"},
	}
	for _, tt := range tests {
		if got := HashedName(tt.name, "H"); got != tt.want {
			t.Errorf("HashedName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestPyString checks the JSON string encoding against json.dumps' documented output with
// ensure_ascii.
func TestPyString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain/a.css", `"plain/a.css"`},
		{`q"b\`, `"q\"b\\"`},
		{"\n\r\t\b\f\x01\x7f", `"\n\r\t\b\f\u0001` + "\x7f" + `"`},
		{"café", `"caf\u00e9"`},
		{"😀", `"\ud83d\ude00"`},
		{"<&>", `"<&>"`},
	}
	for _, tt := range tests {
		var b strings.Builder
		writePyString(&b, tt.in)
		if b.String() != tt.want {
			t.Errorf("writePyString(%q) = %s, want %s", tt.in, b.String(), tt.want)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZIP"}, true},
		{[]string{"br, gzip, deflate"}, true},
		{[]string{"br", "gzip"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.000"}, false},
		{[]string{"gzip;q=0.5"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"*, gzip;q=0"}, false},
		{[]string{"gzip;q=0, *"}, false},
		{[]string{"identity"}, false},
		{[]string{"deflate, br"}, false},
		{[]string{"gzipx"}, false},
	}
	for _, tt := range tests {
		if got := acceptsGzip(tt.header); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestEscapePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"css/site.abc.css", "css/site.abc.css"},
		{"img/my file.png", "img/my%20file.png"},
		{"img/café.png", "img/caf%C3%A9.png"},
		{"a/b~c!(d)*'.png", "a/b~c!(d)*'.png"},
		{"a?b#c%.png", "a%3Fb%23c%25.png"},
	}
	for _, tt := range tests {
		if got := escapePath(tt.in); got != tt.want {
			t.Errorf("escapePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
