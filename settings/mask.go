package settings

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Mask stands in for a secret in listings and problem reports; it is the
// substitute Django's debug pages use.
const Mask = "********************"

// sensitiveWords are Django's HIDDEN_SETTINGS, matched anywhere in a name
// regardless of case.
var sensitiveWords = [...]string{"API", "AUTH", "TOKEN", "KEY", "SECRET", "PASS", "SIGNATURE", "HTTP_COOKIE"}

// IsSensitive reports whether a setting or key name looks like it holds a
// secret, by Django's rule (HIDDEN_SETTINGS): the name contains API, AUTH,
// TOKEN, KEY, SECRET, PASS, SIGNATURE or HTTP_COOKIE, in any case. Debug
// pages use it to hide values, such as request headers, that the settings
// package does not list.
func IsSensitive(name string) bool {
	upper := strings.ToUpper(name)
	for _, w := range sensitiveWords {
		if strings.Contains(upper, w) {
			return true
		}
	}
	return false
}

// Entry is one setting in a listing made by [Settings.Masked].
type Entry struct {
	// Name is the Django name, such as "SESSION_COOKIE_AGE".
	Name string
	// Value is the value written as a literal: "sessionid", true, 336h0m0s,
	// ["a", "b"], {default = {ENGINE = "sqlite", …}}.
	Value string
}

// Masked lists every setting, sorted by name, for debug pages and the
// diff-settings command. As in Django, a setting whose name
// [IsSensitive] (SECRET_KEY, SECRET_KEY_FALLBACKS) is shown as [Mask], as is
// any sensitive key inside a structured value, and passwords inside URLs
// and connection strings (postgres://user:…@host, password=…) are masked.
func (s *Settings) Masked() []Entry {
	v := reflect.ValueOf(s).Elem()
	out := make([]Entry, 0, len(settingFields))
	for _, f := range settingFields {
		value := Mask
		if !IsSensitive(f.name) {
			value = literal(v.Field(f.index))
		}
		out = append(out, Entry{Name: f.name, Value: value})
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// show formats a value for a problem report: a literal, masked when the
// setting path is sensitive and the value is not empty.
func show(path string, value any) string {
	v := reflect.ValueOf(value)
	if IsSensitive(path) && !isEmpty(v) {
		return Mask
	}
	return literal(v)
}

// isEmpty reports whether v is absent, an empty string or an empty list.
func isEmpty(v reflect.Value) bool {
	if !v.IsValid() {
		return true
	}
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil() || isEmpty(v.Elem())
	}
	return false
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	timeType     = reflect.TypeFor[time.Time]()
	numberType   = reflect.TypeFor[json.Number]()
)

// literal writes v in a TOML-like notation, masking sensitive keys and
// passwords on the way.
func literal(v reflect.Value) string {
	var b strings.Builder
	writeLiteral(&b, v)
	return b.String()
}

func writeLiteral(b *strings.Builder, v reflect.Value) {
	if !v.IsValid() {
		b.WriteString("none")
		return
	}
	switch v.Type() {
	case durationType:
		b.WriteString(time.Duration(v.Int()).String())
		return
	case timeType:
		b.WriteString(v.Interface().(time.Time).Format(time.RFC3339Nano))
		return
	case numberType:
		b.WriteString(v.String())
		return
	}
	switch v.Kind() {
	case reflect.String:
		b.WriteString(strconv.Quote(maskPasswords(v.String())))
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			b.WriteString("none")
			return
		}
		writeLiteral(b, v.Elem())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Array && v.IsZero() {
			b.WriteString("[]") // an unset pair such as SECURE_PROXY_SSL_HEADER
			return
		}
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeLiteral(b, v.Index(i))
		}
		b.WriteByte(']')
	case reflect.Map:
		keys := make([]string, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			keys = append(keys, it.Key().String())
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeEntry(b, k, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())))
		}
		b.WriteByte('}')
	case reflect.Struct:
		b.WriteByte('{')
		for i, f := range fieldsOf(v.Type()) {
			if i > 0 {
				b.WriteString(", ")
			}
			writeEntry(b, f.name, v.Field(f.index))
		}
		b.WriteByte('}')
	default:
		b.WriteString(v.String())
	}
}

// writeEntry writes "key = value" inside a table, masking sensitive keys.
func writeEntry(b *strings.Builder, key string, v reflect.Value) {
	if isBareKey(key) {
		b.WriteString(key)
	} else {
		b.WriteString(strconv.Quote(key))
	}
	b.WriteString(" = ")
	if IsSensitive(key) {
		b.WriteString(Mask)
		return
	}
	writeLiteral(b, v)
}

// isBareKey reports whether TOML accepts key without quotes.
func isBareKey(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// dsnPassword finds password=… in a key=value connection string.
var dsnPassword = regexp.MustCompile(`(?i)\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|[^\s]*)`)

// maskPasswords hides the password of a URL (scheme://user:password@host)
// and of a key=value connection string (password=secret).
func maskPasswords(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		authority := rest
		if end := strings.IndexAny(rest, "/?#"); end >= 0 {
			authority = rest[:end]
		}
		if at := strings.LastIndexByte(authority, '@'); at >= 0 {
			userinfo := authority[:at]
			if c := strings.IndexByte(userinfo, ':'); c >= 0 && c+1 < len(userinfo) {
				return s[:i+3] + userinfo[:c+1] + Mask + rest[at:]
			}
		}
		return s
	}
	if strings.Contains(strings.ToLower(s), "password") {
		return dsnPassword.ReplaceAllString(s, "password="+Mask)
	}
	return s
}
