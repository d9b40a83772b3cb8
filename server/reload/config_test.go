package reload

import (
	"path/filepath"
	"runtime/debug"
	"slices"
	"testing"
)

func TestModuleRoot(t *testing.T) {
	root := t.TempDir()
	tree(t, root, "go.mod", "cmd/site/main.go")
	if got := moduleRoot(filepath.Join(root, "cmd", "site")); got != root {
		t.Errorf("moduleRoot(cmd/site) = %s, want %s", got, root)
	}
	if got := moduleRoot(root); got != root {
		t.Errorf("moduleRoot(root) = %s, want %s", got, root)
	}
}

func TestDefaultsFromBuildInformation(t *testing.T) {
	info := &debug.BuildInfo{
		Path: "example.com/site/cmd/site",
		Settings: []debug.BuildSetting{
			{Key: "-buildmode", Value: "exe"},
			{Key: "-race", Value: "true"},
			{Key: "-tags", Value: "dev,sqlite"},
			{Key: "-ldflags", Value: "-X main.version=1.2 -s"},
			{Key: "-trimpath", Value: "false"},
			{Key: "CGO_ENABLED", Value: "1"},
			{Key: "GOOS", Value: "linux"},
			{Key: "vcs.revision", Value: "abc"},
		},
	}
	if got := mainPackage(info); got != "example.com/site/cmd/site" {
		t.Errorf("mainPackage = %q", got)
	}
	want := []string{"-race", "-tags=dev,sqlite", "-ldflags=-X main.version=1.2 -s"}
	if got := buildFlags(info); !slices.Equal(got, want) {
		t.Errorf("buildFlags = %q, want %q", got, want)
	}
	for _, path := range []string{"", "command-line-arguments", "example.com/site.test"} {
		if got := mainPackage(&debug.BuildInfo{Path: path}); got != "." {
			t.Errorf("mainPackage(%q) = %q, want \".\"", path, got)
		}
	}
	if got := mainPackage(nil); got != "." {
		t.Errorf("mainPackage(nil) = %q", got)
	}
}
