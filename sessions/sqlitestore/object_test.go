package sqlitestore

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/canter-go/canter/sessions/internal/storetesting"
)

// decodeObject must agree with json.Unmarshal into a map[string]json.RawMessage.
func checkDecodeObject(t *testing.T, data []byte) {
	t.Helper()
	var want map[string]json.RawMessage
	wantErr := json.Unmarshal(data, &want)
	got, err := decodeObject(data)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("decodeObject(%q): err = %v, json.Unmarshal: %v", data, err, wantErr)
	}
	if err != nil {
		return
	}
	if len(got) != len(want) {
		t.Fatalf("decodeObject(%q) = %q, json.Unmarshal: %q", data, got, want)
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || !bytes.Equal(g, w) {
			t.Fatalf("decodeObject(%q)[%q] = %q, json.Unmarshal: %q", data, k, g, w)
		}
	}
}

func TestDecodeObject(t *testing.T) {
	for _, s := range []string{
		`{}`, ` { } `, `null`, ` null `, `{"a":1}`, `{"a" : [1, {"b": [true,false,null]}] , "c":"d"}`,
		`{"a":1,"a":2}`, `{"\u00e9":"\ud83d\ude00","\n":"\/"}`, `{"é":"é"}`, "{\"\xff\":1}", "{\"a\":\"\xff\"}",
		`{"n":-0,"m":1.5e+10,"o":0.1E-3,"p":123}`, `{"a":{}}`, `{"a":[]}`, `{"a":[ ]}`,
		// Invalid.
		``, ` `, `[]`, `"a"`, `1`, `nul`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":1 "b":2}`, `{a:1}`,
		`{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":1e}`, `{"a":-}`, `{"a":tru}`, `{"a":nulll}`, `{"a":[1,]}`,
		`{"a":[1 2]}`, `{"a":{"b"}}`, `{"a":"\x"}`, `{"a":"\u12"}`, "{\"a\":\"\x01\"}", `{"a":1}x`, `{"a":1}}`,
		`{"a":"b}`, `{"a":[}`, `{"a":{"b":1,}}`, `{"a\u00"`, `{"a\`,
	} {
		checkDecodeObject(t, []byte(s))
	}
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	checkDecodeObject(t, []byte(`{"a":`+deep+`}`))
	ok := strings.Repeat("[", maxDepth-1) + strings.Repeat("]", maxDepth-1)
	checkDecodeObject(t, []byte(`{"a":`+ok+`}`))
}

// The values do not share memory with the input, nor can one overwrite another.
func TestDecodeObjectCopies(t *testing.T) {
	data := []byte(`{"a":"x","b":"y"}`)
	got, err := decodeObject(data)
	if err != nil {
		t.Fatal(err)
	}
	copy(data, `{"a":"z","b":"z"}`)
	_ = append(got["a"], '!')
	if string(got["a"]) != `"x"` || string(got["b"]) != `"y"` {
		t.Errorf("values changed: %q", got)
	}
}

func FuzzDecodeObject(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"a":[1,{"b":"\u00e9"}],"c":null}`, `{"":-1.5e3}`, `null`, `{"a":"\"\\"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecodeObject(t, data)
	})
}

func BenchmarkDecodeObject(b *testing.B) {
	data, err := jsonCodec{}.Encode(storetesting.BenchValues())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decodeObject", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeObject([]byte(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
