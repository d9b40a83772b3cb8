package middleware

import (
	"strings"
	"testing"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

func TestXFrameOptions(t *testing.T) {
	allowAll := func(*web.Request) (*web.Response, error) {
		resp := web.Text("framed")
		resp.Header().Set("X-Frame-Options", "ALLOWALL")
		return resp, nil
	}
	tests := []struct {
		name  string
		cfg   XFrameConfig
		view  web.View
		want  string
		isSet bool
	}{
		{"default", XFrameConfig{}, text("ok"), "DENY", true},
		{"sameorigin", XFrameConfig{Value: "SAMEORIGIN"}, text("ok"), "SAMEORIGIN", true},
		{"upper-cased", XFrameConfig{Value: "sameOrigin"}, text("ok"), "SAMEORIGIN", true},
		{"view's value kept", XFrameConfig{}, allowAll, "ALLOWALL", true},
		{"exempt", XFrameConfig{}, XFrameExempt(text("ok")), "", false},
		{"deny decorator", XFrameConfig{Value: "SAMEORIGIN"}, XFrameDeny(text("ok")), "DENY", true},
		{"sameorigin decorator", XFrameConfig{}, XFrameSameOrigin(text("ok")), "SAMEORIGIN", true},
		{"decorator keeps view's value", XFrameConfig{}, XFrameSameOrigin(allowAll), "ALLOWALL", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, web.Site{}, []web.Middleware{must(XFrameOptions(tt.cfg))}, urls.Path("", tt.view))
			resp := c.Get("/")
			got, present := resp.Header["X-Frame-Options"]
			if present != tt.isSet || (present && (len(got) != 1 || got[0] != tt.want)) {
				t.Fatalf("X-Frame-Options = %q (present %v), want %q (present %v)", got, present, tt.want, tt.isSet)
			}
		})
	}
}

func TestXFrameOnErrorPages(t *testing.T) {
	c := client(t, web.Site{}, []web.Middleware{must(XFrameOptions(XFrameConfig{}))}, urls.Path("", text("ok")))
	if resp := c.Get("/missing"); resp.StatusCode != 404 || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("404 page: %d, X-Frame-Options %q", resp.StatusCode, resp.Header.Get("X-Frame-Options"))
	}
}

func TestXFrameDecoratorsWithoutMiddleware(t *testing.T) {
	c := client(t, web.Site{}, nil, urls.Path("deny/", XFrameDeny(text("ok"))), urls.Path("same/", XFrameSameOrigin(text("ok"))))
	if got := c.Get("/deny/").Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("XFrameDeny: %q", got)
	}
	if got := c.Get("/same/").Header.Get("X-Frame-Options"); got != "SAMEORIGIN" {
		t.Errorf("XFrameSameOrigin: %q", got)
	}
}

func TestXFrameDecoratorsKeepAttributes(t *testing.T) {
	v := NoAppendSlash(text("ok"))
	for name, d := range map[string]func(web.View) web.View{"exempt": XFrameExempt, "deny": XFrameDeny, "sameorigin": XFrameSameOrigin} {
		if web.Attr(d(v), noAppendSlashKey{}) == nil {
			t.Errorf("%s dropped the NoAppendSlash mark", name)
		}
	}
}

func TestXFrameDecoratorsPassErrors(t *testing.T) {
	failing := func(*web.Request) (*web.Response, error) { return nil, web.NotFound("gone") }
	for _, d := range []func(web.View) web.View{XFrameExempt, XFrameDeny, XFrameSameOrigin} {
		if resp, err := d(failing)(web.NewRequest(request("GET", "/", nil), nil)); resp != nil || web.StatusOf(err) != 404 {
			t.Errorf("decorated failing view: %v, %v", resp, err)
		}
	}
}

func TestXFrameConfigError(t *testing.T) {
	_, err := XFrameOptions(XFrameConfig{Value: "ALLOW-FROM https://example.com"})
	if err == nil || !strings.Contains(err.Error(), "X_FRAME_OPTIONS") || !strings.Contains(err.Error(), "DENY, SAMEORIGIN") {
		t.Fatalf("error = %v", err)
	}
}

func TestXFrameExemptSurvivesNotModified(t *testing.T) {
	// X-Frame-Options outside ConditionalGet: the 304 of an exempt page stays exempt.
	mws := []web.Middleware{must(XFrameOptions(XFrameConfig{})), must(ConditionalGet(ConditionalGetConfig{}))}
	c := client(t, web.Site{}, mws, urls.Path("", XFrameExempt(text("hello"))))
	resp := c.Do(request("GET", "/", map[string]string{"If-None-Match": helloETag}))
	if resp.StatusCode != 304 || resp.Header.Get("X-Frame-Options") != "" {
		t.Fatalf("%d, X-Frame-Options %q", resp.StatusCode, resp.Header.Get("X-Frame-Options"))
	}
}
