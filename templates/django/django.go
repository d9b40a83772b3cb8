package django

import (
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/flosch/pongo2/v6"

	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/web"
)

func init() { templates.Register(templates.Django, New) }

// engineKey is the context name under which an engine finds itself from its tags; it is not
// meant for templates (and prints as nothing).
const engineKey = "_canter"

// engine is a Django template language engine on a pongo2 template set.
type engine struct {
	loader *templates.Loader
	env    *templates.Env
	set    *pongo2.TemplateSet
	parse  templates.ParseFunc

	// parsing is the parse in progress, whose reads pongo2 makes through the set's loader.
	parsing atomic.Pointer[parseState]
	// seen holds files read outside a parse (an include whose name is a variable), so that
	// their errors can be located.
	seen sync.Map // name -> *templates.File
}

// New is the "django" backend: it builds an engine from its loader and configuration. The
// package registers it; a program only imports the package.
func New(loader *templates.Loader, cfg templates.Config, env *templates.Env) (templates.Engine, error) {
	if tagsErr != nil {
		return nil, tagsErr
	}
	for k, v := range cfg.Options {
		switch k {
		case "debug", "app_dir":
		case "autoescape":
			if b, ok := v.(bool); !ok || !b {
				return nil, fmt.Errorf("OPTIONS autoescape = %v: the django backend always autoescapes; write {%% autoescape off %%} in a template to turn it off there", v)
			}
		default:
			return nil, fmt.Errorf("OPTIONS %s is not an option of the django backend; its options are debug, app_dir and autoescape", k)
		}
	}
	e := &engine{loader: loader, env: env}
	e.set = pongo2.NewSet("canter", (*setLoader)(e))
	// pongo2's ssi reads any file of the disk, bypassing the template directories; Django
	// removed the tag in 1.10.
	if err := e.set.BanTag("ssi"); err != nil {
		return nil, err
	}
	e.set.Globals[engineKey] = e
	e.parse = e.parseTemplate
	return e, nil
}

// String makes the engine print as nothing, should a template name it.
func (e *engine) String() string { return "" }

// Lookup implements templates.Engine.
func (e *engine) Lookup(name string) (templates.Template, error) {
	v, err := e.loader.Load(name, e.parse)
	if err != nil {
		return nil, err
	}
	return v.(*template), nil
}

// parseState is one parse: the files read so far and the names not found.
type parseState struct {
	read func(string) (*templates.File, error)

	mu     sync.Mutex // an include whose name is a variable may read during a parse
	done   bool       // the parse is over: reads no longer belong to it
	files  map[string]*templates.File
	misses map[string]error
}

// snapshot returns copies of the files read and the names missed.
func (st *parseState) snapshot() (map[string]*templates.File, map[string]error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.done = true
	files := make(map[string]*templates.File, len(st.files))
	for k, v := range st.files {
		files[k] = v
	}
	misses := make(map[string]error, len(st.misses))
	for k, v := range st.misses {
		misses[k] = v
	}
	return files, misses
}

func (e *engine) parseTemplate(name string, read func(string) (*templates.File, error)) (any, error) {
	top, err := read(name)
	if err != nil {
		return nil, err
	}
	st := &parseState{read: read, files: map[string]*templates.File{name: top}, misses: map[string]error{}}
	e.parsing.Store(st)
	tpl, err := e.set.FromFile(name)
	e.parsing.Store(nil)
	files, misses := st.snapshot()
	if err != nil {
		return nil, e.convert(err, files, misses, top)
	}
	return &template{tpl: tpl, engine: e, files: files, top: top}, nil
}

// setLoader is the engine seen as pongo2's loader: names are found on the engine's search
// path, as Django's loaders find them.
type setLoader engine

// Abs implements pongo2.TemplateLoader. Names are relative to the template directories, except
// names starting with "./" or "../", which are relative to the template that uses them, as
// in Django.
func (l *setLoader) Abs(base, name string) string {
	if base != "" && (strings.HasPrefix(name, "./") || strings.HasPrefix(name, "../")) {
		return path.Join(path.Dir(base), name)
	}
	return name
}

// Get implements pongo2.TemplateLoader.
func (l *setLoader) Get(name string) (io.Reader, error) {
	e := (*engine)(l)
	if st := e.parsing.Load(); st != nil {
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.done {
			return e.open(name)
		}
		if f := st.files[name]; f != nil {
			return strings.NewReader(compat(f.Text)), nil
		}
		f, err := st.read(name)
		if err != nil {
			st.misses[name] = err
			return nil, err
		}
		st.files[name] = f
		return strings.NewReader(compat(f.Text)), nil
	}
	return e.open(name)
}

// open reads a template outside a parse.
func (e *engine) open(name string) (io.Reader, error) {
	f, err := e.loader.Open(name)
	if err != nil {
		return nil, err
	}
	e.seen.Store(name, f)
	return strings.NewReader(compat(f.Text)), nil
}

// superVar finds Django's {{ block.super }} in a variable tag.
var superVar = regexp.MustCompile(`\{\{-?\s*block\.super\b`)

// compat adapts Django syntax that pongo2 spells differently, keeping every position: a
// block's parent content is {{ block.super }} in Django and {{ block.Super }} in pongo2.
func compat(text string) string {
	if !strings.Contains(text, "block.super") {
		return text
	}
	return superVar.ReplaceAllStringFunc(text, func(m string) string {
		return m[:len(m)-5] + "Super"
	})
}

// template is a parsed template.
type template struct {
	tpl    *pongo2.Template
	engine *engine
	files  map[string]*templates.File
	top    *templates.File
}

// Render implements templates.Template.
func (t *template) Render(w io.Writer, r *web.Request, data any) error {
	b, err := t.RenderBytes(r, data)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// RenderBytes renders into a new slice.
func (t *template) RenderBytes(r *web.Request, data any) ([]byte, error) {
	env := t.engine.env
	ctx, err := env.Context(r, data)
	if err != nil {
		return nil, err
	}
	if r != nil && env.Messages != nil {
		if _, ok := ctx["messages"]; !ok {
			ctx["messages"] = func() any { return env.Messages(r) }
		}
	}
	b, err := t.tpl.ExecuteBytes(pongo2.Context(ctx))
	if err != nil {
		return nil, t.engine.convert(err, t.files, nil, t.top)
	}
	return b, nil
}

// convert turns pongo2's error into a *templates.Error located in the file it names.
func (e *engine) convert(err error, files map[string]*templates.File, misses map[string]error, top *templates.File) error {
	var pe *pongo2.Error
	if !errors.As(err, &pe) {
		return top.Error(0, 0, "", "", err)
	}
	if pe.Sender == "fromfile" {
		// pongo2 says "unable to resolve template" for a name the loader did not find.
		if miss := misses[pe.Filename]; miss != nil {
			if f, line, col, expr := findReference(files, pe.Filename); f != nil {
				return f.Error(line, col, expr, "", miss)
			}
			return top.Error(0, 0, "", "", miss)
		}
	}
	f := files[pe.Filename]
	if f == nil {
		if v, ok := e.seen.Load(pe.Filename); ok {
			f = v.(*templates.File)
		} else {
			f = top
		}
	}
	cause := pe.OrigError
	if cause == nil {
		cause = pe
	}
	var te *templates.Error
	if errors.As(cause, &te) {
		return te
	}
	return f.Error(pe.Line, pe.Column, "", cause.Error(), cause)
}

// findReference finds the extends or include tag that names a missing template.
func findReference(files map[string]*templates.File, name string) (f *templates.File, line, col int, expr string) {
	re := regexp.MustCompile(`\{%-?\s*(?:extends|include)\s+["']` + regexp.QuoteMeta(name) + `["'][^%]*%\}`)
	best := ""
	for n, file := range files {
		if loc := re.FindStringIndex(file.Text); loc != nil && (f == nil || n < best) {
			best, f = n, file
			before := file.Text[:loc[0]]
			line = 1 + strings.Count(before, "\n")
			col = loc[0] - strings.LastIndexByte(before, '\n')
			expr = file.Text[loc[0]:loc[1]]
		}
	}
	return f, line, col, expr
}
