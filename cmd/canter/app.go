package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/canter-go/canter/management"
	"github.com/canter-go/canter/settings"
)

func (t *tool) startAppCommand() *management.Command {
	return &management.Command{
		Name:  "startapp",
		Short: "Creates an app in the current project: app.go, views.go, urls.go, a template and a test.",
		Usage: "NAME [DIR]",
		Long: `Writes the app NAME into DIR (default ./NAME, which must be empty or absent) of the
project around the working directory (found by its go.mod), then prints the lines to
add to main.go, settings.toml and urls.go.`,
		Run: func(c *management.Context) error {
			name, dir, err := nameAndDir(c, "startapp", "an app name")
			if err != nil {
				return err
			}
			return t.startApp(name, t.abs(dir))
		},
	}
}

func (t *tool) startApp(name, dir string) error {
	if err := validateName("app", name); err != nil {
		return err
	}
	root, module, err := findModule(t.abs("."))
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("%s is not inside the project at %s; an app lives in a directory of its project", dir, root)
	}
	rel = filepath.ToSlash(rel)
	importPath := module + "/" + rel
	if err := validateModule(importPath); err != nil {
		return fmt.Errorf("the app's import path %q is not valid; choose a directory whose name is a valid path element", importPath)
	}
	if err := checkTarget(dir); err != nil {
		return err
	}
	settingsFile := filepath.Join(root, settings.DefaultFile)
	settingsFromApp, err := filepath.Rel(dir, settingsFile)
	if err != nil {
		return err
	}
	data := &scaffold{
		Project:         path.Base(module),
		Module:          module,
		App:             name,
		AppImport:       importPath,
		AppDir:          rel,
		SettingsFromApp: filepath.ToSlash(settingsFromApp),
	}
	files, err := render("app", data)
	if err != nil {
		return err
	}
	if err := writeFiles(dir, files); err != nil {
		return fmt.Errorf("writing the app: %w", err)
	}
	importLine := strconv.Quote(importPath)
	if path.Base(importPath) != name {
		importLine = name + " " + importLine // the package name differs from the directory's
	}
	fmt.Fprintf(t.stdout, `Created the app %s in %s (import path %s).

Two steps are left:

1. Compile it into the project and install it:
   in main.go, add to the imports:
       _ %q
   in settings.toml, add to INSTALLED_APPS:
       %q

2. Route to it, in urls.go:
   add to the imports:
       %s
   add to urlpatterns:
       urls.Include("%s/", %q, %s.URLs...),
`, name, t.rel(dir), importPath, importPath, name, importLine, name, name, name)
	if _, err := os.Stat(settingsFile); err != nil {
		fmt.Fprintf(t.stderr, "Note: the app's test reads the project's settings from %s, which does not exist yet.\n", settingsFile)
	}
	return nil
}

// findModule looks for go.mod in dir and its parents and returns the module's root and path.
func findModule(dir string) (root, module string, err error) {
	for d := dir; ; {
		gomod := filepath.Join(d, "go.mod")
		if _, err := os.Stat(gomod); err == nil {
			module, err := modulePath(gomod)
			return d, module, err
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", "", err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", "", fmt.Errorf("no go.mod in %s or any directory above it; run startapp inside a project (canter startproject makes one)", dir)
		}
		d = parent
	}
}
