package templates_test

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing/fstest"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/web"
)

func init() { templates.Register("upper", newUpperEngine) }

// newUpperEngine is a Backend.
func newUpperEngine(loader *templates.Loader, cfg templates.Config, env *templates.Env) (templates.Engine, error) {
	return upperEngine{loader}, nil
}

// A backend of your own: it registers under a name that TEMPLATES entries can use, and parses
// through the loader, which finds the files in Django's order and caches the result.
func ExampleRegister() {
	engines, _ := templates.New(templates.Env{Apps: []*apps.Config{{Label: "site", Templates: fstest.MapFS{
		"shout.txt": {Data: []byte("hello")},
	}}}}, templates.Config{Backend: "upper", AppDirs: true})
	engines.Render(os.Stdout, nil, "shout.txt", nil)
	fmt.Println()
	// Output:
	// HELLO
}

type upperEngine struct{ loader *templates.Loader }

func (e upperEngine) Lookup(name string) (templates.Template, error) {
	v, err := e.loader.Load(name, func(name string, read func(string) (*templates.File, error)) (any, error) {
		f, err := read(name)
		if err != nil {
			return nil, err
		}
		return upperTemplate(strings.ToUpper(f.Text)), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(upperTemplate), nil
}

type upperTemplate string

func (t upperTemplate) Render(w io.Writer, r *web.Request, data any) error {
	_, err := io.WriteString(w, string(t))
	return err
}
