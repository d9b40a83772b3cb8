package web

import (
	"net/http"
	"testing"
)

// The table of headers a Response holds without a map and its lookup agree, and every name in
// it is canonical, so a key that matches it needs no canonicalizing.
func TestInlineNames(t *testing.T) {
	for i, name := range inlineNames {
		if i == 0 {
			continue
		}
		if got := inlineName(name); got != uint8(i) {
			t.Errorf("inlineName(%q) = %d, want %d", name, got, i)
		}
		if canonical := http.CanonicalHeaderKey(name); canonical != name {
			t.Errorf("inline name %q is not canonical (%q)", name, canonical)
		}
	}
	for _, key := range []string{"", "content-type", "X-Custom", "Etags"} {
		if got := inlineName(key); got != 0 {
			t.Errorf("inlineName(%q) = %d, want 0", key, got)
		}
	}
	if inlineNames[nameContentType] != "Content-Type" || inlineNames[nameLocation] != "Location" {
		t.Error("the constructors' indexes do not name Content-Type and Location")
	}
}
