package signing_test

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/canter-go/canter/signing"
)

// djangoScript reads a JSON list of cases on stdin, checks each with
// Django's own code, and writes a JSON list of results.
const djangoScript = `
import json, sys
import django
from django.conf import settings
cfg = dict(SECRET_KEY=sys.argv[1], INSTALLED_APPS=["django.contrib.sessions"])
if django.VERSION < (4, 0):
    cfg["DEFAULT_HASHING_ALGORITHM"] = "sha256"
settings.configure(**cfg)
django.setup()
from django.core import signing
from django.contrib.sessions.backends.base import SessionBase

class SessionStore(SessionBase):
    pass

def run(c):
    k = c["kind"]
    if k == "loads":
        v = signing.loads(c["signed"], salt=c["salt"], max_age=60)
        return json.dumps(v, separators=(",", ":"))
    if k == "signer":
        return signing.Signer(sep=c["sep"], salt=c["salt"]).unsign(c["signed"])
    if k == "timestamp":
        return signing.TimestampSigner(sep=c["sep"], salt=c["salt"]).unsign(c["signed"], max_age=60)
    if k == "cookie":
        return signing.get_cookie_signer(salt=c["name"] + c["salt"]).unsign(c["signed"], max_age=60)
    if k == "legacy":
        if django.VERSION >= (4, 0):
            return None
        return json.dumps(SessionStore().decode(c["signed"]), separators=(",", ":"))
    if k == "dumps":
        return signing.dumps(json.loads(c["json"]), salt=c["salt"], compress=True)
    raise ValueError(k)

out = []
for c in json.load(sys.stdin):
    try:
        out.append({"ok": True, "value": run(c)})
    except Exception as e:
        out.append({"ok": False, "error": "%s: %s" % (type(e).__name__, e)})
json.dump(out, sys.stdout)
`

// djangoPython finds a Python that can import Django: the one named by
// CANTER_DJANGO_PYTHON, else python3 on the PATH.
func djangoPython(t *testing.T) string {
	py := os.Getenv("CANTER_DJANGO_PYTHON")
	if py == "" {
		py = "python3"
	}
	if err := exec.Command(py, "-c", "import django").Run(); err != nil {
		t.Skipf("Django is not importable by %s (%v); install Django (Debian: python3-django) and set CANTER_DJANGO_PYTHON to that python to run the interoperability test", py, err)
	}
	return py
}

type djangoCase struct {
	Kind   string `json:"kind"`
	Signed string `json:"signed,omitempty"`
	Salt   string `json:"salt"`
	Sep    string `json:"sep,omitempty"`
	Name   string `json:"name,omitempty"`
	JSON   string `json:"json,omitempty"`
}

type djangoResult struct {
	OK    bool   `json:"ok"`
	Value any    `json:"value"`
	Error string `json:"error"`
}

// TestDjangoReadsOurValues hands values signed here to Django and checks
// that it reads them, and reads a value Django signs now.
func TestDjangoReadsOurValues(t *testing.T) {
	py := djangoPython(t)
	const key = "interop key ✓ with non-ASCII"
	type item struct {
		Name   string  `json:"name"`
		Price  float64 `json:"price"`
		Ints   []int   `json:"ints"`
		Floats []any   `json:"floats"`
	}
	data := map[string]any{
		"text":  "é<>&/\"\\\x00\x7f😀\u2028",
		"items": []item{{"pen", 1.5, []int{1, -2}, []any{1.0, 1e16, 1e-5, 0.1, math.Copysign(0, -1), 123456789.125, 5e-324}}},
		"nil":   nil,
		"big":   json.Number("123456789012345678901234567890"),
		"bool":  true,
		"raw":   json.RawMessage(`{"b":[1,2],"a":"ü"}`), // Python re-dumps it compactly
	}
	var cases []djangoCase
	var wantJSON []string
	addLoads := func(v any, salt string, compress bool, algo crypto.Hash) {
		signed, err := signing.Dumps(v, signing.Options{Key: key, Salt: salt, Compress: compress, Algorithm: algo})
		if err != nil {
			t.Fatal(err)
		}
		j, _ := signing.JSON(v)
		cases = append(cases, djangoCase{Kind: "loads", Signed: signed, Salt: salt})
		wantJSON = append(wantJSON, string(j))
	}
	addLoads(data, "django.core.signing", false, 0)
	addLoads(data, "django.contrib.sessions.SessionStore", true, 0)
	addLoads(strings.Repeat("compress me ", 50), "django.core.signing", true, 0)

	s, _ := signing.NewSigner(signing.Options{Key: key, Separator: "/", Salt: "s"})
	ts, _ := signing.NewTimestampSigner(signing.Options{Key: key, Separator: "~", Salt: "t"})
	cookie, _ := signing.SignCookie("user", "alice:bob", signing.Options{Key: key, Salt: "extra"})
	legacyJSON := `{"_auth_user_id":"1","\u00e9":"x"}`
	cases = append(cases,
		djangoCase{Kind: "signer", Signed: s.Sign("a/b é"), Sep: "/", Salt: "s"},
		djangoCase{Kind: "timestamp", Signed: ts.Sign("a~b é"), Sep: "~", Salt: "t"},
		djangoCase{Kind: "cookie", Signed: cookie, Name: "user", Salt: "extra"},
		djangoCase{Kind: "legacy", Signed: signing.EncodeLegacySession([]byte(legacyJSON), key, "SessionStore")},
		djangoCase{Kind: "dumps", JSON: `{"z":1,"a":[1.5,"é"]}`, Salt: "from django"},
	)
	wantJSON = append(wantJSON, "a/b é", "a~b é", "alice:bob", legacyJSON, "")

	in, _ := json.Marshal(cases)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "-c", djangoScript, key)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running Django: %v", err)
	}
	var results []djangoResult
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(cases) {
		t.Fatalf("Django answered %s (%v)", out, err)
	}
	for i, r := range results {
		c := cases[i]
		if !r.OK {
			t.Errorf("Django refused %s %q: %s", c.Kind, c.Signed, r.Error)
			continue
		}
		switch c.Kind {
		case "legacy":
			if r.Value == nil {
				continue // Django 4.0 and later dropped the legacy format.
			}
			// Django re-encodes the dict it decoded.
			if r.Value != legacyJSON {
				t.Errorf("Django decoded the legacy session as %v, want %s", r.Value, legacyJSON)
			}
		case "dumps":
			var got map[string]any
			if err := signing.Loads(r.Value.(string), &got, signing.Options{Key: key, Salt: c.Salt, MaxAge: time.Minute}); err != nil {
				t.Errorf("Loads of Django's %q: %v", r.Value, err)
				continue
			}
			if j, _ := signing.JSON(got); string(j) != `{"a":[1.5,"\u00e9"],"z":1}` {
				t.Errorf("Loads of Django's value = %s", j)
			}
		default:
			// For loads, Python re-dumps what it parsed in the order it
			// parsed it: equal bytes mean our JSON is what Python writes.
			if r.Value != wantJSON[i] {
				t.Errorf("Django read %s as\n %v\nwant %s", c.Kind, r.Value, wantJSON[i])
			}
		}
	}
}
