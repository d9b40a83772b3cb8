package signing_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/canter-go/canter/signing"
)

// sessionData is the kind of map a session holds after a login.
func sessionData() map[string]any {
	return map[string]any{
		"_auth_user_id":      "42",
		"_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
		"_auth_user_hash":    "3b1c9d4f0e6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c",
		"_csrftoken":         "Zq8dYb3mN1xW4vT7uS0rP2oL5kJ9hG6f",
		"cart":               []any{json.Number("1"), json.Number("7"), json.Number("12")},
		"theme":              "dark",
	}
}

func BenchmarkSignerSign(b *testing.B) {
	s := mustSigner(b, signing.Options{Key: "secret"})
	b.ReportAllocs()
	for b.Loop() {
		s.Sign("hello")
	}
}

func BenchmarkSignerUnsign(b *testing.B) {
	s := mustSigner(b, signing.Options{Key: "secret"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Unsign(signerHello); err != nil {
			b.Fatal(err)
		}
	}
}

// The worst case for a rotated key: the value verifies with the last
// fallback key only.
func BenchmarkSignerUnsignFallback(b *testing.B) {
	s := mustSigner(b, signing.Options{Key: "new", FallbackKeys: []string{"older", "secret"}})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Unsign(signerHello); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignerUnsignBad(b *testing.B) {
	s := mustSigner(b, signing.Options{Key: "secret"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Unsign("hello:FRBs_KKrjaVe9zJEdlQdiuJ2n9jBEsFOL1Capquoa19"); err == nil {
			b.Fatal("accepted")
		}
	}
}

func BenchmarkTimestampSignerSign(b *testing.B) {
	s := mustTimestampSigner(b, signing.Options{Key: "secret"})
	b.ReportAllocs()
	for b.Loop() {
		s.Sign("hello")
	}
}

func BenchmarkTimestampSignerUnsign(b *testing.B) {
	s := mustTimestampSigner(b, signing.Options{Key: "secret"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Unsign(timestampHello, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignObject(b *testing.B) {
	for _, compress := range []bool{false, true} {
		name := "plain"
		if compress {
			name = "compressed"
		}
		b.Run(name, func(b *testing.B) {
			s := mustTimestampSigner(b, signing.Options{Key: "secret"})
			data := sessionData()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.SignObject(data, compress); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUnsignObject(b *testing.B) {
	for _, compress := range []bool{false, true} {
		name := "plain"
		if compress {
			name = "compressed"
		}
		b.Run(name, func(b *testing.B) {
			s := mustTimestampSigner(b, signing.Options{Key: "secret"})
			signed, err := s.SignObject(sessionData(), compress)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				var m map[string]any
				if err := s.UnsignObject(signed, &m, time.Hour); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Dumps and Loads derive the keys on every call.
func BenchmarkDumps(b *testing.B) {
	data := sessionData()
	o := signing.Options{Key: "secret"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := signing.Dumps(data, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoads(b *testing.B) {
	o := signing.Options{Key: "secret", MaxAge: time.Hour}
	signed, err := signing.Dumps(sessionData(), o)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := signing.Loads(signed, &m, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSON(b *testing.B) {
	type user struct {
		ID    int      `json:"id"`
		Name  string   `json:"name"`
		Email string   `json:"email,omitempty"`
		Score float64  `json:"score"`
		Tags  []string `json:"tags"`
	}
	values := map[string]any{
		"session map": sessionData(),
		"struct":      user{7, "Zoë", "zoe@example.com", 9.5, []string{"a", "b"}},
	}
	for name, v := range values {
		b.Run(name, func(b *testing.B) {
			buf := make([]byte, 0, 512)
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if buf, err = signing.AppendJSON(buf[:0], v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/encoding-json", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
