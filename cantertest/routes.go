package cantertest

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

var paramPattern = regexp.MustCompile(`<(?:(\w+):)?(\w+)>`)

// sampleValues are valid and invalid path values for each built-in converter.
var sampleValues = map[string][2]any{
	"int":  {7, "seven"},
	"str":  {"a value", ""},
	"slug": {"a-slug_1", "not a slug!"},
	"uuid": {"075194d3-6885-417e-a8a8-6c931e272f00", "not-a-uuid"},
	"path": {"dir/file.txt", ""},
}

// CheckRoutes reverses every named path route of router with sample values for its converters,
// resolves the path back and checks that it reaches the same route with the same values; then
// it puts an invalid value in each parameter and checks that the path is not resolved (a 404,
// or a 405 from another route). Routes with custom converters or regex patterns are skipped.
func CheckRoutes(t testing.TB, router *urls.Router) {
	t.Helper()
	checked := 0
	for _, info := range router.Routes() {
		if info.Name == "" || info.Regex {
			continue
		}
		method := http.MethodGet
		if len(info.Methods) > 0 && !contains(info.Methods, http.MethodGet) {
			method = info.Methods[0]
		}
		params := paramPattern.FindAllStringSubmatch(info.Pattern, -1)
		var args []any
		supported := true
		for _, p := range params {
			conv := p[1]
			if conv == "" {
				conv = "str"
			}
			sample, ok := sampleValues[conv]
			if !ok {
				supported = false
				break
			}
			args = append(args, sample[0])
		}
		if !supported {
			continue
		}
		path, err := router.Reverse(info.Name, args...)
		if err != nil {
			t.Errorf("Reverse(%q, %v): %v", info.Name, args, err)
			continue
		}
		decoded, err := url.PathUnescape(path) // what the gateway resolves: URL.Path
		if err != nil {
			t.Errorf("%s reversed to %s, which is not a valid path: %v", info.Name, path, err)
			continue
		}
		var m web.Match
		if err := router.Resolve(method, decoded, &m); err != nil {
			t.Errorf("%s reversed to %s, which does not resolve: %v", info.Name, path, err)
			continue
		}
		if m.FullName() != info.Name || m.Pattern != info.Pattern {
			t.Errorf("%s reversed to %s, which resolves to %q (%s)", info.Name, path, m.FullName(), m.Pattern)
		}
		for i, p := range m.Params {
			if want := sampleValueText(args[i]); p.Raw != want {
				t.Errorf("%s: parameter %s came back as %q, want %q", path, p.Name, p.Raw, want)
			}
		}
		// Each parameter with a bad value must not reach the route.
		for i, p := range params {
			conv := p[1]
			if conv == "" {
				conv = "str"
			}
			bad := sampleValueText(sampleValues[conv][1])
			badPath := replaceParams(info.Pattern, args, i, bad)
			var m2 web.Match
			err := router.Resolve(method, badPath, &m2)
			if err == nil && m2.Pattern == info.Pattern {
				t.Errorf("%s: the invalid value %q for %s was accepted (%s)", info.Name, bad, p[2], badPath)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Errorf("CheckRoutes: the router has no named path routes to check")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func sampleValueText(v any) string {
	if n, ok := v.(int); ok {
		return strconv.Itoa(n)
	}
	return v.(string)
}

// replaceParams writes the pattern with the sample values, but bad in parameter k.
func replaceParams(pattern string, args []any, k int, bad string) string {
	i := 0
	return paramPattern.ReplaceAllStringFunc(pattern, func(string) string {
		defer func() { i++ }()
		if i == k {
			return bad
		}
		return sampleValueText(args[i])
	})
}
