package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/canter-go/canter/management"
)

// canterModule is Canter's module path.
const canterModule = "github.com/canter-go/canter"

// zeroVersion is the version a go.mod requires of a module that a replace directive provides,
// as the go command writes it.
const zeroVersion = "v0.0.0-00010101000000-000000000000"

// goVersion is the go line of the projects startproject writes: the Go release Canter needs.
const goVersion = "1.26"

// canterSource is where this program's Canter comes from.
type canterSource struct {
	// Version is Canter's module version as built into the program; empty when it was built
	// from source without one ("(devel)").
	Version string
	// Checkout is the root of the Canter checkout the program was built from, when its source
	// is on this machine and not in the module cache; empty otherwise.
	Checkout string
}

// findCanterSource reads Canter's version from the build information and looks for the
// checkout the program was built from, next to its own source file.
func findCanterSource() canterSource {
	var src canterSource
	if info, ok := debug.ReadBuildInfo(); ok {
		mod := &info.Main
		if mod.Path != canterModule {
			mod = nil
			for _, d := range info.Deps {
				if d.Path == canterModule {
					mod = d
				}
			}
		}
		if mod != nil && mod.Replace != nil {
			mod = mod.Replace
		}
		if mod != nil && mod.Version != "(devel)" && !strings.Contains(mod.Version, "+") {
			src.Version = mod.Version
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		root := filepath.Dir(filepath.Dir(filepath.Dir(file))) // <root>/cmd/canter/source.go
		// The module cache holds sources in directories named path@version, read-only: they
		// are a published version, not a checkout to build against.
		if !strings.Contains(filepath.Base(root), "@") && checkCanterRoot(root) == nil {
			src.Checkout = root
		}
	}
	return src
}

// checkCanterRoot reports whether dir is the root of Canter's module.
func checkCanterRoot(dir string) error {
	path, err := modulePath(filepath.Join(dir, "go.mod"))
	if err != nil {
		return fmt.Errorf("%s is not a checkout of Canter: %w", dir, err)
	}
	if path != canterModule {
		return fmt.Errorf("%s is not a checkout of Canter: its go.mod declares module %q, not %q", dir, path, canterModule)
	}
	return nil
}

// modulePath reads the module path that a go.mod file declares.
func modulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		rest, ok := strings.CutPrefix(line, "module")
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t' && rest[0] != '"') {
			continue
		}
		path := strings.TrimSpace(rest)
		if strings.HasPrefix(path, `"`) || strings.HasPrefix(path, "`") {
			if path, err = strconv.Unquote(path); err != nil {
				return "", fmt.Errorf("%s: the module line is malformed: %w", gomod, err)
			}
		}
		return path, nil
	}
	return "", fmt.Errorf("%s has no module line", gomod)
}

// releaseVersion matches a version that a go.mod can require as published: vMAJOR.MINOR.PATCH
// with an optional pre-release, no build metadata.
var releaseVersion = regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)

// requirement decides how a new project gets Canter: the version to require and the directory
// of a replace directive (empty for none). flagPath is --canter.
func (s canterSource) requirement(flagPath string) (version, replace string, err error) {
	switch {
	case flagPath != "":
		abs, err := filepath.Abs(flagPath)
		if err != nil {
			return "", "", err
		}
		if err := checkCanterRoot(abs); err != nil {
			return "", "", fmt.Errorf("--canter: %w; give the directory that holds Canter's go.mod", err)
		}
		replace = abs
	case s.Checkout != "":
		replace = s.Checkout
	case s.Version == "":
		return "", "", fmt.Errorf("this canter program was built without a Canter version and its source is not on this machine, " +
			"so the new project cannot require a published Canter; give --canter PATH, the directory of a Canter checkout")
	}
	version = s.Version
	if replace != "" && !releaseVersion.MatchString(version) {
		version = zeroVersion
	}
	return version, replace, nil
}

func (t *tool) versionCommand() *management.Command {
	return &management.Command{
		Name:  "version",
		Short: "Prints the version of Canter that new projects get, and of Go.",
		Run: func(c *management.Context) error {
			v := t.source.Version
			if v == "" {
				v = "(devel)"
			}
			if t.source.Checkout != "" {
				v += ", from the checkout at " + t.source.Checkout
			}
			fmt.Fprintf(c.Stdout, "Canter %s (%s)\n", v, runtime.Version())
			return nil
		},
	}
}
