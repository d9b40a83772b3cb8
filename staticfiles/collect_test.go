package staticfiles_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/canter-go/canter/staticfiles"
)

// The tree collected by the tests below, and the rewritten CSS written out by hand.
const (
	logoPNG  = "\x89PNG fake image bytes"
	fontWOFF = "wOFF fake font"
	iconSVG  = `<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>` + "\n"
	// base.css references an image relatively, climbing out of css/.
	baseCSS = "body { background: url('../img/logo.png'); }\n"
	// fonts.css uses the @font-face "?#iefix" hack and a query string.
	fontsCSS = "@font-face { src: url(\"../fonts/f.woff?#iefix\") format(\"embedded-opentype\"), url(../fonts/f.woff?v=2); }\n"
	// site.css imports base.css (whose own hash depends on the logo's), uses absolute
	// STATIC_URL paths, fragments, data: and http URLs, a commented-out missing file and a
	// quoted string that looks like a url().
	siteCSS = `@import "base.css";
@import url(fonts.css);
.a { background: url(data:image/png;base64,iVBORw0KGgo=); }
.b { background: url(/static/img/logo.png#frag); }
.c { background: url(http://example.com/x.png), url(//cdn.example.com/y.png), url(/elsewhere/z.png); }
.d { filter: url(#svg-filter); }
/* .gone { background: url(missing.png); } */
.e::after { content: "url(not-a-file.png)"; }
.f { mask: URL( '../img/icon.svg' ); }
/*# sourceMappingURL=site.css.map */
`
	siteMap = `{"version":3,"sources":["site.scss"],"mappings":""}`
	appJS   = "console.log('hi');\n//# sourceMappingURL=app.js.map\n"
	appMap  = `{"version":3,"file":"app.js","mappings":""}`
	inline  = "var x = 1;\n//# sourceMappingURL=data:application/json;base64,e30=\n"
)

type collected struct {
	root  string
	files *staticfiles.Files
	res   *staticfiles.CollectResult
	want  map[string]string // expected manifest paths
}

// collectTree collects the tree above from a project directory and an app, and works out by
// hand what the manifest must say.
func collectTree(t *testing.T) collected {
	t.Helper()
	dir := t.TempDir()
	assets := filepath.Join(dir, "assets")
	root := filepath.Join(dir, "public")
	writeTree(t, assets, map[string]string{
		"css/base.css":     baseCSS,
		"css/fonts.css":    fontsCSS,
		"css/site.css":     siteCSS,
		"css/site.css.map": siteMap,
		"img/logo.png":     logoPNG,
		"fonts/f.woff":     fontWOFF,
		"js/app.js":        appJS,
		"js/app.js.map":    appMap,
		"js/inline.js":     inline,
	})
	f, err := staticfiles.New(staticfiles.Config{
		Root: root,
		Dirs: []staticfiles.Dir{{Path: assets}},
		Apps: []staticfiles.AppFiles{{Label: "polls", FS: fstest.MapFS{"img/icon.svg": {Data: []byte(iconSVG)}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Collect(staticfiles.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}

	logo := "img/logo." + md5hex12(logoPNG) + ".png"
	font := "fonts/f." + md5hex12(fontWOFF) + ".woff"
	icon := "img/icon." + md5hex12(iconSVG) + ".svg"
	smap := "css/site.css." + md5hex12(siteMap) + ".map"
	jmap := "js/app.js." + md5hex12(appMap) + ".map"
	base := "body { background: url(\"../" + logo + "\"); }\n"
	fonts := "@font-face { src: url(\"../" + font + "?#iefix\") format(\"embedded-opentype\"), url(\"../" + font + "?v=2\"); }\n"
	baseName := "css/base." + md5hex12(base) + ".css"
	fontsName := "css/fonts." + md5hex12(fonts) + ".css"
	site := `@import url("` + strings.TrimPrefix(baseName, "css/") + `");
@import url("` + strings.TrimPrefix(fontsName, "css/") + `");
.a { background: url(data:image/png;base64,iVBORw0KGgo=); }
.b { background: url("/static/` + logo + `#frag"); }
.c { background: url(http://example.com/x.png), url(//cdn.example.com/y.png), url(/elsewhere/z.png); }
.d { filter: url(#svg-filter); }
/* .gone { background: url(missing.png); } */
.e::after { content: "url(not-a-file.png)"; }
.f { mask: url("../` + icon + `"); }
/*# sourceMappingURL=` + strings.TrimPrefix(smap, "css/") + ` */
`
	app := "console.log('hi');\n//# sourceMappingURL=" + strings.TrimPrefix(jmap, "js/") + "\n"
	want := map[string]string{
		"css/base.css":     baseName,
		"css/fonts.css":    fontsName,
		"css/site.css":     "css/site." + md5hex12(site) + ".css",
		"css/site.css.map": smap,
		"img/logo.png":     logo,
		"img/icon.svg":     icon,
		"fonts/f.woff":     font,
		"js/app.js":        "js/app." + md5hex12(app) + ".js",
		"js/app.js.map":    jmap,
		"js/inline.js":     "js/inline." + md5hex12(inline) + ".js",
	}
	// The rewritten files are what the hashed names hold.
	for name, content := range map[string]string{baseName: base, fontsName: fonts, want["css/site.css"]: site, want["js/app.js"]: app} {
		if got := readFile(t, filepath.Join(root, name)); got != content {
			t.Errorf("%s holds\n%s\nwant\n%s", name, got, content)
		}
	}
	return collected{root: root, files: f, res: res, want: want}
}

func TestCollectHashesAndRewrites(t *testing.T) {
	c := collectTree(t)
	if !reflect.DeepEqual(c.res.Manifest.Paths, c.want) {
		t.Errorf("manifest paths\n%v\nwant\n%v", c.res.Manifest.Paths, c.want)
	}
	// Originals are copied unchanged, next to their hashed copies.
	for name, content := range map[string]string{"css/site.css": siteCSS, "img/logo.png": logoPNG, "img/icon.svg": iconSVG} {
		if got := readFile(t, filepath.Join(c.root, name)); got != content {
			t.Errorf("%s = %q, want the original", name, got)
		}
	}
	if got := readFile(t, filepath.Join(c.root, c.want["img/logo.png"])); got != logoPNG {
		t.Errorf("hashed logo = %q", got)
	}
	if len(c.res.Copied) != 10 || len(c.res.Unmodified) != 0 || len(c.res.PostProcessed) != 10 {
		t.Errorf("copied %d, unmodified %d, post-processed %d; want 10, 0, 10", len(c.res.Copied), len(c.res.Unmodified), len(c.res.PostProcessed))
	}
	if want := "10 static files copied to '" + c.root + "', 10 post-processed."; c.res.Summary() != want {
		t.Errorf("Summary = %q, want %q", c.res.Summary(), want)
	}
}

func TestCollectManifestFile(t *testing.T) {
	c := collectTree(t)
	data := readFile(t, filepath.Join(c.root, "staticfiles.json"))
	var m struct {
		Paths   map[string]string `json:"paths"`
		Version string            `json:"version"`
		Hash    string            `json:"hash"`
	}
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatalf("manifest is not JSON: %v\n%s", err, data)
	}
	if !reflect.DeepEqual(m.Paths, c.want) || m.Version != "1.1" {
		t.Errorf("manifest = %+v", m)
	}
	// Django's manifest hash: md5(json.dumps(sorted(paths.items())))[:12], with Python's
	// ", " separators.
	keys := make([]string, 0, len(c.want))
	for k := range c.want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var items []string
	for _, k := range keys {
		items = append(items, `["`+k+`", "`+c.want[k]+`"]`)
	}
	if want := md5hex12("[" + strings.Join(items, ", ") + "]"); m.Hash != want {
		t.Errorf("manifest hash = %q, want %q", m.Hash, want)
	}
	// Django's json.dumps layout, key order paths, version, hash.
	if !strings.HasPrefix(data, `{"paths": {"css/base.css": "`+c.want["css/base.css"]+`", "css/fonts.css": `) ||
		!strings.HasSuffix(data, `}, "version": "1.1", "hash": "`+m.Hash+`"}`) {
		t.Errorf("manifest layout is not json.dumps': %s", data)
	}
}

func TestCollectCompressed(t *testing.T) {
	c := collectTree(t)
	// Text files get a .gz copy when it is smaller; the image and the font do not.
	long := filepath.Join(c.root, c.want["css/site.css"]+".gz")
	gz, err := os.ReadFile(long)
	if err != nil {
		t.Fatalf("no gzip copy of the hashed site.css: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != readFile(t, filepath.Join(c.root, c.want["css/site.css"])) {
		t.Error("site.css.gz does not hold the hashed site.css")
	}
	if _, err := os.Stat(filepath.Join(c.root, "css/site.css.gz")); err != nil {
		t.Errorf("no gzip copy of site.css under its own name: %v", err)
	}
	for _, name := range []string{"img/logo.png.gz", c.want["img/logo.png"] + ".gz", "fonts/f.woff.gz", "js/inline.js.gz"} {
		if _, err := os.Stat(filepath.Join(c.root, name)); err == nil {
			t.Errorf("%s exists: binary files and files gzip does not shrink get no .gz", name)
		}
	}
}

func TestCollectAgainIsUnmodified(t *testing.T) {
	c := collectTree(t)
	res, err := c.files.Collect(staticfiles.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The originals are unchanged; CSS and JavaScript files count as post-processed again, as
	// in Django, the other hashed copies are already there.
	if len(res.Copied) != 0 || len(res.Unmodified) != 10 || len(res.PostProcessed) != 5 {
		t.Errorf("second run: copied %v, unmodified %d, post-processed %v", res.Copied, len(res.Unmodified), res.PostProcessed)
	}
	if want := "0 static files copied to '" + c.root + "', 10 unmodified, 5 post-processed."; res.Summary() != want {
		t.Errorf("Summary = %q, want %q", res.Summary(), want)
	}
}

func TestCollectNestedDependencyOrder(t *testing.T) {
	// a.css imports b.css, which imports c.css, which references an image; the chain is
	// listed against the alphabet so that a single pass in name order would be wrong.
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	writeTree(t, src, map[string]string{
		"a.css":       `@import "deep/b.css";`,
		"deep/b.css":  `@import '../z/c.css';`,
		"z/c.css":     `.x{background:url(p.gif)}`,
		"z/p.gif":     "GIF89a",
		"0-first.css": `@import url("a.css");`,
	})
	f, err := staticfiles.New(staticfiles.Config{Root: filepath.Join(dir, "out"), Dirs: []staticfiles.Dir{{Path: src}}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Collect(staticfiles.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := "p." + md5hex12("GIF89a") + ".gif"
	c := `.x{background:url("` + p + `")}`
	cName := "c." + md5hex12(c) + ".css"
	b := `@import url("../z/` + cName + `");`
	bName := "b." + md5hex12(b) + ".css"
	a := `@import url("deep/` + bName + `");`
	aName := "a." + md5hex12(a) + ".css"
	first := `@import url("` + aName + `");`
	want := map[string]string{
		"z/p.gif":     "z/" + p,
		"z/c.css":     "z/" + cName,
		"deep/b.css":  "deep/" + bName,
		"a.css":       aName,
		"0-first.css": "0-first." + md5hex12(first) + ".css",
	}
	if !reflect.DeepEqual(res.Manifest.Paths, want) {
		t.Errorf("paths\n%v\nwant\n%v", res.Manifest.Paths, want)
	}
}

func TestCollectErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"missing image", map[string]string{"css/site.css": ".a{}\n.b{background:url(img/nope.png)}"},
			[]string{"css/site.css, line 2", `url("img/nope.png")`, "'css/img/nope.png'", "could not be found"}},
		{"missing import", map[string]string{"site.css": `@import "nope.css";`},
			[]string{"site.css, line 1", `@import "nope.css"`, "'nope.css'"}},
		{"missing source map", map[string]string{"js/app.js": "x\n//# sourceMappingURL=app.js.map"},
			[]string{"js/app.js, line 2", "sourceMappingURL=app.js.map", "'js/app.js.map'"}},
		{"climbing out", map[string]string{"css/site.css": `.a{background:url(../../x.png)}`},
			[]string{"'../x.png'", "climbs out of the static files"}},
		{"every problem at once", map[string]string{"a.css": `.a{background:url(x.png)}`, "b.css": `.b{background:url(y.png)}`},
			[]string{"2 problems", "'x.png'", "'y.png'"}},
		{"a cycle", map[string]string{"a.css": `@import "b.css";`, "b.css": `@import "a.css";`},
			[]string{"a.css → b.css → a.css", "circle"}},
		{"a file importing itself", map[string]string{"a.css": `@import "a.css";`},
			[]string{"a.css → a.css"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, filepath.Join(dir, "src"), tt.files)
			root := filepath.Join(dir, "out")
			f, err := staticfiles.New(staticfiles.Config{Root: root, Dirs: []staticfiles.Dir{{Path: filepath.Join(dir, "src")}}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.Collect(staticfiles.CollectOptions{})
			var ce *staticfiles.CollectError
			if !errors.As(err, &ce) {
				t.Fatalf("Collect = %v, want a *CollectError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %s", err, w)
				}
			}
			if _, err := os.Stat(root); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("STATIC_ROOT was written despite the error (%v)", err)
			}
		})
	}
}

func TestCollectDryRunAndClear(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	root := filepath.Join(dir, "out")
	writeTree(t, src, map[string]string{"a.css": ".a{}"})
	writeTree(t, root, map[string]string{"old/stale.css": "stale", "keep.txt": "from before"})
	f, err := staticfiles.New(staticfiles.Config{Root: root, Dirs: []staticfiles.Dir{{Path: src}}})
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	opts := staticfiles.CollectOptions{DryRun: true, Clear: true, Log: func(level int, msg string) { log = append(log, msg) }}
	res, err := f.Collect(opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Manifest == nil || res.Manifest.Paths["a.css"] != "a."+md5hex12(".a{}")+".css" {
		t.Errorf("dry run manifest = %+v", res.Manifest)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 {
		t.Errorf("dry run changed STATIC_ROOT: %v", entries)
	}
	joined := strings.Join(log, "\n")
	for _, w := range []string{"Pretending to delete 'keep.txt'", "Pretending to delete 'old/stale.css'", "Pretending to copy '" + filepath.Join(src, "a.css") + "'"} {
		if !strings.Contains(joined, w) {
			t.Errorf("dry-run log lacks %q:\n%s", w, joined)
		}
	}

	log = nil
	opts.DryRun = false
	if _, err := f.Collect(opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "old")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--clear left old/: %v", err)
	}
	if got := readFile(t, filepath.Join(root, "a.css")); got != ".a{}" {
		t.Errorf("a.css = %q", got)
	}
	if !strings.Contains(strings.Join(log, "\n"), "Deleting 'keep.txt'") {
		t.Errorf("--clear log: %v", log)
	}
}

func TestCollectNoPostProcess(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, filepath.Join(dir, "src"), map[string]string{"a.css": ".a{background:url(missing.png)}"})
	root := filepath.Join(dir, "out")
	f, _ := staticfiles.New(staticfiles.Config{Root: root, Dirs: []staticfiles.Dir{{Path: filepath.Join(dir, "src")}}})
	res, err := f.Collect(staticfiles.CollectOptions{NoPostProcess: true})
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(root)
	if res.Manifest != nil || len(entries) != 1 || entries[0].Name() != "a.css" {
		t.Errorf("--no-post-process wrote %v (manifest %v)", entries, res.Manifest)
	}
}

func TestCollectRefusesOverlap(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ root, src string }{
		{dir, dir},
		{filepath.Join(dir, "assets", "out"), filepath.Join(dir, "assets")},
		{dir, filepath.Join(dir, "assets")},
	} {
		f, _ := staticfiles.New(staticfiles.Config{Root: tt.root, Dirs: []staticfiles.Dir{{Path: tt.src}}})
		if _, err := f.Collect(staticfiles.CollectOptions{}); err == nil || !strings.Contains(err.Error(), "should not contain the STATIC_ROOT") {
			t.Errorf("root %s, source %s: %v", tt.root, tt.src, err)
		}
	}
	f, _ := staticfiles.New(staticfiles.Config{})
	if _, err := f.Collect(staticfiles.CollectOptions{}); !errors.Is(err, staticfiles.ErrNoRoot) || !strings.Contains(err.Error(), "set STATIC_ROOT") {
		t.Errorf("without STATIC_ROOT: %v", err)
	}
}

func TestCollectShadowed(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, filepath.Join(dir, "src"), map[string]string{"admin/base.css": "mine"})
	f, _ := staticfiles.New(staticfiles.Config{
		Root: filepath.Join(dir, "out"),
		Dirs: []staticfiles.Dir{{Path: filepath.Join(dir, "src")}},
		Apps: []staticfiles.AppFiles{{Label: "admin", FS: fstest.MapFS{"admin/base.css": {Data: []byte("theirs")}}}},
	})
	var log []string
	res, err := f.Collect(staticfiles.CollectOptions{Log: func(level int, msg string) {
		if level <= 1 {
			log = append(log, msg)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, "out", "admin/base.css")); got != "mine" {
		t.Errorf("collected %q, want the project's file", got)
	}
	if len(res.Shadowed) != 1 || res.Shadowed[0].Source != "app admin" ||
		len(log) != 1 || !strings.HasPrefix(log[0], "Found another file with the destination path 'admin/base.css'. It will be ignored") {
		t.Errorf("shadowed %v, log %q", res.Shadowed, log)
	}
}
