package main

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
)

// templateFiles holds the skeletons of a project (templates/project) and of an app
// (templates/app). Every file ends in .tmpl; in a path, APP stands for the app's name, and
// "gitignore" becomes ".gitignore".
//
//go:embed templates
var templateFiles embed.FS

// scaffold is what the templates are rendered with.
type scaffold struct {
	// Project is the project's name ("mysite").
	Project string
	// Module is the project's module path.
	Module string
	// Binary is the name go build gives the project's program: the module path's last element.
	Binary string
	// App is the app's name: its package name and label ("pages").
	App string
	// AppImport is the app's import path ("mysite/pages").
	AppImport string
	// AppDir is the app's directory, relative to the project's root, with slashes.
	AppDir string
	// SettingsFromApp is the project's settings.toml seen from the app's directory.
	SettingsFromApp string

	// SecretKey is the development SECRET_KEY.
	SecretKey string
	// Middleware is the MIDDLEWARE list, written as TOML.
	Middleware string
	// GoVersion is go.mod's go line.
	GoVersion string
	// CanterVersion is the version of Canter that go.mod requires.
	CanterVersion string
	// CanterReplace is the directory of the replace directive for Canter, if any.
	CanterReplace string
}

// render renders the skeleton under templates/<kind> and returns the files by their path
// (slash-separated, relative to where they go). Go files are gofmt'ed.
func render(kind string, data *scaffold) (map[string][]byte, error) {
	root := "templates/" + kind
	files := map[string][]byte{}
	err := fs.WalkDir(templateFiles, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(name, ".tmpl") {
			return fmt.Errorf("the skeleton file %s does not end in .tmpl", name)
		}
		src, err := templateFiles.ReadFile(name)
		if err != nil {
			return err
		}
		tmpl, err := template.New(name).Delims("[[", "]]").Option("missingkey=error").Parse(string(src))
		if err != nil {
			return err
		}
		var out bytes.Buffer
		if err := tmpl.Execute(&out, data); err != nil {
			return err
		}
		target := strings.TrimSuffix(strings.TrimPrefix(name, root+"/"), ".tmpl")
		target = strings.ReplaceAll(target, "APP", data.App)
		if path.Base(target) == "gitignore" {
			target = path.Join(path.Dir(target), ".gitignore")
		}
		content := out.Bytes()
		if strings.HasSuffix(target, ".go") {
			if content, err = format.Source(content); err != nil {
				return fmt.Errorf("%s does not render to valid Go: %w", name, err)
			}
		}
		files[target] = content
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rendering the %s skeleton: %w", kind, err)
	}
	return files, nil
}

// checkTarget refuses a directory that exists and is not empty, or a path that is a file.
func checkTarget(dir string) error {
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s already exists and is not a directory; choose another name or directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s already exists and is not empty; choose another name or directory, or remove it first", dir)
	}
	return nil
}

// writeFiles writes files (paths relative to dir, slash-separated) into dir, which must not
// hold any of them. It never overwrites: on any failure it removes what it wrote, and dir if it
// made it, and returns the error.
func writeFiles(dir string, files map[string][]byte) (err error) {
	var made []string // files and directories, in the order made
	defer func() {
		if err != nil {
			for i := len(made) - 1; i >= 0; i-- {
				os.Remove(made[i])
			}
		}
	}()
	for _, name := range sortedNames(files) {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := mkdirAll(filepath.Dir(target), &made); err != nil {
			return err
		}
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		made = append(made, target)
		_, err = f.Write(files[name])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// mkdirAll makes d and its missing parents, recording each one it makes.
func mkdirAll(d string, made *[]string) error {
	if _, err := os.Stat(d); err == nil {
		return nil
	}
	if parent := filepath.Dir(d); parent != d {
		if err := mkdirAll(parent, made); err != nil {
			return err
		}
	}
	err := os.Mkdir(d, 0o755)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err == nil {
		*made = append(*made, d)
	}
	return err
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
