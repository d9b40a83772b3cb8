package signing_test

import (
	"crypto"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/canter-go/canter/signing"
)

// The examples use the key "secret" and a clock fixed at 1700000000, so
// their output is the value Django computes with the same settings.

func ExampleSigner() {
	s, err := signing.NewSigner(signing.Options{Key: "secret"})
	if err != nil {
		panic(err)
	}
	signed := s.Sign("hello")
	fmt.Println(signed)

	value, err := s.Unsign(signed)
	fmt.Println(value, err)

	_, err = s.Unsign("hello:forged")
	fmt.Println(errors.Is(err, signing.ErrBadSignature), err)
	// Output:
	// hello:FRBs_KKrjaVe9zJEdlQdiuJ2n9jBEsFOL1Capquoa18
	// hello <nil>
	// true signing: Signature "forged" does not match
}

// Rotating SECRET_KEY: values signed with the old key are still accepted
// while it is a fallback key.
func ExampleSigner_fallbackKeys() {
	s, _ := signing.NewSigner(signing.Options{Key: "new secret", FallbackKeys: []string{"secret"}})
	value, err := s.Unsign("hello:FRBs_KKrjaVe9zJEdlQdiuJ2n9jBEsFOL1Capquoa18")
	fmt.Println(value, err)
	// Output: hello <nil>
}

// Reading what a Django 3.2 site (Debian 12) signed with SHA-1.
func ExampleSigner_acceptSHA1() {
	s, _ := signing.NewSigner(signing.Options{Key: "secret", AcceptSHA1: true})
	value, err := s.Unsign("hello:AmyOTQY9JAikz0u2GebORkTo4LA")
	fmt.Println(value, err)
	// Output: hello <nil>
}

func ExampleTimestampSigner() {
	now := time.Unix(1700000000, 0)
	ts, err := signing.NewTimestampSigner(signing.Options{
		Key: "secret",
		Now: func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	signed := ts.Sign("hello")
	fmt.Println(signed)

	now = now.Add(90 * time.Second)
	value, err := ts.Unsign(signed, 2*time.Minute)
	fmt.Println(value, err)

	_, err = ts.Unsign(signed, time.Minute)
	fmt.Println(errors.Is(err, signing.ErrSignatureExpired), err)
	// Output:
	// hello:1r31eq:cd3olmP207LffIZrXNJ8LTxzeEF4brfUrRYVM3D-t8Q
	// hello <nil>
	// true signing: Signature age 90.0 > 60 seconds
}

func ExampleTimestampSigner_UnsignWithTime() {
	ts, _ := signing.NewTimestampSigner(signing.Options{Key: "secret"})
	value, signedAt, err := ts.UnsignWithTime("hello:1r31eq:cd3olmP207LffIZrXNJ8LTxzeEF4brfUrRYVM3D-t8Q", 0)
	fmt.Println(value, signedAt.UTC(), err)
	// Output: hello 2023-11-14 22:13:20 +0000 UTC <nil>
}

func ExampleDumps() {
	fixed := func() time.Time { return time.Unix(1700000000, 0) }
	token, err := signing.Dumps(map[string]any{"a": 1}, signing.Options{Key: "secret", Now: fixed})
	fmt.Println(token, err)
	// Output: eyJhIjoxfQ:1r31eq:I6FHvRuDt1QvhGrC5_GTBgUKxFXLKQmzsPKrgrC89_U <nil>
}

func ExampleLoads() {
	// signing.dumps(list(range(1, 20)), compress=True) in Django.
	token := ".eJwFwcERACAIwLCF-rCiILN47r-GyZVJsNgkxaFxoDgxcOHGxMKD_T7vhAml:1r31eq:CaaUi17Tt1BQuA5McuqTl41NEuFU4oReAMyigSYmPdw"
	var numbers []int
	err := signing.Loads(token, &numbers, signing.Options{Key: "secret"})
	fmt.Println(numbers, err)
	// Output: [1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19] <nil>
}

func ExampleTimestampSigner_SignObject() {
	// A signer made once for many objects, with Django's dumps salt.
	ts, _ := signing.NewTimestampSigner(signing.Options{Key: "secret", Salt: signing.DumpsSalt})
	token, _ := ts.SignObject([]string{"read", "write"}, true)

	var perms []string
	err := ts.UnsignObject(token, &perms, time.Hour)
	fmt.Println(perms, err)
	// Output: [read write] <nil>
}

func ExampleJSON() {
	b, err := signing.JSON(map[string]any{"é": "<>&", "n": 1.0, "list": []any{1, "😀"}})
	fmt.Println(string(b), err)
	// Output: {"list":[1,"\ud83d\ude00"],"n":1.0,"\u00e9":"<>&"} <nil>
}

func ExampleSaltedHMAC() {
	mac := signing.SaltedHMAC("a", "b", "s", crypto.SHA256)
	fmt.Println(hex.EncodeToString(mac))
	// Output: e8903cb450ba10fe860fa434a21f71a3f6d67971256294d9a32e4f51f2d40ca1
}

func ExampleBase62Encode() {
	fmt.Println(signing.Base62Encode(1700000000))
	// Output: 1r31eq
}

func ExampleBase62Decode() {
	n, err := signing.Base62Decode("1r31eq")
	fmt.Println(n, err)
	// Output: 1700000000 <nil>
}

func ExampleBase64Encode() {
	fmt.Println(signing.Base64Encode([]byte(`"hello"`)))
	// Output: ImhlbGxvIg
}

func ExampleBase64Decode() {
	b, err := signing.Base64Decode("ImhlbGxvIg")
	fmt.Println(string(b), err)
	// Output: "hello" <nil>
}

// The value Django's response.set_signed_cookie("user", "alice") stores, and
// reading it back as request.get_signed_cookie("user", max_age=3600) does.
func ExampleSignCookie() {
	fixed := func() time.Time { return time.Unix(1700000000, 0) }
	value, err := signing.SignCookie("user", "alice", signing.Options{Key: "secret", Now: fixed})
	fmt.Println(value, err)
	// Output: alice:1r31eq:6BssR8djskLJ9BPFAW5ewJRDVIKU44Nif81ql_XIrIs <nil>
}

func ExampleUnsignCookie() {
	fixed := func() time.Time { return time.Unix(1700000000, 0) }
	o := signing.Options{Key: "secret", Now: fixed, MaxAge: time.Hour}
	value, err := signing.UnsignCookie("user", "alice:1r31eq:6BssR8djskLJ9BPFAW5ewJRDVIKU44Nif81ql_XIrIs", o)
	fmt.Println(value, err)
	// Output: alice <nil>
}

func ExampleNewCookieSigner() {
	fixed := func() time.Time { return time.Unix(1700000000, 0) }
	cookies, _ := signing.NewCookieSigner("user", signing.Options{Key: "secret", Now: fixed})
	fmt.Println(cookies.Sign("alice"))
	// Output: alice:1r31eq:6BssR8djskLJ9BPFAW5ewJRDVIKU44Nif81ql_XIrIs
}

// Session data written by a Django 3.2 site whose DEFAULT_HASHING_ALGORITHM
// is "sha1".
func ExampleDecodeLegacySession() {
	data := "OGVhMGIwY2EyNzVkMGEzY2ZkYjdmNWE3NTQ5M2RmZGUzMjYyZjg0Mzp7ImsiOiJ2In0="
	payload, err := signing.DecodeLegacySession(data, "django-insecure-test-key-0123456789", "SessionStore")
	fmt.Println(string(payload), err)
	// Output: {"k":"v"} <nil>
}

func ExampleEncodeLegacySession() {
	fmt.Println(signing.EncodeLegacySession([]byte(`{"k":"v"}`), "django-insecure-test-key-0123456789", "SessionStore"))
	// Output: OGVhMGIwY2EyNzVkMGEzY2ZkYjdmNWE3NTQ5M2RmZGUzMjYyZjg0Mzp7ImsiOiJ2In0=
}

// The token is what Django's Signer(key="secret", salt="unsubscribe").sign_object(
// {"list": "news", "user": 42}) returns.
func ExampleSigner_SignObject() {
	s, _ := signing.NewSigner(signing.Options{Key: "secret", Salt: "unsubscribe"})
	token, _ := s.SignObject(map[string]any{"user": 42, "list": "news"}, false)
	fmt.Println(token)

	var data map[string]any
	err := s.UnsignObject(token, &data)
	fmt.Println(data, err)
	// Output:
	// eyJsaXN0IjoibmV3cyIsInVzZXIiOjQyfQ:WnAqzTh-zrZPKDDr2-QfzlMCZFAsFMbOGzadhtMQMEM
	// map[list:news user:42] <nil>
}

func ExampleAppendJSON() {
	buf := make([]byte, 0, 64)
	buf, err := signing.AppendJSON(buf, struct {
		Name  string  `json:"name"`
		Score float64 `json:"score"`
	}{"Zoë", 10})
	fmt.Println(string(buf), err)
	// Output: {"name":"Zo\u00eb","score":10.0} <nil>
}
