// Package pages is the example site's app for its static pages.
package pages

import (
	"embed"
	"html/template"
	"io/fs"
	"strings"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

//go:embed templates
var templateFiles embed.FS

var pages = template.Must(template.ParseFS(templateFiles, "templates/pages/*.html"))

// URLs are the app's routes, included at the root under the namespace "pages".
var URLs = []urls.Entry{
	urls.Path("", home, urls.Name("home")),
	urls.Path("about/", about, urls.Name("about")),
}

// App registers the app; INSTALLED_APPS enables it.
var App = &apps.Config{Label: "pages", URLs: URLs, Templates: mustSub(templateFiles, "templates")}

func init() { apps.Register(App) }

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

func render(name string, data any) (*web.Response, error) {
	var b strings.Builder
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		return nil, err
	}
	return web.HTML(b.String()), nil
}

func home(r *web.Request) (*web.Response, error) {
	polls, err := r.Reverse("polls:index")
	if err != nil {
		return nil, err
	}
	return render("home.html", map[string]string{"Polls": polls})
}

func about(r *web.Request) (*web.Response, error) { return render("about.html", nil) }
