package middleware

import (
	"slices"
	"strings"
	"testing"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

func TestNames(t *testing.T) {
	want := []string{"access_log", "common", "conditional_get", "gzip", "request_id", "security", "xframe"}
	names := Names()
	if got := sortedKeys(names); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	for name, construct := range names {
		if mw, err := construct(Config{}); err != nil || mw == nil {
			t.Errorf("%s with the defaults: %v, %v", name, mw, err)
		}
	}
	names["custom"] = nil
	if _, ok := Names()["custom"]; ok {
		t.Fatal("Names returned a shared map")
	}
}

func TestBuild(t *testing.T) {
	mws, err := Build([]string{"security", "common", "xframe"}, Config{XFrame: XFrameConfig{Value: "sameorigin"}})
	if err != nil || len(mws) != 3 {
		t.Fatalf("Build: %d middleware, %v", len(mws), err)
	}
	c := client(t, web.Site{}, mws, urls.Path("", text("ok")))
	resp := c.Get("/")
	if resp.Header.Get("X-Frame-Options") != "SAMEORIGIN" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("headers %v", resp.Header)
	}

	_, err = Build([]string{"security", "sessions", "xframe", "gzip"}, Config{
		Security: SecurityConfig{ReferrerPolicy: []string{"nope"}},
		XFrame:   XFrameConfig{Value: "ALLOWALL"},
	})
	if err == nil {
		t.Fatal("Build accepted an unknown name and bad values")
	}
	for _, w := range []string{`unknown middleware "sessions"`, "known names: access_log, common,", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}
