package middleware

import (
	"strings"
	"testing"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// echoID answers with the request's id, as a view that logs it would see it.
func echoID(r *web.Request) (*web.Response, error) { return web.Text(RequestID(r)), nil }

func isBase32ID(s string) bool {
	return len(s) == 26 && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == ""
}

func TestRequestIDGenerated(t *testing.T) {
	c := client(t, web.Site{}, []web.Middleware{must(RequestIDs(RequestIDConfig{}))}, urls.Path("", echoID))
	a := c.Do(request("GET", "/", map[string]string{"X-Request-ID": "from-client"}))
	b := c.Get("/")
	idA, idB := a.Header.Get("X-Request-ID"), b.Header.Get("X-Request-ID")
	if !isBase32ID(idA) || !isBase32ID(idB) || idA == idB {
		t.Fatalf("ids %q and %q: want two different 26-character base32 ids", idA, idB)
	}
	if a.Text() != idA {
		t.Fatalf("view saw %q, response says %q", a.Text(), idA)
	}
}

func TestRequestIDTrusted(t *testing.T) {
	mw := must(RequestIDs(RequestIDConfig{TrustIncoming: true}))
	tests := []struct {
		incoming string
		kept     bool
	}{
		{"abc-123", true},
		{"0f3c1e9a-57b2-4f0e-9d4c-1a2b3c4d5e6f", true},
		{"a:b/c+d=e", true},
		{"", false},
		{"has space", false},
		{"tab\there", false},
		{"é", false},
		{strings.Repeat("x", 200), true},
		{strings.Repeat("x", 201), false},
	}
	c := client(t, web.Site{}, []web.Middleware{mw}, urls.Path("", echoID))
	for _, tt := range tests {
		r := request("GET", "/", nil)
		if tt.incoming != "" {
			r.Header["X-Request-Id"] = []string{tt.incoming}
		}
		resp := c.Do(r)
		id := resp.Header.Get("X-Request-ID")
		if tt.kept && id != tt.incoming || !tt.kept && !isBase32ID(id) || resp.Text() != id {
			t.Errorf("incoming %q: id %q (view saw %q), kept %v", tt.incoming, id, resp.Text(), tt.kept)
		}
	}
}

func TestRequestIDConfig(t *testing.T) {
	n := 0
	mw := must(RequestIDs(RequestIDConfig{Header: "x-correlation-id", Generate: func() string { n++; return "id-" + string(rune('0'+n)) }}))
	own := func(*web.Request) (*web.Response, error) {
		resp := web.Text("mine")
		resp.Header().Set("X-Correlation-Id", "set-by-view")
		return resp, nil
	}
	c := client(t, web.Site{}, []web.Middleware{mw}, urls.Path("", echoID), urls.Path("own/", own))
	if resp := c.Get("/"); resp.Header.Get("X-Correlation-ID") != "id-1" || resp.Text() != "id-1" {
		t.Fatalf("custom header and generator: %q %q", resp.Header.Get("X-Correlation-ID"), resp.Text())
	}
	if resp := c.Get("/own/"); resp.Header.Get("X-Correlation-ID") != "set-by-view" {
		t.Fatalf("view's header replaced: %q", resp.Header.Get("X-Correlation-ID"))
	}
	if _, err := RequestIDs(RequestIDConfig{Header: "X Request"}); err == nil {
		t.Fatal("a header name with a space was accepted")
	}
	if id := RequestID(web.NewRequest(request("GET", "/", nil), nil)); id != "" {
		t.Fatalf("RequestID without the middleware = %q", id)
	}
}
