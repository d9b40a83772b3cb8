package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// decoder converts values parsed from settings.toml, or from JSON in an
// environment variable, into typed settings. It records every problem and
// goes on, so that one run reports all of them.
type decoder struct {
	problems []Problem
	// failed lists the paths whose values had a problem (unknown keys
	// aside). Their zero values stand in, and validation keeps quiet
	// about them so that one mistake is reported once.
	failed []string
	// quiet lists the settings that "did you mean" hints point at: the
	// misspelt key left them unset, which needs no second report.
	quiet []string
	// source says where the value at a path came from.
	source func(path string) string
	// json is set while converting JSON, to name its types in messages.
	json bool
}

// add records a problem with the value at path.
func (d *decoder) add(path string, value any, message, fix string) {
	d.failed = append(d.failed, path)
	d.problems = append(d.problems, Problem{
		Setting: path,
		Value:   show(path, value),
		Source:  d.source(path),
		Message: message,
		Fix:     fix,
	})
}

// decode converts src to type t. ok is false when src itself is unusable
// (of the wrong type, say); the previous layer's value then stays. A
// problem deeper inside (one list entry, one key of a table) leaves the
// rest usable: that entry is zero, or the unknown key is skipped.
func (d *decoder) decode(path string, t reflect.Type, src any) (v reflect.Value, ok bool) {
	v = d.convert(path, t, src)
	return v, !slices.Contains(d.failed, path)
}

func (d *decoder) convert(path string, t reflect.Type, src any) reflect.Value {
	out := reflect.New(t).Elem()
	if t == durationType {
		dur, ok := toDuration(src)
		_, isInt := toInt(src)
		if str, isString := src.(string); isString {
			_, err := strconv.ParseInt(strings.TrimSpace(str), 10, 64)
			isInt = err == nil
		}
		switch {
		case ok:
			out.SetInt(int64(dur))
		case isInt:
			d.add(path, src, "is too large for a duration", "use at most 9223372036 seconds (about 292 years)")
		case reflect.TypeOf(src) == reflect.TypeFor[string]():
			d.add(path, src, "is not a duration", durationFix)
		default:
			d.mismatch(path, t, src)
		}
		return out
	}
	switch t.Kind() {
	case reflect.Bool:
		b, ok := src.(bool)
		if !ok {
			d.mismatch(path, t, src)
		}
		out.SetBool(b)
	case reflect.String:
		s, ok := src.(string)
		if !ok {
			d.mismatch(path, t, src)
		}
		out.SetString(s)
	case reflect.Int, reflect.Int64:
		n, ok := toInt(src)
		if !ok {
			d.mismatch(path, t, src)
		} else if out.OverflowInt(n) {
			d.add(path, src, "is too large", "use a smaller number")
		} else {
			out.SetInt(n)
		}
	case reflect.Array:
		items, ok := toList(src)
		if !ok || (len(items) != 0 && len(items) != t.Len()) {
			d.mismatch(path, t, src)
			return out
		}
		for i, item := range items {
			s, ok := item.(string)
			if !ok {
				d.mismatch(path, t, src)
				return out
			}
			out.Index(i).SetString(s)
		}
	case reflect.Slice:
		items, ok := toList(src)
		if !ok {
			d.mismatch(path, t, src)
			return out
		}
		out.Set(reflect.MakeSlice(t, len(items), len(items)))
		for i, item := range items {
			out.Index(i).Set(d.convert(fmt.Sprintf("%s[%d]", path, i), t.Elem(), item))
		}
	case reflect.Map:
		m, ok := src.(map[string]any)
		if !ok {
			d.mismatch(path, t, src)
			return out
		}
		out.Set(reflect.MakeMapWithSize(t, len(m)))
		for _, k := range sortedMapKeys(m) {
			out.SetMapIndex(reflect.ValueOf(k), d.convert(path+"."+k, t.Elem(), m[k]))
		}
	case reflect.Struct:
		m, ok := src.(map[string]any)
		if !ok {
			d.mismatch(path, t, src)
			return out
		}
		fs := fieldsOf(t)
		for _, k := range sortedMapKeys(m) {
			f, known := lookupField(fs, k)
			if !known {
				d.unknown(path+"."+k, k, names(fs), nestedHints[t][strings.ToUpper(k)])
				continue
			}
			out.Field(f.index).Set(d.convert(path+"."+k, t.Field(f.index).Type, m[k]))
		}
	case reflect.Interface:
		if src != nil {
			out.Set(reflect.ValueOf(src))
		}
	default:
		panic("settings: no conversion to " + t.String())
	}
	return out
}

// mismatch records a value of the wrong type.
func (d *decoder) mismatch(path string, t reflect.Type, src any) {
	want, fix := d.expect(path, t, src)
	d.add(path, src, fmt.Sprintf("has the wrong type: expected %s, found %s", want, d.typeName(src)), fix)
}

// unknown records a key that is not a setting, with a hint: a close name
// ("did you mean …?") or a note about a Django setting Canter replaces.
func (d *decoder) unknown(path, key string, candidates []string, hint string) {
	fix := hint
	if fix == "" {
		if s := suggest(key, candidates); s != "" {
			fix = "did you mean " + s + "?"
			if parent := parentPath(path); parent != "" {
				d.quiet = append(d.quiet, parent+"."+s)
			} else {
				d.quiet = append(d.quiet, s)
			}
		} else {
			fix = "remove it, or check the spelling against the documentation of package settings"
		}
	}
	d.problems = append(d.problems, Problem{
		Setting: path,
		Source:  d.source(path),
		Message: "is not a Canter setting",
		Fix:     fix,
	})
}

const durationFix = `write whole seconds (1209600) or a duration string such as "336h" or "1h30m"`

// expect describes the type a setting wants and how to write it.
func (d *decoder) expect(path string, t reflect.Type, src any) (want, fix string) {
	if t == durationType {
		return "a duration", durationFix
	}
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean", "write true or false, without quotes"
	case reflect.String:
		return "a string", "put the value in double quotes"
	case reflect.Int, reflect.Int64:
		return "an integer", "write a whole number, without quotes"
	case reflect.Array:
		return "a pair [header, value]", `write ["X-Forwarded-Proto", "https"], or [] to unset it`
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			if d.json {
				return "an array of objects", fmt.Sprintf("write a JSON array of objects with the keys %s", strings.Join(names(fieldsOf(t.Elem())), ", "))
			}
			return "a list of tables", fmt.Sprintf("write one [[%s]] table per entry, with the keys %s", path, strings.Join(names(fieldsOf(t.Elem())), ", "))
		}
		if s, ok := src.(string); ok && !d.json {
			return "a list of strings", fmt.Sprintf("write a list, even for one entry: [%q]", s)
		}
		return "a list of strings", `write a list such as ["a", "b"]`
	case reflect.Map:
		if t.Elem().Kind() == reflect.Struct {
			keys := strings.Join(names(fieldsOf(t.Elem())), ", ")
			if d.json {
				return "an object of objects", fmt.Sprintf(`write a JSON object with one object per alias, such as {"default": {…}}, with the keys %s`, keys)
			}
			return "a table of tables", fmt.Sprintf("write one table per alias, such as [%s.default], with the keys %s", path, keys)
		}
		if d.json {
			return "an object", "write a JSON object"
		}
		return "a table", "write a table of keys and values"
	case reflect.Struct:
		keys := strings.Join(names(fieldsOf(t)), ", ")
		if d.json {
			return "an object", "write a JSON object with the keys " + keys
		}
		return "a table", "write a table with the keys " + keys
	}
	return t.String(), ""
}

// typeName names the type of a parsed value as TOML or JSON does.
func (d *decoder) typeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case int64:
		return "an integer"
	case json.Number:
		if _, err := v.Int64(); err == nil {
			return "an integer"
		}
		return "a number with a fraction"
	case float64:
		return "a float"
	case time.Time:
		return "a date-time"
	case []any, []map[string]any:
		if d.json {
			return "an array"
		}
		return "a list"
	case map[string]any:
		if d.json {
			return "an object"
		}
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// fromEnv converts the text of an environment variable to type t:
// booleans as true/false, 1/0, yes/no or on/off; durations as whole seconds
// or duration strings; lists separated by commas, or a JSON array when the
// text starts with "["; structured values as JSON.
func (d *decoder) fromEnv(path string, t reflect.Type, text string) (reflect.Value, bool) {
	out := reflect.New(t).Elem()
	trimmed := strings.TrimSpace(text)
	if t == durationType {
		return d.decode(path, t, trimmed)
	}
	switch t.Kind() {
	case reflect.Bool:
		b, ok := parseBool(trimmed)
		if !ok {
			d.add(path, text, "is not a boolean", "use true or false (or 1/0, yes/no, on/off)")
		}
		out.SetBool(b)
		return out, ok
	case reflect.String:
		out.SetString(text)
		return out, true
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(trimmed, 10, 64)
		if err != nil || out.OverflowInt(n) {
			d.add(path, text, "is not an integer", "use a whole number such as 1000")
			return out, false
		}
		out.SetInt(n)
		return out, true
	case reflect.Array, reflect.Slice:
		if t.Elem().Kind() == reflect.String && !strings.HasPrefix(trimmed, "[") {
			var items []any
			for item := range strings.SplitSeq(text, ",") {
				if item = strings.TrimSpace(item); item != "" {
					items = append(items, item)
				}
			}
			if t.Kind() == reflect.Array && len(items) != 0 && len(items) != t.Len() {
				d.add(path, text, "is not a pair", "write the header and the value separated by a comma, such as X-Forwarded-Proto,https, or nothing to unset it")
				return out, false
			}
			if items == nil {
				items = []any{}
			}
			return d.decode(path, t, items)
		}
	}
	v, err := parseJSON(trimmed)
	if err != nil {
		want, _ := (&decoder{json: true}).expect(path, t, nil)
		fix := "write " + want + " in JSON"
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			fix += `; a value that starts with "[" is read as JSON, so write a pattern such as [Bb]ot as ["[Bb]ot"]`
		}
		d.add(path, text, "is not valid JSON: "+err.Error(), fix)
		return out, false
	}
	d.json = true
	defer func() { d.json = false }()
	return d.decode(path, t, v)
}

// parseJSON decodes one JSON value, keeping numbers exact.
func parseJSON(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected text after the value")
	}
	return v, nil
}

// parseBool accepts the spellings of a boolean common in environments.
func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "true", "1", "yes", "on":
		return true, true
	case "false", "0", "no", "off":
		return false, true
	}
	return false, false
}

// toDuration reads an integer as seconds, Django's unit, and a string as
// whole seconds or a Go duration ("336h", "1h30m").
func toDuration(src any) (time.Duration, bool) {
	seconds := func(n int64) (time.Duration, bool) {
		if n > math.MaxInt64/int64(time.Second) || n < math.MinInt64/int64(time.Second) {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	switch v := src.(type) {
	case int64:
		return seconds(v)
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			return 0, false
		}
		return seconds(n)
	case string:
		s := strings.TrimSpace(v)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return seconds(n)
		}
		d, err := time.ParseDuration(s)
		return d, err == nil
	}
	return 0, false
}

// toInt reads a TOML or JSON integer.
func toInt(src any) (int64, bool) {
	switch v := src.(type) {
	case int64:
		return v, true
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	}
	return 0, false
}

// toList reads a TOML array (which may be an array of tables) or a JSON
// array.
func toList(src any) ([]any, bool) {
	switch v := src.(type) {
	case []any:
		return v, true
	case []map[string]any:
		items := make([]any, len(v))
		for i, m := range v {
			items[i] = m
		}
		return items, true
	}
	return nil, false
}

// settingHints explain top-level names that Django users may write but
// Canter spells differently or does not have.
var settingHints = map[string]string{
	"LOGGING":            "Canter configures logging with LOGGING_LEVEL and LOG_FORMAT",
	"LOGGING_CONFIG":     "Canter configures logging with LOGGING_LEVEL and LOG_FORMAT",
	"MIDDLEWARE_CLASSES": "it was replaced by MIDDLEWARE in Django 2.0; list middleware names in MIDDLEWARE",
	"WSGI_APPLICATION":   "a Canter project is an http.Handler; there is nothing to name here",
	"SESSION_FILE_PATH":  `Canter has no file session engine; choose SESSION_ENGINE "db", "cache", "cached_db", "memory" or "signed_cookies"`,
	"SESSION_SERIALIZER": "Canter sessions are always JSON, as Django's default serializer",
}

// nestedHints explain keys of structured settings, by the struct they
// appear in.
var nestedHints = map[reflect.Type]map[string]string{
	reflect.TypeFor[Database](): {
		"USER":     "put the user in URL: postgres://user:password@host:5432/name",
		"PASSWORD": "put the password in URL (postgres://user:password@host:5432/name), and URL in the environment variable CANTER_DATABASES",
		"HOST":     "put the host in URL: postgres://user:password@host:5432/name",
		"PORT":     "put the port in URL: postgres://user:password@host:5432/name",
	},
}
