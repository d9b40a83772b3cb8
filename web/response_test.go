package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/canter-go/canter/web"
)

func TestSetDefaultHeader(t *testing.T) {
	tests := []struct {
		name string
		make func() *web.Response
		want http.Header
	}{
		{"absent headers are set", func() *web.Response {
			r := web.Text("x")
			r.SetDefaultHeader("X-Frame-Options", "DENY")
			r.SetDefaultHeader("Referrer-Policy", "same-origin")
			return r
		}, http.Header{"Content-Type": {web.TextPlain}, "X-Frame-Options": {"DENY"}, "Referrer-Policy": {"same-origin"}}},
		{"the first value wins", func() *web.Response {
			r := web.Text("x")
			r.SetDefaultHeader("X-Frame-Options", "SAMEORIGIN")
			r.SetDefaultHeader("X-Frame-Options", "DENY")
			return r
		}, http.Header{"Content-Type": {web.TextPlain}, "X-Frame-Options": {"SAMEORIGIN"}}},
		{"a header the view set wins", func() *web.Response {
			r := web.Text("x")
			r.Header().Set("X-Frame-Options", "SAMEORIGIN")
			r.SetDefaultHeader("X-Frame-Options", "DENY")
			return r
		}, http.Header{"Content-Type": {web.TextPlain}, "X-Frame-Options": {"SAMEORIGIN"}}},
		{"an empty header the view set is present", func() *web.Response {
			r := web.Text("x")
			r.Header()["Vary"] = []string{}
			r.SetDefaultHeader("Vary", "Cookie")
			return r
		}, http.Header{"Content-Type": {web.TextPlain}, "Vary": {}}},
		{"the constructor's content type is present", func() *web.Response {
			r := web.HTML("<p>")
			r.SetDefaultHeader("Content-Type", "text/css")
			return r
		}, http.Header{"Content-Type": {web.TextHTML}}},
		{"a response without a content type gets one", func() *web.Response {
			r := web.NewResponse(200)
			r.SetDefaultHeader("Content-Type", "text/css")
			return r
		}, http.Header{"Content-Type": {"text/css"}}},
		{"keys are canonicalized", func() *web.Response {
			r := web.NewResponse(200)
			r.SetDefaultHeader("x-frame-options", "DENY")
			r.SetDefaultHeader("X-FRAME-OPTIONS", "SAMEORIGIN")
			r.SetDefaultHeader("cross-origin-opener-policy", "same-origin")
			return r
		}, http.Header{"X-Frame-Options": {"DENY"}, "Cross-Origin-Opener-Policy": {"same-origin"}}},
		{"more headers than fit without a map", func() *web.Response {
			r := web.Text("x")
			for i := range 9 {
				r.SetDefaultHeader(fmt.Sprintf("X-H%d", i), fmt.Sprint(i))
			}
			r.SetDefaultHeader("X-H0", "again")
			r.SetDefaultHeader("X-H8", "again")
			return r
		}, http.Header{"Content-Type": {web.TextPlain}, "X-H0": {"0"}, "X-H1": {"1"}, "X-H2": {"2"}, "X-H3": {"3"},
			"X-H4": {"4"}, "X-H5": {"5"}, "X-H6": {"6"}, "X-H7": {"7"}, "X-H8": {"8"}}},
		{"more common headers than fit without a map", func() *web.Response {
			r := web.Redirect("/next")
			for _, k := range []string{"X-Frame-Options", "Content-Type", "X-Content-Type-Options", "Referrer-Policy",
				"Cross-Origin-Opener-Policy", "Strict-Transport-Security", "Vary", "Cache-Control", "Etag"} {
				r.SetDefaultHeader(k, k)
			}
			r.SetDefaultHeader("Referrer-Policy", "again")
			r.SetDefaultHeader("Cache-Control", "again")
			return r
		}, http.Header{"Location": {"/next"}, "X-Frame-Options": {"X-Frame-Options"}, "Content-Type": {"Content-Type"},
			"X-Content-Type-Options": {"X-Content-Type-Options"}, "Referrer-Policy": {"Referrer-Policy"},
			"Cross-Origin-Opener-Policy": {"Cross-Origin-Opener-Policy"}, "Strict-Transport-Security": {"Strict-Transport-Security"},
			"Vary": {"Vary"}, "Cache-Control": {"Cache-Control"}, "Etag": {"Etag"}}},
		{"common and other headers", func() *web.Response {
			r := web.Text("x")
			r.SetDefaultHeader("X-Custom", "1")
			r.SetDefaultHeader("x-frame-options", "DENY")
			r.SetDefaultHeader("x-custom", "2")
			r.SetDefaultHeader("X-Frame-Options", "SAMEORIGIN")
			r.SetDefaultHeader("ETag", `"v1"`)
			return r
		}, http.Header{"Content-Type": {web.TextPlain}, "X-Custom": {"1"}, "X-Frame-Options": {"DENY"}, "Etag": {`"v1"`}}},
		{"defaults after Header was called", func() *web.Response {
			r := web.Text("x")
			r.SetDefaultHeader("X-A", "1")
			r.Header().Add("X-A", "2")
			r.SetDefaultHeader("X-A", "3")
			r.SetDefaultHeader("X-B", "4")
			r.SetDefaultHeader("Content-Type", "text/css")
			r.SetDefaultHeader("vary", "Cookie")
			r.SetDefaultHeader("Vary", "Accept")
			return r
		}, http.Header{"Content-Type": {web.TextPlain}, "X-A": {"1", "2"}, "X-B": {"4"}, "Vary": {"Cookie"}}},
		{"common headers after Header was called", func() *web.Response {
			r := web.Text("x")
			r.SetDefaultHeader("Vary", "Cookie")
			r.Header().Add("Vary", "Accept")
			r.SetDefaultHeader("Vary", "Origin")
			r.SetDefaultHeader("X-Frame-Options", "DENY")
			return r
		}, http.Header{"Content-Type": {web.TextPlain}, "Vary": {"Cookie", "Accept"}, "X-Frame-Options": {"DENY"}}},
		{"a redirect's location", func() *web.Response {
			r := web.Redirect("/next")
			r.SetDefaultHeader("Location", "/elsewhere")
			return r
		}, http.Header{"Location": {"/next"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// What Write sends, before anything calls Header.
			rec := httptest.NewRecorder()
			if err := tt.make().Write(rec, httptest.NewRequest("GET", "/", nil)); err != nil {
				t.Fatal(err)
			}
			if got := rec.Header(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("written headers = %v, want %v", got, tt.want)
			}
			// What middleware reading Header sees.
			r := tt.make()
			if got := r.Header(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Header() = %v, want %v", got, tt.want)
			}
			if got, want := r.ContentType(), tt.want.Get("Content-Type"); got != want {
				t.Errorf("ContentType() = %q, want %q", got, want)
			}
		})
	}
}

// Text and HTML keep a short body in the response's own allocation; the body is a copy of the
// string either way, and appending to it never writes past it.
func TestTextBodies(t *testing.T) {
	for _, s := range []string{"", "OK", strings.Repeat("x", 32), strings.Repeat("y", 33), strings.Repeat("z", 5000)} {
		for _, make := range []func(string) *web.Response{web.Text, web.HTML} {
			r := make(s)
			if string(r.Body) != s {
				t.Errorf("body of %d bytes: %d bytes", len(s), len(r.Body))
			}
			if len(s) <= 32 && cap(r.Body) != len(s) {
				t.Errorf("a short body of %d bytes has room for %d", len(s), cap(r.Body))
			}
			grown := append(r.Body, '!')
			if string(r.Body) != s || string(grown) != s+"!" {
				t.Errorf("appending to a body of %d bytes changed it", len(s))
			}
			rec := httptest.NewRecorder()
			if err := r.Write(rec, httptest.NewRequest("GET", "/", nil)); err != nil || rec.Body.String() != s {
				t.Errorf("written body of %d bytes: %d bytes, %v", len(s), rec.Body.Len(), err)
			}
		}
	}
}

func TestContentTypeWithoutHeaderMap(t *testing.T) {
	r := web.Bytes("image/png", []byte{1})
	r.SetDefaultHeader("X-Frame-Options", "DENY")
	if got := r.ContentType(); got != "image/png" {
		t.Errorf("ContentType() = %q, want image/png", got)
	}
	if got := web.Bytes("", []byte{1}).ContentType(); got != "" {
		t.Errorf("ContentType() of Bytes without a type = %q, want none", got)
	}
	if _, ok := web.Bytes("", []byte{1}).Header()["Content-Type"]; ok {
		t.Error("Bytes without a type has a Content-Type header")
	}
}

// Values set as defaults share no memory: appending to one header's values or changing the
// response after Write leaves the others, and what was written, as they were.
func TestDefaultHeadersDoNotShareValues(t *testing.T) {
	r := web.Text("x")
	r.SetDefaultHeader("Vary", "a")
	r.SetDefaultHeader("Cache-Control", "b")
	rec := httptest.NewRecorder()
	if err := r.Write(rec, httptest.NewRequest("GET", "/", nil)); err != nil {
		t.Fatal(err)
	}
	r.SetDefaultHeader("Etag", "c")
	h := r.Header()
	h["Vary"] = append(h["Vary"], "a2")
	h.Set("Cache-Control", "changed")
	if got := h["Cache-Control"]; !reflect.DeepEqual(got, []string{"changed"}) {
		t.Errorf("Cache-Control = %v", got)
	}
	if got := h["Etag"]; !reflect.DeepEqual(got, []string{"c"}) {
		t.Errorf("Etag = %v", got)
	}
	want := http.Header{"Content-Type": {web.TextPlain}, "Vary": {"a"}, "Cache-Control": {"b"}}
	if got := rec.Header(); !reflect.DeepEqual(got, want) {
		t.Errorf("written headers changed to %v, want %v", got, want)
	}
	other := web.Text("y")
	other.SetDefaultHeader("Vary", "other")
	if got := other.Header()["Vary"]; !reflect.DeepEqual(got, []string{"other"}) {
		t.Errorf("a second response's Vary = %v", got)
	}
}

// TestDefaultHeaderAllocations pins the cost of a plaintext response with the headers the
// default middleware adds: one allocation for the response and its short body, nothing for the
// headers.
func TestDefaultHeaderAllocations(t *testing.T) {
	w := &headerOnlyWriter{h: http.Header{}}
	req := httptest.NewRequest("GET", "/", nil)
	allocs := testing.AllocsPerRun(200, func() {
		clear(w.h)
		r := web.Text("Hello, World!")
		r.SetDefaultHeader("X-Content-Type-Options", "nosniff")
		r.SetDefaultHeader("Referrer-Policy", "same-origin")
		r.SetDefaultHeader("Cross-Origin-Opener-Policy", "same-origin")
		r.SetDefaultHeader("X-Frame-Options", "DENY")
		if err := r.Write(w, req); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("a text response with four default headers: %.0f allocations, want 1 (the response, which holds a short body)", allocs)
	}
}

type headerOnlyWriter struct{ h http.Header }

func (w *headerOnlyWriter) Header() http.Header         { return w.h }
func (w *headerOnlyWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *headerOnlyWriter) WriteHeader(int)             {}

func BenchmarkTextWithDefaultHeaders(b *testing.B) {
	w := &headerOnlyWriter{h: http.Header{}}
	req := httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		r := web.Text("Hello, World!")
		r.SetDefaultHeader("X-Content-Type-Options", "nosniff")
		r.SetDefaultHeader("Referrer-Policy", "same-origin")
		r.SetDefaultHeader("Cross-Origin-Opener-Policy", "same-origin")
		r.SetDefaultHeader("X-Frame-Options", "DENY")
		_ = r.Write(w, req)
	}
}

// A middleware adds a header to every response unless the view chose its own, without
// making the response's header map.
func ExampleResponse_SetDefaultHeader() {
	framed := func(r *web.Request) (*web.Response, error) {
		resp := web.Text("may be framed by the same site")
		resp.Header().Set("X-Frame-Options", "SAMEORIGIN")
		return resp, nil
	}
	plain := func(r *web.Request) (*web.Response, error) { return web.Text("hello"), nil }
	deny := web.MiddlewareFunc(func(next web.View) web.View {
		return func(r *web.Request) (*web.Response, error) {
			resp, err := next(r)
			if err != nil {
				return nil, err
			}
			resp.SetDefaultHeader("X-Frame-Options", "DENY")
			return resp, nil
		}
	})
	for _, view := range []web.View{framed, plain} {
		resp, _ := deny.Wrap(view)(web.NewRequest(httptest.NewRequest("GET", "/", nil), nil))
		fmt.Println(resp.Header().Get("X-Frame-Options"))
	}
	// Output:
	// SAMEORIGIN
	// DENY
}
