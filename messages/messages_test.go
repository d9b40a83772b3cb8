package messages_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/messages"
	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

func site(t *testing.T, store sessions.Store) *handler.Handler {
	mw, err := sessions.New(sessions.Config{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	router, err := urls.New(
		urls.Path("add", func(r *web.Request) (*web.Response, error) {
			messages.Success(r, "Saved.")
			messages.Add(r, messages.LevelWarning, "Check the date.", "calendar")
			messages.Debug(r, "dropped below the minimum level")
			return web.Text("added"), nil
		}),
		urls.Path("show", func(r *web.Request) (*web.Response, error) {
			var parts []string
			for _, m := range messages.Get(r) {
				parts = append(parts, m.Tags()+": "+m.Text)
			}
			return web.Text(strings.Join(parts, "|")), nil
		}),
		urls.Path("raw", func(r *web.Request) (*web.Response, error) {
			v, _ := sessions.Get(r).GetString(messages.SessionKey)
			return web.Text(v), nil
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return handler.New(handler.Config{Site: web.Site{Resolver: router, AllowedHosts: []string{"testserver"}}, Middleware: []web.Middleware{mw}})
}

func TestShownOnce(t *testing.T) {
	c := cantertest.New(t, site(t, memstore.New()))
	c.Get("/add")
	raw := c.Get("/raw").Text()
	// Django's encoding: a JSON string of ["__json_message", is_safedata, level, message, extra_tags].
	var items [][]any
	if err := json.Unmarshal([]byte(raw), &items); err != nil || len(items) != 2 ||
		fmt.Sprint(items[0]) != "[__json_message 0 25 Saved.]" || fmt.Sprint(items[1]) != "[__json_message 0 30 Check the date. calendar]" {
		t.Fatalf("stored %q (%v)", raw, err)
	}
	if got := c.Get("/show").Text(); got != "success: Saved.|calendar warning: Check the date." {
		t.Errorf("first read %q", got)
	}
	if got := c.Get("/show").Text(); got != "" {
		t.Errorf("second read %q: messages are shown once", got)
	}
}

func TestWithoutSession(t *testing.T) {
	r := web.NewRequest(httptest.NewRequest("GET", "/", nil), nil)
	if err := messages.Info(r, "x"); err != messages.ErrNoSession {
		t.Errorf("Info without a session: %v", err)
	}
	if messages.Get(r) != nil {
		t.Error("Get without a session")
	}
}

func ExampleMessage_Tags() {
	m := messages.Message{Level: messages.LevelError, Text: "Payment failed.", ExtraTags: "billing"}
	fmt.Println(m.Tags())
	// Output: billing error
}
