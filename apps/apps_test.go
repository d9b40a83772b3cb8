package apps_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/management"
)

func catalog(cfgs ...*apps.Config) *apps.Catalog {
	c := &apps.Catalog{}
	for _, cfg := range cfgs {
		c.Register(cfg)
	}
	return c
}

func TestInstallOrderAndReady(t *testing.T) {
	var order []string
	ready := func(label string) func(*apps.Registry) error {
		return func(r *apps.Registry) error {
			// every installed app is known before any ready hook runs
			if !r.IsInstalled("polls") || !r.IsInstalled("blog") || !r.IsInstalled("shop") {
				t.Errorf("%s.Ready ran before every app was known", label)
			}
			order = append(order, label)
			return nil
		}
	}
	c := catalog(
		&apps.Config{Label: "shop", Ready: ready("shop")},
		&apps.Config{Label: "polls", Ready: ready("polls")},
		&apps.Config{Label: "blog", Ready: ready("blog")},
		&apps.Config{Label: "unused", Ready: ready("unused")},
	)
	reg, err := c.Install([]string{"polls", "blog", "shop"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, ","); got != "polls,blog,shop" {
		t.Errorf("ready order %s, want INSTALLED_APPS order", got)
	}
	var labels []string
	for _, a := range reg.Apps() {
		labels = append(labels, a.Label)
	}
	if strings.Join(labels, ",") != "polls,blog,shop" || !reg.Ready() || reg.IsInstalled("unused") {
		t.Errorf("installed %v ready=%v", labels, reg.Ready())
	}
	if reg.Apps()[0].Name != "github.com/canter-go/canter/apps_test" {
		t.Errorf("Name defaults to the registering package, got %q", reg.Apps()[0].Name)
	}
}

func TestInstallProblems(t *testing.T) {
	c := catalog(
		&apps.Config{Label: "polls", Name: "example.com/a/polls"},
		&apps.Config{Label: "polls", Name: "example.com/b/polls"},
		&apps.Config{Label: "blog"},
		&apps.Config{Label: "bad-label"},
	)
	_, err := c.Install([]string{"blog", "blog", "polls", "shop", "blgo"})
	var e *apps.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v", err)
	}
	text := err.Error()
	for _, want := range []string{
		"The app label 'bad-label' (app github.com/canter-go/canter/apps_test) is not a valid identifier.",
		"Application labels aren't unique, duplicates: blog, polls (example.com/a/polls, example.com/b/polls)",
		`INSTALLED_APPS lists "shop", but no app with that label is compiled into this program. Import the package that registers it in the project's main package: import _ "`,
		`/shop"`,
		`(or did you mean "blog"?)`,
		`import _ "github.com/canter-go/canter/sessions"`,
	} {
		if want == `import _ "github.com/canter-go/canter/sessions"` {
			_, err := catalog().Install([]string{"sessions"})
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("built-in app hint: %v", err)
			}
			continue
		}
		if !strings.Contains(text, want) {
			t.Errorf("error lacks %q:\n%s", want, text)
		}
	}
	if len(e.Problems) != 4 {
		t.Errorf("want 4 problems reported at once, got %d:\n%s", len(e.Problems), text)
	}
}

func TestReadyFailure(t *testing.T) {
	c := catalog(&apps.Config{Label: "a", Ready: func(*apps.Registry) error { return errors.New("no database") }})
	if _, err := c.Install([]string{"a"}); err == nil || !strings.Contains(err.Error(), `the ready hook of "a" failed: no database`) {
		t.Errorf("error %v", err)
	}
}

type statefulApp struct {
	*apps.Config
	opened bool
}

// TestCommands checks that the first app listed wins a command name and that commands are
// grouped under their app's label, without writing to the apps' own Command values: those are
// shared by every site built in the process (tests build many, in parallel).
func TestCommands(t *testing.T) {
	closePoll := &management.Command{Name: "closepoll"}
	shared := &management.Command{Name: "export"}
	c := catalog(
		&apps.Config{Label: "polls", Commands: []*management.Command{closePoll, shared}},
		&apps.Config{Label: "blog", Commands: []*management.Command{{Name: "export"}, {Name: "publish", Group: "writing"}}},
	)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reg, err := c.Install([]string{"blog", "polls"})
			if err != nil {
				t.Error(err)
				return
			}
			var got []string
			for _, cmd := range reg.Commands() {
				got = append(got, cmd.Group+":"+cmd.Name)
			}
			if want := "blog:export writing:publish polls:closepoll"; strings.Join(got, " ") != want {
				t.Errorf("Commands() = %v, want %s", got, want)
			}
		}()
	}
	wg.Wait()
	if closePoll.Group != "" || shared.Group != "" {
		t.Errorf("the apps' commands were changed: groups %q and %q", closePoll.Group, shared.Group)
	}
}

func TestEmbeddedConfig(t *testing.T) {
	a := &statefulApp{Config: &apps.Config{Label: "stateful"}}
	a.Ready = func(*apps.Registry) error { a.opened = true; return nil }
	c := &apps.Catalog{}
	c.Register(a)
	reg, err := c.Install([]string{"stateful"})
	if err != nil || !a.opened || reg.App("stateful") != apps.App(a) {
		t.Errorf("err=%v opened=%v", err, a.opened)
	}
}

func ExampleCatalog_Install() {
	c := &apps.Catalog{}
	c.Register(&apps.Config{Label: "polls"})
	c.Register(&apps.Config{Label: "blog"})
	reg, err := c.Install([]string{"blog", "polls"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range reg.Apps() {
		fmt.Println(a.Label)
	}
	_, err = c.Install([]string{"polls", "polls"})
	fmt.Println(err)
	// Output:
	// blog
	// polls
	// apps: Application labels aren't unique, duplicates: polls. List each app once in INSTALLED_APPS; two apps with one label need different labels.
}

func TestVerboseName(t *testing.T) {
	c := catalog(&apps.Config{Label: "blog_posts"}, &apps.Config{Label: "polls", VerboseName: "Opinion polls"})
	reg, err := c.Install([]string{"blog_posts", "polls"})
	if err != nil {
		t.Fatal(err)
	}
	if got := reg.Apps()[0].DisplayName(); got != "Blog_Posts" {
		t.Errorf("VerboseName = %q, want Django's label.title()", got)
	}
	if got := reg.Apps()[1].DisplayName(); got != "Opinion polls" {
		t.Errorf("a given VerboseName changed to %q", got)
	}
}
