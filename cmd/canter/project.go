package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/canter-go/canter/management"
	"github.com/canter-go/canter/settings"
)

// starterApp is the app every new project starts with.
const starterApp = "pages"

func (t *tool) startProjectCommand() *management.Command {
	var module, canterPath string
	return &management.Command{
		Name:  "startproject",
		Short: "Creates a Canter project: go.mod, main.go, urls.go, settings.toml and a starter app.",
		Usage: "NAME [DIR]",
		Long: `Writes the project NAME into DIR (default ./NAME, which must be empty or absent):
go.mod, main.go, urls.go, views.go, main_test.go, settings.toml (DEBUG on, a new
development SECRET_KEY), the app "pages", README.md and .gitignore; then runs
"go mod tidy". Flags may come before or after NAME.`,
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&module, "module", "", "the module path (default: NAME)")
			fs.StringVar(&canterPath, "canter", "", "build against the Canter checkout at this directory, with a replace directive (default: the checkout canter runs from, if any)")
		},
		Run: func(c *management.Context) error {
			name, dir, err := nameAndDir(c, "startproject", "a project name")
			if err != nil {
				return err
			}
			return t.startProject(c, name, t.abs(dir), module, canterPath)
		},
	}
}

func (t *tool) startProject(ctx context.Context, name, dir, module, canterPath string) error {
	if err := validateName("project", name); err != nil {
		return err
	}
	if module == "" {
		module = name
	} else if err := validateModule(module); err != nil {
		return err
	}
	if err := checkTarget(dir); err != nil {
		return err
	}
	version, replace, err := t.source.requirement(canterPath)
	if err != nil {
		return err
	}
	data := &scaffold{
		Project:         name,
		Module:          module,
		Binary:          path.Base(module),
		App:             starterApp,
		AppImport:       module + "/" + starterApp,
		AppDir:          starterApp,
		SettingsFromApp: "../" + settings.DefaultFile,
		SecretKey:       secretKey(),
		Middleware:      tomlList(settings.Defaults().Middleware),
		GoVersion:       goVersion,
		CanterVersion:   version,
		CanterReplace:   goModPath(replace),
	}
	files, err := render("project", data)
	if err != nil {
		return err
	}
	app, err := render("app", data)
	if err != nil {
		return err
	}
	for p, content := range app {
		files[starterApp+"/"+p] = content
	}
	if err := writeFiles(dir, files); err != nil {
		return fmt.Errorf("writing the project: %w", err)
	}
	t.tidy(ctx, dir)
	shown := t.rel(dir)
	fmt.Fprintf(t.stdout, "Created the project %s in %s (module %s", name, shown, module)
	if replace != "" {
		fmt.Fprintf(t.stdout, ", with Canter from %s", replace)
	}
	fmt.Fprintf(t.stdout, ").\n\n    cd %s\n    go run . runserver    # http://127.0.0.1:8000/\n    go test ./...\n", shown)
	return nil
}

// tidy runs `go mod tidy` in dir, which fills go.sum; it only warns when that fails, since the
// project is complete without it.
func (t *tool) tidy(ctx context.Context, dir string) {
	if t.goCommand == "" {
		fmt.Fprintf(t.stderr, "Note: the go command was not found, so go.sum is not written yet; run `go mod tidy` in %s.\n", t.rel(dir))
		return
	}
	cmd := exec.CommandContext(ctx, t.goCommand, "mod", "tidy")
	cmd.Dir = dir
	cmd.Env = t.goEnv
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(t.stderr, "Note: `go mod tidy` failed in %s (%v):\n%s\nThe project is complete; run `go mod tidy` there again once the Go module proxy (or your module cache) can provide Canter's dependencies.\n",
			t.rel(dir), err, strings.TrimSpace(string(out)))
	}
}

// secretKeyChars are the characters of Django's get_random_secret_key.
const secretKeyChars = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"

// secretKey makes a development SECRET_KEY as Django's startproject does: 50 random characters
// of secretKeyChars after the prefix "canter-insecure-" (Django's "django-insecure-"), which
// `check --deploy` flags.
func secretKey() string {
	const n = 50
	key := make([]byte, 0, len("canter-insecure-")+n)
	key = append(key, "canter-insecure-"...)
	// Bytes at or above 250 are dropped so that every character is equally likely.
	limit := byte(256 / len(secretKeyChars) * len(secretKeyChars))
	buf := make([]byte, 2*n)
	for len(key) < cap(key) {
		rand.Read(buf)
		for _, b := range buf {
			if b < limit && len(key) < cap(key) {
				key = append(key, secretKeyChars[int(b)%len(secretKeyChars)])
			}
		}
	}
	return string(key)
}

// tomlList writes a list of strings as a TOML array.
func tomlList(list []string) string {
	quoted := make([]string, len(list))
	for i, s := range list {
		quoted[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// goModPath writes a directory for a go.mod replace directive, quoted when it needs to be.
func goModPath(dir string) string {
	for _, r := range dir {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-~+@:", r)) {
			return strconv.Quote(dir)
		}
	}
	return dir
}

// nameAndDir reads the arguments NAME [DIR] of startproject and startapp (command), with
// flags among them; DIR defaults to NAME. what names NAME in the usage error ("a project name").
func nameAndDir(c *management.Context, command, what string) (name, dir string, err error) {
	args := c.Args // the runner took the flags, wherever they were
	if len(args) < 1 || len(args) > 2 {
		return "", "", management.UsageErrorf("%s takes %s and, optionally, a directory; got %d arguments", command, what, len(args))
	}
	name, dir = args[0], args[0]
	if len(args) == 2 {
		dir = args[1]
	}
	return name, dir, nil
}

// abs resolves a path given on the command line against the working directory.
func (t *tool) abs(p string) string {
	if !filepath.IsAbs(p) && t.dir != "" {
		p = filepath.Join(t.dir, p)
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// rel shows a path relative to the working directory when it is under it.
func (t *tool) rel(p string) string {
	wd := t.dir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}
