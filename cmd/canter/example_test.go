package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// The commands canter has.
func Example() {
	t := &tool{stdout: os.Stdout, stderr: os.Stdout}
	t.run(context.Background(), []string{"help"})
	// Output:
	// Type 'canter help <subcommand>' for help on a specific subcommand.
	//
	// Available subcommands:
	//
	// [canter]
	//     startapp         Creates an app in the current project: app.go, views.go, urls.go, a template and a test.
	//     startproject     Creates a Canter project: go.mod, main.go, urls.go, settings.toml and a starter app.
	//     version          Prints the version of Canter that new projects get, and of Go.
}

// startproject writes a project that builds against the Canter checkout --canter names.
func Example_startproject() {
	dir, _ := os.MkdirTemp("", "canter-example-")
	defer os.RemoveAll(dir)
	checkout, _ := filepath.Abs("../..") // this repository
	t := &tool{stdout: io.Discard, stderr: io.Discard, dir: dir}
	t.run(context.Background(), []string{"startproject", "mysite", "--canter", checkout})

	// The tree it wrote (go mod tidy then adds go.sum).
	filepath.WalkDir(filepath.Join(dir, "mysite"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		name := d.Name()
		if d.IsDir() {
			name += "/"
		}
		fmt.Println(strings.Repeat("  ", strings.Count(filepath.ToSlash(rel), "/")) + name)
		return nil
	})
	// Output:
	// mysite/
	//   .gitignore
	//   README.md
	//   go.mod
	//   main.go
	//   main_test.go
	//   pages/
	//     app.go
	//     pages_test.go
	//     templates/
	//       pages/
	//         index.html
	//     urls.go
	//     views.go
	//   settings.toml
	//   urls.go
	//   views.go
}

// startapp, run inside a project, writes the app and says how to wire it in.
func Example_startapp() {
	dir, _ := os.MkdirTemp("", "canter-example-")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/mysite\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "settings.toml"), []byte("DEBUG = true\n"), 0o644)
	t := &tool{stdout: os.Stdout, stderr: os.Stdout, dir: dir}
	t.run(context.Background(), []string{"startapp", "polls"})
	// Output:
	// Created the app polls in polls (import path example.com/mysite/polls).
	//
	// Two steps are left:
	//
	// 1. Compile it into the project and install it:
	//    in main.go, add to the imports:
	//        _ "example.com/mysite/polls"
	//    in settings.toml, add to INSTALLED_APPS:
	//        "polls"
	//
	// 2. Route to it, in urls.go:
	//    add to the imports:
	//        "example.com/mysite/polls"
	//    add to urlpatterns:
	//        urls.Include("polls/", "polls", polls.URLs...),
}
