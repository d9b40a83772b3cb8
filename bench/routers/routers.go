// Package routers loads one route set into each router measured here — Canter's urls.Router,
// net/http's ServeMux (Go 1.22 patterns), chi, gin, echo and httprouter — behind one small
// interface, so a benchmark can route the same requests through each and a test can check that
// every request reaches the right route with the right parameters first.
//
// Canter is measured twice: its router alone (urls.Router.Resolve, the counterpart of the other
// routers' lookup) and its whole gateway (handler.Handler.ServeHTTP: the request value, the
// onion with no middleware, the resolution and an empty response), which is what a request pays
// in a real server.
package routers

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/canter-go/canter/bench/routes"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/julienschmidt/httprouter"
	"github.com/labstack/echo/v4"
)

// Router is a router loaded with one route set.
type Router interface {
	// Route sends request i of the set through the router. It allocates only what the router
	// itself allocates.
	Route(i int)
	// Check routes request i and reports the route that answered and the parameters it saw.
	Check(i int) (route int, params []routes.Param)
}

// Loader builds a router for a route set.
type Loader struct {
	// Name is how benchmarks name the router.
	Name string
	// Load registers every route of s.
	Load func(s routes.Set) (Router, error)
}

// Loaders returns every router, Canter's first.
func Loaders() []Loader {
	return []Loader{
		{"Canter", loadCanter},
		{"CanterGateway", loadCanterGateway},
		{"ServeMux", loadServeMux},
		{"Chi", loadChi},
		{"Gin", loadGin},
		{"Echo", loadEcho},
		{"HttpRouter", loadHTTPRouter},
	}
}

// Verify routes every request of s through rt and returns an error naming the first request
// that reaches the wrong route or extracts the wrong parameters.
func Verify(rt Router, s routes.Set) error {
	for i, req := range s.Requests {
		route, params := rt.Check(i)
		if route != req.Route {
			got := "no route"
			if route >= 0 {
				got = fmt.Sprint(s.Routes[route])
			}
			return fmt.Errorf("%s %s reached %s, want %v", req.Method, req.Path, got, s.Routes[req.Route])
		}
		if !slices.Equal(params, req.Params) && !(len(params) == 0 && len(req.Params) == 0) {
			return fmt.Errorf("%s %s: parameters %v, want %v", req.Method, req.Path, params, req.Params)
		}
	}
	return nil
}

// recorder is what the handlers of one router write to: the route that answered and, when
// checking, the parameters it saw.
type recorder struct {
	hit      int
	checking bool
	params   []routes.Param
}

func (rec *recorder) reset() {
	rec.hit, rec.checking, rec.params = -1, true, rec.params[:0]
}

// discard is a ResponseWriter that keeps nothing.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// httpRouter is a router that is an http.Handler, driven with one reused request per path, as
// the classic router benchmarks do.
type httpRouter struct {
	h    http.Handler
	reqs []*http.Request
	w    *discard
	rec  *recorder
}

func newHTTPRouter(h http.Handler, s routes.Set, rec *recorder) *httpRouter {
	hr := &httpRouter{h: h, w: &discard{h: http.Header{}}, rec: rec}
	for _, req := range s.Requests {
		r, err := http.NewRequest(req.Method, req.Path, nil)
		if err != nil {
			panic(err)
		}
		r.RequestURI = req.Path
		hr.reqs = append(hr.reqs, r)
	}
	return hr
}

func (hr *httpRouter) Route(i int) { hr.h.ServeHTTP(hr.w, hr.reqs[i]) }

func (hr *httpRouter) Check(i int) (int, []routes.Param) {
	hr.rec.reset()
	hr.h.ServeHTTP(hr.w, hr.reqs[i])
	hr.rec.checking = false
	return hr.rec.hit, hr.rec.params
}

// names lists the parameter names of a ":name" path, in order.
func names(path string) []string {
	var out []string
	for i := 0; i < len(path); i++ {
		if path[i] == ':' && (i == 0 || path[i-1] == '/') {
			j := i + 1
			for j < len(path) && path[j] != '/' {
				j++
			}
			out = append(out, path[i+1:j])
			i = j
		}
	}
	return out
}

// --- Canter ---

// canterRouter drives urls.Router.Resolve directly, reusing one Match.
type canterRouter struct {
	rt   *urls.Router
	reqs []routes.Request
	m    web.Match
}

func loadCanter(s routes.Set) (Router, error) {
	rt, err := canterRoutes(s, func(int) web.View { return emptyView })
	if err != nil {
		return nil, err
	}
	return &canterRouter{rt: rt, reqs: s.Requests, m: web.Match{Params: make(web.Params, 0, 8)}}, nil
}

// canterRoutes registers s in a new urls.Router; each route carries its index as Extra.
func canterRoutes(s routes.Set, view func(i int) web.View) (*urls.Router, error) {
	rt := urls.NewRouter()
	for i, r := range s.Routes {
		if err := rt.Add(urls.Path(routes.Pattern(r.Path, routes.Angle), view(i), urls.Methods(r.Method), urls.Extra(i))); err != nil {
			return nil, err
		}
	}
	return rt, nil
}

var emptyResponse = web.NewResponse(http.StatusOK)

func emptyView(*web.Request) (*web.Response, error) { return emptyResponse, nil }

func (c *canterRouter) Route(i int) {
	c.m.Params = c.m.Params[:0]
	if err := c.rt.Resolve(c.reqs[i].Method, c.reqs[i].Path, &c.m); err != nil {
		panic(err)
	}
}

func (c *canterRouter) Check(i int) (int, []routes.Param) {
	c.m = web.Match{}
	if err := c.rt.Resolve(c.reqs[i].Method, c.reqs[i].Path, &c.m); err != nil {
		return -1, nil
	}
	var params []routes.Param
	for _, p := range c.m.Params {
		params = append(params, routes.Param{Name: p.Name, Value: p.Raw})
	}
	hit, _ := c.m.Extra.(int)
	return hit, params
}

func loadCanterGateway(s routes.Set) (Router, error) {
	rec := &recorder{}
	rt, err := canterRoutes(s, func(i int) web.View {
		return func(r *web.Request) (*web.Response, error) {
			rec.hit = i
			if rec.checking {
				for _, p := range r.Params() {
					rec.params = append(rec.params, routes.Param{Name: p.Name, Value: p.Raw})
				}
			}
			return emptyResponse, nil
		}
	})
	if err != nil {
		return nil, err
	}
	h := handler.New(handler.Config{Site: web.Site{Resolver: rt}})
	return newHTTPRouter(h, s, rec), nil
}

// --- net/http ServeMux with Go 1.22 patterns ---

func loadServeMux(s routes.Set) (rt Router, err error) {
	defer func() {
		if p := recover(); p != nil { // ServeMux panics on conflicting patterns
			err = fmt.Errorf("ServeMux: %v", p)
		}
	}()
	rec := &recorder{}
	mux := http.NewServeMux()
	for i, r := range s.Routes {
		pattern := routes.Pattern(r.Path, routes.Braces)
		if pattern[len(pattern)-1] == '/' {
			pattern += "{$}" // exactly this path, not the subtree
		}
		ns := names(r.Path)
		mux.HandleFunc(r.Method+" "+pattern, func(w http.ResponseWriter, req *http.Request) {
			rec.hit = i
			if rec.checking {
				for _, n := range ns {
					rec.params = append(rec.params, routes.Param{Name: n, Value: req.PathValue(n)})
				}
			}
		})
	}
	return newHTTPRouter(mux, s, rec), nil
}

// --- chi ---

func loadChi(s routes.Set) (rt Router, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("chi: %v", p)
		}
	}()
	rec := &recorder{}
	mux := chi.NewRouter()
	for i, r := range s.Routes {
		mux.MethodFunc(r.Method, routes.Pattern(r.Path, routes.Braces), func(w http.ResponseWriter, req *http.Request) {
			rec.hit = i
			if rec.checking {
				ps := chi.RouteContext(req.Context()).URLParams
				for k := range ps.Keys {
					rec.params = append(rec.params, routes.Param{Name: ps.Keys[k], Value: ps.Values[k]})
				}
			}
		})
	}
	return newHTTPRouter(mux, s, rec), nil
}

// --- gin ---

func loadGin(s routes.Set) (rt Router, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("gin: %v", p)
		}
	}()
	gin.SetMode(gin.ReleaseMode)
	rec := &recorder{}
	engine := gin.New()
	for i, r := range s.Routes {
		engine.Handle(r.Method, r.Path, func(c *gin.Context) {
			rec.hit = i
			if rec.checking {
				for _, p := range c.Params {
					rec.params = append(rec.params, routes.Param{Name: p.Key, Value: p.Value})
				}
			}
		})
	}
	return newHTTPRouter(engine, s, rec), nil
}

// --- echo ---

func loadEcho(s routes.Set) (Router, error) {
	rec := &recorder{}
	e := echo.New()
	for i, r := range s.Routes {
		e.Add(r.Method, r.Path, func(c echo.Context) error {
			rec.hit = i
			if rec.checking {
				vals := c.ParamValues()
				for k, n := range c.ParamNames() {
					rec.params = append(rec.params, routes.Param{Name: n, Value: vals[k]})
				}
			}
			return nil
		})
	}
	return newHTTPRouter(e, s, rec), nil
}

// --- httprouter ---

func loadHTTPRouter(s routes.Set) (rt Router, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("httprouter: %v", p)
		}
	}()
	rec := &recorder{}
	router := httprouter.New()
	for i, r := range s.Routes {
		router.Handle(r.Method, r.Path, func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {
			rec.hit = i
			if rec.checking {
				for _, p := range ps {
					rec.params = append(rec.params, routes.Param{Name: p.Key, Value: p.Value})
				}
			}
		})
	}
	return newHTTPRouter(router, s, rec), nil
}
