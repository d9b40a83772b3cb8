// Package apps is Canter's application registry, Django's django.apps: a project is made of
// apps, each with a label, and the INSTALLED_APPS setting enables the ones to use, in order.
//
// An app is a package that registers itself when it is imported:
//
//	package polls
//
//	var App = &apps.Config{
//		Label: "polls",
//		URLs:  urlpatterns,
//		Ready: func(r *apps.Registry) error { … },
//	}
//
//	func init() { apps.Register(App) }
//
// and a project's main package imports it (import _ "mysite/polls") and lists it:
//
//	INSTALLED_APPS = ["sessions", "staticfiles", "polls"]
//
// Install checks the list as Django's populate does — a label listed twice or claimed by two
// apps is an error listing the duplicates; a label listed but not compiled in is an error that
// says which import to add — and then runs the apps' ready hooks once each, in order.
package apps

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"github.com/canter-go/canter/checks"
	"github.com/canter-go/canter/internal/suggest"
	"github.com/canter-go/canter/management"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// App is an application: anything that can describe itself with a *Config. A *Config is an
// App; a type of your own can embed *Config to carry state, as a Django AppConfig subclass
// does.
type App interface {
	AppConfig() *Config
}

// MiddlewareFactory builds a middleware layer for a running site. The name it is registered
// under is what the MIDDLEWARE setting lists.
type MiddlewareFactory func(site *Site) (web.Middleware, error)

// Site is what middleware factories may use of the running site.
type Site struct {
	// Settings are the project's settings, already validated.
	Settings *settings.Settings
	// Apps is the registry of installed apps.
	Apps *Registry
	// Logger is the site's logger.
	Logger *slog.Logger
	// OnClose registers a function to run when the site stops (closing a store's pool).
	OnClose func(func() error)
	// Owner is the object that built the site (the canter package's *Site), for factories
	// that need more of it.
	Owner any
}

// Config describes an app: Django's AppConfig. Only Label is required.
type Config struct {
	// Label is the app's short name, as INSTALLED_APPS lists it: a valid identifier such as
	// "polls". It names the app's templates ("polls/…") and its commands' origin.
	Label string
	// Name is the app's full name, conventionally its import path. Empty means the package
	// that called Register.
	Name string
	// VerboseName is a human-readable name; empty means the label, title-cased (see
	// DisplayName).
	VerboseName string
	// Ready runs after every installed app is known, in INSTALLED_APPS order: once per
	// Catalog.Install, that is once per site built (a program usually builds one).
	Ready func(r *Registry) error
	// URLs are the app's URL patterns, which a URL configuration includes with Registry.URLs
	// (or which are the root when ROOT_URLCONF names the app).
	URLs []urls.Entry
	// Middleware are middleware layers the app provides, by the names MIDDLEWARE may list.
	Middleware map[string]MiddlewareFactory
	// Commands are management commands the app adds.
	Commands []*management.Command
	// Checks are system checks the app adds.
	Checks []checks.Check
	// Templates holds the app's templates, as an app's templates/ directory does in Django.
	Templates fs.FS
	// Static holds the app's static files, as an app's static/ directory does.
	Static fs.FS
	// Views are named views that settings refer to by name, as Django's settings name views
	// by dotted path: CSRF_FAILURE_VIEW = "polls.csrf_failure" names the view registered here
	// under "polls.csrf_failure" (by convention, label + "." + name).
	Views map[string]any
}

// AppConfig implements App.
func (c *Config) AppConfig() *Config { return c }

// Catalog holds the apps compiled into a program. Packages add theirs with Register (into the
// program's default catalog) from an init function; Install picks the installed ones.
type Catalog struct {
	mu   sync.Mutex
	apps []App
}

var defaultCatalog Catalog

// Register adds an app to the program's catalog. Call it from the app package's init.
func Register(a App) { defaultCatalog.Register(a) }

// Default returns the program's catalog, to which Register adds.
func Default() *Catalog { return &defaultCatalog }

// Register adds an app to the catalog. Duplicates are reported by Install, not here, so that
// every problem can be reported at once.
func (c *Catalog) Register(a App) {
	cfg := a.AppConfig()
	if cfg.Name == "" {
		cfg.Name = callerPackage()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.apps = append(c.apps, a)
}

// Labels lists the labels of the apps in the catalog, sorted.
func (c *Catalog) Labels() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.apps))
	for _, a := range c.apps {
		out = append(out, a.AppConfig().Label)
	}
	sort.Strings(out)
	return out
}

// Registry is the set of installed apps, in INSTALLED_APPS order: Django's apps registry.
type Registry struct {
	apps    []App
	byLabel map[string]App
	ready   bool
}

var labelPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Install enables the apps that installed lists, in that order, and runs their ready hooks. It
// reports every problem of the list at once: an invalid label, a label listed twice or claimed
// by two compiled-in apps ("Application labels aren't unique, duplicates: …", as Django says),
// and a label that no compiled-in app has, with the import that would add it. A ready hook's
// error stops the installation.
func (c *Catalog) Install(installed []string) (*Registry, error) {
	c.mu.Lock()
	catalog := append([]App(nil), c.apps...)
	c.mu.Unlock()

	byLabel := map[string][]App{}
	for _, a := range catalog {
		l := a.AppConfig().Label
		byLabel[l] = append(byLabel[l], a)
	}
	var problems []string
	for _, a := range catalog {
		if l := a.AppConfig().Label; !labelPattern.MatchString(l) {
			problems = append(problems, fmt.Sprintf("The app label '%s' (app %s) is not a valid identifier.", l, a.AppConfig().Name))
		}
	}
	reg := &Registry{byLabel: map[string]App{}}
	seen := map[string]bool{}
	var dupLabels, missing []string
	for _, label := range installed {
		if seen[label] {
			dupLabels = append(dupLabels, label)
			continue
		}
		seen[label] = true
		cands := byLabel[label]
		switch len(cands) {
		case 0:
			missing = append(missing, label)
		case 1:
			reg.apps = append(reg.apps, cands[0])
			reg.byLabel[label] = cands[0]
		default:
			var names []string
			for _, a := range cands {
				names = append(names, a.AppConfig().Name)
			}
			dupLabels = append(dupLabels, label+" ("+strings.Join(names, ", ")+")")
		}
	}
	if len(dupLabels) > 0 {
		problems = append(problems, "Application labels aren't unique, duplicates: "+strings.Join(dupLabels, ", ")+
			". List each app once in INSTALLED_APPS; two apps with one label need different labels.")
	}
	for _, label := range missing {
		problems = append(problems, missingApp(label, catalog))
	}
	if len(problems) > 0 {
		return nil, &Error{Problems: problems}
	}
	for _, a := range reg.apps {
		cfg := a.AppConfig()
		if cfg.Ready == nil {
			continue
		}
		if err := cfg.Ready(reg); err != nil {
			return nil, fmt.Errorf("apps: the ready hook of %q failed: %w", cfg.Label, err)
		}
	}
	reg.ready = true
	return reg, nil
}

// knownImports names the packages of Canter's own apps, for the missing-app message.
var knownImports = map[string]string{
	"sessions":    "github.com/canter-go/canter/sessions",
	"staticfiles": "github.com/canter-go/canter/staticfiles",
	"messages":    "github.com/canter-go/canter/messages",
}

func missingApp(label string, catalog []App) string {
	path := knownImports[label]
	if path == "" {
		module := "yourmodule"
		if info, ok := debug.ReadBuildInfo(); ok && info.Main.Path != "" {
			module = info.Main.Path
		}
		path = module + "/" + label
	}
	msg := fmt.Sprintf("INSTALLED_APPS lists %q, but no app with that label is compiled into this program. "+
		"Import the package that registers it in the project's main package: import _ %q", label, path)
	var labels []string
	for _, a := range catalog {
		labels = append(labels, a.AppConfig().Label)
	}
	if near := suggest.Closest(label, labels, 2); near != "" {
		msg += fmt.Sprintf(" (or did you mean %q?)", near)
	}
	return msg
}

// Error lists every problem found in INSTALLED_APPS.
type Error struct {
	Problems []string
}

// Error lists the problems, one per line when there are several.
func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return "apps: " + e.Problems[0]
	}
	return fmt.Sprintf("apps: %d problems:\n\t%s", len(e.Problems), strings.Join(e.Problems, "\n\t"))
}

// ErrNotInstalled is returned by Registry.URLs for a label that is not installed.
var ErrNotInstalled = errors.New("apps: app not installed")

// Apps returns the installed apps in INSTALLED_APPS order.
func (r *Registry) Apps() []*Config {
	out := make([]*Config, len(r.apps))
	for i, a := range r.apps {
		out[i] = a.AppConfig()
	}
	return out
}

// App returns the installed app of that label, or nil.
func (r *Registry) App(label string) App { return r.byLabel[label] }

// IsInstalled reports whether an app of that label is installed.
func (r *Registry) IsInstalled(label string) bool { return r.byLabel[label] != nil }

// Ready reports whether every ready hook has run.
func (r *Registry) Ready() bool { return r.ready }

// URLs returns the URL patterns of the installed app label, to mount in a URL configuration:
// urls.Include("polls/", "polls", reg.URLs("polls")...). It panics with ErrNotInstalled when
// the app is not installed, since that is a mistake in the project's code.
func (r *Registry) URLs(label string) []urls.Entry {
	a := r.byLabel[label]
	if a == nil {
		panic(fmt.Errorf("%w: %q is not in INSTALLED_APPS", ErrNotInstalled, label))
	}
	return a.AppConfig().URLs
}

// Commands lists the commands of the installed apps; when two apps add a command of the same
// name, the first in INSTALLED_APPS wins, as in Django. A command without a Group is listed
// under its app's label (in a copy: the app's own Command is shared by every site of the
// process and is not changed).
func (r *Registry) Commands() []*management.Command {
	var out []*management.Command
	seen := map[string]bool{}
	for _, a := range r.apps {
		for _, c := range a.AppConfig().Commands {
			if seen[c.Name] {
				continue
			}
			seen[c.Name] = true
			if c.Group == "" {
				grouped := *c
				grouped.Group = a.AppConfig().Label
				c = &grouped
			}
			out = append(out, c)
		}
	}
	return out
}

// Checks lists the system checks of the installed apps, in order.
func (r *Registry) Checks() []checks.Check {
	var out []checks.Check
	for _, a := range r.apps {
		out = append(out, a.AppConfig().Checks...)
	}
	return out
}

// View returns the named view an installed app registered, or nil.
func (r *Registry) View(name string) any {
	for _, a := range r.apps {
		if v, ok := a.AppConfig().Views[name]; ok {
			return v
		}
	}
	return nil
}

// Middleware returns the middleware factory registered under name by an installed app, or nil.
func (r *Registry) Middleware(name string) MiddlewareFactory {
	for _, a := range r.apps {
		if f := a.AppConfig().Middleware[name]; f != nil {
			return f
		}
	}
	return nil
}

// callerPackage returns the import path of the package that called Register.
func callerPackage() string {
	pcs := make([]uintptr, 8)
	n := runtimeCallers(3, pcs)
	for _, pc := range pcs[:n] {
		name := funcNameForPC(pc)
		if name == "" || strings.HasPrefix(name, "github.com/canter-go/canter/apps.") {
			continue
		}
		// "example.com/mysite/polls.init.0" -> "example.com/mysite/polls"
		slash := strings.LastIndexByte(name, '/')
		if dot := strings.IndexByte(name[slash+1:], '.'); dot >= 0 {
			return name[:slash+1+dot]
		}
		return name
	}
	return ""
}

func runtimeCallers(skip int, pcs []uintptr) int { return runtime.Callers(skip, pcs) }

func funcNameForPC(pc uintptr) string {
	if fn := runtime.FuncForPC(pc); fn != nil {
		return fn.Name()
	}
	return ""
}

// DisplayName returns VerboseName, or the label title-cased as Django's default verbose_name
// (label.title()): "blog_posts" is "Blog_Posts".
func (c *Config) DisplayName() string {
	if c.VerboseName != "" {
		return c.VerboseName
	}
	return titleCase(c.Label)
}

// titleCase makes a label readable, as Django's label.title(): "blog_posts" is "Blog_Posts".
func titleCase(label string) string {
	b := []byte(label)
	start := true
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			if start {
				b[i] = c - 'a' + 'A'
			}
			start = false
		case c >= 'A' && c <= 'Z':
			if !start {
				b[i] = c - 'A' + 'a'
			}
			start = false
		default:
			start = !(c >= '0' && c <= '9')
		}
	}
	return string(b)
}
