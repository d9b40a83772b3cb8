package routers_test

import (
	"fmt"
	"testing"

	"github.com/canter-go/canter/bench/routers"
	"github.com/canter-go/canter/bench/routes"
)

// TestEveryRouteMatches checks, for every router and every set, that each request reaches its
// own route with its own parameters. The benchmarks check the same before they time anything.
func TestEveryRouteMatches(t *testing.T) {
	for _, s := range routes.Sets() {
		for _, l := range routers.Loaders() {
			t.Run(s.Name+"/"+l.Name, func(t *testing.T) {
				rt, err := l.Load(s)
				if err != nil {
					t.Fatal(err)
				}
				if err := routers.Verify(rt, s); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// TestVerifyCatchesAWrongRoute makes sure the check can fail: a set whose expectations are
// shifted by one route must be refused by every router.
func TestVerifyCatchesAWrongRoute(t *testing.T) {
	s, _ := routes.Lookup("ParseAll")
	wrong := s
	wrong.Requests = append([]routes.Request(nil), s.Requests...)
	wrong.Requests[3].Route = 4
	params := s
	params.Requests = append([]routes.Request(nil), s.Requests...)
	params.Requests[1].Params = []routes.Param{{Name: "className", Value: "x"}, {Name: "objectId", Value: ":objectId"}}
	for _, l := range routers.Loaders() {
		rt, err := l.Load(s)
		if err != nil {
			t.Fatal(err)
		}
		if routers.Verify(rt, wrong) == nil {
			t.Errorf("%s: a request expected at the wrong route passed", l.Name)
		}
		if routers.Verify(rt, params) == nil {
			t.Errorf("%s: wrong parameters passed", l.Name)
		}
	}
}

// BenchmarkRouters routes each set's requests through each router; one op is one pass over the
// set's requests (one request for the single lookups).
func BenchmarkRouters(b *testing.B) {
	for _, s := range routes.Sets() {
		for _, l := range routers.Loaders() {
			b.Run(s.Name+"/"+l.Name, func(b *testing.B) {
				rt, err := l.Load(s)
				if err != nil {
					b.Fatal(err)
				}
				if err := routers.Verify(rt, s); err != nil {
					b.Fatal(err)
				}
				n := len(s.Requests)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					for i := 0; i < n; i++ {
						rt.Route(i)
					}
				}
			})
		}
	}
}

func ExampleLoaders() {
	s, _ := routes.Lookup("GitHubAll")
	for _, l := range routers.Loaders() {
		rt, err := l.Load(s)
		if err == nil {
			err = routers.Verify(rt, s)
		}
		fmt.Println(l.Name, err)
	}
	// Output:
	// Canter <nil>
	// CanterGateway <nil>
	// ServeMux <nil>
	// Chi <nil>
	// Gin <nil>
	// Echo <nil>
	// HttpRouter <nil>
}
