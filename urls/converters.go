package urls

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"

	"github.com/canter-go/canter/web"
)

// The built-in converters, by the names patterns use: <int:id>, <str:name> (also written
// <name>), <slug:s>, <uuid:u> and <path:p>.
var builtinConverters = map[string]web.Converter{
	"int":  IntConverter{},
	"str":  StrConverter{},
	"slug": SlugConverter{},
	"uuid": UUIDConverter{},
	"path": PathConverter{},
}

// priority orders the parameter kinds that compete for one segment: the narrower is tried first,
// so /a/<int:id> wins over /a/<str:name> for /a/5 whatever the registration order.
func priority(name string) int {
	switch name {
	case "int":
		return 0
	case "uuid":
		return 1
	case "slug":
		return 3
	case "str":
		return 4
	}
	return 2 // custom converters: narrower than slug and str, tried in registration order
}

// IntConverter matches one or more ASCII digits that fit an int; its Go value is an int.
type IntConverter struct{}

// Match implements web.Converter.
func (IntConverter) Match(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	if len(s) == 19 {
		_, err := strconv.ParseInt(s, 10, 64)
		return err == nil
	}
	return true
}

// ToGo implements web.Converter.
func (IntConverter) ToGo(s string) (any, error) { return strconv.Atoi(s) }

// ToURL implements web.Converter: it takes any Go integer (or a string of digits).
func (c IntConverter) ToURL(v any) (string, error) {
	var s string
	switch n := v.(type) {
	case int:
		s = strconv.Itoa(n)
	case int8, int16, int32, int64:
		s = fmt.Sprint(n)
	case uint, uint8, uint16, uint32, uint64:
		s = fmt.Sprint(n)
	case string:
		s = n
	default:
		return "", fmt.Errorf("an <int> parameter needs an integer, not %T", v)
	}
	if !c.Match(s) {
		return "", fmt.Errorf("%q is not a non-negative integer", s)
	}
	return s, nil
}

// Regexp implements web.Converter.
func (IntConverter) Regexp() string { return "[0-9]+" }

// StrConverter matches any non-empty text without a slash; its Go value is the string.
type StrConverter struct{}

// Match implements web.Converter.
func (StrConverter) Match(s string) bool { return s != "" && strings.IndexByte(s, '/') < 0 }

// ToGo implements web.Converter.
func (StrConverter) ToGo(s string) (any, error) { return s, nil }

// ToURL implements web.Converter.
func (c StrConverter) ToURL(v any) (string, error) { return textToURL(c, v) }

// Regexp implements web.Converter.
func (StrConverter) Regexp() string { return "[^/]+" }

// SlugConverter matches ASCII letters, digits, hyphens and underscores; its Go value is the
// string.
type SlugConverter struct{}

// Match implements web.Converter.
func (SlugConverter) Match(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// ToGo implements web.Converter.
func (SlugConverter) ToGo(s string) (any, error) { return s, nil }

// ToURL implements web.Converter.
func (c SlugConverter) ToURL(v any) (string, error) { return textToURL(c, v) }

// Regexp implements web.Converter.
func (SlugConverter) Regexp() string { return "[-a-zA-Z0-9_]+" }

// UUIDConverter matches a UUID in its lower-case hyphenated form
// (075194d3-6885-417e-a8a8-6c931e272f00), as Django's does; its Go value is that string.
type UUIDConverter struct{}

// Match implements web.Converter.
func (UUIDConverter) Match(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// ToGo implements web.Converter.
func (UUIDConverter) ToGo(s string) (any, error) { return s, nil }

// ToURL implements web.Converter: it takes the UUID as a string (upper case is lowered) or as a
// [16]byte.
func (c UUIDConverter) ToURL(v any) (string, error) {
	switch u := v.(type) {
	case [16]byte:
		return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]), nil
	case fmt.Stringer:
		v = u.String()
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("a <uuid> parameter needs a string or [16]byte, not %T", v)
	}
	s = strings.ToLower(s)
	if !c.Match(s) {
		return "", fmt.Errorf("%q is not a UUID", s)
	}
	return s, nil
}

// Regexp implements web.Converter.
func (UUIDConverter) Regexp() string {
	return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
}

// PathConverter matches any non-empty text, slashes included; its Go value is the string.
type PathConverter struct{}

// Match implements web.Converter.
func (PathConverter) Match(s string) bool { return s != "" }

// ToGo implements web.Converter.
func (PathConverter) ToGo(s string) (any, error) { return s, nil }

// ToURL implements web.Converter.
func (c PathConverter) ToURL(v any) (string, error) { return textToURL(c, v) }

// Regexp implements web.Converter.
func (PathConverter) Regexp() string { return ".+" }

func textToURL(c web.Converter, v any) (string, error) {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case fmt.Stringer:
		s = t.String()
	default:
		s = fmt.Sprint(v)
	}
	if !c.Match(s) {
		return "", fmt.Errorf("%q does not match %s", s, c.Regexp())
	}
	return s, nil
}

// RegexpConverter is a custom converter defined by a regular expression and, optionally,
// conversion functions: Django's register_converter with a class that has regex, to_python and
// to_url. Without ToGo the Go value is the matched string; without ToURL values are formatted
// with fmt.Sprint.
type RegexpConverter struct {
	re     *regexp.Regexp
	source string
	toGo   func(string) (any, error)
	toURL  func(any) (string, error)
	slash  bool // the expression can match a slash
}

// NewConverter returns a custom converter for the regular expression expr (without anchors).
// toGo and toURL may be nil. A ToGo error means the path does not match, as a ValueError from
// Django's to_python does.
func NewConverter(expr string, toGo func(string) (any, error), toURL func(any) (string, error)) (*RegexpConverter, error) {
	re, err := regexp.Compile(`^(?:` + expr + `)$`)
	if err != nil {
		return nil, fmt.Errorf("urls: converter expression %q: %w", expr, err)
	}
	parsed, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("urls: converter expression %q: %w", expr, err)
	}
	return &RegexpConverter{re: re, source: expr, toGo: toGo, toURL: toURL, slash: canMatchSlash(parsed)}, nil
}

// Match implements web.Converter.
func (c *RegexpConverter) Match(s string) bool {
	if !c.re.MatchString(s) {
		return false
	}
	if c.toGo != nil {
		_, err := c.toGo(s)
		return err == nil
	}
	return true
}

// ToGo implements web.Converter.
func (c *RegexpConverter) ToGo(s string) (any, error) {
	if c.toGo == nil {
		return s, nil
	}
	return c.toGo(s)
}

// ToURL implements web.Converter.
func (c *RegexpConverter) ToURL(v any) (string, error) {
	var s string
	if c.toURL != nil {
		var err error
		if s, err = c.toURL(v); err != nil {
			return "", err
		}
	} else {
		s = fmt.Sprint(v)
	}
	if !c.re.MatchString(s) {
		return "", fmt.Errorf("%q does not match %s", s, c.source)
	}
	return s, nil
}

// Regexp implements web.Converter.
func (c *RegexpConverter) Regexp() string { return c.source }

// canMatchSlash reports whether a regular expression might match text containing a slash;
// such converters cannot be routed segment by segment.
func canMatchSlash(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return true
	case syntax.OpLiteral:
		return strings.ContainsRune(string(re.Rune), '/')
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '/' && '/' <= re.Rune[i+1] {
				return true
			}
		}
		return false
	}
	for _, sub := range re.Sub {
		if canMatchSlash(sub) {
			return true
		}
	}
	return false
}

// slashy reports whether a converter may match a slash (the path converter, or a custom one
// whose expression allows it).
func slashy(c web.Converter) bool {
	switch t := c.(type) {
	case PathConverter:
		return true
	case *RegexpConverter:
		return t.slash
	case IntConverter, StrConverter, SlugConverter, UUIDConverter:
		return false
	}
	parsed, err := syntax.Parse(c.Regexp(), syntax.Perl)
	return err != nil || canMatchSlash(parsed)
}
