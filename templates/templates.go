package templates

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/netip"
	"sort"
	"strings"
	"sync"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/web"
)

// Engine is one configured template engine: one backend with one search path (an entry of
// Django's TEMPLATES setting).
type Engine interface {
	// Lookup returns the named template ("polls/index.html"), parsed. It parses once and
	// answers from a cache afterwards (re-parsing a changed file in debug mode). A template
	// that no directory of the engine holds is a *NotFoundError; a template that does not
	// parse is an *Error.
	Lookup(name string) (Template, error)
}

// Template is a parsed template, safe for concurrent use.
//
// A Template may also have the method RenderBytes(r *web.Request, data any) ([]byte, error),
// which returns the output in a new slice; Render and Engines.Render use it to send the page
// without copying it.
type Template interface {
	// Render writes the template to w, executed for the request r with data. r may be nil
	// (an e-mail rendered outside a request): the request's values are then absent from the
	// context. A failure is an *Error naming the file, the line and the expression.
	Render(w io.Writer, r *web.Request, data any) error
}

// Config is one entry of the TEMPLATES setting: a backend and where it finds templates.
type Config struct {
	// Backend names the engine's backend: "html" (Go's html/template, the default when
	// empty) or "django" (the Django template language, from the package
	// github.com/canter-go/canter/templates/django, which must be imported).
	Backend string
	// Dirs are directories searched for templates, in order, before the apps' templates.
	// Relative directories are relative to the working directory when New is called.
	// Django's default: none.
	Dirs []string
	// AppDirs also searches the templates of the installed apps (Env.Apps), in
	// INSTALLED_APPS order, after Dirs. Django's default: false.
	AppDirs bool
	// Options are the backend's options, as the setting gives them. Every backend accepts
	// "app_dir" (a directory inside each app's templates that this engine searches instead of
	// their root, as Django's Jinja2 backend looks in an app's jinja2/ folder: it lets two
	// engines share the apps without reading each other's files) and
	// "debug" (a boolean; it defaults to Env.Debug): with debug on, a template whose file
	// changed is parsed again on its next use. The html backend also accepts "missingkey"
	// ("default", "zero" or "error", html/template's Option). The django backend accepts
	// "autoescape" (only true: Django syntax templates are always autoescaped; turn it off
	// in a template with {% autoescape off %}).
	Options map[string]any
}

// Env is what every engine of a site shares: the installed apps and the hooks that the
// template helpers call.
type Env struct {
	// Apps are the installed apps, in INSTALLED_APPS order (apps.Registry.Apps). Engines
	// with AppDirs search each app's Templates, so that an app earlier in the list overrides
	// a later app's template of the same name, as in Django.
	Apps []*apps.Config
	// Debug is the site's debug mode, the default of each engine's "debug" option: changed
	// templates are parsed again, checking a template's files at most every half second.
	Debug bool
	// StaticURL is the URL prefix of static files (STATIC_URL), used by the static helpers
	// when Static is nil. Empty means "/static/".
	StaticURL string
	// Static, when set, returns the URL of a static file (the staticfiles app's storage,
	// which may add a content hash). Nil means StaticURL followed by the name,
	// percent-encoded, as Django's static tag does without staticfiles.
	Static func(name string) (string, error)
	// Messages, when set, returns the messages framework's messages for r (Django's messages
	// context processor), typically a slice: django templates find it as "messages", html
	// templates call {{ messages . }}. It is called only when a template asks for messages,
	// so that messages a page does not show stay stored. Nil means no messages.
	Messages func(r *web.Request) any
	// InternalIPs are the client addresses for which the context's "debug" is true when the
	// site runs in debug mode (Django's INTERNAL_IPS). Empty (Django's default) means
	// "debug" is always false.
	InternalIPs []netip.Prefix
	// Funcs are extra functions for html/template templates, added after Canter's own
	// helpers (and replacing a helper of the same name).
	Funcs template.FuncMap
}

// Backend builds an engine from its loader (the search path, already made from cfg and env)
// and the rest of its configuration. Backends register themselves with Register.
type Backend func(loader *Loader, cfg Config, env *Env) (Engine, error)

// backends is the registry of template backends, filled by Register.
var backends = struct {
	sync.RWMutex
	m map[string]Backend
}{m: map[string]Backend{HTML: newHTMLEngine}}

// The backends Canter provides.
const (
	// HTML is the name of the html/template backend.
	HTML = "html"
	// Django is the name of the Django template language backend, which the package
	// github.com/canter-go/canter/templates/django registers.
	Django = "django"
)

// Register makes a backend available under name, for Config.Backend. Call it from the init
// function of the backend's package, as the django sub-package does. It panics when name is
// empty, b is nil or name is already registered.
func Register(name string, b Backend) {
	backends.Lock()
	defer backends.Unlock()
	switch {
	case name == "":
		panic("templates: Register with an empty backend name")
	case b == nil:
		panic("templates: Register of backend " + name + " with a nil Backend")
	case backends.m[name] != nil:
		panic("templates: backend " + name + " is registered twice")
	}
	backends.m[name] = b
}

// Backends lists the names of the registered backends, sorted.
func Backends() []string {
	backends.RLock()
	defer backends.RUnlock()
	out := make([]string, 0, len(backends.m))
	for name := range backends.m {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func backend(name string) Backend {
	backends.RLock()
	defer backends.RUnlock()
	return backends.m[name]
}

// Engines is a site's list of template engines, Django's TEMPLATES: a template name is
// looked up in each engine in turn, and the first engine that has it renders it. Make one with
// New; it is safe for concurrent use.
//
// Engines is also a middleware: put it in the site's middleware so that Render finds it.
type Engines struct {
	list    []Engine
	loaders []*Loader
	labels  []string // "TEMPLATES[0] (html)", for the postmortem
}

// New builds the engines of a TEMPLATES list, in order. Every problem of the list is
// reported at once: an unknown backend, an option the backend does not know.
func New(env Env, configs ...Config) (*Engines, error) {
	e := &Engines{}
	var problems []string
	for i, cfg := range configs {
		if cfg.Backend == "" {
			cfg.Backend = HTML
		}
		label := fmt.Sprintf("TEMPLATES[%d] (%s)", i, cfg.Backend)
		b := backend(cfg.Backend)
		if b == nil {
			problems = append(problems, fmt.Sprintf("TEMPLATES[%d].BACKEND = %q is not a template backend; the registered ones are %s%s",
				i, cfg.Backend, strings.Join(Backends(), ", "), importHint(cfg.Backend)))
			continue
		}
		loader, err := newLoader(cfg, &env, label)
		if err != nil {
			problems = append(problems, fmt.Sprintf("TEMPLATES[%d]: %v", i, err))
			continue
		}
		eng, err := b(loader, cfg, &env)
		if err == nil && eng == nil {
			err = fmt.Errorf("the %s backend made no engine", cfg.Backend)
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("TEMPLATES[%d]: %v", i, err))
			continue
		}
		e.list = append(e.list, eng)
		e.loaders = append(e.loaders, loader)
		e.labels = append(e.labels, label)
	}
	if len(problems) == 1 {
		return nil, errors.New("templates: " + problems[0])
	}
	if len(problems) > 1 {
		return nil, fmt.Errorf("templates: %d problems:\n\t%s", len(problems), strings.Join(problems, "\n\t"))
	}
	return e, nil
}

func importHint(name string) string {
	if name == Django {
		return ` (import _ "github.com/canter-go/canter/templates/django" to add "django")`
	}
	return ""
}

// Lookup returns the named template from the first engine that has it. When none has it,
// the *NotFoundError lists every place searched, engine by engine (Django's postmortem).
func (e *Engines) Lookup(name string) (Template, error) {
	var nf *NotFoundError
	for _, eng := range e.list {
		t, err := eng.Lookup(name)
		if err == nil {
			return t, nil
		}
		var miss *NotFoundError
		if !errors.As(err, &miss) || miss.Name != name {
			return nil, err
		}
		if nf == nil {
			nf = &NotFoundError{Name: name}
		}
		nf.Tried = append(nf.Tried, miss.Tried...)
	}
	if nf == nil {
		nf = &NotFoundError{Name: name, NoEngines: true}
	}
	return nil, nf
}

// Render writes the named template to w, executed for r with data (see Context for what the
// template sees). r may be nil outside a request.
func (e *Engines) Render(w io.Writer, r *web.Request, name string, data any) error {
	t, err := e.Lookup(name)
	if err != nil {
		return err
	}
	return t.Render(w, r, data)
}

// Preload parses every template that the engines can find now, so that the first requests
// find them parsed and a template that does not parse is reported at start-up. Files whose
// name has an element starting with "." are skipped. It returns the errors of all the
// templates that failed, joined.
func (e *Engines) Preload() error {
	var errs []error
	for i, eng := range e.list {
		names, err := e.loaders[i].Names()
		if err != nil {
			errs = append(errs, err)
		}
		for _, name := range names {
			if _, err := eng.Lookup(name); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Wrap implements web.Middleware: it makes the engines reachable from the request, for
// Render. It costs no allocation.
func (e *Engines) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		r.Set(enginesKey{}, e)
		return next(r)
	}
}

// enginesKey is the request-value key under which Wrap stores the engines.
type enginesKey struct{}

// Of returns the engines the middleware attached to r, or nil.
func Of(r *web.Request) *Engines {
	e, _ := r.Get(enginesKey{}).(*Engines)
	return e
}

var _ web.Middleware = (*Engines)(nil)
