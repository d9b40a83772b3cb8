package templates

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	texttemplate "text/template"
	"text/template/parse"

	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/web"
)

// htmlEngine is the html/template backend.
type htmlEngine struct {
	loader     *Loader
	env        *Env
	funcs      template.FuncMap
	missingKey string
	parse      ParseFunc
}

func newHTMLEngine(loader *Loader, cfg Config, env *Env) (Engine, error) {
	e := &htmlEngine{loader: loader, env: env, missingKey: "missingkey=default"}
	for k, v := range cfg.Options {
		switch k {
		case "debug", "app_dir":
		case "missingkey":
			s, _ := v.(string)
			switch s {
			case "default", "invalid", "zero", "error":
				e.missingKey = "missingkey=" + s
			default:
				return nil, fmt.Errorf(`OPTIONS missingkey = %v must be "default", "zero" or "error"`, v)
			}
		default:
			return nil, fmt.Errorf("OPTIONS %s is not an option of the html backend; its options are debug, app_dir and missingkey", k)
		}
	}
	e.funcs = template.FuncMap{
		"csrf_field": csrfField,
		"csrf_token": TokenOf,
		"url":        reverse,
		"static":     env.StaticFileURL,
		"messages":   e.messages,
	}
	for k, v := range env.Funcs {
		e.funcs[k] = v
	}
	e.parse = e.parseSet
	return e, nil
}

// csrfField is the csrf_field helper: Django's {% csrf_token %}, the hidden form field.
func csrfField(ctx any) template.HTML {
	tok := TokenOf(ctx)
	if tok == "" {
		return ""
	}
	return template.HTML(`<input type="hidden" name="` + csrf.FieldName + `" value="` + template.HTMLEscapeString(tok) + `">`)
}

// reverse is the url helper: Django's {% url %}.
func reverse(ctx any, name string, args ...any) (string, error) {
	r := RequestOf(ctx)
	if r == nil {
		return "", errors.New("url needs the request: pass the context ({{ url . \"name\" }}, or {{ url $ \"name\" }} inside range and with) and render with templates.Render or a request")
	}
	return r.Reverse(name, args...)
}

// messages is the messages helper: the messages framework's messages for the request.
func (e *htmlEngine) messages(ctx any) any {
	r := RequestOf(ctx)
	if r == nil || e.env.Messages == nil {
		return nil
	}
	return e.env.Messages(r)
}

// Lookup implements Engine.
func (e *htmlEngine) Lookup(name string) (Template, error) {
	v, err := e.loader.Load(name, e.parse)
	if err != nil {
		return nil, err
	}
	return v.(*htmlTemplate), nil
}

// htmlTemplate is a page and the files it uses, parsed into one html/template set.
type htmlTemplate struct {
	tpl   *template.Template
	env   *Env
	files map[string]*File
	top   *File
	size  atomic.Int64 // the longest output so far, to size the next buffer
}

// convert turns an execution error into an *Error.
func (t *htmlTemplate) convert(err error) error { return convertHTML(err, t.files, t.top) }

// Render implements Template.
func (t *htmlTemplate) Render(w io.Writer, r *web.Request, data any) error {
	ctx, err := t.env.Context(r, data)
	if err != nil {
		return err
	}
	if err := t.tpl.Execute(w, ctx); err != nil {
		return t.convert(err)
	}
	return nil
}

// RenderBytes renders into a new slice, sized after the previous outputs.
func (t *htmlTemplate) RenderBytes(r *web.Request, data any) ([]byte, error) {
	ctx, err := t.env.Context(r, data)
	if err != nil {
		return nil, err
	}
	hint := t.size.Load()
	buf := bytes.NewBuffer(make([]byte, 0, hint+hint/8))
	if err := t.tpl.Execute(buf, ctx); err != nil {
		return nil, t.convert(err)
	}
	if n := int64(buf.Len()); n > hint {
		t.size.Store(n)
	}
	return buf.Bytes(), nil
}

// parseSet parses the named page and, first, every file it uses by name in
// {{ template "name" }} (its layouts and includes, recursively), into one set: a file's
// definitions replace those of the files it uses, which is how a page fills its layout's
// {{ block }}s.
func (e *htmlEngine) parseSet(name string, read func(string) (*File, error)) (any, error) {
	top, err := read(name)
	if err != nil {
		return nil, err
	}
	s := &setBuilder{read: read, files: map[string]*File{}}
	if err := s.visit(top); err != nil {
		return nil, err
	}
	root := template.New("").Funcs(e.funcs).Option(e.missingKey)
	for _, f := range s.order {
		if _, err := root.New(f.Name).Parse(f.Text); err != nil {
			return nil, convertHTML(err, s.files, f)
		}
	}
	return &htmlTemplate{tpl: root.Lookup(name), env: e.env, files: s.files, top: top}, nil
}

// setBuilder finds the files a page uses.
type setBuilder struct {
	read  func(string) (*File, error)
	files map[string]*File
	order []*File // every file after the files it uses
}

func (s *setBuilder) visit(f *File) error {
	s.files[f.Name] = f
	trees := map[string]*parse.Tree{}
	t := parse.New(f.Name)
	t.Mode = parse.SkipFuncCheck
	if _, err := t.Parse(f.Text, "", "", trees); err != nil {
		return convertHTML(err, s.files, f)
	}
	var refs []*parse.TemplateNode
	for _, tree := range trees {
		collectRefs(tree.Root, &refs)
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Pos < refs[j].Pos })
	for _, ref := range refs {
		if trees[ref.Name] != nil || s.files[ref.Name] != nil {
			continue
		}
		dep, err := s.read(ref.Name)
		if err != nil {
			var nf *NotFoundError
			if errors.As(err, &nf) && path.Ext(ref.Name) == "" {
				continue // a name defined by another file, or an error when executed
			}
			line, col := position(f.Text, int(ref.Pos))
			return f.Error(line, col, "", "", err)
		}
		if err := s.visit(dep); err != nil {
			return err
		}
	}
	s.order = append(s.order, f)
	return nil
}

// collectRefs appends the {{ template }} actions under n.
func collectRefs(n parse.Node, refs *[]*parse.TemplateNode) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			collectRefs(c, refs)
		}
	case *parse.TemplateNode:
		*refs = append(*refs, n)
	case *parse.IfNode:
		collectRefs(n.List, refs)
		collectRefs(n.ElseList, refs)
	case *parse.RangeNode:
		collectRefs(n.List, refs)
		collectRefs(n.ElseList, refs)
	case *parse.WithNode:
		collectRefs(n.List, refs)
		collectRefs(n.ElseList, refs)
	}
}

// position returns the line and column (from 1) of byte offset pos in text.
func position(text string, pos int) (line, col int) {
	if pos > len(text) {
		pos = len(text)
	}
	before := text[:pos]
	line = 1 + strings.Count(before, "\n")
	col = pos - strings.LastIndexByte(before, '\n')
	return line, col
}

// convertHTML turns an error of html/template (or its parser) into an *Error in the file it
// names; fallback is the file used when the message names none.
func convertHTML(err error, files map[string]*File, fallback *File) error {
	msg := err.Error()
	var he *template.Error
	var ee texttemplate.ExecError
	switch {
	case errors.As(err, &ee):
		msg = ee.Err.Error()
	case errors.As(err, &he):
		msg = he.Error()
	}
	var prefix string
	switch {
	case strings.HasPrefix(msg, "template: "):
		prefix = "template: "
	case strings.HasPrefix(msg, "html/template:"):
		prefix = "html/template:"
	}
	f, line, col, rest := splitLocation(strings.TrimPrefix(msg, prefix), files)
	if f == nil {
		f = fallback
		rest = strings.TrimPrefix(msg, prefix)
	}
	expr := ""
	if he != nil {
		rest = he.Description
		if line == 0 && he.Node != nil {
			expr = he.Node.String()
		}
	}
	// Execution errors say: executing "name" at <expression>: what went wrong.
	if strings.HasPrefix(rest, "executing ") {
		if i := strings.Index(rest, " at <"); i >= 0 {
			if j := strings.Index(rest[i:], ">: "); j >= 0 {
				if line == 0 {
					expr = "{{" + rest[i+5:i+j] + "}}"
				}
				rest = rest[i+j+3:]
			}
		}
	}
	if f == nil {
		return &Error{Err: err, msg: rest}
	}
	return f.Error(line, col, expr, rest, err)
}

// splitLocation splits "name:line:col: rest" (line and column optional) where name is one of
// the files.
func splitLocation(s string, files map[string]*File) (f *File, line, col int, rest string) {
	best := ""
	for name := range files {
		if len(name) > len(best) && strings.HasPrefix(s, name) && len(s) > len(name) && s[len(name)] == ':' {
			best = name
		}
	}
	if best == "" {
		return nil, 0, 0, s
	}
	f = files[best]
	rest = s[len(best)+1:]
	nums := make([]int, 0, 2)
	for len(nums) < 2 {
		i := 0
		for i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
			i++
		}
		if i == 0 || i >= len(rest) || rest[i] != ':' {
			break
		}
		n, _ := strconv.Atoi(rest[:i])
		nums = append(nums, n)
		rest = rest[i+1:]
	}
	if len(nums) > 0 {
		line = nums[0]
	}
	if len(nums) > 1 {
		col = nums[1] + 1 // text/template counts columns from 0
	}
	return f, line, col, strings.TrimPrefix(rest, " ")
}
