package signing_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/canter-go/canter/signing"
)

// Expected outputs in pythonJSON were written by CPython 3's
// json.dumps(value, separators=(",", ":")) for the equivalent Python value.
func TestJSONMatchesPython(t *testing.T) {
	negZero := math.Copysign(0, -1)
	pointOne, pointTwo := 0.1, 0.2
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"string", "hello", `"hello"`},
		{"reference example", map[string]any{"é": "<>&"}, `{"\u00e9":"<>&"}`},
		{"astral", "😀", `"\ud83d\ude00"`},
		{"controls", "\x00\x01\x08\x09\x0a\x0b\x0c\x0d\x1f\x7f\"\\/", `"\u0000\u0001\b\t\n\u000b\f\r\u001f\u007f\"\\/"`},
		{"BMP edges", "\u2028\u2029\u00ff\u0100\uffff", `"\u2028\u2029\u00ff\u0100\uffff"`},
		{"C1", "a\u0080b", `"a\u0080b"`},
		{"empty string", "", `""`},
		{"floats", []any{1.0, negZero, 0.1, 1e16, 1e15, 1e-4, 1e-5, 1.5e-7, 123456789.125, 1e100, 5e-324,
			1.7976931348623157e308, 2.5, 100.0, pointOne + pointTwo, 1e21, 1e22, 12345678901234567.0,
			9999999999999998.0, 0.001234, -1e-10},
			`[1.0,-0.0,0.1,1e+16,1000000000000000.0,0.0001,1e-05,1.5e-07,123456789.125,1e+100,5e-324,` +
				`1.7976931348623157e+308,2.5,100.0,0.30000000000000004,1e+21,1e+22,1.2345678901234568e+16,` +
				`9999999999999998.0,0.001234,-1e-10]`},
		{"ints", []any{0, -1, int64(9007199254740993), int64(math.MaxInt64), int64(math.MinInt64), uint64(math.MaxUint64)},
			`[0,-1,9007199254740993,9223372036854775807,-9223372036854775808,18446744073709551615]`},
		{"nested", map[string]any{"b": []any{1, 2.0, nil, true, false}, "a": map[string]any{"x": "y"}},
			`{"a":{"x":"y"},"b":[1,2.0,null,true,false]}`},
		{"empty list", []any{}, `[]`},
		{"empty dict", map[string]any{}, `{}`},
		{"None", nil, `null`},
		{"True", true, `true`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := signing.JSON(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("JSON(%#v)\n got %s\nwant %s", tt.v, got, tt.want)
			}
			// The same value behind reflection (a named type, a pointer).
			type wrapper struct {
				V any `json:"v"`
			}
			got, err = signing.JSON(&wrapper{tt.v})
			if want := `{"v":` + tt.want + `}`; err != nil || string(got) != want {
				t.Errorf("JSON(&wrapper) = %s, %v, want %s", got, err, want)
			}
		})
	}
}

type textKey struct{ a, b int }

func (k textKey) MarshalText() ([]byte, error) {
	return []byte(string(rune('a'+k.a)) + string(rune('a'+k.b))), nil
}

type level int

func (l *level) MarshalJSON() ([]byte, error) {
	return []byte(`"level-` + string(rune('0'+*l)) + `"`), nil
}

type Embedded struct {
	ID   int    `json:"id"`
	Note string `json:"note"`
}

type Other struct {
	Note string
}

// For ASCII values without floats our output must equal encoding/json's
// compact output with HTML escaping off: the rules for struct fields, tags,
// embedding, marshalers and map keys are the same.
func TestJSONFollowsEncodingJSON(t *testing.T) {
	type inner struct {
		A int `json:"a,string"`
		B bool
	}
	type tags struct {
		Named     string            `json:"named"`
		Skipped   string            `json:"-"`
		Dash      string            `json:"-,"`
		Empty     string            `json:",omitempty"`
		EmptyMap  map[string]int    `json:"em,omitempty"`
		EmptyPtr  *int              `json:"ep,omitempty"`
		Zero      time.Time         `json:"zero,omitzero"`
		ZeroInner inner             `json:"zi,omitzero"`
		Quoted    string            `json:"q,string"`
		QuotedB   bool              `json:"qb,string"`
		Invalid   int               `json:"a\"b"`
		Inner     inner             `json:"inner"`
		Ptr       *inner            `json:"ptr"`
		NilPtr    *inner            `json:"nilptr"`
		Bytes     []byte            `json:"bytes"`
		NilBytes  []byte            `json:"nilbytes"`
		Array     [3]byte           `json:"array"`
		IntKeys   map[int]string    `json:"intkeys"`
		TextKeys  map[textKey]int   `json:"textkeys"`
		Raw       json.RawMessage   `json:"raw"`
		NilRaw    json.RawMessage   `json:"nilraw"`
		Time      time.Time         `json:"time"`
		Addr      netip.Addr        `json:"addr"`
		Level     level             `json:"level"`
		Iface     any               `json:"iface"`
		Strings   map[string]string `json:"strings"`
		NilSlice  []int             `json:"nilslice"`
		unexp     int
	}
	type embeds struct {
		Embedded
		*Other
		Own string `json:"own"`
	}
	type conflict struct {
		Embedded        // note at depth 1
		Other    Other  // not embedded
		Note     string // depth 0 wins
	}
	type tieA struct {
		X int
		Q int `json:"Z"`
	}
	type tieB struct {
		X int // ties with tieA.X at the same depth: both are left out
		Z int // loses to the tagged tieA.Q named Z
	}
	type tie struct {
		tieA
		tieB
		Y int
	}
	one := 1
	v := tags{
		Named: "n", Skipped: "s", Dash: "d", EmptyPtr: nil, Quoted: "q", QuotedB: true, Invalid: 3,
		Inner: inner{A: 5, B: true}, Ptr: &inner{A: 6},
		Bytes: []byte("hi\x00"), Array: [3]byte{1, 2, 3},
		IntKeys:  map[int]string{10: "ten", 9: "nine", -1: "minus"},
		TextKeys: map[textKey]int{{1, 2}: 1, {0, 0}: 2},
		Raw:      json.RawMessage(`{"x":[1,2]}`),
		Time:     time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC),
		Addr:     netip.MustParseAddr("127.0.0.1"),
		Level:    4,
		Iface:    map[string]any{"k": []any{"v", one}},
		Strings:  map[string]string{"b": "2", "a": "1"},
	}
	values := []any{
		v, &v, embeds{Embedded{1, "n"}, &Other{"o"}, "own"}, embeds{Own: "nil embedded pointer"},
		conflict{Embedded{1, "deep"}, Other{"other"}, "top"}, tie{tieA{1, 2}, tieB{3, 4}, 5},
		[]any{json.Number("12.50"), json.Number("-1e3")}, map[string]any{}, []string(nil), struct{}{},
	}
	for _, v := range values {
		got, err := signing.JSON(v)
		if err != nil {
			t.Fatalf("JSON(%#v): %v", v, err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		if w := strings.TrimSuffix(want.String(), "\n"); string(got) != w {
			t.Errorf("JSON(%T)\n got %s\nwant %s", v, got, w)
		}
	}
}

func TestJSONRawMessage(t *testing.T) {
	tests := []struct {
		raw  json.RawMessage
		want string
	}{
		{json.RawMessage(` { "b" : [1, 2.0] , "a" : "x" } `), ` { "b" : [1, 2.0] , "a" : "x" } `},
		{json.RawMessage(`"é😀<>"`), `"\u00e9\ud83d\ude00<>"`},
		{nil, `null`},
	}
	for _, tt := range tests {
		for _, v := range []any{tt.raw, []any{tt.raw}, struct{ R json.RawMessage }{tt.raw}} {
			got, err := signing.JSON(v)
			want := tt.want
			switch v.(type) {
			case []any:
				want = "[" + want + "]"
			case struct{ R json.RawMessage }:
				want = `{"R":` + want + "}"
			}
			if err != nil || string(got) != want {
				t.Errorf("JSON(%#v) = %s, %v, want %s", v, got, err, want)
			}
		}
	}
}

type badMarshaler struct{}

func (badMarshaler) MarshalJSON() ([]byte, error) { return []byte(`{"unclosed"`), nil }

type failingMarshaler struct{}

func (failingMarshaler) MarshalJSON() ([]byte, error) { return nil, errors.New("boom") }

func TestJSONErrors(t *testing.T) {
	type node struct {
		Next *node
	}
	cycle := &node{}
	cycle.Next = cycle
	selfMap := map[string]any{}
	selfMap["self"] = selfMap
	var ute *json.UnsupportedTypeError
	var uve *json.UnsupportedValueError
	var me *json.MarshalerError
	tests := []struct {
		name  string
		v     any
		check func(error) bool
	}{
		{"NaN", math.NaN(), func(err error) bool { return errors.As(err, &uve) }},
		{"+Inf in a struct", struct{ F float64 }{math.Inf(1)}, func(err error) bool { return errors.As(err, &uve) }},
		{"-Inf float32", []float32{float32(math.Inf(-1))}, func(err error) bool { return errors.As(err, &uve) }},
		{"channel", make(chan int), func(err error) bool { return errors.As(err, &ute) }},
		{"func", map[string]any{"f": func() {}}, func(err error) bool { return errors.As(err, &ute) }},
		{"complex", complex(1, 2), func(err error) bool { return errors.As(err, &ute) }},
		{"bool map key", map[bool]int{true: 1}, func(err error) bool { return errors.As(err, &ute) }},
		{"invalid Marshaler output", badMarshaler{}, func(err error) bool { return errors.As(err, &me) }},
		{"failing Marshaler", []any{failingMarshaler{}}, func(err error) bool { return errors.As(err, &me) }},
		{"invalid raw message", json.RawMessage(`{`), func(err error) bool { return errors.As(err, &me) }},
		{"invalid number", json.Number("1e"), func(err error) bool { return strings.Contains(err.Error(), "invalid number") }},
		{"cyclic pointer", cycle, func(err error) bool { return strings.Contains(err.Error(), "cyclic") }},
		{"cyclic map", selfMap, func(err error) bool { return strings.Contains(err.Error(), "cyclic") }},
	}
	for _, tt := range tests {
		out, err := signing.JSON(tt.v)
		if err == nil || !tt.check(err) {
			t.Errorf("%s: JSON = %s, %v; want the matching error", tt.name, out, err)
		}
		if _, err := signing.Dumps(tt.v, signing.Options{Key: "k"}); err == nil {
			t.Errorf("%s: Dumps succeeded", tt.name)
		}
	}
}

func TestJSONChoices(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		// float32 keeps its own shortest digits.
		{"float32", []float32{0.1, 1, 3.4028235e38}, `[0.1,1.0,3.4028235e+38]`},
		{"invalid UTF-8", "a\xffb", `"a\ufffdb"`},
		{"map keys sorted bytewise", map[string]int{"b": 1, "B": 2, "a": 3, "é": 4}, `{"B":2,"a":3,"b":1,"\u00e9":4}`},
		{"empty json.Number", json.Number(""), `0`},
		{"quoted float", struct {
			F float64 `json:"f,string"`
		}{2}, `{"f":"2.0"}`},
		{"quoted Number", struct {
			N json.Number `json:"n,string"`
		}{"7"}, `{"n":"7"}`},
		{"quoted string", struct {
			S string `json:"s,string"`
		}{"é"}, `{"s":"\"\\u00e9\""}`},
		{"non-ASCII key", struct {
			V int `json:"ü"`
		}{1}, `{"\u00fc":1}`},
	}
	for _, tt := range tests {
		got, err := signing.JSON(tt.v)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: JSON = %s, %v, want %s", tt.name, got, err, tt.want)
		}
	}
}

func TestAppendJSON(t *testing.T) {
	dst := []byte("prefix:")
	got, err := signing.AppendJSON(dst, []any{"x"})
	if err != nil || string(got) != `prefix:["x"]` {
		t.Errorf("AppendJSON = %s, %v", got, err)
	}
	got, err = signing.AppendJSON(dst[:7:7], make(chan int))
	if err == nil || string(got) != "prefix:" {
		t.Errorf("AppendJSON on error = %q, %v; want dst unchanged and an error", got, err)
	}
}
