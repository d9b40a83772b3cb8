package canter

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/checks"
	"github.com/canter-go/canter/management"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// Project is the Django-style face of Canter: a site made of installed apps and driven by
// settings. Its main package is its manage.py:
//
//	func main() {
//		canter.Main(&canter.Project{
//			Name: "mysite",
//			URLs: []urls.Entry{
//				urls.Include("polls/", "polls", polls.URLs...),
//			},
//		})
//	}
//
// Settings come from settings.toml (or the file CANTER_SETTINGS_FILE names), then CANTER_*
// environment variables, then Project.Settings; INSTALLED_APPS picks among the apps the
// program imports (apps.Register); MIDDLEWARE lists the layers by name.
type Project struct {
	// Name is the project's name, shown by help and version.
	Name string
	// URLs is the root URL configuration (unless ROOT_URLCONF names an app).
	URLs []urls.Entry
	// SettingsFile is the settings file; empty means CANTER_SETTINGS_FILE or settings.toml.
	SettingsFile string
	// EmbeddedSettings are settings in TOML carried by the program (//go:embed settings.toml),
	// applied before the settings file, so the binary runs anywhere and a file on disk still
	// overrides it.
	EmbeddedSettings []byte
	// Settings changes settings in code, after the file and the environment.
	Settings func(s *settings.Settings)
	// ErrorViews replace the page for a status: Django's handler404, handler500, ….
	ErrorViews map[int]web.ErrorView
	// Commands are project-level management commands.
	Commands []*management.Command
	// Checks are project-level system checks.
	Checks []checks.Check
	// Catalog is where installed apps are looked up; nil means the program's catalog, to which
	// apps.Register adds.
	Catalog *apps.Catalog
	// Env is the environment settings are read from; nil means os.Environ().
	Env []string
	// Static holds the collected static files embedded in the program (//go:embed of the
	// STATIC_ROOT that collectstatic filled), so the site ships as one binary.
	Static fs.FS
}

// LoadSettings reads the project's settings: the file, the environment, then code.
func (p *Project) LoadSettings() (*settings.Settings, error) {
	env := p.Env
	if env == nil {
		env = os.Environ()
	}
	opts := settings.Options{File: p.SettingsFile, Env: env}
	if p.EmbeddedSettings != nil {
		opts.Embedded = []settings.Embedded{{Name: p.programName() + " settings (embedded)", Data: p.EmbeddedSettings}}
	}
	if p.Settings != nil {
		opts.Override = append(opts.Override, p.Settings)
	}
	return settings.Load(opts)
}

// Build loads the settings, installs the apps and builds the site.
func (p *Project) Build() (*Site, error) {
	s, err := p.LoadSettings()
	if err != nil {
		return nil, err
	}
	return build(p.spec(s))
}

func (p *Project) spec(s *settings.Settings) spec {
	return spec{settings: s, catalog: p.Catalog, urls: p.URLs, errorViews: p.ErrorViews, checks: p.Checks, collected: p.Static}
}

// Runnable is what Main runs: a *Project or an *App.
type Runnable interface {
	buildSite() (*Site, error)
	programName() string
	settingsSource() string
	ownCommands() []*management.Command
}

func (p *Project) buildSite() (*Site, error) { return p.Build() }

func (p *Project) programName() string {
	if p.Name != "" {
		return p.Name
	}
	return filepath.Base(os.Args[0])
}

func (p *Project) settingsSource() string {
	switch {
	case p.EmbeddedSettings != nil && p.SettingsFile == "":
		return "embedded settings"
	case p.SettingsFile != "":
		return p.SettingsFile
	case os.Getenv(settings.FileVariable) != "":
		return os.Getenv(settings.FileVariable)
	}
	return settings.DefaultFile
}

func (p *Project) ownCommands() []*management.Command { return p.Commands }

// Main runs the command line of the program, as Django's manage.py does, and exits with the
// command's status: `mysite runserver`, `mysite check --deploy`, `mysite urls`, … SIGINT and
// SIGTERM stop a running server gracefully.
func Main(r Runnable) {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		cancel() // the first signal stops gracefully
		<-signals
		fmt.Fprintln(os.Stderr, "second signal: stopping at once")
		os.Exit(1)
	}()
	os.Exit(Execute(ctx, r, os.Args[1:], os.Stdout, os.Stderr))
}

// Execute runs one command line (without the program name) against r and returns the exit
// status; Main calls it with the process's arguments.
func Execute(ctx context.Context, r Runnable, args []string, stdout, stderr io.Writer) int {
	var site *Site
	defer func() {
		if site != nil {
			if err := site.Close(); err != nil {
				fmt.Fprintf(stderr, "closing the site: %v\n", err)
			}
		}
	}()
	cmds := builtinCommands(r)
	cmds = append(cmds, r.ownCommands()...)
	// App commands are only known once the site is built; build it for them and for help.
	if needsAppCommands(args, cmds) {
		s, err := r.buildSite()
		if err == nil {
			site = s
			cmds = append(cmds, s.Apps.Commands()...)
		} else if name := commandName(args); name != "" {
			// Not a built-in command: it may be an app's, which a broken site cannot list.
			fmt.Fprintf(stderr, "CommandError: %q is not one of Canter's commands, and the apps' commands are unknown because the site does not build: %v\n", name, err)
			return 1
		} else {
			fmt.Fprintf(stderr, "Note that only Canter's commands are listed, as the site does not build: %v\n\n", err)
		}
	}
	runner := &management.Runner{
		Prog:     r.programName(),
		Commands: cmds,
		Stdout:   stdout,
		Stderr:   stderr,
		Prepare: func(cmd *management.Command, c *management.Context) error {
			if site == nil {
				s, err := r.buildSite()
				if err != nil {
					return err
				}
				site = s
			}
			c.Site = site
			if cmd.SkipChecks {
				return nil
			}
			msgs := site.Check(false)
			if checks.Serious(msgs) {
				return fmt.Errorf("the system checks found problems:\n\n%s", checks.Report(msgs, 0))
			}
			return nil
		},
	}
	return runner.Run(ctx, args)
}

// commandName returns the command a command line runs or asks help about, or "" for a bare
// help.
func commandName(args []string) string {
	if len(args) == 0 {
		return ""
	}
	switch args[0] {
	case "help", "-h", "--help", "-help":
		if len(args) > 1 {
			return args[1]
		}
		return ""
	}
	return args[0]
}

// needsAppCommands reports whether the command line names no built-in command, so that the
// apps' commands must be loaded to run or list it.
func needsAppCommands(args []string, builtin []*management.Command) bool {
	name := commandName(args)
	if name == "" {
		return true
	}
	for _, c := range builtin {
		if c.Name == name {
			return false
		}
	}
	return true
}
