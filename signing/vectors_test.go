package signing_test

import (
	"crypto"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/canter-go/canter/signing"
)

// The vectors in this file come from the reference's section 6.3 and 6.4,
// computed by running Django with time() fixed at 1700000000, and (those
// marked "Django 3.2.25") from running Debian 12's Django 3.2.25 the same
// way. None were computed with this package.

const (
	specTime   = 1700000000
	sessionKey = "django-insecure-test-key-0123456789"
)

func fixedNow() time.Time { return time.Unix(specTime, 0) }

func opts(key string) signing.Options {
	return signing.Options{Key: key, Now: fixedNow}
}

func TestSaltedHMACVectors(t *testing.T) {
	tests := []struct {
		algo crypto.Hash
		want string
	}{
		{0, "92a594f00a70b32621ffac067cde4a0d463820df"}, // sha1 is salted_hmac's default
		{crypto.SHA1, "92a594f00a70b32621ffac067cde4a0d463820df"},
		{crypto.SHA256, "e8903cb450ba10fe860fa434a21f71a3f6d67971256294d9a32e4f51f2d40ca1"},
	}
	for _, tt := range tests {
		got := hex.EncodeToString(signing.SaltedHMAC("a", "b", "s", tt.algo))
		if got != tt.want {
			t.Errorf("SaltedHMAC(a, b, s, %v) = %s, want %s", tt.algo, got, tt.want)
		}
	}
}

func TestBase62Vector(t *testing.T) {
	if got := signing.Base62Encode(specTime); got != "1r31eq" {
		t.Errorf("Base62Encode(%d) = %q, want 1r31eq", specTime, got)
	}
	if got, err := signing.Base62Decode("1r31eq"); err != nil || got != specTime {
		t.Errorf("Base62Decode(1r31eq) = %d, %v, want %d", got, err, specTime)
	}
}

func TestSignerVectors(t *testing.T) {
	tests := []struct {
		name  string
		o     signing.Options
		value string
		want  string
	}{
		{"default", opts("secret"), "hello", "hello:FRBs_KKrjaVe9zJEdlQdiuJ2n9jBEsFOL1Capquoa18"},
		{"sha1 (3.2)", signing.Options{Key: "secret", Algorithm: crypto.SHA1}, "hello", "hello:AmyOTQY9JAikz0u2GebORkTo4LA"},
		// Django 3.2.25:
		{"separator", signing.Options{Key: "secret", Separator: "/"}, "a/b", "a/b/2gnliXDLVRhSTOWmV5E5eqCcesCvqhq8yWPL23z6AJQ"},
		{"non-ASCII", opts("secret"), "é✓😀", "é✓😀:TEVtrb5GDu_XTeXDJnFBYruORv8HK6TXvz3dnOA9J6U"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := signing.NewSigner(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Sign(tt.value); got != tt.want {
				t.Errorf("Sign(%q) = %q, want %q", tt.value, got, tt.want)
			}
			if got, err := s.Unsign(tt.want); err != nil || got != tt.value {
				t.Errorf("Unsign(%q) = %q, %v, want %q", tt.want, got, err, tt.value)
			}
		})
	}
}

func TestTimestampSignerVectors(t *testing.T) {
	tests := []struct {
		name  string
		o     signing.Options
		value string
		want  string
	}{
		{"default", opts("secret"), "hello", "hello:1r31eq:cd3olmP207LffIZrXNJ8LTxzeEF4brfUrRYVM3D-t8Q"},
		// Django 3.2.25:
		{"separator and salt", signing.Options{Key: "secret", Separator: "/", Salt: "x", Now: fixedNow}, "a/b",
			"a/b/1r31eq/u9TkwRSV61LmZTmVKgJWYibzBRPk8qqcl3d7Ba3niD4"},
		{"sha512", signing.Options{Key: "secret", Algorithm: crypto.SHA512, Now: fixedNow}, "hello",
			"hello:1r31eq:Mm9mggf-rz6jnWtALvsxB2RHlT6gnR-9hqrw7qBTvE7Nfby_HxxEOn9ck9aqXTF0qWYIf_uZU4SFE7CXcv4VCA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := signing.NewTimestampSigner(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Sign(tt.value); got != tt.want {
				t.Errorf("Sign(%q) = %q, want %q", tt.value, got, tt.want)
			}
			got, at, err := s.UnsignWithTime(tt.want, time.Minute)
			if err != nil || got != tt.value || at.Unix() != specTime {
				t.Errorf("UnsignWithTime(%q) = %q, %v, %v, want %q at %d", tt.want, got, at, err, tt.value, specTime)
			}
		})
	}
}

func TestDumpsVectors(t *testing.T) {
	tests := []struct {
		name string
		v    any
		o    signing.Options
		want string
	}{
		{"string", "hello", opts("secret"), "ImhlbGxvIg:1r31eq:a3CFcK7P0T4YtvcQde-8mW6c7nClbqAtZDLbkQ7-O9A"},
		{"object", map[string]any{"a": 1}, opts("secret"), "eyJhIjoxfQ:1r31eq:I6FHvRuDt1QvhGrC5_GTBgUKxFXLKQmzsPKrgrC89_U"},
		{"sha1 (3.2)", "hello", signing.Options{Key: "secret", Algorithm: crypto.SHA1, Now: fixedNow},
			"ImhlbGxvIg:1r31eq:IAVwWwCzs3IxyKAYs26IPb3C3cc"},
		// Compression is asked for but does not help with so little data, so
		// the bytes are comparable.
		{"db session", map[string]any{"k": "v"},
			signing.Options{Key: sessionKey, Salt: "django.contrib.sessions.SessionStore", Compress: true, Now: fixedNow},
			"eyJrIjoidiJ9:1r31eq:-Am2ELRJ6u15baxqBPGqVmyQwV7uSoitQsB6LK8Txw8"},
		{"signed_cookies session", map[string]any{"k": "v"},
			signing.Options{Key: sessionKey, Salt: "django.contrib.sessions.backends.signed_cookies", Compress: true, Now: fixedNow},
			"eyJrIjoidiJ9:1r31eq:1DX78B3PHYaGU8qr6xuuJir62YDIaiEK21XG6nuTDRk"},
		// Django 3.2.25:
		{"non-ASCII JSON", map[string]any{"é": "<>&"}, opts("secret"),
			"eyJcdTAwZTkiOiI8PiYifQ:1r31eq:JeoF5m5acew8S3U6e4bqlfe4_S2Jf67MHDalrKxyD6w"},
		{"signed_cookies session sha1", map[string]any{"k": "v"},
			signing.Options{Key: sessionKey, Salt: "django.contrib.sessions.backends.signed_cookies", Compress: true,
				Algorithm: crypto.SHA1, Now: fixedNow},
			"eyJrIjoidiJ9:1r31eq:FWKgywRCeydznoeRofZquxqeKiE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := signing.Dumps(tt.v, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Dumps(%v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}

// bigSession is the session data of the compressed Django 3.2.25 vectors.
func bigSession() map[string]any {
	list := make([]any, 50)
	for i := range list {
		list[i] = json.Number(strconv.Itoa(i))
	}
	hash := strings.Repeat("abc", 20)
	return map[string]any{
		"_auth_user_id":      "1",
		"_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
		"_auth_user_hash":    hash,
		"list":               list,
		"é":                  "ünïcødé 😀",
	}
}

// Compressed payloads differ between zlib implementations, so these check
// that Django's strings load, not that Dumps reproduces them.
func TestLoadsDjangoValues(t *testing.T) {
	seq := make([]any, 19) // Python's list(range(1, 20))
	for i := range seq {
		seq[i] = json.Number(strconv.Itoa(i + 1))
	}
	tests := []struct {
		name   string
		signed string
		o      signing.Options
		want   any
	}{
		{"string", "ImhlbGxvIg:1r31eq:a3CFcK7P0T4YtvcQde-8mW6c7nClbqAtZDLbkQ7-O9A", opts("secret"), "hello"},
		{"object", "eyJhIjoxfQ:1r31eq:I6FHvRuDt1QvhGrC5_GTBgUKxFXLKQmzsPKrgrC89_U", opts("secret"),
			map[string]any{"a": json.Number("1")}},
		{"compressed list", ".eJwFwcERACAIwLCF-rCiILN47r-GyZVJsNgkxaFxoDgxcOHGxMKD_T7vhAml:1r31eq:CaaUi17Tt1BQuA5McuqTl41NEuFU4oReAMyigSYmPdw",
			opts("secret"), seq},
		{"sha1 with AcceptSHA1 (3.2)", "ImhlbGxvIg:1r31eq:IAVwWwCzs3IxyKAYs26IPb3C3cc",
			signing.Options{Key: "secret", AcceptSHA1: true, Now: fixedNow}, "hello"},
		{"db session", "eyJrIjoidiJ9:1r31eq:-Am2ELRJ6u15baxqBPGqVmyQwV7uSoitQsB6LK8Txw8",
			signing.Options{Key: sessionKey, Salt: "django.contrib.sessions.SessionStore", Now: fixedNow},
			map[string]any{"k": "v"}},
		{"signed_cookies session", "eyJrIjoidiJ9:1r31eq:1DX78B3PHYaGU8qr6xuuJir62YDIaiEK21XG6nuTDRk",
			signing.Options{Key: sessionKey, Salt: "django.contrib.sessions.backends.signed_cookies", Now: fixedNow,
				MaxAge: 1209600 * time.Second},
			map[string]any{"k": "v"}},
		// Django 3.2.25:
		{"compressed db session",
			".eJydjztOw0AQhq-Ctv5k7Txsr1PScwKCLMd2SEjkSHFcIe7OOqSAFmmK-Z-j-Qxtt9wO7TKP1_Y4hE2QwG9u1_WncVqF4aOb3i9Ff5lu1-OuWC3FQ52Ll8swnp8f3j8Fh24-5HS36_89ufB8nG9h8xoRFMMpqahJNEgmBVHEEEdKpEJqJCENGtGcUdRQR0u0Qms0oQ0WMcFypWGOlViF1VjCGjzigiueLzpe4hVe4wlv3gjbJcaxyc-ty76f7njf31EaftSn7TIky2AYYwxf3z-Rapg:1r31eq:2OVlPbsoucddzRvDUTAjCIKzCQ924IXXmRasoaIoMhg",
			signing.Options{Key: sessionKey, Salt: "django.contrib.sessions.SessionStore", Now: fixedNow},
			bigSession()},
		{"compressed signed_cookies session",
			".eJydjztOw0AQhq-Ctv5k7Txsr1PScwKCLMd2SEjkSHFcIe7OOqSAFmmK-Z-j-Qxtt9wO7TKP1_Y4hE2QwG9u1_WncVqF4aOb3i9Ff5lu1-OuWC3FQ52Ll8swnp8f3j8Fh24-5HS36_89ufB8nG9h8xoRFMMpqahJNEgmBVHEEEdKpEJqJCENGtGcUdRQR0u0Qms0oQ0WMcFypWGOlViF1VjCGjzigiueLzpe4hVe4wlv3gjbJcaxyc-ty76f7njf31EaftSn7TIky2AYYwxf3z-Rapg:1r31eq:70chW6-8rI8wqIjRDk8vpd6Rhv5iTE6o1LDNsc-gLGo",
			signing.Options{Key: sessionKey, Salt: "django.contrib.sessions.backends.signed_cookies", Now: fixedNow},
			bigSession()},
		{"compressed signed_cookies session sha1",
			".eJydjztOw0AQhq-Ctv5k7Txsr1PScwKCLMd2SEjkSHFcIe7OOqSAFmmK-Z-j-Qxtt9wO7TKP1_Y4hE2QwG9u1_WncVqF4aOb3i9Ff5lu1-OuWC3FQ52Ll8swnp8f3j8Fh24-5HS36_89ufB8nG9h8xoRFMMpqahJNEgmBVHEEEdKpEJqJCENGtGcUdRQR0u0Qms0oQ0WMcFypWGOlViF1VjCGjzigiueLzpe4hVe4wlv3gjbJcaxyc-ty76f7njf31EaftSn7TIky2AYYwxf3z-Rapg:1r31eq:uvmdBWBBDIUT1z4QNoIYM9uFMj4",
			signing.Options{Key: sessionKey, Salt: "django.contrib.sessions.backends.signed_cookies", AcceptSHA1: true, Now: fixedNow},
			bigSession()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			if err := signing.Loads(tt.signed, &got, tt.o); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Loads = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestSHA1NeedsAcceptSHA1(t *testing.T) {
	var got any
	err := signing.Loads("ImhlbGxvIg:1r31eq:IAVwWwCzs3IxyKAYs26IPb3C3cc", &got, opts("secret"))
	if !errorsIsBad(err) {
		t.Fatalf("Loads of a SHA-1 signature without AcceptSHA1: err = %v, want a bad signature", err)
	}
	s, _ := signing.NewSigner(signing.Options{Key: "secret", AcceptSHA1: true})
	if v, err := s.Unsign("hello:AmyOTQY9JAikz0u2GebORkTo4LA"); err != nil || v != "hello" {
		t.Errorf("Unsign of Django 3.2's SHA-1 Signer value = %q, %v", v, err)
	}
}

func TestCookieVectors(t *testing.T) {
	// Django 3.2.25: set_signed_cookie(name, value, salt) stores
	// get_cookie_signer(salt=name+salt).sign(value).
	tests := []struct {
		name, salt, want string
	}{
		{"user", "", "alice:1r31eq:6BssR8djskLJ9BPFAW5ewJRDVIKU44Nif81ql_XIrIs"},
		{"user", "extra", "alice:1r31eq:UQvQDB0XeZzAS-GNuUcTlB1c6RaSj88JAH6hbA3mSaI"},
		{"", signing.CookieSignerSalt, "alice:1r31eq:bDVUVoWjiEisaykQ3alHcwQOcCUuWast7zQclPdKRYA"},
	}
	for _, tt := range tests {
		o := signing.Options{Key: "secret", Salt: tt.salt, Now: fixedNow}
		got, err := signing.SignCookie(tt.name, "alice", o)
		if err != nil || got != tt.want {
			t.Errorf("SignCookie(%q, alice, salt %q) = %q, %v, want %q", tt.name, tt.salt, got, err, tt.want)
		}
		o.MaxAge = time.Hour
		if v, err := signing.UnsignCookie(tt.name, tt.want, o); err != nil || v != "alice" {
			t.Errorf("UnsignCookie(%q, %q) = %q, %v, want alice", tt.name, tt.want, v, err)
		}
	}
	// The cookie name is part of the salt.
	if _, err := signing.UnsignCookie("admin", tests[0].want, opts("secret")); !errorsIsBad(err) {
		t.Errorf("a cookie signed for another name: err = %v, want a bad signature", err)
	}
}

func TestLegacySessionVectors(t *testing.T) {
	tests := []struct {
		data string
		want string
	}{
		{"OGVhMGIwY2EyNzVkMGEzY2ZkYjdmNWE3NTQ5M2RmZGUzMjYyZjg0Mzp7ImsiOiJ2In0=", `{"k":"v"}`},
		// Django 3.2.25:
		{"OWI0YTgwYmIxYjYyYjNkMWM2NzllMTNmMzEyNzZmMDZiZDBiN2RiZTp7Il9hdXRoX3VzZXJfaWQiOiIxIiwiX2F1dGhfdXNlcl9iYWNrZW5kIjoiZGphbmdvLmNvbnRyaWIuYXV0aC5iYWNrZW5kcy5Nb2RlbEJhY2tlbmQiLCJfYXV0aF91c2VyX2hhc2giOiJhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmNhYmMiLCJsaXN0IjpbMCwxLDIsMyw0LDUsNiw3LDgsOSwxMCwxMSwxMiwxMywxNCwxNSwxNiwxNywxOCwxOSwyMCwyMSwyMiwyMywyNCwyNSwyNiwyNywyOCwyOSwzMCwzMSwzMiwzMywzNCwzNSwzNiwzNywzOCwzOSw0MCw0MSw0Miw0Myw0NCw0NSw0Niw0Nyw0OCw0OV0sIlx1MDBlOSI6Ilx1MDBmY25cdTAwZWZjXHUwMGY4ZFx1MDBlOSBcdWQ4M2RcdWRlMDAifQ==",
			`{"_auth_user_id":"1","_auth_user_backend":"django.contrib.auth.backends.ModelBackend","_auth_user_hash":"abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc","list":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49],"\u00e9":"\u00fcn\u00efc\u00f8d\u00e9 \ud83d\ude00"}`},
	}
	for _, tt := range tests {
		got, err := signing.DecodeLegacySession(tt.data, sessionKey, "SessionStore")
		if err != nil || string(got) != tt.want {
			t.Errorf("DecodeLegacySession = %q, %v, want %q", got, err, tt.want)
		}
		if enc := signing.EncodeLegacySession([]byte(tt.want), sessionKey, "SessionStore"); enc != tt.data {
			t.Errorf("EncodeLegacySession(%q) = %q, want %q", tt.want, enc, tt.data)
		}
	}
	// A struct keeps Python's insertion order, so the JSON is the one Django
	// hashed (a map would be written with sorted keys).
	type session struct {
		UserID      string `json:"_auth_user_id"`
		UserBackend string `json:"_auth_user_backend"`
		UserHash    string `json:"_auth_user_hash"`
		List        []int  `json:"list"`
		Accent      string `json:"é"`
	}
	big := bigSession()
	list := make([]int, 50)
	for i := range list {
		list[i] = i
	}
	v := session{big["_auth_user_id"].(string), big["_auth_user_backend"].(string), big["_auth_user_hash"].(string), list, big["é"].(string)}
	j, err := signing.JSON(v)
	if err != nil || string(j) != tests[1].want {
		t.Errorf("JSON(%+v) = %s, %v, want %s", v, j, err, tests[1].want)
	}
}
