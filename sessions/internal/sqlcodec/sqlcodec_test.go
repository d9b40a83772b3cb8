package sqlcodec

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/canter-go/canter/sessions"
)

// AppendString must write what encoding/json reads back as the string encoding/json writes.
func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "a", `"`, `\`, "\n\t\x00\x1f", "é€😀", "\xff", "a\xc3", "<&>", "\u2028"} {
		got := AppendString([]byte("x"), s)
		if got[0] != 'x' {
			t.Fatalf("AppendString(%q) did not append: %q", s, got)
		}
		var back, want string
		if err := json.Unmarshal(got[1:], &back); err != nil {
			t.Fatalf("AppendString(%q) = %q, not a JSON string: %v", s, got[1:], err)
		}
		marshalled, _ := json.Marshal(s)
		if err := json.Unmarshal(marshalled, &want); err != nil {
			t.Fatal(err)
		}
		if back != want {
			t.Errorf("AppendString(%q) reads back as %q, encoding/json's as %q", s, back, want)
		}
	}
}

func TestAppendObject(t *testing.T) {
	values := map[string]json.RawMessage{"b": json.RawMessage(`[1,2]`), "a": json.RawMessage(`"x"`), "c\"": json.RawMessage(`null`)}
	got, err := AppendObject(nil, values, "somestore")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(values) // sorted keys, as AppendObject writes them
	if !bytes.Equal(got, want) {
		t.Errorf("AppendObject = %s, want %s", got, want)
	}
	if got, _ := AppendObject(nil, nil, "somestore"); string(got) != "{}" {
		t.Errorf("AppendObject(nil) = %s, want {}", got)
	}
	_, err = AppendObject(nil, map[string]json.RawMessage{"bad": json.RawMessage(`{`)}, "somestore")
	if err == nil || !strings.HasPrefix(err.Error(), "somestore: ") || !strings.Contains(err.Error(), `"bad"`) {
		t.Errorf("AppendObject of invalid JSON: err = %v, want one that starts with the caller's name and names the key", err)
	}
}

func TestApply(t *testing.T) {
	values := map[string]json.RawMessage{"a": json.RawMessage(`1`), "b": json.RawMessage(`2`)}
	Apply(values, &sessions.Changes{Delete: []string{"a", "c"}, Set: map[string]json.RawMessage{"c": json.RawMessage(`3`)}})
	if len(values) != 2 || string(values["b"]) != `2` || string(values["c"]) != `3` {
		t.Errorf("after Delete a, c and Set c: %q", values)
	}
	Apply(values, &sessions.Changes{Clear: true, Set: map[string]json.RawMessage{"d": json.RawMessage(`4`)}})
	if len(values) != 1 || string(values["d"]) != `4` {
		t.Errorf("after Clear and Set d: %q", values)
	}
}

func TestNewDjangoNeedsSecret(t *testing.T) {
	_, err := NewDjango("somestore", "", nil, false)
	if err == nil || !strings.HasPrefix(err.Error(), "somestore: ") || !strings.Contains(err.Error(), "SecretKey") {
		t.Errorf("NewDjango without a secret: err = %v", err)
	}
}

func TestColumn(t *testing.T) {
	codec, err := NewDjango("somestore", "secret", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	c := &Column{Codec: codec, Logger: slog.New(slog.NewTextHandler(&log, nil)), Store: "some", Table: "sessions"}
	data, err := c.Encode(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Decode("key", []byte(data)); got == nil || len(got) != 0 {
		t.Errorf("Decode(Encode(nil)) = %#v, want an empty map", got)
	}
	data, err = c.Merge("key", []byte(data), &sessions.Changes{Set: map[string]json.RawMessage{"a": json.RawMessage(`1`)}})
	if err != nil {
		t.Fatal(err)
	}
	data, err = c.Merge("key", []byte(data), &sessions.Changes{Set: map[string]json.RawMessage{"b": json.RawMessage(`2`)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Decode("key", []byte(data)); len(got) != 2 || string(got["a"]) != "1" || string(got["b"]) != "2" {
		t.Errorf("after two merges: %q", got)
	}
	if log.Len() != 0 {
		t.Errorf("logged %q for valid data", log.String())
	}
	if got := c.Decode("averylongsessionkey", []byte("not signed")); got == nil || len(got) != 0 {
		t.Errorf("Decode(corrupted) = %#v, want an empty map", got)
	}
	if s := log.String(); !strings.Contains(s, "Session data corrupted") || !strings.Contains(s, "key_prefix=averylon…") || strings.Contains(s, "averylongsessionkey") {
		t.Errorf("log of corrupted data = %q, want the warning with only the key's prefix", s)
	}
}
