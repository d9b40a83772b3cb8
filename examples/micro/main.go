// Command micro is the smallest Canter site: a Flask-style app in one file.
//
//	go run ./examples/micro            # serves http://127.0.0.1:8000/
//	CANTER_ADDR=127.0.0.1:9000 go run ./examples/micro
package main

import (
	"fmt"
	"log"
	"strings"

	"github.com/canter-go/canter"
	"github.com/canter-go/canter/web"
)

// NewApp builds the site; main serves it and the tests drive it in memory.
func NewApp() *canter.App {
	app := canter.New()

	app.Get("/", index)
	app.Get("/hello/<name>", hello)
	app.Get("/items/<int:id>/", item)
	app.Post("/items/", createItem)
	app.Get("/panic", boom)

	// A blueprint: routes under /api, reversed as "api:…", with a hook of its own.
	api := canter.NewBlueprint("api")
	api.Get("/status", status)
	api.AfterRequest(func(r *web.Request, resp *web.Response) (*web.Response, error) {
		resp.Header().Set("Cache-Control", "no-store")
		return resp, nil
	})
	app.Register(api, "/api")

	app.ErrorHandler(404, func(r *web.Request, err error) (*web.Response, error) {
		return web.HTML("<h1>Nothing here</h1><p>Try <a href=\"/\">the home page</a>.</p>").WithStatus(404), nil
	})
	return app
}

func index(r *web.Request) (*web.Response, error) {
	item, _ := r.Reverse("item", 42)
	greet, _ := r.Reverse("hello", "canter")
	links := []string{
		link(greet), link(item), link("/api/status"), link("/nowhere"), link("/panic"),
	}
	return web.HTML("<h1>Canter micro</h1><ul>" + strings.Join(links, "") + "</ul>"), nil
}

func link(href string) string { return `<li><a href="` + href + `">` + href + `</a></li>` }

func hello(r *web.Request) (*web.Response, error) {
	return web.Text("Hello, " + r.Param("name") + "!"), nil
}

func item(r *web.Request) (*web.Response, error) {
	id, err := r.Params().Int("id")
	if err != nil {
		return nil, err
	}
	if id > 1000 {
		return nil, web.NotFound("no item %d", id)
	}
	return web.JSON(map[string]any{"id": id, "name": fmt.Sprintf("item %d", id)})
}

func createItem(r *web.Request) (*web.Response, error) {
	form, err := r.Form()
	if err != nil {
		return nil, err
	}
	name := form.Get("name")
	if name == "" {
		return nil, web.BadRequest("the form needs a name")
	}
	return web.Text("created " + name).WithStatus(201), nil
}

func boom(r *web.Request) (*web.Response, error) {
	panic("a deliberate panic, to show that the server keeps serving")
}

func status(r *web.Request) (*web.Response, error) {
	return web.JSON(map[string]string{"status": "ok"})
}

func main() {
	if err := NewApp().Run(); err != nil {
		log.Fatal(err)
	}
}
