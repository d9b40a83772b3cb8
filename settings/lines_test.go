package settings

import (
	"testing"

	"github.com/BurntSushi/toml"
)

func TestKeyLines(t *testing.T) {
	src := `# A settings file with the awkward parts of TOML.
DEBUG = true   # a comment with a key = "value"
ALLOWED_HOSTS = [
  "a.example",   # DEBUG = false
  "b.example",
]
SECRET_KEY = """
NOT_A_KEY = 1
"""
"QUOTED" = 'x'
LITERAL = '''
[NOT_A_TABLE]
'''
INLINE = { a = 1, b = [2, 3] }
ESCAPED = "a \" # [ { still a string"
dotted.key.path = 1

[DATABASES.default]
ENGINE = "sqlite"

[DATABASES."with.dot"]
NAME = "x"

[[TEMPLATES]]
BACKEND = "html"

[[TEMPLATES]]
BACKEND = "django"

[TEMPLATES.OPTIONS]
debug = true
LAST = 1
`
	// The document must be valid TOML for the test to mean anything.
	var v map[string]any
	if _, err := toml.Decode(src, &v); err != nil {
		t.Fatal(err)
	}
	lines := keyLines(src)
	tests := map[string]int{
		"DEBUG":                      2,
		"ALLOWED_HOSTS":              3,
		"SECRET_KEY":                 7,
		"QUOTED":                     10,
		"LITERAL":                    11,
		"INLINE":                     14,
		"ESCAPED":                    15,
		"dotted.key.path":            16,
		"dotted":                     16,
		"DATABASES":                  18,
		"DATABASES.default":          18,
		"DATABASES.default.ENGINE":   19,
		"DATABASES.with.dot.NAME":    22,
		"TEMPLATES":                  24,
		"TEMPLATES[0]":               24,
		"TEMPLATES[0].BACKEND":       25,
		"TEMPLATES[1]":               27,
		"TEMPLATES[1].BACKEND":       28,
		"TEMPLATES[1].OPTIONS":       30,
		"TEMPLATES[1].OPTIONS.debug": 31,
		"TEMPLATES[1].OPTIONS.LAST":  32,
	}
	for path, want := range tests {
		if got := lines[path]; got != want {
			t.Errorf("line of %s = %d, want %d", path, got, want)
		}
	}
	for _, notKey := range []string{"NOT_A_KEY", "NOT_A_TABLE", "a", "DEBUG = false"} {
		if n, ok := lines[notKey]; ok {
			t.Errorf("%q recorded at line %d, but it is inside a value", notKey, n)
		}
	}
	// Inline keys and unknown paths fall back to their nearest parent.
	if got := lineOf(lines, "INLINE.a"); got != 14 {
		t.Errorf("lineOf(INLINE.a) = %d, want 14", got)
	}
	if got := lineOf(lines, "TEMPLATES[1].DIRS[3]"); got != 27 {
		t.Errorf("lineOf(TEMPLATES[1].DIRS[3]) = %d, want 27", got)
	}
	if got := lineOf(lines, "NOWHERE"); got != 0 {
		t.Errorf("lineOf(NOWHERE) = %d, want 0", got)
	}
}
