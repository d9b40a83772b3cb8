package storetesting

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/canter-go/canter/sessions"
)

// djangoSessions runs Django's own db session backend on a database and answers a list of
// operations read as JSON on stdin: {"op": "load", "key": k} gives the session's data and
// expire_date (null when Django finds no session); {"op": "create", "data": {...}} gives the
// new key; {"op": "set", "key": k, "data": {...}} changes keys of a session and saves it.
// argv: SECRET_KEY, the DATABASES["default"] dict as JSON, the table name.
const djangoSessions = `
import json, sys
import django
from django.conf import settings
settings.configure(
    SECRET_KEY=sys.argv[1],
    INSTALLED_APPS=["django.contrib.sessions"],
    DATABASES={"default": json.loads(sys.argv[2])},
    USE_TZ=True,
    SESSION_ENGINE="django.contrib.sessions.backends.db",
)
django.setup()
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
Session._meta.db_table = sys.argv[3]

def run(c):
    if c["op"] == "load":
        if not SessionStore().exists(c["key"]):
            return None
        s = SessionStore(session_key=c["key"])
        row = Session.objects.get(pk=c["key"])
        return {"data": dict(s.items()), "expire_date": row.expire_date.isoformat()}
    if c["op"] == "create":
        s = SessionStore()
        s.update(c["data"])
        s.create()
        return s.session_key
    if c["op"] == "set":
        s = SessionStore(session_key=c["key"])
        s.update(c["data"])
        s.save()
        return True
    raise ValueError(c["op"])

json.dump([run(c) for c in json.load(sys.stdin)], sys.stdout)
`

// DjangoPython finds a Python that can import Django: $CANTER_DJANGO_PYTHON, else python3,
// else the system's /usr/bin/python3 (where Debian's python3-django installs).
func DjangoPython(t *testing.T) string {
	t.Helper()
	candidates := []string{"python3", "/usr/bin/python3"}
	if py := os.Getenv("CANTER_DJANGO_PYTHON"); py != "" {
		candidates = []string{py}
	}
	for _, py := range candidates {
		if exec.Command(py, "-c", "import django").Run() == nil {
			return py
		}
	}
	t.Skipf("Django is not importable by %v; install Django (Debian: python3-django) or set CANTER_DJANGO_PYTHON to a python that has it, to run the test against Django itself", candidates)
	return ""
}

// runDjango runs ops through Django's session backend and decodes its answers into out.
func runDjango(t *testing.T, py, secret string, database map[string]string, table string, ops []map[string]any, out any) {
	t.Helper()
	in, err := json.Marshal(ops)
	if err != nil {
		t.Fatal(err)
	}
	db, err := json.Marshal(database)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "-c", djangoSessions, secret, string(db), table)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("Django: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("Django's answer %q: %v", stdout, err)
	}
}

// djangoLoad is Django's answer to a "load" operation.
type djangoLoad struct {
	Data       map[string]any `json:"data"`
	ExpireDate string         `json:"expire_date"`
}

// DjangoSecret is the SECRET_KEY that Django and the store share in DjangoInterop.
const DjangoSecret = "django-insecure-interop-secret ✓"

// DjangoInterop checks that Django itself (run by py, from DjangoPython) reads the sessions s
// writes in its layout, and that s reads and merges into the sessions Django writes. s keeps
// sessions in Django's layout with SecretKey DjangoSecret, in table of the database that
// database (Django's DATABASES["default"]) names.
func DjangoInterop(t *testing.T, py string, database map[string]string, table string, s sessions.Store) {
	ctx := context.Background()
	ours := "canterwrotethiskey00000000000001"
	exp := time.Date(2031, 5, 6, 7, 8, 9, 123456000, time.UTC)
	err := s.Create(ctx, ours, sessions.Record{
		Values: map[string]json.RawMessage{"_auth_user_id": Raw(`"42"`), "cart": Raw(`[1,2.5,{"sku":"é"}]`), "ü": Raw(`null`)},
		Expiry: exp,
	})
	if err != nil {
		t.Fatal(err)
	}
	var first []json.RawMessage
	runDjango(t, py, DjangoSecret, database, table, []map[string]any{
		{"op": "load", "key": ours},
		{"op": "create", "data": map[string]any{"from": "django", "n": 1}},
		{"op": "set", "key": ours, "data": map[string]any{"django_added": true}},
	}, &first)
	var load djangoLoad
	if err := json.Unmarshal(first[0], &load); err != nil {
		t.Fatalf("Django did not load our session: %s", first[0])
	}
	if load.Data["_auth_user_id"] != "42" || load.Data["ü"] != nil || len(load.Data) != 3 {
		t.Errorf("Django read %v", load.Data)
	}
	if cart, _ := json.Marshal(load.Data["cart"]); string(cart) != `[1,2.5,{"sku":"é"}]` {
		t.Errorf("Django read cart = %s", cart)
	}
	if got, err := time.Parse(time.RFC3339Nano, load.ExpireDate); err != nil || !got.Equal(exp) {
		t.Errorf("Django read expire_date %q, want %v", load.ExpireDate, exp)
	}
	var theirs string
	if err := json.Unmarshal(first[1], &theirs); err != nil {
		t.Fatal(err)
	}

	rec, err := s.Load(ctx, theirs)
	if err != nil {
		t.Fatalf("load of the session Django created: %v", err)
	}
	CheckValues(t, rec.Values, map[string]string{"from": `"django"`, "n": `1`})
	if d := time.Until(rec.Expiry) - 14*24*time.Hour; d > time.Minute || d < -time.Minute {
		t.Errorf("expiry of Django's session = %v, want in two weeks", rec.Expiry)
	}
	rec, err = s.Load(ctx, ours)
	if err != nil {
		t.Fatal(err)
	}
	CheckValues(t, rec.Values, map[string]string{"_auth_user_id": `"42"`, "cart": `[1,2.5,{"sku":"é"}]`, "ü": `null`, "django_added": `true`})

	if err := s.Update(ctx, theirs, sessions.Changes{Set: map[string]json.RawMessage{"go": Raw(`"yes"`)}, Delete: []string{"n"}, Expiry: exp}); err != nil {
		t.Fatal(err)
	}
	var second []djangoLoad
	runDjango(t, py, DjangoSecret, database, table, []map[string]any{{"op": "load", "key": theirs}}, &second)
	if second[0].Data["from"] != "django" || second[0].Data["go"] != "yes" || len(second[0].Data) != 2 {
		t.Errorf("Django read after our update: %v", second[0].Data)
	}
}
