package signing_test

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/canter-go/canter/signing"
)

func FuzzUnsign(f *testing.F) {
	for _, s := range []string{signerHello, timestampHello, dumpsHello, "", ":", "::", "a:b:c", "hello:AmyOTQY9JAikz0u2GebORkTo4LA", "x:-:y"} {
		f.Add(s)
	}
	plain := mustSigner(f, signing.Options{Key: "secret"})
	s := mustSigner(f, signing.Options{Key: "secret", FallbackKeys: []string{"old"}, AcceptSHA1: true})
	ts := mustTimestampSigner(f, opts("secret"))
	f.Fuzz(func(t *testing.T, signed string) {
		// Signatures are deterministic: what verifies is exactly what Sign
		// makes.
		if v, err := plain.Unsign(signed); err == nil && plain.Sign(v) != signed {
			t.Fatalf("Unsign(%q) accepted a value Sign does not make", signed)
		}
		if _, err := s.Unsign(signed); err != nil && !errorsIsBad(err) {
			t.Fatalf("Unsign(%q): unexpected error %v", signed, err)
		}
		if _, _, err := ts.UnsignWithTime(signed, 1); err != nil && !strings.HasPrefix(err.Error(), "signing: ") {
			t.Fatalf("TimestampSigner.Unsign(%q): unexpected error %v", signed, err)
		}
	})
}

func FuzzLoads(f *testing.F) {
	f.Add(dumpsHello)
	f.Add(".eJwFwcERACAIwLCF-rCiILN47r-GyZVJsNgkxaFxoDgxcOHGxMKD_T7vhAml:1r31eq:CaaUi17Tt1BQuA5McuqTl41NEuFU4oReAMyigSYmPdw")
	f.Add("eyJhIjoxfQ:1r31eq:I6FHvRuDt1QvhGrC5_GTBgUKxFXLKQmzsPKrgrC89_U")
	f.Add("")
	// Signed payloads reach the base64, zlib and JSON decoders.
	forger := mustTimestampSigner(f, signing.Options{Key: "secret", Salt: signing.DumpsSalt})
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		_ = signing.Loads(s, &v, opts("secret"))
		if err := signing.Loads(forger.Sign(s), &v, opts("secret")); err == nil {
			if _, err := signing.JSON(v); err != nil {
				t.Fatalf("a loaded value does not encode again: %#v: %v", v, err)
			}
		}
	})
}

func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "hello", "é<>&", "😀", "\x00\x7f\"\\", "\xff", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := signing.JSON(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range out {
			if c < 0x20 || c >= 0x7f {
				t.Fatalf("JSON(%q) = %q has a byte outside printable ASCII", s, out)
			}
		}
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("JSON(%q) = %q is not valid JSON: %v", s, out, err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("JSON(%q) reads back as %q", s, back)
		}
	})
}

// pyFloat matches the two shapes of Python's float repr.
var pyFloat = regexp.MustCompile(`^-?(\d+\.\d+|\d(\.\d+)?e[+-]\d{2,3})$`)

func FuzzJSONFloat(f *testing.F) {
	for _, x := range []float64{0, 1, 0.1, 1e16, 1e-5, 5e-324, math.MaxFloat64} {
		f.Add(math.Float64bits(x))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		out, err := signing.JSON(x)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			if err == nil {
				t.Fatalf("JSON(%v) = %s, want an error", x, out)
			}
			return
		}
		if err != nil || !pyFloat.Match(out) {
			t.Fatalf("JSON(%v) = %s, %v: not a Python float repr", x, out, err)
		}
		back, err := strconv.ParseFloat(string(out), 64)
		if err != nil || math.Float64bits(back) != bits {
			t.Fatalf("JSON(%v) = %s reads back as %v", x, out, back)
		}
	})
}
