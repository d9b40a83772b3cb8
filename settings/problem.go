package settings

import (
	"fmt"
	"strings"

	typo "github.com/canter-go/canter/internal/suggest" // this package has a suggest of its own
)

// Problem is one thing wrong with the settings.
type Problem struct {
	// Setting is the Django name of the setting, with a path into
	// structured values: "SESSION_COOKIE_SAMESITE",
	// "DATABASES.default.ENGINE", "TEMPLATES[0].BACKEND". It is empty for
	// problems with the settings file as a whole.
	Setting string
	// Value is the offending value written as a literal ("Lex", 12, true),
	// with secrets masked. It is empty when there is no value to show.
	Value string
	// Source says where the value came from: "settings.toml:12",
	// "environment variable CANTER_DEBUG", "code" or "default".
	Source string
	// Message says what is wrong; it reads after "SETTING = value".
	Message string
	// Fix says what to do about it.
	Fix string
}

// String formats the problem on one line, compiler style:
//
//	settings.toml:4: SESSION_COOKIE_SAMESITE = "Lex" is not a SameSite value; use "Lax", "Strict", "None", or "" for no attribute (did you mean "Lax"?)
func (p Problem) String() string {
	var b strings.Builder
	if p.Source != "" {
		b.WriteString(p.Source)
		b.WriteString(": ")
	}
	if p.Setting != "" {
		b.WriteString(p.Setting)
		if p.Value != "" {
			b.WriteString(" = ")
			b.WriteString(p.Value)
		}
		b.WriteByte(' ')
	}
	b.WriteString(p.Message)
	if p.Fix != "" {
		b.WriteString("; ")
		b.WriteString(p.Fix)
	}
	return b.String()
}

// Error lists every problem found while loading or validating settings.
// [Load] and [Settings.Validate] return it as an error; get at it with
// errors.As.
type Error struct {
	Problems []Problem
}

// Error reports all problems, one per line after the first.
func (e *Error) Error() string {
	switch len(e.Problems) {
	case 0:
		return "settings: no problems"
	case 1:
		return "settings: " + e.Problems[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "settings: %d problems:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.String())
	}
	return b.String()
}

// asError returns nil for no problems and an *Error otherwise.
func asError(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	return &Error{Problems: problems}
}

// suggest returns the candidate closest to word, or "" when none is close
// enough to be a likely typo. Case is ignored; a candidate that differs only
// in case always wins.
func suggest(word string, candidates []string) string {
	w := strings.ToUpper(word)
	best, bestDistance := typo.Nearest(w, candidates, func(w, c string) int {
		return typo.Distance(w, strings.ToUpper(c))
	})
	if best == "" {
		return ""
	}
	// Accept up to two edits, or one edit in three for long names:
	// SESSION_COOKIE_AGEE → SESSION_COOKIE_AGE, CRSF_COOKIE_NAME → CSRF_COOKIE_NAME.
	if bestDistance <= 2 || bestDistance*3 <= len([]rune(best)) {
		return best
	}
	return ""
}

// quoteList formats values as "a", "b" or "c".
func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
