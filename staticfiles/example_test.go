package staticfiles_test

import (
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/handler"
	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/staticfiles"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// pollsStatic stands for an app's embedded static files (//go:embed static, then fs.Sub).
var pollsStatic = fstest.MapFS{
	"polls/style.css":            {Data: []byte("li a { color: green; }\nbody { background: url(images/bg.gif); }\n")},
	"polls/images/bg.gif":        {Data: []byte("GIF89a")},
	"polls/js/app.js":            {Data: []byte("console.log('polls');\n")},
	"polls/vendor/chart.min.css": {Data: []byte("")},
}

func ExampleNew() {
	files, err := staticfiles.New(staticfiles.Config{
		URL:  "/static/",
		Root: "/srv/mysite/static",
		Dirs: []staticfiles.Dir{{Path: "assets"}, {Prefix: "downloads", Path: "/opt/webfiles"}},
		Apps: []staticfiles.AppFiles{{Label: "polls", FS: pollsStatic}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fsys, name, err := files.Find("polls/style.css")
	if err != nil {
		log.Fatal(err)
	}
	css, _ := fs.ReadFile(fsys, name)
	fmt.Printf("%s", css)
	// Output:
	// li a { color: green; }
	// body { background: url(images/bg.gif); }
}

func ExampleFromSettings() {
	s := settings.Defaults()
	s.StaticRoot = "/srv/mysite/static"
	s.StaticfilesDirs = []string{"assets", "downloads=/opt/webfiles"}
	cfg := staticfiles.FromSettings(s, nil) // with an *apps.Registry, the apps' Static files too
	fmt.Println(cfg.URL, cfg.Root)
	for _, d := range cfg.Dirs {
		fmt.Printf("%q under %q\n", d.Path, d.Prefix)
	}
	// Output:
	// /static/ /srv/mysite/static
	// "assets" under ""
	// "/opt/webfiles" under "downloads"
}

func ExampleParseDir() {
	for _, s := range []string{"assets", "downloads=/opt/webfiles/stats"} {
		d := staticfiles.ParseDir(s)
		fmt.Printf("prefix %q, path %q\n", d.Prefix, d.Path)
	}
	// Output:
	// prefix "", path "assets"
	// prefix "downloads", path "/opt/webfiles/stats"
}

func ExampleFiles_FindAll() {
	files, _ := staticfiles.New(staticfiles.Config{Apps: []staticfiles.AppFiles{
		{Label: "theme", FS: fstest.MapFS{"polls/style.css": {Data: []byte("/* the theme's */")}}},
		{Label: "polls", FS: pollsStatic},
	}})
	locs, _ := files.FindAll("polls/style.css")
	for _, l := range locs {
		fmt.Println(l) // the first one wins
	}
	// Output:
	// app theme: polls/style.css
	// app polls: polls/style.css
}

func ExampleFiles_List() {
	files, _ := staticfiles.New(staticfiles.Config{Apps: []staticfiles.AppFiles{{Label: "polls", FS: pollsStatic}}})
	all, _ := files.List()
	for _, l := range all {
		fmt.Println(l.Name)
	}
	// Output:
	// polls/images/bg.gif
	// polls/js/app.js
	// polls/style.css
	// polls/vendor/chart.min.css
}

func ExampleFiles_Collect() {
	root, _ := os.MkdirTemp("", "static")
	defer os.RemoveAll(root)
	files, _ := staticfiles.New(staticfiles.Config{Root: root, Apps: []staticfiles.AppFiles{{Label: "polls", FS: pollsStatic}}})
	res, err := files.Collect(staticfiles.CollectOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Manifest.Paths["polls/images/bg.gif"])
	hashed := res.Manifest.Paths["polls/style.css"]
	fmt.Println(hashed)
	css, _ := os.ReadFile(filepath.Join(root, hashed))
	fmt.Printf("%s", css)
	// Output:
	// polls/images/bg.1ac2109d47db.gif
	// polls/style.dde7462db216.css
	// li a { color: green; }
	// body { background: url("images/bg.1ac2109d47db.gif"); }
}

func ExampleFiles_URL() {
	dev, _ := staticfiles.New(staticfiles.Config{Debug: true})
	u, _ := dev.URL("polls/style.css")
	fmt.Println(u)

	// In production the manifest names the file; here it is compiled in.
	collected := fstest.MapFS{staticfiles.ManifestName: {Data: []byte(
		`{"paths": {"polls/style.css": "polls/style.dde7462db216.css"}, "version": "1.1", "hash": "5d1f2f2b8e3a"}`)}}
	prod, _ := staticfiles.New(staticfiles.Config{Collected: collected})
	u, _ = prod.URL("polls/style.css")
	fmt.Println(u)
	_, err := prod.URL("polls/typo.css")
	fmt.Println(err)
	// Output:
	// /static/polls/style.css
	// /static/polls/style.dde7462db216.css
	// staticfiles: Missing staticfiles manifest entry for 'polls/typo.css': no static file of that name was collected; check the name, or add the file to an app's static files or STATICFILES_DIRS and run collectstatic again
}

func ExampleURL() {
	files, _ := staticfiles.New(staticfiles.Config{Debug: true})
	staticfiles.SetDefault(files) // the project runtime does this when it builds the site
	defer staticfiles.SetDefault(nil)
	u, _ := staticfiles.URL("css/site.css")
	fmt.Println(u)
	// Output: /static/css/site.css
}

func ExampleFiles_Handler() {
	files, _ := staticfiles.New(staticfiles.Config{Debug: true, Apps: []staticfiles.AppFiles{{Label: "polls", FS: pollsStatic}}})
	mux := http.NewServeMux()
	mux.Handle("/static/", files.Handler())

	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/static/polls/js/app.js", nil))
	fmt.Println(w.Code, w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"))
	fmt.Print(w.Body)
	// Output:
	// 200 text/javascript; charset=utf-8 no-cache
	// console.log('polls');
}

func ExampleFiles_Wrap() {
	// A production site shipping its collected files in the binary (//go:embed all:static).
	collected := fstest.MapFS{
		staticfiles.ManifestName: {Data: []byte(`{"paths": {"app.js": "app.0f3e8a9b1c2d.js"}, "version": "1.1", "hash": "x"}`)},
		"app.0f3e8a9b1c2d.js":    {Data: []byte("app()")},
	}
	files, _ := staticfiles.New(staticfiles.Config{Collected: collected})
	site := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "the site") })
	h := files.Wrap(site)

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/static/app.0f3e8a9b1c2d.js", nil))
	fmt.Println(w.Body, "|", w.Header().Get("Cache-Control"))
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/about/", nil))
	fmt.Println(w.Body)
	// Output:
	// app() | public, max-age=31536000, immutable
	// the site
}

func ExampleFiles_Middleware() {
	files, _ := staticfiles.New(staticfiles.Config{Debug: true, Apps: []staticfiles.AppFiles{{Label: "polls", FS: pollsStatic}}})
	router, _ := urls.New(urls.Path("", func(*web.Request) (*web.Response, error) { return web.Text("home"), nil }))
	site := handler.New(handler.Config{
		Site:       web.Site{Resolver: router, Debug: true},
		Middleware: []web.Middleware{files.Middleware()}, // right after "security" in MIDDLEWARE
	})
	for _, p := range []string{"/static/polls/js/app.js", "/"} {
		w := httptest.NewRecorder()
		site.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		fmt.Printf("%s: %d %s", p, w.Code, w.Body)
		fmt.Println()
	}
	// Output:
	// /static/polls/js/app.js: 200 console.log('polls');
	//
	// /: 200 home
}

func ExampleHashedName() {
	fmt.Println(staticfiles.HashedName("css/site.css", "3f2a1b9c0d4e"))
	fmt.Println(staticfiles.HashedName("dist/archive.tar.gz", "3f2a1b9c0d4e"))
	fmt.Println(staticfiles.HashedName(".htaccess", "3f2a1b9c0d4e"))
	// Output:
	// css/site.3f2a1b9c0d4e.css
	// dist/archive.tar.3f2a1b9c0d4e.gz
	// .htaccess.3f2a1b9c0d4e
}

func ExampleNewManifest() {
	m := staticfiles.NewManifest(map[string]string{"css/site.css": "css/site.3f2a1b9c0d4e.css"})
	data, _ := m.MarshalJSON()
	fmt.Println(string(data))
	// Output: {"paths": {"css/site.css": "css/site.3f2a1b9c0d4e.css"}, "version": "1.1", "hash": "e5d11e6955fe"}
}

func ExampleParseManifest() {
	m, err := staticfiles.ParseManifest([]byte(`{"paths": {"css/site.css": "css/site.3f2a1b9c0d4e.css"}, "version": "1.0"}`))
	if err != nil {
		log.Fatal(err)
	}
	hashed, _ := m.Lookup("css/site.css")
	fmt.Println(hashed, m.IsHashed(hashed))
	// Output: css/site.3f2a1b9c0d4e.css true
}

func ExampleSite() {
	// The project runtime's site gives the commands its static files.
	var _ staticfiles.Site = mySite{}
	_ = apps.Site{} // an *apps.Site works as a Context.Site too
	fmt.Println("ok")
	// Output: ok
}

type mySite struct{ files *staticfiles.Files }

func (s mySite) StaticFiles() (*staticfiles.Files, error) { return s.files, nil }
