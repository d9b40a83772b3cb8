package staticfiles

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/canter-go/canter/management"
)

type filesSite struct{ f *Files }

func (s filesSite) StaticFiles() (*Files, error) { return s.f, nil }

func TestCollectStaticAsksFirst(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "old.txt"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := New(Config{Root: root, Apps: []AppFiles{{Label: "a", FS: fstest.MapFS{"a.css": {Data: []byte("a{}")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	run := func(answer string, args ...string) (int, string) {
		var out bytes.Buffer
		r := &management.Runner{
			Prog:     "mysite",
			Commands: []*management.Command{collectStaticCommand(func() io.Reader { return strings.NewReader(answer) })},
			Stdout:   &out,
			Stderr:   &out,
			Prepare: func(_ *management.Command, c *management.Context) error {
				c.Site = filesSite{f}
				return nil
			},
		}
		return r.Run(context.Background(), append([]string{"collectstatic"}, args...)), out.String()
	}
	prompt := "\nYou have requested to collect static files at the destination\nlocation as specified in your settings:\n\n    " + root +
		"\n\nThis will overwrite existing files!\nAre you sure you want to do this?\n\nType 'yes' to continue, or 'no' to cancel: "
	for _, answer := range []string{"no\n", "", "y\n", "YES\n"} {
		code, out := run(answer)
		if code != 1 || out != prompt+"CommandError: Collecting static files cancelled.\n" {
			t.Errorf("answer %q: %d %q", answer, code, out)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "a.css")); !os.IsNotExist(err) {
		t.Fatal("collected despite the refusal")
	}
	code, out := run("no\n", "--clear", "--dry-run")
	if code != 1 || !strings.Contains(out, "You have activated the --dry-run option so no files will be modified.") ||
		!strings.Contains(out, "This will DELETE ALL FILES in this location!\n") {
		t.Errorf("--clear --dry-run prompt: %q", out)
	}
	code, out = run("yes\n")
	if code != 0 || !strings.HasPrefix(out, prompt) || !strings.HasSuffix(out, "1 static file copied to '"+root+"', 1 post-processed.\n") {
		t.Errorf("answer yes: %d %q", code, out)
	}
	// An empty STATIC_ROOT needs no confirmation.
	empty := t.TempDir()
	f.cfg.Root = empty
	if code, out := run(""); code != 0 || strings.Contains(out, "Are you sure") {
		t.Errorf("empty STATIC_ROOT: %d %q", code, out)
	}
}
