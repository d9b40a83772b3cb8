package handler_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// djangoOnionScript runs every scenario through real Django: three MiddlewareMixin
// middlewares built from the scenario's flags, in MIDDLEWARE, around a view that may raise. It
// prints one JSON line per scenario with the recorded calls and the final response.
const djangoOnionScript = `
import json, sys
import django
from django.conf import settings
settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, MIDDLEWARE=[],
                   LOGGING_CONFIG=None, SECRET_KEY="x")
django.setup()
from django.http import HttpResponse
from django.urls import path
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory
from django.utils.deprecation import MiddlewareMixin

trace = []
state = {}

def view(request):
    trace.append("view")
    if state["view_raises"]:
        raise ValueError("the view failed")
    return HttpResponse("view")

urlpatterns = [path("", view)]

def make(name, flags):
    class M(MiddlewareMixin):
        def process_request(self, request):
            trace.append(name + ".request")
            if flags["raise_request"]:
                raise RuntimeError(name + " request phase failed")
            if flags["answer_request"]:
                return HttpResponse(name + ".request")
        def process_view(self, request, view_func, args, kwargs):
            trace.append(name + ".view")
            if flags["answer_view"]:
                return HttpResponse(name + ".view")
        def process_exception(self, request, exception):
            trace.append(name + ".exception")
            if flags["answer_exception"]:
                return HttpResponse(name + ".exception")
        def process_response(self, request, response):
            trace.append(name + ".response")
            return response
    M.__name__ = name
    M.__qualname__ = name
    return M

factory = RequestFactory()
for line in sys.stdin:
    sc = json.loads(line)
    classes = {}
    for i, name in enumerate("ABC"):
        classes[name] = make(name, sc["mw"][i])
    mod = sys.modules[__name__]
    for n, c in classes.items():
        setattr(mod, "MW_" + n, c)
    settings.MIDDLEWARE = [__name__ + ".MW_" + n for n in "ABC"]
    state["view_raises"] = sc["view_raises"]
    handler = BaseHandler()
    handler.load_middleware()
    del trace[:]
    response = handler.get_response(factory.get("/"))
    body = "500" if response.status_code == 500 else response.content.decode()
    print(json.dumps({"trace": list(trace), "final": body}), flush=True)
`

type djangoFlags struct {
	AnswerRequest   bool `json:"answer_request"`
	RaiseRequest    bool `json:"raise_request"`
	AnswerView      bool `json:"answer_view"`
	AnswerException bool `json:"answer_exception"`
}

// TestOnionAgainstRealDjango sends all 8192 scenarios of TestOnionMatchesDjango through real
// Django (Debian's python3-django) and compares the call orders and responses with the
// gateway's. CI runs it (.ci/run installs Django and sets CANTER_DJANGO_PYTHON).
func TestOnionAgainstRealDjango(t *testing.T) {
	python := os.Getenv("CANTER_DJANGO_PYTHON")
	if python == "" {
		t.Skip("set CANTER_DJANGO_PYTHON to a python3 with Django installed (apt-get install python3-django) to compare the onion with real Django")
	}
	type scenario struct {
		MW         [3]djangoFlags `json:"mw"`
		ViewRaises bool           `json:"view_raises"`
		bs         []behaviour
	}
	var scenarios []scenario
	var input bytes.Buffer
	for _, a := range behaviours() {
		for _, b := range behaviours() {
			for _, c := range behaviours() {
				for _, raises := range []bool{false, true} {
					sc := scenario{ViewRaises: raises, bs: []behaviour{a, b, c}}
					for i, bh := range sc.bs {
						sc.MW[i] = djangoFlags{bh.answerRequest, bh.raiseRequest, bh.answerView, bh.answerException}
					}
					line, _ := json.Marshal(sc)
					input.Write(append(line, '\n'))
					scenarios = append(scenarios, sc)
				}
			}
		}
	}
	cmd := exec.Command(python, "-c", djangoOnionScript)
	cmd.Stdin = &input
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running Django: %v\n%s", err, stderr.String())
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		var want struct {
			Trace []string `json:"trace"`
			Final string   `json:"final"`
		}
		if err := json.Unmarshal(sc.Bytes(), &want); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		s := scenarios[i]
		var trace []string
		view := func(r *web.Request) (*web.Response, error) {
			trace = append(trace, "view")
			if s.ViewRaises {
				return nil, fmt.Errorf("the view failed")
			}
			return web.Text("view"), nil
		}
		router, _ := urls.New(urls.Path("/", view))
		var mws []web.Middleware
		for j, n := range []string{"A", "B", "C"} {
			mws = append(mws, recordingMiddleware(n, s.bs[j], &trace))
		}
		h := handler.New(handler.Config{Site: web.Site{Resolver: router}, Middleware: mws, Logger: quiet})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		got := rec.Body.String()
		if rec.Code == http.StatusInternalServerError {
			got = "500"
		}
		if strings.Join(trace, " ") != strings.Join(want.Trace, " ") || got != want.Final {
			t.Fatalf("scenario %v view raises %v:\n gateway %v → %q\n Django  %v → %q", s.bs, s.ViewRaises, trace, got, want.Trace, want.Final)
		}
	}
	if i != len(scenarios) {
		t.Fatalf("Django answered %d of %d scenarios\n%s", i, len(scenarios), stderr.String())
	}
}
