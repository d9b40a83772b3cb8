package staticfiles

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/settings"
)

// ManifestName is the name of the manifest collectstatic writes at the top of STATIC_ROOT, as
// Django's ManifestStaticFilesStorage names it.
const ManifestName = "staticfiles.json"

// DefaultIgnore returns the patterns of files that finders skip unless Config.Ignore says
// otherwise: Django's defaults, "CVS", ".*" and "*~". A pattern is matched (with path.Match)
// against each file's and directory's base name and against the file's whole path.
func DefaultIgnore() []string { return []string{"CVS", ".*", "*~"} }

// Config says where a project's static files come from, where they are collected and how they
// are served. FromSettings fills one from the project's settings and installed apps.
type Config struct {
	// URL is the URL prefix static files are served under: STATIC_URL. It ends with "/" and is
	// either a path ("/static/", the default when empty) or an absolute URL of another host
	// ("https://cdn.example.com/static/"), in which case the handlers serve nothing.
	URL string
	// Root is the directory collectstatic copies the files into and that production serves
	// from: STATIC_ROOT. Django's default is unset; collectstatic then refuses to run.
	Root string
	// Dirs are the project's own static directories, searched first and in order:
	// STATICFILES_DIRS.
	Dirs []Dir
	// Apps are the installed apps' static files, searched after Dirs in INSTALLED_APPS order,
	// so that an app listed first overrides a file of the same name in a later one.
	Apps []AppFiles
	// Debug serves and names files as development wants them (DEBUG): URL returns unhashed
	// names and the handlers serve straight from the finders, without far-future caching.
	Debug bool
	// Collected, when set, holds the collected files (what collectstatic wrote to Root, with
	// its manifest) compiled into the program, typically a sub-tree of an embed.FS. In
	// production, URL reads the manifest from it and the handlers serve from it instead of
	// Root, so that a site ships as one binary.
	Collected fs.FS
	// MaxAge is the Cache-Control max-age of files served in production under their unhashed
	// names. Zero means one minute, WhiteNoise's default; files served under their hashed names
	// are always cached for a year, as "immutable".
	MaxAge time.Duration
	// Ignore are the patterns of files to skip when listing (collectstatic, the dev server).
	// Nil means DefaultIgnore(); an empty, non-nil slice ignores nothing.
	Ignore []string
}

// Dir is a directory of project static files, an entry of STATICFILES_DIRS.
type Dir struct {
	// Prefix, when set, puts the directory's files under that sub-path, as Django's
	// ("prefix", "/path") entries do: with Prefix "downloads", the file stats.csv of the
	// directory is found as "downloads/stats.csv". It must not start or end with "/".
	Prefix string
	// Path is the directory on disk, absolute or relative to the working directory.
	Path string
}

// ParseDir reads an entry of the STATICFILES_DIRS setting: "path", or "prefix=path" for a
// directory whose files are found under prefix (Django's ("prefix", "path") tuple).
func ParseDir(s string) Dir {
	if i := strings.IndexByte(s, '='); i > 0 {
		return Dir{Prefix: s[:i], Path: s[i+1:]}
	}
	return Dir{Path: s}
}

// String formats d as STATICFILES_DIRS writes it.
func (d Dir) String() string {
	if d.Prefix != "" {
		return d.Prefix + "=" + d.Path
	}
	return d.Path
}

// AppFiles are the static files of one app.
type AppFiles struct {
	// Label is the app's label, for messages.
	Label string
	// FS holds the files, as an app's static/ directory does in Django.
	FS fs.FS
}

// FromSettings returns the Config a project's settings describe: STATIC_URL, STATIC_ROOT,
// STATICFILES_DIRS (see ParseDir), DEBUG, and the Static files of the installed apps of reg
// (which may be nil), in INSTALLED_APPS order.
func FromSettings(s *settings.Settings, reg *apps.Registry) Config {
	cfg := Config{URL: s.StaticURL, Root: s.StaticRoot, Debug: s.Debug}
	for _, d := range s.StaticfilesDirs {
		cfg.Dirs = append(cfg.Dirs, ParseDir(d))
	}
	if reg != nil {
		for _, a := range reg.Apps() {
			if a.Static != nil {
				cfg.Apps = append(cfg.Apps, AppFiles{Label: a.Label, FS: a.Static})
			}
		}
	}
	return cfg
}

// Files is a project's static files: where they are found, their collected (hashed) names and
// how they are served. Make one with New; it is safe for concurrent use.
type Files struct {
	cfg       Config
	prefix    string // the path part of cfg.URL, when it names no other host
	sources   []*source
	ignore    []string
	immutable time.Duration
	maxAge    string // "public, max-age=N"

	manifestMu sync.Mutex
	manifest   atomic.Pointer[Manifest]

	indexMu  sync.Mutex
	indexPtr atomic.Pointer[index]

	rootMu sync.Mutex
	root   fs.FS // the opened STATIC_ROOT, once it exists
}

// New checks cfg and returns the project's static files. It does not touch the disk: a
// directory of Dirs that does not exist yet simply has no files (the staticfiles checks warn
// about it), and Root need not exist before collectstatic runs.
func New(cfg Config) (*Files, error) {
	if cfg.URL == "" {
		cfg.URL = "/static/"
	}
	var problems []string
	if !strings.HasSuffix(cfg.URL, "/") {
		problems = append(problems, fmt.Sprintf("STATIC_URL %q must end with a slash; write %q", cfg.URL, cfg.URL+"/"))
	}
	f := &Files{cfg: cfg, ignore: cfg.Ignore}
	if f.ignore == nil {
		f.ignore = DefaultIgnore()
	}
	for _, p := range f.ignore {
		if _, err := path.Match(p, ""); err != nil {
			problems = append(problems, fmt.Sprintf("ignore pattern %q is malformed: %v", p, err))
		}
	}
	if strings.HasPrefix(cfg.URL, "/") && !strings.HasPrefix(cfg.URL, "//") {
		f.prefix = cfg.URL
	}
	for i, d := range cfg.Dirs {
		if d.Path == "" {
			problems = append(problems, fmt.Sprintf("STATICFILES_DIRS[%d] is empty; remove the entry", i))
			continue
		}
		if d.Prefix != "" && (strings.HasPrefix(d.Prefix, "/") || strings.HasSuffix(d.Prefix, "/") || !fs.ValidPath(d.Prefix)) {
			problems = append(problems, fmt.Sprintf("STATICFILES_DIRS[%d]: the prefix %q must be a relative path that neither starts nor ends with a slash, such as \"downloads\"", i, d.Prefix))
			continue
		}
		f.sources = append(f.sources, &source{
			label:  fmt.Sprintf("STATICFILES_DIRS[%d]", i),
			prefix: d.Prefix,
			dir:    d.Path,
			fsys:   rootFS(d.Path),
		})
	}
	for _, a := range cfg.Apps {
		if a.FS == nil {
			continue
		}
		f.sources = append(f.sources, &source{label: "app " + a.Label, app: a.Label, fsys: a.FS})
	}
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	maxAge := cfg.MaxAge
	if maxAge <= 0 {
		maxAge = time.Minute
	}
	f.maxAge = fmt.Sprintf("public, max-age=%d", int64(maxAge/time.Second))
	return f, nil
}

// ConfigError lists every problem New found in a Config.
type ConfigError struct {
	Problems []string
}

// Error lists the problems, one per line when there are several.
func (e *ConfigError) Error() string {
	if len(e.Problems) == 1 {
		return "staticfiles: " + e.Problems[0]
	}
	return fmt.Sprintf("staticfiles: %d problems:\n\t%s", len(e.Problems), strings.Join(e.Problems, "\n\t"))
}

// Config returns the configuration f was made with (with defaults applied).
func (f *Files) Config() Config { return f.cfg }

// ErrNoRoot is returned (wrapped) by the operations that need STATIC_ROOT when it is not set.
var ErrNoRoot = errors.New("STATIC_ROOT is not set")

func (f *Files) needRoot() (string, error) {
	if f.cfg.Root == "" {
		return "", fmt.Errorf("staticfiles: %w: collectstatic needs a directory to collect static files into; "+
			"set STATIC_ROOT (for example STATIC_ROOT = \"staticfiles\" in settings.toml, or CANTER_STATIC_ROOT)", ErrNoRoot)
	}
	return filepath.Abs(f.cfg.Root)
}
