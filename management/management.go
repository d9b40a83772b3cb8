// Package management runs a project's commands from its own binary, as Django's manage.py
// does: `mysite runserver`, `mysite check --deploy`, `mysite urls`, and the commands that apps
// add. The canter package registers the built-in commands and hands the command line to a
// Runner; an app adds a command by listing a *Command in its apps.Config.
//
//	var closePoll = &management.Command{
//		Name:  "closepoll",
//		Short: "Closes the given polls for voting.",
//		Usage: "poll-id...",
//		Run: func(c *management.Context) error {
//			if len(c.Args) == 0 {
//				return management.UsageErrorf("give at least one poll id")
//			}
//			…
//			fmt.Fprintf(c.Stdout, "Closed %d polls.\n", n)
//			return nil
//		},
//	}
//
// Exit codes: 0 on success, 1 when a command fails (Django's CommandError), 2 for an unknown
// command or a bad flag or argument.
package management

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/canter-go/canter/internal/suggest"
)

// Command is a management command.
type Command struct {
	// Name is what the command line calls it.
	Name string
	// Short is a one-line description for help.
	Short string
	// Usage describes the positional arguments, such as "[addr:port]".
	Usage string
	// Long is an optional longer description for `help <command>`.
	Long string
	// Flags declares the command's flags on fs (with ContinueOnError; the runner reports bad
	// flags with exit code 2).
	Flags func(fs *flag.FlagSet)
	// Run runs the command. Return a UsageError for bad arguments (exit 2); any other error
	// is printed as "CommandError: …" (exit 1).
	Run func(c *Context) error
	// SkipChecks runs the command without the system checks (Django's
	// requires_system_checks = []); commands that run them themselves, like runserver, or that
	// must work on a broken project, like check and help, set it.
	SkipChecks bool
	// Group is the heading help lists the command under: "canter" for built-in commands, an
	// app label for app commands.
	Group string
	// NeedsSite set to false runs the command before the project's settings are loaded (help,
	// version, startapp).
	NeedsSite *bool
}

// Context is what a running command gets.
type Context struct {
	context.Context
	// Prog is the program's name, as help prints it.
	Prog string
	// Args are the positional arguments. Flags may come before, between or after them;
	// everything after "--" is positional.
	Args []string
	// Flags are the parsed flags.
	Flags *flag.FlagSet
	// Stdout and Stderr are where the command writes.
	Stdout, Stderr io.Writer
	// Site is the running project, set by the runner that prepared the command (the canter
	// package puts its *canter.Site here).
	Site any
}

// UsageError reports bad arguments; the runner prints it with the command's usage and exits
// with code 2.
type UsageError struct{ Msg string }

// Error returns the message.
func (e *UsageError) Error() string { return e.Msg }

// UsageErrorf returns a *UsageError.
func UsageErrorf(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Runner dispatches a command line to commands.
type Runner struct {
	// Prog is the program's name for messages ("mysite").
	Prog string
	// Commands are the available commands.
	Commands []*Command
	// Prepare runs before a command that needs the site: it loads settings and apps, runs the
	// checks unless cmd.SkipChecks, and fills c.Site. An error stops the command (exit 1).
	Prepare func(cmd *Command, c *Context) error
	// Stdout and Stderr receive output.
	Stdout, Stderr io.Writer
}

// Run runs the command line args (without the program name) and returns the exit code.
func (r *Runner) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		r.printHelp(r.Stdout)
		return 0
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "--help", "-help":
		if len(rest) > 0 {
			if cmd := r.find(rest[0]); cmd != nil {
				r.printCommandHelp(r.Stdout, cmd)
				return 0
			}
			return r.unknown(rest[0])
		}
		r.printHelp(r.Stdout)
		return 0
	}
	cmd := r.find(name)
	if cmd == nil {
		return r.unknown(name)
	}
	fs := flag.NewFlagSet(r.Prog+" "+cmd.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if cmd.Flags != nil {
		cmd.Flags(fs)
	}
	positional, err := parseInterspersed(fs, rest)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			r.printCommandHelp(r.Stdout, cmd)
			return 0
		}
		fmt.Fprintf(r.Stderr, "%s %s: %v\n", r.Prog, cmd.Name, err)
		r.printUsageLine(r.Stderr, cmd)
		return 2
	}
	c := &Context{Context: ctx, Prog: r.Prog, Args: positional, Flags: fs, Stdout: r.Stdout, Stderr: r.Stderr}
	if r.Prepare != nil && (cmd.NeedsSite == nil || *cmd.NeedsSite) {
		if err := r.Prepare(cmd, c); err != nil {
			return r.fail(cmd, err)
		}
	}
	if err := cmd.Run(c); err != nil {
		return r.fail(cmd, err)
	}
	return 0
}

// parseInterspersed parses flags that come before, between or after the positional arguments,
// as Django's commands accept them ("runserver 0:8000 --noreload"), and returns the positional
// ones. After "--" everything is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func (r *Runner) fail(cmd *Command, err error) int {
	var usage *UsageError
	if errors.As(err, &usage) {
		fmt.Fprintf(r.Stderr, "%s %s: %s\n", r.Prog, cmd.Name, usage.Msg)
		r.printUsageLine(r.Stderr, cmd)
		return 2
	}
	fmt.Fprintf(r.Stderr, "CommandError: %v\n", err)
	return 1
}

func (r *Runner) find(name string) *Command {
	for _, c := range r.Commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// unknown prints Django's message for an unknown command, with a suggestion.
func (r *Runner) unknown(name string) int {
	msg := fmt.Sprintf("Unknown command: %q.", name)
	if near := r.closest(name); near != "" {
		msg += " Did you mean " + near + "?"
	}
	fmt.Fprintf(r.Stderr, "%s\nType '%s help' for usage.\n", msg, r.Prog)
	return 2
}

// closest returns the command within two edits of name, counting a command that name is a
// prefix of (three letters or more) as one edit away; "" if there is none.
func (r *Runner) closest(name string) string {
	names := make([]string, len(r.Commands))
	for i, c := range r.Commands {
		names[i] = c.Name
	}
	best, d := suggest.Nearest(name, names, func(name, command string) int {
		if len(name) >= 3 && strings.HasPrefix(command, name) {
			return 1
		}
		return suggest.Distance(name, command)
	})
	if d < 0 || d > 2 {
		return ""
	}
	return best
}

func (r *Runner) printHelp(w io.Writer) {
	fmt.Fprintf(w, "Type '%s help <subcommand>' for help on a specific subcommand.\n\nAvailable subcommands:\n", r.Prog)
	groups := map[string][]*Command{}
	var names []string
	for _, c := range r.Commands {
		g := c.Group
		if g == "" {
			g = "canter"
		}
		if groups[g] == nil {
			names = append(names, g)
		}
		groups[g] = append(groups[g], c)
	}
	sort.Slice(names, func(i, j int) bool {
		if names[i] == "canter" || names[j] == "canter" {
			return names[i] == "canter"
		}
		return names[i] < names[j]
	})
	for _, g := range names {
		fmt.Fprintf(w, "\n[%s]\n", g)
		cmds := groups[g]
		sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name < cmds[j].Name })
		for _, c := range cmds {
			fmt.Fprintf(w, "    %-16s %s\n", c.Name, c.Short)
		}
	}
}

func (r *Runner) printUsageLine(w io.Writer, cmd *Command) {
	fmt.Fprintf(w, "usage: %s %s [flags] %s\nType '%s help %s' for details.\n", r.Prog, cmd.Name, cmd.Usage, r.Prog, cmd.Name)
}

func (r *Runner) printCommandHelp(w io.Writer, cmd *Command) {
	fmt.Fprintf(w, "usage: %s %s [flags] %s\n\n%s\n", r.Prog, cmd.Name, cmd.Usage, cmd.Short)
	if cmd.Long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(cmd.Long))
	}
	fs := flag.NewFlagSet(cmd.Name, flag.ContinueOnError)
	if cmd.Flags != nil {
		cmd.Flags(fs)
	}
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintln(w, "\nflags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
