package staticfiles_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/canter-go/canter/staticfiles"
)

// djangoScript runs Django's own collectstatic with ManifestStaticFilesStorage over the same
// source tree, and re-encodes our manifest with Python's json module, so that the test compares
// against Django and Python rather than against expectations of our own making.
const djangoScript = `
import hashlib, json, sys
import django
from django.conf import settings

cfg = json.loads(sys.argv[1])
settings.configure(
    DEBUG=False,
    INSTALLED_APPS=["django.contrib.staticfiles"],
    STATIC_URL="/static/",
    STATIC_ROOT=cfg["root"],
    STATICFILES_DIRS=[cfg["src"]],
    STATICFILES_STORAGE="django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
)
django.setup()
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
with open(cfg["root"] + "/staticfiles.json") as f:
    theirs = json.load(f)
with open(cfg["ours"] + "/staticfiles.json", encoding="utf-8") as f:
    ours = json.load(f)
paths = ours["paths"]
h = hashlib.md5(json.dumps(sorted(paths.items())).encode()).hexdigest()[:12]
dumped = json.dumps({"paths": dict(sorted(paths.items())), "version": "1.1", "hash": h})
json.dump({"paths": theirs["paths"], "hash": h, "dumped": dumped, "version": django.get_version()}, sys.stdout)
`

// djangoPython finds a Python that can import Django: the one named by CANTER_DJANGO_PYTHON,
// else python3 on the PATH.
func djangoPython(t *testing.T) string {
	py := os.Getenv("CANTER_DJANGO_PYTHON")
	if py == "" {
		py = "python3"
	}
	if err := exec.Command(py, "-c", "import django").Run(); err != nil {
		t.Skipf("Django is not importable by %s (%v); install Django (Debian: python3-django) and set CANTER_DJANGO_PYTHON to that python to run the interoperability test", py, err)
	}
	return py
}

// TestDjangoCollectsTheSame collects one tree with Django and with us and compares the
// manifests and the hashed files byte for byte. The tree keeps to what every Django since 3.2
// rewrites the same way: no comments, source maps or bare fragments, which newer Django
// versions (and we) treat differently from 3.2.
func TestDjangoCollectsTheSame(t *testing.T) {
	py := djangoPython(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	writeTree(t, src, map[string]string{
		"css/site.css": `@import "base.css";
@import 'print.css' print;
@import url(fonts/fonts.css);
.a { background: url(data:image/png;base64,iVBORw0KGgo=); }
.b { background: url(/static/img/logo.png#frag); }
.c { background: url(http://example.com/x.png), url(//cdn.example.com/y.png), url(/elsewhere/z.png); }
.d { background: URL("../img/logo.png"); }
.e { background: url('../img/my%20file.png'); }
.f { background: url(../img/café.png); }
`,
		"css/base.css":        "body { background: url('../img/logo.png'); }\n",
		"css/print.css":       "body { color: black }\n",
		"css/fonts/fonts.css": "@font-face { src: url(\"../../fonts/f.woff?#iefix\") format(\"embedded-opentype\"), url(../../fonts/f.woff?v=2); }\n",
		"img/logo.png":        "\x89PNG logo",
		"img/my file.png":     "\x89PNG spaced",
		"img/café.png":        "\x89PNG accented",
		"fonts/f.woff":        "wOFF",
		"js/app.js":           "console.log(1);\n",
		"LICENSE":             "no extension",
		"dist/archive.tar.gz": "double extension",
	})
	ours := filepath.Join(dir, "ours")
	f, err := staticfiles.New(staticfiles.Config{Root: ours, Dirs: []staticfiles.Dir{{Path: src}}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Collect(staticfiles.CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}

	theirs := filepath.Join(dir, "theirs")
	arg, _ := json.Marshal(map[string]string{"src": src, "root": theirs, "ours": ours})
	out, err := exec.Command(py, "-c", djangoScript, string(arg)).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("Django's collectstatic failed: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var got struct {
		Paths   map[string]string `json:"paths"`
		Hash    string            `json:"hash"`
		Dumped  string            `json:"dumped"`
		Version string            `json:"version"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	t.Logf("compared with Django %s", got.Version)
	if !reflect.DeepEqual(res.Manifest.Paths, got.Paths) {
		t.Errorf("manifest paths differ from Django's\nours:   %v\ntheirs: %v", res.Manifest.Paths, got.Paths)
	}
	for name, hashed := range got.Paths {
		a, errA := os.ReadFile(filepath.Join(ours, filepath.FromSlash(hashed)))
		b, errB := os.ReadFile(filepath.Join(theirs, filepath.FromSlash(hashed)))
		if errA != nil || errB != nil || string(a) != string(b) {
			t.Errorf("%s (%s): ours %q (%v), Django's %q (%v)", name, hashed, a, errA, b, errB)
		}
	}
	if res.Manifest.Hash != got.Hash {
		t.Errorf("manifest hash %q, Python computes %q", res.Manifest.Hash, got.Hash)
	}
	if data := readFile(t, filepath.Join(ours, "staticfiles.json")); data != got.Dumped {
		t.Errorf("staticfiles.json is not what Python's json.dumps writes:\nours:   %s\npython: %s", data, got.Dumped)
	}
}
