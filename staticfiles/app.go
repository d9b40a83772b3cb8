package staticfiles

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/checks"
	"github.com/canter-go/canter/management"
	"github.com/canter-go/canter/web"
)

// App is the staticfiles app, Django's django.contrib.staticfiles. Listing "staticfiles" in
// INSTALLED_APPS adds the collectstatic and findstatic commands, the staticfiles system
// checks, and the "staticfiles" middleware (see Files.Middleware) that MIDDLEWARE may list.
var App = &apps.Config{
	Label:       "staticfiles",
	Name:        "github.com/canter-go/canter/staticfiles",
	VerboseName: "Static Files",
	Commands: []*management.Command{
		collectStaticCommand(func() io.Reader { return os.Stdin }),
		findStaticCommand(),
	},
	Checks: []checks.Check{{Name: "staticfiles.finders", Tags: []string{"staticfiles"}, Func: checkFinders}},
	Middleware: map[string]apps.MiddlewareFactory{
		"staticfiles": func(site *apps.Site) (web.Middleware, error) {
			f, err := New(FromSettings(site.Settings, site.Apps))
			if err != nil {
				return nil, err
			}
			return f.Middleware(), nil
		},
	},
}

func init() { apps.Register(App) }

// Site is what the staticfiles commands need of the running project, which the management
// runner puts in Context.Site: the project's static files, built from its settings, installed
// apps and anything given in code (Config.Collected). The canter package's *Site implements
// it. A Context.Site that is an *apps.Site works too (the files then come from FromSettings).
type Site interface {
	StaticFiles() (*Files, error)
}

// filesOf returns the static files of the site a command runs for.
func filesOf(c *management.Context) (*Files, error) {
	switch s := c.Site.(type) {
	case Site:
		return s.StaticFiles()
	case *apps.Site:
		return New(FromSettings(s.Settings, s.Apps))
	case nil:
		return nil, errors.New("staticfiles: this command needs the project's settings, and the runner gave it no site")
	}
	return nil, fmt.Errorf("staticfiles: this command needs a site with a StaticFiles() (*staticfiles.Files, error) method; the runner gave it a %T", c.Site)
}

var defaultFiles atomic.Pointer[Files]

// SetDefault makes f the static files that the package-level URL uses. The project runtime
// calls it once the site is built, as net/http has a DefaultServeMux; code that holds the
// *Files should call its methods instead.
func SetDefault(f *Files) { defaultFiles.Store(f) }

// Default returns the static files SetDefault set, or nil.
func Default() *Files { return defaultFiles.Load() }

// URL returns the URL of a static file through the default Files (see SetDefault and
// Files.URL): STATIC_URL + name with DEBUG on, the hashed name from the manifest in
// production.
func URL(name string) (string, error) {
	f := defaultFiles.Load()
	if f == nil {
		return "", errors.New("staticfiles: no static files are configured yet: the site sets them when it is built (or call staticfiles.SetDefault)")
	}
	return f.URL(name)
}

// patterns is a repeatable flag.
type patterns []string

func (p *patterns) String() string     { return strings.Join(*p, ",") }
func (p *patterns) Set(s string) error { *p = append(*p, s); return nil }
func (p *patterns) Get() any           { return []string(*p) }

func flagValue[T any](fs *flag.FlagSet, name string) T {
	var zero T
	f := fs.Lookup(name)
	if f == nil {
		return zero
	}
	if g, ok := f.Value.(flag.Getter); ok {
		if v, ok := g.Get().(T); ok {
			return v
		}
	}
	return zero
}

func collectStaticCommand(stdin func() io.Reader) *management.Command {
	return &management.Command{
		Name:  "collectstatic",
		Short: "Collect static files in a single location.",
		Long: `Copies the static files of STATICFILES_DIRS and of the installed apps into STATIC_ROOT, each
also under a content-hashed name (css/site.3f2a1b9c0d4e.css) with the references inside CSS and
JavaScript rewritten to hashed names, a .gz copy of text files, and the manifest staticfiles.json
that production uses to name and serve them. Nothing is written when a reference is broken.`,
		Flags: func(fs *flag.FlagSet) {
			fs.Bool("noinput", false, "Do NOT prompt the user for input of any kind.")
			fs.Bool("no-input", false, "Same as --noinput.")
			fs.Bool("clear", false, "Clear the existing files before trying to copy the original files.")
			fs.Bool("c", false, "Same as --clear.")
			fs.Bool("dry-run", false, "Do everything except modify the filesystem.")
			fs.Bool("n", false, "Same as --dry-run.")
			fs.Bool("no-post-process", false, "Do NOT post process collected files (no hashed copies, no manifest).")
			fs.Var(new(patterns), "ignore", "Ignore files or directories matching this glob-style pattern. Use multiple times to ignore more.")
			fs.Var(new(patterns), "i", "Same as --ignore.")
			fs.Bool("no-default-ignore", false, "Don't ignore the common private glob-style patterns ('CVS', '.*' and '*~').")
			fs.Int("verbosity", 1, "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output.")
			fs.Int("v", 1, "Same as --verbosity.")
		},
		Run: func(c *management.Context) error {
			if len(c.Args) > 0 {
				return management.UsageErrorf("collectstatic takes no arguments, got %q", strings.Join(c.Args, " "))
			}
			set := setFlags(c.Flags)
			noInput := flagValue[bool](c.Flags, "noinput") || flagValue[bool](c.Flags, "no-input")
			clearAll := flagValue[bool](c.Flags, "clear") || flagValue[bool](c.Flags, "c")
			dryRun := flagValue[bool](c.Flags, "dry-run") || flagValue[bool](c.Flags, "n")
			verbosity := flagValue[int](c.Flags, "verbosity")
			if set["v"] {
				verbosity = flagValue[int](c.Flags, "v")
			}
			ignore := append(flagValue[[]string](c.Flags, "ignore"), flagValue[[]string](c.Flags, "i")...)

			files, err := filesOf(c)
			if err != nil {
				return err
			}
			cfg := files.Config()
			if !flagValue[bool](c.Flags, "no-default-ignore") {
				base := cfg.Ignore
				if base == nil {
					base = DefaultIgnore()
				}
				ignore = append(append([]string(nil), base...), ignore...)
			}
			if ignore == nil {
				ignore = []string{}
			}
			cfg.Ignore = ignore
			if files, err = New(cfg); err != nil {
				return err
			}
			root, err := files.needRoot()
			if err != nil {
				return err
			}
			if !noInput && hasEntries(root) {
				var msg strings.Builder
				msg.WriteString("\n")
				if dryRun {
					msg.WriteString("You have activated the --dry-run option so no files will be modified.\n\n")
				}
				fmt.Fprintf(&msg, "You have requested to collect static files at the destination\nlocation as specified in your settings:\n\n    %s\n\n", root)
				if clearAll {
					msg.WriteString("This will DELETE ALL FILES in this location!\n")
				} else {
					msg.WriteString("This will overwrite existing files!\n")
				}
				msg.WriteString("Are you sure you want to do this?\n\nType 'yes' to continue, or 'no' to cancel: ")
				io.WriteString(c.Stdout, msg.String())
				answer, _ := bufio.NewReader(stdin()).ReadString('\n')
				if strings.TrimSpace(answer) != "yes" {
					return errors.New("Collecting static files cancelled.")
				}
			}
			res, err := files.Collect(CollectOptions{
				Clear:         clearAll,
				DryRun:        dryRun,
				NoPostProcess: flagValue[bool](c.Flags, "no-post-process"),
				Log: func(level int, msg string) {
					if level <= verbosity {
						fmt.Fprintln(c.Stdout, msg)
					}
				},
			})
			if err != nil {
				return err
			}
			if verbosity >= 1 {
				fmt.Fprintf(c.Stdout, "\n%s\n", res.Summary())
			}
			return nil
		},
	}
}

// setFlags lists the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// hasEntries reports whether a directory exists and holds anything.
func hasEntries(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) > 0
}

func findStaticCommand() *management.Command {
	return &management.Command{
		Name:  "findstatic",
		Short: "Finds the absolute paths for the given static file(s).",
		Usage: "name...",
		Long: `Prints where each static file is found: every location, the one that wins first (the project's
STATICFILES_DIRS in order, then the installed apps in INSTALLED_APPS order), or only that one with
--first. Fails when a name is found nowhere.`,
		Flags: func(fs *flag.FlagSet) {
			fs.Bool("first", false, "Only return the first match for each static file.")
			fs.Bool("all", true, "Return every match for each static file (the default).")
			fs.Int("verbosity", 1, "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output.")
			fs.Int("v", 1, "Same as --verbosity.")
		},
		Run: func(c *management.Context) error {
			if len(c.Args) == 0 {
				return management.UsageErrorf("give the static file names to find, such as css/site.css")
			}
			verbosity := flagValue[int](c.Flags, "verbosity")
			if setFlags(c.Flags)["v"] {
				verbosity = flagValue[int](c.Flags, "v")
			}
			first := flagValue[bool](c.Flags, "first")
			files, err := filesOf(c)
			if err != nil {
				return err
			}
			missing := 0
			for _, name := range c.Args {
				locs, err := files.FindAll(name)
				if err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
				if len(locs) == 0 {
					missing++
					if verbosity >= 1 {
						fmt.Fprintf(c.Stderr, "No matching file found for '%s'.\n", name)
					}
					if verbosity >= 2 {
						fmt.Fprintf(c.Stderr, "\nLooking in the following locations:\n  %s\n", strings.Join(files.searched(), "\n  "))
					}
					continue
				}
				if first {
					locs = locs[:1]
				}
				where := make([]string, len(locs))
				for i, l := range locs {
					where[i] = l.String()
					if l.File != "" {
						if real, err := filepath.EvalSymlinks(l.File); err == nil {
							where[i] = real
						}
					}
				}
				if verbosity >= 1 {
					fmt.Fprintf(c.Stdout, "Found '%s' here:\n  %s\n", name, strings.Join(where, "\n  "))
				} else {
					fmt.Fprintln(c.Stdout, strings.Join(where, "\n"))
				}
				if verbosity >= 2 {
					fmt.Fprintf(c.Stdout, "\nLooking in the following locations:\n  %s\n", strings.Join(files.searched(), "\n  "))
				}
			}
			if missing > 0 {
				if len(c.Args) == 1 {
					return fmt.Errorf("the static file '%s' was not found", c.Args[0])
				}
				return fmt.Errorf("%d of the %d static files were not found", missing, len(c.Args))
			}
			return nil
		},
	}
}

// searched describes the sources in the order they are searched, as findstatic -v 2 lists
// them.
func (f *Files) searched() []string {
	out := make([]string, 0, len(f.sources))
	for _, s := range f.sources {
		switch {
		case s.dir != "":
			dir := s.dir
			if abs, err := filepath.Abs(dir); err == nil {
				dir = abs
			}
			if s.prefix != "" {
				dir += " (as " + s.prefix + "/…)"
			}
			out = append(out, dir)
		default:
			out = append(out, s.label+" static files")
		}
	}
	return out
}

// checkFinders is Django's staticfiles finder checks: STATICFILES_DIRS entries whose prefix
// ends with a slash (E003), that overlap STATIC_ROOT (E002) or that do not exist (W004).
func checkFinders(ctx *checks.Context) []checks.Message {
	s := ctx.Settings
	var out []checks.Message
	root := ""
	if s.StaticRoot != "" {
		root, _ = filepath.Abs(s.StaticRoot)
	}
	for _, raw := range s.StaticfilesDirs {
		d := ParseDir(raw)
		if d.Path == "" {
			continue
		}
		if strings.HasSuffix(d.Prefix, "/") {
			m := checks.Error("staticfiles.E003", fmt.Sprintf("The prefix '%s' in the STATICFILES_DIRS setting must not end with a slash.", d.Prefix),
				fmt.Sprintf("write %q", strings.TrimRight(d.Prefix, "/")+"="+d.Path))
			m.Obj = "STATICFILES_DIRS"
			out = append(out, m)
		}
		abs, err := filepath.Abs(d.Path)
		if err == nil && root != "" && (within(root, abs) || within(abs, root)) {
			m := checks.Error("staticfiles.E002", "The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting.",
				fmt.Sprintf("%q and STATIC_ROOT %q overlap; keep the sources of static files apart from the directory they are collected into", d.Path, s.StaticRoot))
			m.Obj = "STATICFILES_DIRS"
			out = append(out, m)
		}
		if info, err := os.Stat(d.Path); err != nil || !info.IsDir() {
			m := checks.Warning("staticfiles.W004", fmt.Sprintf("The directory '%s' in the STATICFILES_DIRS setting does not exist.", d.Path),
				"create it, or remove it from STATICFILES_DIRS")
			m.Obj = "STATICFILES_DIRS"
			out = append(out, m)
		}
	}
	return out
}
