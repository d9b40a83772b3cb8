package middleware

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

var compressible = strings.Repeat("Canter compresses this line of text. ", 20) // 740 bytes

func gunzip(t testing.TB, b []byte) (string, *gzip.Header) {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip stream: %v", err)
	}
	return string(out), &zr.Header
}

func TestGZip(t *testing.T) {
	random := make([]byte, 500)
	_, _ = rand.Read(random)
	body := func(b string, headers ...string) web.View {
		return func(*web.Request) (*web.Response, error) {
			resp := web.Text(b)
			for i := 0; i+1 < len(headers); i += 2 {
				resp.Header().Add(headers[i], headers[i+1])
			}
			return resp, nil
		}
	}
	tests := []struct {
		name       string
		view       web.View
		accept     string
		compressed bool
		vary       string
		etag       string
	}{
		{"compressed", body(compressible), "gzip, deflate, br", true, "Accept-Encoding", ""},
		{"gzip with q", body(compressible), "br;q=1.0, gzip;q=0.8", true, "Accept-Encoding", ""},
		{"x-gzip is a word match too", body(compressible), "x-gzip", true, "Accept-Encoding", ""},
		{"gzip as part of a word", body(compressible), "gzipped", false, "Accept-Encoding", ""},
		{"case-sensitive as Django", body(compressible), "GZIP", false, "Accept-Encoding", ""},
		{"no accept-encoding", body(compressible), "", false, "Accept-Encoding", ""},
		{"199 bytes", body(compressible[:199]), "gzip", false, "", ""},
		{"200 bytes", body(compressible[:200]), "gzip", true, "Accept-Encoding", ""},
		{"already encoded", body(compressible, "Content-Encoding", "br"), "gzip", false, "", ""},
		{"not smaller", body(string(random)), "gzip", false, "Accept-Encoding", ""},
		{"vary appended", body(compressible, "Vary", "Cookie"), "gzip", true, "Cookie, Accept-Encoding", ""},
		{"vary present", body(compressible, "Vary", "Cookie, accept-encoding"), "gzip", true, "Cookie, accept-encoding", ""},
		{"vary star", body(compressible, "Vary", "*"), "gzip", true, "*", ""},
		{"strong etag weakened", body(compressible, "ETag", `"v1"`), "gzip", true, "Accept-Encoding", `W/"v1"`},
		{"weak etag kept", body(compressible, "ETag", `W/"v1"`), "gzip", true, "Accept-Encoding", `W/"v1"`},
		{"etag kept when not compressed", body(compressible, "ETag", `"v1"`), "", false, "Accept-Encoding", `"v1"`},
	}
	mw := must(GZip(GZipConfig{}))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, web.Site{}, []web.Middleware{mw}, urls.Path("", tt.view))
			var h map[string]string
			if tt.accept != "" {
				h = map[string]string{"Accept-Encoding": tt.accept}
			}
			resp := c.Do(request("GET", "/", h))
			if got := resp.Header.Get("Vary"); got != tt.vary {
				t.Errorf("Vary = %q, want %q", got, tt.vary)
			}
			if got := resp.Header.Get("ETag"); got != tt.etag {
				t.Errorf("ETag = %q, want %q", got, tt.etag)
			}
			if !tt.compressed {
				if resp.Header.Get("Content-Encoding") == "gzip" {
					t.Fatalf("compressed, want the body as is")
				}
				return
			}
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding = %q, want gzip", resp.Header.Get("Content-Encoding"))
			}
			if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(resp.Content)) {
				t.Errorf("Content-Length = %q, body has %d bytes", cl, len(resp.Content))
			}
			plain, _ := gunzip(t, resp.Content)
			want, _ := tt.view(nil)
			if plain != string(want.Body) {
				t.Errorf("decompressed body differs")
			}
		})
	}
}

// TestGZipBREACHPadding checks the header Django 4.2 writes: gzip magic, deflate, FNAME set,
// mtime 0, unknown OS, then a file name of 0–99 "a" bytes that differs between responses.
func TestGZipBREACHPadding(t *testing.T) {
	c := client(t, web.Site{}, []web.Middleware{must(GZip(GZipConfig{}))}, urls.Path("", text(compressible)))
	lengths := map[int]bool{}
	for range 200 {
		resp := c.Do(request("GET", "/", map[string]string{"Accept-Encoding": "gzip"}))
		b := resp.Content
		if len(b) < 11 || b[0] != 0x1f || b[1] != 0x8b || b[2] != 8 || b[3] != 0x08 ||
			!bytes.Equal(b[4:8], []byte{0, 0, 0, 0}) || b[8] != 0 || b[9] != 255 {
			t.Fatalf("header % x", b[:min(len(b), 10)])
		}
		plain, hdr := gunzip(t, b)
		if plain != compressible {
			t.Fatal("decompressed body differs")
		}
		if len(hdr.Name) >= 100 || strings.Trim(hdr.Name, "a") != "" {
			t.Fatalf("file name %q, want 0 to 99 'a's", hdr.Name)
		}
		lengths[len(hdr.Name)] = true
	}
	if len(lengths) < 20 {
		t.Fatalf("only %d distinct padding lengths in 200 responses", len(lengths))
	}
}

func TestGZipConfig(t *testing.T) {
	// No padding: a plain gzip header (no FNAME); level 9 marks the header as Python's does.
	c := client(t, web.Site{}, []web.Middleware{must(GZip(GZipConfig{MaxRandomBytes: -1, Level: 9}))}, urls.Path("", text(compressible)))
	b := c.Do(request("GET", "/", map[string]string{"Accept-Encoding": "gzip"})).Content
	if b[3] != 0 || b[8] != 2 {
		t.Fatalf("header % x: want flags 0 and XFL 2", b[:10])
	}
	if plain, _ := gunzip(t, b); plain != compressible {
		t.Fatal("decompressed body differs")
	}

	c = client(t, web.Site{}, []web.Middleware{must(GZip(GZipConfig{MinLength: 1000}))}, urls.Path("", text(compressible)))
	if resp := c.Do(request("GET", "/", map[string]string{"Accept-Encoding": "gzip"})); resp.Header.Get("Content-Encoding") != "" {
		t.Fatal("MinLength 1000 compressed a 740-byte body")
	}

	for _, bad := range []GZipConfig{{Level: 10}, {Level: -3}, {MinLength: -1}, {MaxRandomBytes: 5000}} {
		if _, err := GZip(bad); err == nil {
			t.Errorf("GZip(%+v) accepted", bad)
		}
	}
}

func TestGZipLeavesHandlersAlone(t *testing.T) {
	view := web.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, compressible) })
	c := client(t, web.Site{}, []web.Middleware{must(GZip(GZipConfig{}))}, urls.Path("", view))
	resp := c.Do(request("GET", "/", map[string]string{"Accept-Encoding": "gzip"}))
	if resp.Header.Get("Content-Encoding") != "" || resp.Text() != compressible {
		t.Fatalf("handler response changed: %q", resp.Header.Get("Content-Encoding"))
	}
}

// flushRecorder records what was written at every flush.
type flushRecorder struct {
	bytes.Buffer
	flushes []int
}

func (f *flushRecorder) Flush() { f.flushes = append(f.flushes, f.Len()) }

func TestGZipStream(t *testing.T) {
	chunks := []string{"first chunk\n", strings.Repeat("second ", 100), "third\n"}
	view := func(*web.Request) (*web.Response, error) {
		resp := web.Stream("text/plain", func(w io.Writer) error {
			for _, c := range chunks {
				if _, err := io.WriteString(w, c); err != nil {
					return err
				}
				web.Flush(w)
			}
			return nil
		})
		resp.Header().Set("Content-Length", "999")
		resp.Header().Set("ETag", `"s"`)
		return resp, nil
	}

	t.Run("through the gateway", func(t *testing.T) {
		c := client(t, web.Site{}, []web.Middleware{must(GZip(GZipConfig{}))}, urls.Path("", view))
		resp := c.Do(request("GET", "/", map[string]string{"Accept-Encoding": "gzip"}))
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Length") != "" ||
			resp.Header.Get("Vary") != "Accept-Encoding" || resp.Header.Get("ETag") != `W/"s"` {
			t.Fatalf("headers %v", resp.Header)
		}
		if plain, _ := gunzip(t, resp.Content); plain != strings.Join(chunks, "") {
			t.Fatalf("decompressed %q", plain)
		}
	})

	t.Run("flushes reach the client", func(t *testing.T) {
		r := web.NewRequest(request("GET", "/", map[string]string{"Accept-Encoding": "gzip"}), nil)
		resp, _ := must(GZip(GZipConfig{})).Wrap(view)(r)
		var rec flushRecorder
		if err := resp.Stream(&rec); err != nil {
			t.Fatal(err)
		}
		if len(rec.flushes) != len(chunks) {
			t.Fatalf("%d flushes, want %d", len(rec.flushes), len(chunks))
		}
		all := rec.Bytes()
		sent := ""
		for i, n := range rec.flushes {
			// What was sent by the i-th flush decompresses to every chunk written so far.
			sent += chunks[i]
			zr, err := gzip.NewReader(bytes.NewReader(all[:n]))
			if err != nil {
				t.Fatalf("flush %d: %v", i, err)
			}
			got := make([]byte, len(sent))
			if _, err := io.ReadFull(zr, got); err != nil || string(got) != sent {
				t.Fatalf("flush %d: read %q, %v; want %q", i, got, err, sent)
			}
		}
	})

	t.Run("small streams are compressed too", func(t *testing.T) {
		small := func(*web.Request) (*web.Response, error) {
			return web.Stream("text/plain", func(w io.Writer) error { _, err := io.WriteString(w, "hi"); return err }), nil
		}
		c := client(t, web.Site{}, []web.Middleware{must(GZip(GZipConfig{}))}, urls.Path("", small))
		resp := c.Do(request("GET", "/", map[string]string{"Accept-Encoding": "gzip"}))
		if plain, _ := gunzip(t, resp.Content); plain != "hi" {
			t.Fatalf("got %q", plain)
		}
	})

	t.Run("writer unusable after the stream", func(t *testing.T) {
		var kept io.Writer
		leaky := func(*web.Request) (*web.Response, error) {
			return web.Stream("text/plain", func(w io.Writer) error { kept = w; _, err := io.WriteString(w, "x"); return err }), nil
		}
		r := web.NewRequest(request("GET", "/", map[string]string{"Accept-Encoding": "gzip"}), nil)
		resp, _ := must(GZip(GZipConfig{})).Wrap(leaky)(r)
		if err := resp.Stream(io.Discard); err != nil {
			t.Fatal(err)
		}
		if _, err := kept.Write([]byte("late")); !errors.Is(err, errStreamDone) {
			t.Fatalf("late write: %v", err)
		}
	})

	t.Run("stream error passed on", func(t *testing.T) {
		boom := errors.New("boom")
		failing := func(*web.Request) (*web.Response, error) {
			return web.Stream("text/plain", func(w io.Writer) error { return boom }), nil
		}
		r := web.NewRequest(request("GET", "/", map[string]string{"Accept-Encoding": "gzip"}), nil)
		resp, _ := must(GZip(GZipConfig{})).Wrap(failing)(r)
		if err := resp.Stream(io.Discard); !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestGZipConcurrent shares one middleware (and its pools) between many requests; run with
// -race.
func TestGZipConcurrent(t *testing.T) {
	h := newSite(t, web.Site{}, []web.Middleware{must(GZip(GZipConfig{}))},
		urls.Path("", text(compressible)),
		urls.Path("stream/", func(*web.Request) (*web.Response, error) {
			return web.Stream("text/plain", func(w io.Writer) error { _, err := io.WriteString(w, compressible); return err }), nil
		}))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := clientFor(t, h)
			path := "/"
			if i%2 == 1 {
				path = "/stream/"
			}
			for range 20 {
				resp := c.Do(request("GET", path, map[string]string{"Accept-Encoding": "gzip"}))
				zr, err := gzip.NewReader(bytes.NewReader(resp.Content))
				if err != nil {
					t.Error(err)
					return
				}
				if b, err := io.ReadAll(zr); err != nil || string(b) != compressible {
					t.Errorf("%s: %v", path, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestGZipBodyIsOwned(t *testing.T) {
	// A compressed body must not share memory with the pooled buffer the next response uses.
	mw := must(GZip(GZipConfig{MaxRandomBytes: -1}))
	r := func() *web.Request {
		return web.NewRequest(request("GET", "/", map[string]string{"Accept-Encoding": "gzip"}), nil)
	}
	a, _ := mw.Wrap(text(compressible))(r())
	saved := bytes.Clone(a.Body)
	other := strings.Repeat("something else entirely, to overwrite a shared buffer. ", 30)
	for range 10 {
		_, _ = mw.Wrap(text(other))(r())
	}
	if !bytes.Equal(a.Body, saved) {
		t.Fatal("a compressed body changed after later responses")
	}
}
