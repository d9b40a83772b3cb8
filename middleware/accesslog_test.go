package middleware

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("bad log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestAccessLog(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	mws := []web.Middleware{
		must(AccessLog(AccessLogConfig{Logger: logger})),
		must(RequestIDs(RequestIDConfig{Generate: func() string { return "rid" }})),
	}
	routes := []urls.Entry{
		urls.Path("", text("hello")),
		urls.Path("stream/", func(*web.Request) (*web.Response, error) {
			return web.Stream("text/plain", func(w io.Writer) error {
				_, _ = io.WriteString(w, "abc")
				web.Flush(w)
				_, err := io.WriteString(w, "defg")
				return err
			}), nil
		}),
		urls.Path("handler/", web.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, "made")
		})),
		urls.Path("file/", func(*web.Request) (*web.Response, error) {
			return web.FileFS(fstest.MapFS{"a.txt": {Data: []byte("file body!")}}, "a.txt"), nil
		}),
		urls.Path("handler404/", func(r *web.Request) (*web.Response, error) {
			resp := web.FromHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, "gone!")
			}))
			resp.Status = http.StatusNotFound
			return resp, nil
		}),
	}
	c := client(t, web.Site{}, mws, routes...)
	c.Get("/?token=secret")
	c.Get("/stream/")
	c.Post("/handler/", nil)
	c.Get("/file/")
	c.Get("/handler404/")
	c.Get("/missing")

	want := []struct {
		method, path string
		status       float64
		bytes        float64
	}{
		{"GET", "/", 200, 5},
		{"GET", "/stream/", 200, 7},
		{"POST", "/handler/", 201, 4},
		{"GET", "/file/", 200, 10},
		{"GET", "/handler404/", 404, 5},
		{"GET", "/missing", 404, -1}, // the gateway's page: size checked below
	}
	lines := logLines(t, &buf)
	var access []map[string]any
	for _, l := range lines {
		if l["msg"] == "request" {
			access = append(access, l)
		}
	}
	if len(access) != len(want) {
		t.Fatalf("%d access lines, want %d: %s", len(access), len(want), buf.String())
	}
	for i, w := range want {
		l := access[i]
		if l["level"] != "INFO" || l["method"] != w.method || l["path"] != w.path || l["status"] != w.status || l["request_id"] != "rid" {
			t.Errorf("line %d = %v", i, l)
		}
		if _, ok := l["duration"]; !ok {
			t.Errorf("line %d has no duration", i)
		}
		if w.bytes >= 0 && l["bytes"] != w.bytes {
			t.Errorf("line %d: bytes %v, want %v", i, l["bytes"], w.bytes)
		}
		if w.bytes < 0 && !(l["bytes"].(float64) > 0) {
			t.Errorf("line %d: bytes %v", i, l["bytes"])
		}
	}
}

func TestAccessLogLevel(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c := client(t, web.Site{}, []web.Middleware{must(AccessLog(AccessLogConfig{Logger: logger}))}, urls.Path("", text("x")))
	c.Get("/")
	if buf.Len() != 0 {
		t.Fatalf("Info line written to a Warn logger: %s", buf.String())
	}
	c = client(t, web.Site{}, []web.Middleware{must(AccessLog(AccessLogConfig{Logger: logger, Level: slog.LevelWarn, Message: "access"}))}, urls.Path("", text("x")))
	c.Get("/")
	if !strings.Contains(buf.String(), "level=WARN msg=access method=GET path=/ status=200") {
		t.Fatalf("line %q", buf.String())
	}
}
