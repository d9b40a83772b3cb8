package handler_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// behaviour is what one middleware does in a scenario.
type behaviour struct {
	answerRequest   bool // process_request returns a response
	raiseRequest    bool // process_request raises
	answerView      bool // process_view returns a response
	answerException bool // process_exception returns a response
}

// djangoModel computes the call order and final response of Django's BaseHandler for
// MiddlewareMixin middleware, transcribed from load_middleware, MiddlewareMixin.__call__,
// _get_response and convert_exception_to_response (the spec, sections 1.1 and 1.2). It is a
// direct model of the Python code, written independently of the gateway.
func djangoModel(names []string, bs []behaviour, viewRaises bool) (trace []string, final string) {
	type panicked struct{}
	// convert_exception_to_response
	convert := func(get func() string) func() string {
		return func() (resp string) {
			defer func() {
				if recover() != nil {
					resp = "500"
				}
			}()
			return get()
		}
	}
	var viewMW []func() (string, bool)
	var excMW []func() (string, bool)
	getResponse := func() string { // _get_response
		for _, pv := range viewMW {
			if r, ok := pv(); ok {
				return r
			}
		}
		trace = append(trace, "view")
		if viewRaises {
			for _, pe := range excMW {
				if r, ok := pe(); ok {
					return r
				}
			}
			panic(panicked{})
		}
		return "view"
	}
	h := convert(getResponse)
	for i := len(names) - 1; i >= 0; i-- { // load_middleware walks MIDDLEWARE in reverse
		name, b, inner := names[i], bs[i], h
		viewMW = append([]func() (string, bool){func() (string, bool) {
			trace = append(trace, name+".view")
			return name + ".view", b.answerView
		}}, viewMW...)
		excMW = append(excMW, func() (string, bool) {
			trace = append(trace, name+".exception")
			return name + ".exception", b.answerException
		})
		call := func() string { // MiddlewareMixin.__call__
			trace = append(trace, name+".request")
			if b.raiseRequest {
				panic(panicked{})
			}
			var resp string
			if b.answerRequest {
				resp = name + ".request"
			} else {
				resp = inner()
			}
			trace = append(trace, name+".response")
			return resp
		}
		h = convert(call)
	}
	final = h()
	return trace, final
}

// recordingMiddleware builds the same middleware for the gateway with web.Hooks.
func recordingMiddleware(name string, b behaviour, trace *[]string) *web.Hooks {
	answer := func(what string) *web.Response { return web.Text(what) }
	return &web.Hooks{
		Request: func(r *web.Request) (*web.Response, error) {
			*trace = append(*trace, name+".request")
			if b.raiseRequest {
				panic(name + " request phase failed")
			}
			if b.answerRequest {
				return answer(name + ".request"), nil
			}
			return nil, nil
		},
		View: func(r *web.Request, view web.View) (*web.Response, error) {
			*trace = append(*trace, name+".view")
			if b.answerView {
				return answer(name + ".view"), nil
			}
			return nil, nil
		},
		Exception: func(r *web.Request, err error) (*web.Response, error) {
			*trace = append(*trace, name+".exception")
			if b.answerException {
				return answer(name + ".exception"), nil
			}
			return nil, nil
		},
		Response: func(r *web.Request, resp *web.Response) (*web.Response, error) {
			*trace = append(*trace, name+".response")
			return resp, nil
		},
	}
}

func behaviours() []behaviour {
	var out []behaviour
	for bits := 0; bits < 16; bits++ {
		out = append(out, behaviour{
			answerRequest:   bits&1 != 0,
			raiseRequest:    bits&2 != 0,
			answerView:      bits&4 != 0,
			answerException: bits&8 != 0,
		})
	}
	return out
}

func (b behaviour) String() string {
	var parts []string
	if b.answerRequest {
		parts = append(parts, "answers-request")
	}
	if b.raiseRequest {
		parts = append(parts, "raises-request")
	}
	if b.answerView {
		parts = append(parts, "answers-view")
	}
	if b.answerException {
		parts = append(parts, "answers-exception")
	}
	if len(parts) == 0 {
		return "passes"
	}
	return strings.Join(parts, "+")
}

// TestOnionMatchesDjango runs every combination of three middlewares, each answering early in
// the request phase, raising there, answering in process_view or in process_exception (or any
// mix), with a view that succeeds or raises, and compares the recorded call order and the final
// response with Django's.
func TestOnionMatchesDjango(t *testing.T) {
	names := []string{"A", "B", "C"}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	all := behaviours()
	cases := 0
	for _, a := range all {
		for _, b := range all {
			for _, c := range all {
				for _, viewRaises := range []bool{false, true} {
					bs := []behaviour{a, b, c}
					wantTrace, wantFinal := djangoModel(names, bs, viewRaises)

					var trace []string
					view := func(r *web.Request) (*web.Response, error) {
						trace = append(trace, "view")
						if viewRaises {
							return nil, fmt.Errorf("the view failed")
						}
						return web.Text("view"), nil
					}
					router, err := urls.New(urls.Path("/", view))
					if err != nil {
						t.Fatal(err)
					}
					var mws []web.Middleware
					for i, n := range names {
						mws = append(mws, recordingMiddleware(n, bs[i], &trace))
					}
					h := handler.New(handler.Config{
						Site:       web.Site{Resolver: router},
						Middleware: mws,
						Logger:     quiet,
					})
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))

					got := rec.Body.String()
					if rec.Code == http.StatusInternalServerError {
						got = "500"
					}
					if strings.Join(trace, " ") != strings.Join(wantTrace, " ") || got != wantFinal {
						t.Fatalf("A=%v B=%v C=%v viewRaises=%v\n got trace %v, response %q\nwant trace %v, response %q",
							a, b, c, viewRaises, trace, got, wantTrace, wantFinal)
					}
					cases++
				}
			}
		}
	}
	if cases != 16*16*16*2 {
		t.Fatalf("ran %d cases", cases)
	}
}

// TestOnionSpotChecks pins a few orders stated in the spec in words, independently of the model.
func TestOnionSpotChecks(t *testing.T) {
	tests := []struct {
		name       string
		bs         []behaviour
		viewRaises bool
		want       string
	}{
		{"plain", []behaviour{{}, {}, {}}, false,
			"A.request B.request C.request A.view B.view C.view view C.response B.response A.response"},
		{"B answers early: C skipped, A and B respond", []behaviour{{}, {answerRequest: true}, {}}, false,
			"A.request B.request B.response A.response"},
		{"B answers in process_view: the view and C.view skipped, all respond", []behaviour{{}, {answerView: true}, {}}, false,
			"A.request B.request C.request A.view B.view C.response B.response A.response"},
		{"view raises: process_exception bottom to top, B's answer wins", []behaviour{{answerException: true}, {answerException: true}, {}}, true,
			"A.request B.request C.request A.view B.view C.view view C.exception B.exception C.response B.response A.response"},
		{"B raises in its request phase: B's response phase is skipped", []behaviour{{}, {raiseRequest: true}, {}}, false,
			"A.request B.request A.response"},
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var trace []string
			view := func(r *web.Request) (*web.Response, error) {
				trace = append(trace, "view")
				if tt.viewRaises {
					panic("view panics")
				}
				return web.Text("ok"), nil
			}
			router, _ := urls.New(urls.Path("/", view))
			var mws []web.Middleware
			for i, n := range []string{"A", "B", "C"} {
				mws = append(mws, recordingMiddleware(n, tt.bs[i], &trace))
			}
			h := handler.New(handler.Config{Site: web.Site{Resolver: router}, Middleware: mws, Logger: quiet})
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
			if got := strings.Join(trace, " "); got != tt.want {
				t.Errorf("trace\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}
