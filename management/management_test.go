package management_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/canter-go/canter/management"
)

func runner(out, errOut *bytes.Buffer) *management.Runner {
	var loud bool
	return &management.Runner{
		Prog:   "mysite",
		Stdout: out,
		Stderr: errOut,
		Commands: []*management.Command{
			{Name: "greet", Short: "Says hello.", Usage: "name", Flags: func(fs *flag.FlagSet) {
				fs.BoolVar(&loud, "loud", false, "shout")
			}, Run: func(c *management.Context) error {
				if len(c.Args) != 1 {
					return management.UsageErrorf("greet needs exactly one name")
				}
				msg := "hello " + c.Args[0]
				if loud {
					msg = strings.ToUpper(msg)
				}
				fmt.Fprintln(c.Stdout, msg)
				return nil
			}},
			{Name: "fail", Short: "Fails.", Run: func(*management.Context) error { return errors.New("the poll is closed") }},
			{Name: "closepoll", Short: "Closes polls.", Group: "polls", Run: func(*management.Context) error { return nil }},
		},
	}
}

func TestRunner(t *testing.T) {
	tests := []struct {
		args        []string
		code        int
		out, errOut string
	}{
		{[]string{"greet", "ada"}, 0, "hello ada\n", ""},
		{[]string{"greet", "--loud", "ada"}, 0, "HELLO ADA\n", ""},
		{[]string{"greet", "ada", "--loud"}, 0, "HELLO ADA\n", ""}, // flags after arguments, as Django's commands take them
		{[]string{"greet", "ada", "--bogus"}, 2, "", "mysite greet: flag provided but not defined: -bogus"},
		{[]string{"greet"}, 2, "", "mysite greet: greet needs exactly one name\nusage: mysite greet [flags] name"},
		{[]string{"greet", "--bogus"}, 2, "", "mysite greet: flag provided but not defined: -bogus"},
		{[]string{"fail"}, 1, "", "CommandError: the poll is closed\n"},
		{[]string{"gret"}, 2, "", "Unknown command: \"gret\". Did you mean greet?\nType 'mysite help' for usage.\n"},
		{[]string{"close"}, 2, "", "Did you mean closepoll?"},
		{[]string{"zzzzzz"}, 2, "", "Unknown command: \"zzzzzz\".\nType 'mysite help' for usage.\n"},
		{[]string{"help", "greet"}, 0, "usage: mysite greet [flags] name\n\nSays hello.\n\nflags:\n  -loud", ""},
		{[]string{"help", "nope"}, 2, "", "Unknown command"},
		{nil, 0, "Available subcommands:\n\n[canter]\n    fail             Fails.\n    greet            Says hello.\n\n[polls]\n    closepoll", ""},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := runner(&out, &errOut).Run(context.Background(), tt.args)
		if code != tt.code || !strings.Contains(out.String(), tt.out) || !strings.Contains(errOut.String(), tt.errOut) {
			t.Errorf("%v: code %d stdout %q stderr %q; want %d, %q, %q", tt.args, code, out.String(), errOut.String(), tt.code, tt.out, tt.errOut)
		}
	}
}

// TestInterspersedFlags checks that flags may come before, between or after the positional
// arguments, and that everything after "--" is positional.
func TestInterspersedFlags(t *testing.T) {
	tests := []struct {
		args       []string
		positional []string
		module     string
	}{
		{[]string{"a", "b"}, []string{"a", "b"}, ""},
		{[]string{"a", "--module", "m", "b"}, []string{"a", "b"}, "m"},
		{[]string{"a", "b", "-module=m"}, []string{"a", "b"}, "m"},
		{[]string{"a", "--", "-b"}, []string{"a", "-b"}, ""},
	}
	for _, tt := range tests {
		var module string
		var got []string
		r := &management.Runner{Prog: "canter", Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Commands: []*management.Command{{
			Name:  "start",
			Flags: func(fs *flag.FlagSet) { fs.StringVar(&module, "module", "", "") },
			Run:   func(c *management.Context) error { got = c.Args; return nil },
		}}}
		code := r.Run(context.Background(), append([]string{"start"}, tt.args...))
		if code != 0 || !slices.Equal(got, tt.positional) || module != tt.module {
			t.Errorf("start %q: code %d, arguments %q, module %q; want %q, %q", tt.args, code, got, module, tt.positional, tt.module)
		}
	}
}

func ExampleRunner() {
	var out bytes.Buffer
	r := &management.Runner{
		Prog:   "mysite",
		Stdout: &out,
		Stderr: &out,
		Commands: []*management.Command{{
			Name: "hello",
			Run: func(c *management.Context) error {
				fmt.Fprintln(c.Stdout, "Hello from", c.Prog)
				return nil
			},
		}},
	}
	code := r.Run(context.Background(), []string{"hello"})
	fmt.Print(out.String(), code)
	// Output:
	// Hello from mysite
	// 0
}
