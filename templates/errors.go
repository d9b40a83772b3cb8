package templates

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrNotFound is matched by errors.Is for every *NotFoundError.
var ErrNotFound = errors.New("template does not exist")

// NotFoundError reports that no engine has a template of that name: Django's
// TemplateDoesNotExist, with its postmortem (every place searched, in order).
type NotFoundError struct {
	// Name is the template name asked for.
	Name string
	// Tried lists the places searched, in the order they were searched.
	Tried []Tried
	// NoEngines is set when no engine is configured at all.
	NoEngines bool
}

// Tried is one place where a template was looked for.
type Tried struct {
	// Engine names the engine: "TEMPLATES[0] (html)".
	Engine string
	// Origin is where the file would be: a path on disk, or the name and the app
	// ("polls/index.html in app polls"). It is empty when the engine has no directory.
	Origin string
	// Reason says why it was not used: "does not exist", "directory does not exist", ….
	Reason string
}

// Error names the template and lists every place searched.
func (e *NotFoundError) Error() string { return "templates: " + e.message() }

func (e *NotFoundError) message() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no template named %q", e.Name)
	switch {
	case e.NoEngines:
		b.WriteString(": no template engine is configured (TEMPLATES is empty); add an entry with DIRS or APP_DIRS")
	case len(e.Tried) == 0:
		b.WriteString(": nothing was searched")
	default:
		b.WriteString("; searched, in order:")
		for _, t := range e.Tried {
			b.WriteString("\n\t")
			b.WriteString(t.Engine)
			if t.Origin != "" {
				b.WriteString(": ")
				b.WriteString(t.Origin)
			}
			b.WriteString(" (")
			b.WriteString(t.Reason)
			b.WriteString(")")
		}
	}
	return b.String()
}

// Is reports whether target is ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// Error is a template that failed to parse or to render. Its message names the file, the line
// and the expression that failed, as "templates: /site/templates/polls/index.html:12:7:
// {{ .question.Text }}: can't evaluate field Text in type string"; the debug page shows it.
type Error struct {
	// Name is the name of the template the error is in ("base.html" when a page that extends
	// it fails in the base's text).
	Name string
	// Path is the file on disk, or the template's name within its app's file system.
	Path string
	// App is the label of the app the template comes from, or "" for a file of DIRS.
	App string
	// Line and Column locate the error, from 1; zero when unknown.
	Line, Column int
	// Expression is the action or tag that failed, as written ("{{ .question.Text }}",
	// "{% url 'polls:detail' q.id %}"), when known.
	Expression string
	// Source is the template's whole text, for a page that shows the lines around Line.
	Source string
	// Err is the underlying error: the parser's, the function's or tag's that failed, or a
	// *NotFoundError for a template that extends or includes a missing one.
	Err error

	msg string // what went wrong, without the location the library already put in Err
}

// Error returns the location, the expression and what went wrong.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("templates: ")
	b.WriteString(e.Location())
	b.WriteString(": ")
	if e.Expression != "" {
		b.WriteString(e.Expression)
		b.WriteString(": ")
	}
	switch {
	case e.msg != "":
		b.WriteString(e.msg)
	case e.Err != nil:
		var nf *NotFoundError
		if errors.As(e.Err, &nf) {
			b.WriteString(nf.message())
		} else {
			b.WriteString(e.Err.Error())
		}
	}
	return b.String()
}

// Location returns "path:line:column", with " (app label)" for an app's template.
func (e *Error) Location() string {
	loc := e.Path
	if loc == "" {
		loc = e.Name
	}
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			loc += ":" + strconv.Itoa(e.Column)
		}
	}
	if e.App != "" {
		loc += " (app " + e.App + ")"
	}
	return loc
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// Error returns an *Error located in f at line and column (from 1; 0 when unknown). expr is
// the failing action or tag; when empty, the one written at that place in f is used. msg says
// what went wrong; when empty, err's message is used. err is kept for errors.Is and As.
// Backends use it to report their parser's and executor's errors.
func (f *File) Error(line, column int, expr, msg string, err error) *Error {
	if expr == "" {
		expr = expressionAt(f.Text, line, column)
	}
	return &Error{Name: f.Name, Path: f.Path, App: f.App, Line: line, Column: column,
		Expression: expr, Source: f.Text, Err: err, msg: msg}
}

// expressionAt returns the action ({{ … }}) or tag ({% … %}) written at line and column of
// text: the one that contains the column, or with no column the first one on the line.
func expressionAt(text string, line, column int) string {
	if line <= 0 {
		return ""
	}
	start := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(text[start:], '\n')
		if i < 0 {
			return ""
		}
		start += i + 1
	}
	// An expression may span lines; look from the line's start to well past its end.
	end := len(text)
	lineEnd := strings.IndexByte(text[start:], '\n')
	if lineEnd < 0 {
		lineEnd = len(text)
	} else {
		lineEnd += start
	}
	pos := lineEnd
	if column > 0 && start+column-1 <= lineEnd {
		pos = start + column - 1
	}
	// The last opening delimiter at or before pos (or, with no column, the first on the line).
	open := -1
	if column > 0 {
		for _, d := range []string{"{{", "{%"} {
			if i := strings.LastIndex(text[start:min(pos+2, end)], d); i >= 0 && start+i > open {
				open = start + i
			}
		}
		if open < 0 {
			// The column may point into an expression opened on an earlier line.
			for _, d := range []string{"{{", "{%"} {
				if i := strings.LastIndex(text[:start], d); i >= 0 && i > open {
					open = i
				}
			}
		}
	} else {
		for _, d := range []string{"{{", "{%"} {
			if i := strings.Index(text[start:lineEnd], d); i >= 0 && (open < 0 || start+i < open) {
				open = start + i
			}
		}
	}
	if open < 0 {
		return ""
	}
	closer := "}}"
	if text[open+1] == '%' {
		closer = "%}"
	}
	i := strings.Index(text[open:], closer)
	if i < 0 {
		// An unclosed expression: show the rest of its line.
		if j := strings.IndexByte(text[open:], '\n'); j >= 0 {
			return strings.TrimSpace(text[open : open+j])
		}
		return strings.TrimSpace(text[open:])
	}
	return text[open : open+i+len(closer)]
}
