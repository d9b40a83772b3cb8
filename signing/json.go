package signing

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// JSON returns the JSON encoding of v, byte for byte as Python's
// json.dumps(v, separators=(",", ":")) writes the equivalent Python value,
// which is what Django signs. It follows the rules of encoding/json.Marshal
// (struct tags, omitempty, omitzero, the string option, embedded structs,
// json.Marshaler and encoding.TextMarshaler, []byte as base64) with these
// differences:
//
//   - Strings are ASCII: other characters are written as \uXXXX with
//     lower-case hex, as UTF-16 surrogate pairs above U+FFFF, and DEL as
//     \u007f. Invalid UTF-8 becomes \ufffd. The characters <, >, & and / are
//     not escaped.
//   - Floats are written as Python's repr writes them: 1.0 for an integral
//     float, 1e-05 and 1e+16 for exponents, -0.0 for negative zero. A
//     float32 is written with the shortest digits that identify it as a
//     float32 (0.1, not 0.10000000149011612). NaN and infinities are errors.
//   - Map keys are sorted, because Go maps have no order; Python writes
//     dicts in insertion order. Use a struct (written in field order) or a
//     json.RawMessage when the order matters.
//   - The output of json.Marshaler values, such as json.RawMessage, is
//     written as it is, not compacted, except that non-ASCII characters are
//     escaped so that the result stays ASCII, which Django needs to read it.
//   - Values nested more than 1000 deep, such as cyclic values, are errors.
func JSON(v any) ([]byte, error) {
	return AppendJSON(nil, v)
}

// AppendJSON appends the encoding of v made by [JSON] to dst.
func AppendJSON(dst []byte, v any) ([]byte, error) {
	e := encoders.Get().(*encoder)
	e.buf = dst
	err := e.any(v)
	out := e.buf
	e.buf = nil
	e.depth = 0
	clear(e.keys)
	e.keys = e.keys[:0]
	if cap(e.keys) <= 1024 {
		encoders.Put(e)
	}
	if err != nil {
		return dst, err
	}
	return out, nil
}

// maxDepth bounds nesting, as Python's recursion limit does.
const maxDepth = 1000

type encoder struct {
	buf   []byte
	depth int
	keys  []string // a stack of map keys being sorted, shared by nested maps
}

var encoders = sync.Pool{New: func() any { return new(encoder) }}

func (e *encoder) enter() error {
	e.depth++
	if e.depth > maxDepth {
		return fmt.Errorf("signing: JSON value nested more than %d levels deep; is it cyclic?", maxDepth)
	}
	return nil
}

// any encodes the common types without reflection.
func (e *encoder) any(v any) error {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		e.buf = appendPyString(e.buf, x)
	case bool:
		e.buf = strconv.AppendBool(e.buf, x)
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
	case int64:
		e.buf = strconv.AppendInt(e.buf, x, 10)
	case float64:
		return e.float(x, 64)
	case json.Number:
		return e.number(x)
	case json.RawMessage:
		if x == nil {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.raw(x, rawMessageType)
	case map[string]any:
		return e.stringMap(x)
	case []any:
		if x == nil {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		e.buf = append(e.buf, '[')
		for i, item := range x {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.any(item); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
		e.depth--
	default:
		return e.value(reflect.ValueOf(v), false)
	}
	return nil
}

func (e *encoder) stringMap(m map[string]any) error {
	if m == nil {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	if err := e.enter(); err != nil {
		return err
	}
	start := len(e.keys)
	for k := range m {
		e.keys = append(e.keys, k)
	}
	keys := e.keys[start:]
	slices.Sort(keys)
	e.buf = append(e.buf, '{')
	for i, k := range keys {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendPyString(e.buf, k)
		e.buf = append(e.buf, ':')
		if err := e.any(m[k]); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	e.keys = e.keys[:start]
	e.depth--
	return nil
}

func (e *encoder) float(f float64, bits int) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return &json.UnsupportedValueError{
			Value: reflect.ValueOf(f),
			Str:   strconv.FormatFloat(f, 'g', -1, bits) + " (Python would write it, but it is not JSON)",
		}
	}
	e.buf = appendPyFloat(e.buf, f, bits)
	return nil
}

func (e *encoder) number(n json.Number) error {
	if n == "" {
		e.buf = append(e.buf, '0')
		return nil
	}
	if !isJSONNumber(string(n)) {
		return fmt.Errorf("signing: invalid number literal %q", string(n))
	}
	e.buf = append(e.buf, n...)
	return nil
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	isZeroerType      = reflect.TypeFor[interface{ IsZero() bool }]()
	numberType        = reflect.TypeFor[json.Number]()
	rawMessageType    = reflect.TypeFor[json.RawMessage]()
)

// value encodes v by reflection; quoted is the ",string" tag option.
func (e *encoder) value(v reflect.Value, quoted bool) error {
	if !v.IsValid() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	t := v.Type()
	info := infoOf(t)
	switch {
	case info.marshaler:
		return e.marshaler(v)
	case info.addrMarshaler && v.CanAddr():
		return e.marshaler(v.Addr())
	case info.textMarshaler:
		return e.textMarshaler(v)
	case info.addrTextMarshaler && v.CanAddr():
		return e.textMarshaler(v.Addr())
	}
	switch v.Kind() {
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return e.scalar(v, quoted)
	case reflect.String:
		switch {
		case t == numberType && quoted:
			e.buf = append(e.buf, '"')
			if err := e.number(json.Number(v.String())); err != nil {
				return err
			}
			e.buf = append(e.buf, '"')
		case t == numberType:
			return e.number(json.Number(v.String()))
		case quoted:
			e.buf = appendPyString(e.buf, string(appendPyString(nil, v.String())))
		default:
			e.buf = appendPyString(e.buf, v.String())
		}
	case reflect.Interface:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if v.CanInterface() {
			return e.any(v.Interface()) // the fast paths, without allocating
		}
		return e.value(v.Elem(), false)
	case reflect.Pointer:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		if err := e.value(v.Elem(), quoted); err != nil {
			return err
		}
		e.depth--
	case reflect.Struct:
		return e.structValue(v, info.fields)
	case reflect.Map:
		return e.mapValue(v)
	case reflect.Slice:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if info.byteSlice {
			e.buf = append(e.buf, '"')
			e.buf = base64.StdEncoding.AppendEncode(e.buf, v.Bytes())
			e.buf = append(e.buf, '"')
			return nil
		}
		return e.array(v)
	case reflect.Array:
		return e.array(v)
	default:
		return &json.UnsupportedTypeError{Type: t}
	}
	return nil
}

// scalar encodes a bool or a number, inside double quotes when quoted.
func (e *encoder) scalar(v reflect.Value, quoted bool) error {
	if quoted {
		e.buf = append(e.buf, '"')
	}
	switch v.Kind() {
	case reflect.Bool:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
	case reflect.Float32:
		if err := e.float(v.Float(), 32); err != nil {
			return err
		}
	default:
		if err := e.float(v.Float(), 64); err != nil {
			return err
		}
	}
	if quoted {
		e.buf = append(e.buf, '"')
	}
	return nil
}

func (e *encoder) marshaler(v reflect.Value) error {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	m, ok := v.Interface().(json.Marshaler)
	if !ok { // a nil interface value
		e.buf = append(e.buf, "null"...)
		return nil
	}
	b, err := m.MarshalJSON()
	if err != nil {
		return &json.MarshalerError{Type: v.Type(), Err: err}
	}
	return e.raw(b, v.Type())
}

// raw appends the output of a json.Marshaler after checking it.
func (e *encoder) raw(b []byte, t reflect.Type) error {
	if !json.Valid(b) {
		return &json.MarshalerError{Type: t, Err: fmt.Errorf("MarshalJSON returned invalid JSON %q", b)}
	}
	e.buf = appendASCII(e.buf, b)
	return nil
}

func (e *encoder) textMarshaler(v reflect.Value) error {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	m, ok := v.Interface().(encoding.TextMarshaler)
	if !ok {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	b, err := m.MarshalText()
	if err != nil {
		return &json.MarshalerError{Type: v.Type(), Err: err}
	}
	e.buf = appendPyString(e.buf, string(b))
	return nil
}

func (e *encoder) array(v reflect.Value) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, '[')
	for i := range v.Len() {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := e.value(v.Index(i), false); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']')
	e.depth--
	return nil
}

type mapEntry struct {
	key   string
	value reflect.Value
}

func (e *encoder) mapValue(v reflect.Value) error {
	if v.IsNil() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	if err := e.enter(); err != nil {
		return err
	}
	entries := make([]mapEntry, 0, v.Len())
	it := v.MapRange()
	for it.Next() {
		k, err := mapKey(it.Key())
		if err != nil {
			return err
		}
		entries = append(entries, mapEntry{k, it.Value()})
	}
	slices.SortFunc(entries, func(a, b mapEntry) int { return strings.Compare(a.key, b.key) })
	e.buf = append(e.buf, '{')
	for i, en := range entries {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendPyString(e.buf, en.key)
		e.buf = append(e.buf, ':')
		if err := e.value(en.value, false); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	e.depth--
	return nil
}

// mapKey returns the JSON name of a map key, as encoding/json resolves it.
func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if k.Type().Implements(textMarshalerType) {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", nil
		}
		b, err := k.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return "", &json.MarshalerError{Type: k.Type(), Err: err}
		}
		return string(b), nil
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", &json.UnsupportedTypeError{Type: k.Type()}
}

func (e *encoder) structValue(v reflect.Value, fields []field) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, '{')
	first := true
	for i := range fields {
		f := &fields[i]
		fv, ok := fieldByIndex(v, f.index)
		if !ok {
			continue
		}
		if f.omitEmpty && isEmptyValue(fv) || f.omitZero && isZeroValue(fv) {
			continue
		}
		if !first {
			e.buf = append(e.buf, ',')
		}
		first = false
		e.buf = append(e.buf, f.key...)
		if err := e.value(fv, f.quoted); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	e.depth--
	return nil
}

// fieldByIndex follows index through embedded structs; it reports false when
// it meets a nil embedded pointer, whose fields are then left out.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// isZeroValue is the omitzero test: the value's IsZero method if it has one,
// else reflect's zero test.
func isZeroValue(v reflect.Value) bool {
	t := v.Type()
	if t.Implements(isZeroerType) {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			return true
		}
		return v.Interface().(interface{ IsZero() bool }).IsZero()
	}
	if v.CanAddr() && reflect.PointerTo(t).Implements(isZeroerType) {
		return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}

// typeInfo is what the encoder needs to know about a type, computed once.
type typeInfo struct {
	marshaler, addrMarshaler         bool
	textMarshaler, addrTextMarshaler bool
	byteSlice                        bool
	fields                           []field
}

var typeInfos sync.Map // reflect.Type -> *typeInfo; a cache, not observable state

func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{}
	ptr := reflect.PointerTo(t)
	switch {
	case t.Implements(marshalerType):
		ti.marshaler = true
	case t.Kind() != reflect.Pointer && ptr.Implements(marshalerType):
		ti.addrMarshaler = true
	case t.Implements(textMarshalerType):
		ti.textMarshaler = true
	case t.Kind() != reflect.Pointer && ptr.Implements(textMarshalerType):
		ti.addrTextMarshaler = true
	}
	switch t.Kind() {
	case reflect.Slice:
		el := t.Elem()
		ti.byteSlice = el.Kind() == reflect.Uint8 &&
			!reflect.PointerTo(el).Implements(marshalerType) &&
			!reflect.PointerTo(el).Implements(textMarshalerType)
	case reflect.Struct:
		ti.fields = typeFields(t)
	}
	actual, _ := typeInfos.LoadOrStore(t, ti)
	return actual.(*typeInfo)
}

// field is one JSON member of a struct.
type field struct {
	name      string
	key       []byte // the encoded name and a colon
	index     []int
	tagged    bool
	omitEmpty bool
	omitZero  bool
	quoted    bool
}

// typeFields lists the JSON fields of struct type t with encoding/json's
// rules: exported fields, and the fields of embedded structs promoted
// breadth first, where a shallower or tagged field hides others of its name
// and a tie hides them all.
func typeFields(t reflect.Type) []field {
	type candidate struct {
		typ   reflect.Type
		index []int
	}
	var fields []field
	current := []candidate{}
	next := []candidate{{typ: t}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current, next = next, current[:0]
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, c := range current {
			if visited[c.typ] {
				continue
			}
			visited[c.typ] = true
			for i := range c.typ.NumField() {
				sf := c.typ.Field(i)
				if sf.Anonymous {
					et := sf.Type
					if et.Kind() == reflect.Pointer {
						et = et.Elem()
					}
					if !sf.IsExported() && et.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTagName(name) {
					name = ""
				}
				index := append(slices.Clip(c.index), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					f := field{name: name, tagged: name != "", index: index}
					if f.name == "" {
						f.name = sf.Name
					}
					for opt := range strings.SplitSeq(opts, ",") {
						switch opt {
						case "omitempty":
							f.omitEmpty = true
						case "omitzero":
							f.omitZero = true
						case "string":
							switch ft.Kind() {
							case reflect.Bool,
								reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
								reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
								reflect.Float32, reflect.Float64, reflect.String:
								f.quoted = true
							}
						}
					}
					f.key = append(appendPyString(nil, f.name), ':')
					fields = append(fields, f)
					if count[c.typ] > 1 {
						// Two embeddings of one type at one depth: the
						// duplicate makes the name ambiguous, so both go.
						fields = append(fields, fields[len(fields)-1])
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, candidate{typ: ft, index: index})
				}
			}
		}
	}

	slices.SortStableFunc(fields, func(a, b field) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := len(a.index) - len(b.index); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		if f, ok := dominantField(fields[i:j]); ok {
			out = append(out, f)
		}
		i = j
	}
	slices.SortFunc(out, func(a, b field) int { return slices.Compare(a.index, b.index) })
	return out
}

// dominantField picks the field that wins among those of one name, sorted
// by depth and then tagged first: the only shallowest one, or the only
// tagged shallowest one.
func dominantField(fields []field) (field, bool) {
	if len(fields) > 1 && len(fields[0].index) == len(fields[1].index) && fields[0].tagged == fields[1].tagged {
		return field{}, false
	}
	return fields[0], true
}

// validTagName reports whether name may be used as a JSON key in a tag, by
// encoding/json's rule.
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c > 0x7f):
			return false
		}
	}
	return true
}

const hexDigits = "0123456789abcdef"

// plainASCII marks the bytes Python's ensure_ascii writes as they are.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendPyString appends s as a JSON string with Python's ensure_ascii
// escaping.
func appendPyString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plainASCII[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = appendEscapedRune(dst, rune(c))
			}
			i++
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		r, size := utf8.DecodeRuneInString(s[i:])
		dst = appendEscapedRune(dst, r)
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendEscapedRune appends \uXXXX for r, or a surrogate pair above U+FFFF.
func appendEscapedRune(dst []byte, r rune) []byte {
	if r > 0xffff {
		r1, r2 := utf16.EncodeRune(r)
		dst = appendEscapedRune(dst, r1)
		return appendEscapedRune(dst, r2)
	}
	return append(dst, '\\', 'u',
		hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// appendASCII appends valid JSON b with every non-ASCII character (which
// valid JSON has only inside strings) written as a \u escape.
func appendASCII(dst, b []byte) []byte {
	start := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		dst = append(dst, b[start:i]...)
		r, size := utf8.DecodeRune(b[i:])
		dst = appendEscapedRune(dst, r)
		i += size
		start = i
	}
	return append(dst, b[start:]...)
}

// appendPyFloat appends f as Python's repr(float) writes it: the shortest
// digits that read back as f, in positional notation when the decimal
// exponent is between -4 and 16, with ".0" for integral values, and
// otherwise as d.ddde±XX.
func appendPyFloat(dst []byte, f float64, bits int) []byte {
	var tmp [32]byte
	b := strconv.AppendFloat(tmp[:0], f, 'e', -1, bits) // -d.ddde±XX
	if b[0] == '-' {
		dst = append(dst, '-')
		b = b[1:]
	}
	mant, expText, _ := bytes.Cut(b, []byte("e"))
	exp, _ := strconv.Atoi(string(expText))
	var digitsBuf [24]byte
	digits := append(digitsBuf[:0], mant[0])
	if len(mant) > 2 {
		digits = append(digits, mant[2:]...)
	}
	point := exp + 1 // digits before the decimal point
	switch {
	case point <= -4 || point > 16:
		dst = append(dst, digits[0])
		if len(digits) > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		dst = strconv.AppendInt(dst, int64(exp), 10)
	case point <= 0:
		dst = append(dst, '0', '.')
		for range -point {
			dst = append(dst, '0')
		}
		dst = append(dst, digits...)
	case point >= len(digits):
		dst = append(dst, digits...)
		for range point - len(digits) {
			dst = append(dst, '0')
		}
		dst = append(dst, '.', '0')
	default:
		dst = append(dst, digits[:point]...)
		dst = append(dst, '.')
		dst = append(dst, digits[point:]...)
	}
	return dst
}

// isJSONNumber reports whether s is a JSON number literal.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i == len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	}
	return i == len(s)
}
