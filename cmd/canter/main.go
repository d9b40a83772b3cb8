// Command canter creates Canter projects and apps, as django-admin does for Django.
//
//	go run github.com/canter-go/canter/cmd/canter startproject mysite
//	cd mysite
//	go run . runserver                                        # http://127.0.0.1:8000/
//	go run github.com/canter-go/canter/cmd/canter startapp polls
//
// startproject NAME [DIR] writes a project that builds, passes its own tests and serves with
// `go run . runserver`: go.mod, main.go (canter.Main), urls.go, a home page, settings.toml
// with a fresh development SECRET_KEY, a starter app "pages" (a view rendering an html/template
// template, its URLs and a test), a README and a .gitignore. It then runs `go mod tidy` when the
// go command is there. Flags, before or after the name:
//
//	--module PATH   the module path (default: NAME)
//	--canter PATH   build against the Canter checkout at PATH, with a replace directive
//
// When canter itself runs from a checkout of Canter (its version is "(devel)"), --canter
// defaults to that checkout, so that the new project builds offline against the same code.
//
// startapp NAME [DIR] runs inside a project (it reads the module path from the nearest go.mod)
// and writes the app into DIR (default NAME): app.go registers it with apps.Register, views.go,
// urls.go, templates/NAME/index.html and NAME_test.go. It then prints the lines to add to
// main.go, settings.toml and urls.go.
//
// Names are lowercase Go identifiers that clash with nothing: not a Go keyword or predeclared
// identifier, not a standard library package, not main, test or one of Canter's packages.
// Neither command writes into a directory that is not empty.
//
// The files come from templates embedded in the program (templates/project and templates/app,
// Go text/template with [[ ]] as delimiters, so that the {{ }} of html/template pass through);
// the generated Go files are gofmt'ed.
//
// Exit status: 0 on success, 1 when a command fails, 2 for an unknown command or bad arguments.
package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"os/signal"

	"github.com/canter-go/canter/management"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	t := newTool(os.Stdout, os.Stderr)
	code := t.run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// tool is the canter command with what it depends on, so that tests can run it in-process.
type tool struct {
	stdout, stderr io.Writer
	// dir is the working directory that relative paths start from; empty means the process's.
	dir string
	// goCommand is the go command that runs `go mod tidy`; empty skips that step.
	goCommand string
	// goEnv is the go command's environment; nil means the process's.
	goEnv []string
	// source is where this program's Canter comes from.
	source canterSource
}

func newTool(stdout, stderr io.Writer) *tool {
	t := &tool{stdout: stdout, stderr: stderr, source: findCanterSource()}
	if path, err := exec.LookPath("go"); err == nil {
		t.goCommand = path
	}
	return t
}

// run runs one command line (without the program's name) and returns the exit status.
func (t *tool) run(ctx context.Context, args []string) int {
	r := &management.Runner{
		Prog:     "canter",
		Commands: []*management.Command{t.startProjectCommand(), t.startAppCommand(), t.versionCommand()},
		Stdout:   t.stdout,
		Stderr:   t.stderr,
	}
	return r.Run(ctx, args)
}
