// Package pages is the example site's app for its plain pages and its stylesheet; its
// templates are Go html/template.
package pages

import (
	"embed"
	"io/fs"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

//go:embed templates static
var files embed.FS

// URLs are the app's routes, included at the root under the namespace "pages".
var URLs = []urls.Entry{
	urls.Path("", home, urls.Name("home")),
	urls.Path("about/", about, urls.Name("about")),
}

// App registers the app; INSTALLED_APPS enables it.
var App = &apps.Config{Label: "pages", URLs: URLs, Templates: sub("templates"), Static: sub("static")}

func init() { apps.Register(App) }

func sub(dir string) fs.FS {
	s, err := fs.Sub(files, dir)
	if err != nil {
		panic(err)
	}
	return s
}

func home(r *web.Request) (*web.Response, error) {
	return templates.Render(r, "pages/home.html", nil)
}

func about(r *web.Request) (*web.Response, error) {
	return templates.Render(r, "pages/about.html", nil)
}
