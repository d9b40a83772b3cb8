package signing_test

import (
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/canter-go/canter/signing"
)

const (
	signerHello    = "hello:FRBs_KKrjaVe9zJEdlQdiuJ2n9jBEsFOL1Capquoa18"
	timestampHello = "hello:1r31eq:cd3olmP207LffIZrXNJ8LTxzeEF4brfUrRYVM3D-t8Q"
	dumpsHello     = "ImhlbGxvIg:1r31eq:a3CFcK7P0T4YtvcQde-8mW6c7nClbqAtZDLbkQ7-O9A"
)

func mustSigner(t testing.TB, o signing.Options) *signing.Signer {
	t.Helper()
	s, err := signing.NewSigner(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustTimestampSigner(t testing.TB, o signing.Options) *signing.TimestampSigner {
	t.Helper()
	s, err := signing.NewTimestampSigner(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignerRoundTrip(t *testing.T) {
	s := mustSigner(t, signing.Options{Key: "k"})
	ts := mustTimestampSigner(t, signing.Options{Key: "k"})
	for _, v := range []string{"", "hello", "a:b:c", "trailing:", ":", "é✓😀", strings.Repeat("x", 5000), "\x00\xff"} {
		if got, err := s.Unsign(s.Sign(v)); err != nil || got != v {
			t.Errorf("Signer round trip of %q = %q, %v", v, got, err)
		}
		if got, err := ts.Unsign(ts.Sign(v), time.Minute); err != nil || got != v {
			t.Errorf("TimestampSigner round trip of %q = %q, %v", v, got, err)
		}
	}
}

func TestFallbackKeys(t *testing.T) {
	// "secret" signed the vectors; it is now a fallback of a new key.
	rotated := signing.Options{Key: "new-key", FallbackKeys: []string{"", "other", "secret"}, Now: fixedNow}
	s := mustSigner(t, rotated)
	if v, err := s.Unsign(signerHello); err != nil || v != "hello" {
		t.Errorf("Unsign with the old key as a fallback = %q, %v", v, err)
	}
	if got := s.Sign("hello"); got == signerHello {
		t.Errorf("Sign used a fallback key: %q", got)
	}
	if v, err := s.Unsign(s.Sign("hello")); err != nil || v != "hello" {
		t.Errorf("Unsign of a value signed with the new key = %q, %v", v, err)
	}
	ts := mustTimestampSigner(t, rotated)
	if v, err := ts.Unsign(timestampHello, time.Hour); err != nil || v != "hello" {
		t.Errorf("TimestampSigner fallback = %q, %v", v, err)
	}
	var got string
	if err := signing.Loads(dumpsHello, &got, rotated); err != nil || got != "hello" {
		t.Errorf("Loads fallback = %q, %v", got, err)
	}
	if v, err := signing.UnsignCookie("user", "alice:1r31eq:6BssR8djskLJ9BPFAW5ewJRDVIKU44Nif81ql_XIrIs", rotated); err != nil || v != "alice" {
		t.Errorf("UnsignCookie fallback = %q, %v", v, err)
	}

	// Without the fallback the old values are refused.
	only := mustSigner(t, signing.Options{Key: "new-key"})
	if _, err := only.Unsign(signerHello); !errorsIsBad(err) {
		t.Errorf("Unsign without the fallback: err = %v, want a bad signature", err)
	}
}

// Flipping any bit of any byte of a signed value must make it fail.
func TestTampering(t *testing.T) {
	s := mustSigner(t, opts("secret"))
	ts := mustTimestampSigner(t, opts("secret"))
	check := func(name, signed string, unsign func(string) error) {
		t.Helper()
		if err := unsign(signed); err != nil {
			t.Fatalf("%s: the untouched value fails: %v", name, err)
		}
		for i := range len(signed) {
			for _, bit := range []byte{0x01, 0x20, 0x80} {
				b := []byte(signed)
				b[i] ^= bit
				if err := unsign(string(b)); !errorsIsBad(err) {
					t.Errorf("%s with byte %d ^ %#x (%q): err = %v, want a bad signature", name, i, bit, b, err)
				}
			}
		}
		for _, changed := range []string{signed[:len(signed)-1], signed + "A", signed + ":", "x" + signed, strings.ToUpper(signed)} {
			if err := unsign(changed); !errorsIsBad(err) {
				t.Errorf("%s changed to %q: err = %v, want a bad signature", name, changed, err)
			}
		}
	}
	check("Signer", signerHello, func(v string) error { _, err := s.Unsign(v); return err })
	check("TimestampSigner", timestampHello, func(v string) error { _, err := ts.Unsign(v, 0); return err })
	check("Loads", dumpsHello, func(v string) error { var x any; return signing.Loads(v, &x, opts("secret")) })
}

func TestWrongSaltOrKey(t *testing.T) {
	tests := []struct {
		name string
		o    signing.Options
	}{
		{"other key", signing.Options{Key: "Secret"}},
		{"other salt", signing.Options{Key: "secret", Salt: "other"}},
		{"other algorithm", signing.Options{Key: "secret", Algorithm: crypto.SHA512}},
	}
	for _, tt := range tests {
		if _, err := mustSigner(t, tt.o).Unsign(signerHello); !errorsIsBad(err) {
			t.Errorf("%s: err = %v, want a bad signature", tt.name, err)
		}
	}
	// A Signer's value is not a TimestampSigner's: their default salts differ.
	if _, err := mustTimestampSigner(t, opts("secret")).Unsign(signerHello, 0); !errorsIsBad(err) {
		t.Errorf("TimestampSigner accepted a Signer's value: err = %v", err)
	}
}

func TestBadSignatureMessages(t *testing.T) {
	tests := []struct {
		o      signing.Options
		signed string
		reason string
	}{
		{signing.Options{Key: "secret"}, "hello", `No ":" found in value`},
		{signing.Options{Key: "secret", Separator: "/"}, "a:b", `No "/" found in value`},
		{signing.Options{Key: "secret"}, "hello:xyz", `Signature "xyz" does not match`},
		{signing.Options{Key: "secret"}, "a:b:", `Signature "" does not match`},
	}
	for _, tt := range tests {
		_, err := mustSigner(t, tt.o).Unsign(tt.signed)
		var bad *signing.BadSignatureError
		if !errors.As(err, &bad) || bad.Reason != tt.reason {
			t.Errorf("Unsign(%q) = %v, want reason %q", tt.signed, err, tt.reason)
			continue
		}
		if want := "signing: " + tt.reason; err.Error() != want {
			t.Errorf("Error() = %q, want %q", err.Error(), want)
		}
	}
}

func TestExpiry(t *testing.T) {
	at := func(d time.Duration) func() time.Time {
		return func() time.Time { return time.Unix(specTime, 0).Add(d) }
	}
	tests := []struct {
		name    string
		now     time.Duration // after the signing time
		maxAge  time.Duration
		expired string // the message, or "" when accepted
	}{
		{"no limit", 10 * 365 * 24 * time.Hour, 0, ""},
		{"just signed", 0, time.Second, ""},
		{"signed in the future", -time.Hour, time.Second, ""},
		{"exactly max age", time.Minute, time.Minute, ""},
		{"one nanosecond over", time.Minute + time.Nanosecond, time.Minute, "Signature age 60.000000001 > 60 seconds"},
		// The messages of Django 3.2.25 at time 1700000100.5:
		{"Django int max_age", 100500 * time.Millisecond, time.Minute, "Signature age 100.5 > 60 seconds"},
		{"Django float max_age", 100500 * time.Millisecond, 60250 * time.Millisecond, "Signature age 100.5 > 60.25 seconds"},
		{"whole seconds", 2 * time.Hour, time.Hour, "Signature age 7200.0 > 3600 seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := signing.Options{Key: "secret", Now: at(tt.now), MaxAge: tt.maxAge}
			ts := mustTimestampSigner(t, o)
			v, err := ts.Unsign(timestampHello, tt.maxAge)
			var x string
			lerr := signing.Loads(dumpsHello, &x, o)
			if tt.expired == "" {
				if err != nil || v != "hello" || lerr != nil || x != "hello" {
					t.Fatalf("Unsign = %q, %v; Loads = %q, %v; want hello", v, err, x, lerr)
				}
				return
			}
			for _, err := range []error{err, lerr} {
				var exp *signing.SignatureExpiredError
				if !errors.As(err, &exp) {
					t.Fatalf("err = %v, want a *SignatureExpiredError", err)
				}
				if !errors.Is(err, signing.ErrSignatureExpired) || !errors.Is(err, signing.ErrBadSignature) {
					t.Errorf("expired error does not match both ErrSignatureExpired and ErrBadSignature")
				}
				if want := "signing: " + tt.expired; err.Error() != want {
					t.Errorf("Error() = %q, want %q", err.Error(), want)
				}
				if exp.SignedAt.Unix() != specTime || exp.Age != tt.now || exp.MaxAge != tt.maxAge {
					t.Errorf("error fields = %+v", exp)
				}
			}
		})
	}
}

// A bad signature is not an expired one.
func TestBadSignatureIsNotExpired(t *testing.T) {
	_, err := mustTimestampSigner(t, opts("secret")).Unsign("hello:1r31eq:bad", time.Second)
	if !errorsIsBad(err) {
		t.Errorf("err = %v, want a bad signature that is not expired", err)
	}
}

func TestUnsafeSeparators(t *testing.T) {
	// Python's re.match(r"^[A-z0-9-_=]*$", sep) for each, as Django checks.
	unsafe := []string{"-", "_", "=", "[", `\`, "]", "^", "`", "a", "Z", "09", "ab=", "ab\n", "\n"}
	safe := []string{":", "a:", "\n\n", ".", "/", "~", " ", "é", ":\n", "::"}
	for _, sep := range unsafe {
		_, err := signing.NewSigner(signing.Options{Key: "k", Separator: sep})
		if err == nil || !strings.Contains(err.Error(), "unsafe Signer separator") {
			t.Errorf("separator %q: err = %v, want it refused", sep, err)
		}
		if _, err := signing.NewTimestampSigner(signing.Options{Key: "k", Separator: sep}); err == nil {
			t.Errorf("TimestampSigner separator %q accepted", sep)
		}
	}
	for _, sep := range safe {
		s, err := signing.NewSigner(signing.Options{Key: "k", Separator: sep})
		if err != nil {
			t.Errorf("separator %q: %v", sep, err)
			continue
		}
		if v, err := s.Unsign(s.Sign("a" + sep + "b")); err != nil || v != "a"+sep+"b" {
			t.Errorf("separator %q round trip = %q, %v", sep, v, err)
		}
	}
}

func TestConstructorErrors(t *testing.T) {
	tests := []struct {
		name string
		o    signing.Options
		want string
	}{
		{"no key", signing.Options{}, "Options.Key is empty"},
		{"unavailable algorithm", signing.Options{Key: "k", Algorithm: crypto.MD4}, "not available"},
	}
	for _, tt := range tests {
		for name, f := range map[string]func() error{
			"NewSigner":          func() error { _, err := signing.NewSigner(tt.o); return err },
			"NewTimestampSigner": func() error { _, err := signing.NewTimestampSigner(tt.o); return err },
			"Dumps":              func() error { _, err := signing.Dumps(1, tt.o); return err },
			"Loads":              func() error { var x any; return signing.Loads(dumpsHello, &x, tt.o) },
			"SignCookie":         func() error { _, err := signing.SignCookie("n", "v", tt.o); return err },
			"UnsignCookie":       func() error { _, err := signing.UnsignCookie("n", "v", tt.o); return err },
		} {
			if err := f(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s with %s: err = %v, want it to mention %q", name, tt.name, err, tt.want)
			}
		}
	}
}

func TestZeroSignerPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "NewSigner") {
			t.Errorf("recover() = %v, want a panic naming NewSigner", r)
		}
	}()
	new(signing.Signer).Sign("x")
}

func TestMalformedTimestamp(t *testing.T) {
	// A Signer with the TimestampSigner's salt can sign a value whose
	// timestamp is missing or not base 62.
	forger := mustSigner(t, signing.Options{Key: "k", Salt: signing.TimestampSignerSalt})
	ts := mustTimestampSigner(t, signing.Options{Key: "k"})
	for signed, reason := range map[string]string{
		forger.Sign("no-timestamp"):  "No timestamp found in value",
		forger.Sign("v:1r!"):         `Timestamp "1r!" is not a base-62 number`,
		forger.Sign("v:"):            `Timestamp "" is not a base-62 number`,
		forger.Sign("v:zzzzzzzzzzz"): `Timestamp "zzzzzzzzzzz" is not a base-62 number`,
	} {
		_, err := ts.Unsign(signed, 0)
		var bad *signing.BadSignatureError
		if !errors.As(err, &bad) || bad.Reason != reason {
			t.Errorf("Unsign(%q) = %v, want reason %q", signed, err, reason)
		}
	}
}

func TestBase62(t *testing.T) {
	tests := []struct {
		n int64
		s string
	}{
		{0, "0"}, {1, "1"}, {61, "z"}, {62, "10"}, {-1, "-1"}, {-62, "-10"},
		{1<<63 - 1, "AzL8n0Y58m7"}, {-1 << 63, "-AzL8n0Y58m8"},
	}
	for _, tt := range tests {
		if got := signing.Base62Encode(tt.n); got != tt.s {
			t.Errorf("Base62Encode(%d) = %q, want %q", tt.n, got, tt.s)
		}
		if got, err := signing.Base62Decode(tt.s); err != nil || got != tt.n {
			t.Errorf("Base62Decode(%q) = %d, %v, want %d", tt.s, got, err, tt.n)
		}
	}
	for _, s := range []string{"", "-", "1.5", " 1", "AzL8n0Y58m8", "-AzL8n0Y58m9", "zzzzzzzzzzz", "100000000000"} {
		if n, err := signing.Base62Decode(s); err == nil {
			t.Errorf("Base62Decode(%q) = %d, want an error", s, n)
		}
	}
}

func TestBase64(t *testing.T) {
	for _, b := range [][]byte{nil, {0}, {0xfb, 0xff}, []byte("hello"), []byte("?>?>")} {
		enc := signing.Base64Encode(b)
		if want := strings.TrimRight(base64.URLEncoding.EncodeToString(b), "="); enc != want {
			t.Errorf("Base64Encode(%q) = %q, want %q", b, enc, want)
		}
		for _, in := range []string{enc, base64.URLEncoding.EncodeToString(b)} {
			if got, err := signing.Base64Decode(in); err != nil || string(got) != string(b) {
				t.Errorf("Base64Decode(%q) = %q, %v, want %q", in, got, err, b)
			}
		}
	}
	if _, err := signing.Base64Decode("a+b/"); err == nil {
		t.Error("Base64Decode accepted the standard alphabet's + and /")
	}
}

// Loads then Dumps gives Django's string back: integers stay integers.
func TestLoadsDumpsIdentity(t *testing.T) {
	for _, signed := range []string{dumpsHello, "eyJhIjoxfQ:1r31eq:I6FHvRuDt1QvhGrC5_GTBgUKxFXLKQmzsPKrgrC89_U"} {
		var v any
		if err := signing.Loads(signed, &v, opts("secret")); err != nil {
			t.Fatal(err)
		}
		again, err := signing.Dumps(v, opts("secret"))
		if err != nil || again != signed {
			t.Errorf("Dumps(Loads(%q)) = %q, %v", signed, again, err)
		}
	}
}

func TestObjectRoundTrip(t *testing.T) {
	type item struct {
		Name  string   `json:"name"`
		Price float64  `json:"price"`
		Tags  []string `json:"tags,omitempty"`
	}
	in := []item{{"pen", 1.5, []string{"office"}}, {"ink", 2, nil}}
	big := strings.Repeat("compressible ", 100)

	s := mustSigner(t, signing.Options{Key: "k"})
	ts := mustTimestampSigner(t, signing.Options{Key: "k"})
	for _, compress := range []bool{false, true} {
		signed, err := s.SignObject(in, compress)
		if err != nil {
			t.Fatal(err)
		}
		var out []item
		if err := s.UnsignObject(signed, &out); err != nil || len(out) != 2 || out[0].Name != "pen" || out[1].Price != 2 {
			t.Errorf("Signer object round trip = %+v, %v", out, err)
		}

		signed, err = ts.SignObject(big, compress)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.HasPrefix(signed, "."); got != compress {
			t.Errorf("compress=%v: signed value starts with a dot: %v", compress, got)
		}
		var back string
		if err := ts.UnsignObject(signed, &back, time.Minute); err != nil || back != big {
			t.Errorf("TimestampSigner object round trip: %v", err)
		}
	}
}

// Compression is used only when it saves at least two bytes, as in Django.
func TestCompressOnlyWhenShorter(t *testing.T) {
	for _, v := range []any{"", "a", map[string]any{"k": "v"}, strings.Repeat("ab", 3), strings.Repeat("ab", 50), []int{1, 2, 3}} {
		signed, err := signing.Dumps(v, signing.Options{Key: "k", Compress: true})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := signing.JSON(v)
		b64 := signed[:strings.Index(signed, ":")]
		if strings.HasPrefix(b64, ".") {
			z, err := signing.Base64Decode(b64[1:])
			if err != nil || len(z) >= len(raw)-1 {
				t.Errorf("%v compressed to %d bytes from %d (%v)", v, len(z), len(raw), err)
			}
		} else if got, _ := signing.Base64Decode(b64); string(got) != string(raw) {
			t.Errorf("%v: payload %q, want the JSON %q", v, got, raw)
		}
	}
}

func TestPayloadErrors(t *testing.T) {
	// Values signed correctly with the Dumps salt whose payload is broken.
	forger := mustTimestampSigner(t, signing.Options{Key: "k", Salt: signing.DumpsSalt})
	tests := []struct {
		name, payload string
		into          any
	}{
		{"not base64", "%%%", new(any)},
		{"not zlib", "." + signing.Base64Encode([]byte(`"plain"`)), new(any)},
		{"not JSON", signing.Base64Encode([]byte(`{"a":`)), new(any)},
		{"trailing data", signing.Base64Encode([]byte(`{"a":1} 2`)), new(any)},
		{"empty", "", new(any)},
		{"wrong type", signing.Base64Encode([]byte(`"text"`)), new(int)},
	}
	for _, tt := range tests {
		err := signing.Loads(forger.Sign(tt.payload), tt.into, signing.Options{Key: "k"})
		if err == nil || errors.Is(err, signing.ErrBadSignature) || !strings.HasPrefix(err.Error(), "signing: signed payload") {
			t.Errorf("%s: err = %v, want a payload error that is not a bad signature", tt.name, err)
		}
	}
}

func TestLoadsNumbers(t *testing.T) {
	signed, err := signing.Dumps(map[string]any{"int": 1, "float": 1.0, "big": json.Number("123456789012345678901234567890")}, signing.Options{Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := signing.Loads(signed, &m, signing.Options{Key: "k"}); err != nil {
		t.Fatal(err)
	}
	want := map[string]json.Number{"int": "1", "float": "1.0", "big": "123456789012345678901234567890"}
	for k, w := range want {
		if m[k] != w {
			t.Errorf("m[%q] = %#v, want json.Number(%q)", k, m[k], w)
		}
	}
	var typed struct{ Int int }
	if err := signing.Loads(signed, &typed, signing.Options{Key: "k"}); err != nil || typed.Int != 1 {
		t.Errorf("Loads into a struct = %+v, %v", typed, err)
	}
}

func TestLegacySessionErrors(t *testing.T) {
	good := signing.EncodeLegacySession([]byte(`{"k":"v"}`), sessionKey, "SessionStore")
	for name, data := range map[string]string{
		"not base64":    "%%%",
		"no colon":      base64.StdEncoding.EncodeToString([]byte("abc")),
		"other secret":  signing.EncodeLegacySession([]byte(`{"k":"v"}`), "other", "SessionStore"),
		"other class":   signing.EncodeLegacySession([]byte(`{"k":"v"}`), sessionKey, "Other"),
		"tampered JSON": base64.StdEncoding.EncodeToString([]byte(strings.Replace(mustB64(t, good), `"v"`, `"w"`, 1))),
	} {
		_, err := signing.DecodeLegacySession(data, sessionKey, "SessionStore")
		var bad *signing.BadSignatureError
		if !errors.As(err, &bad) || !strings.HasPrefix(bad.Reason, "Session data corrupted") {
			t.Errorf("%s: err = %v, want Session data corrupted", name, err)
		}
	}
}

func mustB64(t *testing.T, s string) string {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestConcurrentUse(t *testing.T) {
	s := mustSigner(t, signing.Options{Key: "k", FallbackKeys: []string{"old"}, AcceptSHA1: true})
	ts := mustTimestampSigner(t, signing.Options{Key: "k"})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				v := strings.Repeat("v", g+i)
				if got, err := s.Unsign(s.Sign(v)); err != nil || got != v {
					t.Errorf("Signer: %q, %v", got, err)
					return
				}
				if _, err := s.Unsign(v + ":bad"); err == nil {
					t.Error("Signer accepted a bad signature")
					return
				}
				signed, err := ts.SignObject(map[string]any{"v": v}, i%2 == 0)
				if err != nil {
					t.Error(err)
					return
				}
				var m map[string]string
				if err := ts.UnsignObject(signed, &m, time.Minute); err != nil || m["v"] != v {
					t.Errorf("TimestampSigner: %v, %v", m, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
