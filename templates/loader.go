package templates

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// checkInterval is how often, at most, a cached template's files are checked for changes in
// debug mode.
const checkInterval = 500 * time.Millisecond

// Loader is an engine's search path — its DIRS, then the installed apps' templates when
// APP_DIRS is on — and the cache of what the engine's backend parsed from it. A name is looked
// up in each place in turn and the first file found is used, so a project directory overrides
// an app, and an app earlier in INSTALLED_APPS overrides a later one, as Django's loaders do.
//
// New makes one loader per engine and hands it to the backend; backends call Load.
type Loader struct {
	engine  string // "TEMPLATES[0] (html)"
	sources []source
	debug   bool

	mu     sync.Mutex                        // serializes parsing and cache updates
	cache  atomic.Pointer[map[string]*entry] // copied on write: reads take no lock
	misses int                               // cached failures, at most maxMisses
}

// maxMisses bounds the failures kept in the cache, so that names taken from requests cannot
// fill memory.
const maxMisses = 1024

// source is one place templates are read from.
type source struct {
	fsys fs.FS
	dir  string // the absolute directory, for DIRS
	app  string // the app's label, for APP_DIRS
}

// origin says where name would be read from, for messages.
func (s *source) origin(name string) string {
	if s.app != "" {
		return name + " in app " + s.app
	}
	return filepath.Join(s.dir, filepath.FromSlash(name))
}

// File is a template file read by a Loader.
type File struct {
	// Name is the template's name, as templates refer to it ("polls/index.html").
	Name string
	// Path is the file on disk, or Name for a file of an app's file system.
	Path string
	// App is the label of the app whose templates hold the file, or "" for a file of DIRS.
	App string
	// Text is the file's content.
	Text string

	stamp stamp
}

// Origin describes where the file was read: its path on disk, or its name and app.
func (f *File) Origin() string {
	if f.App != "" {
		return f.Name + " in app " + f.App
	}
	return f.Path
}

// stamp identifies the version of a file that a parse used: which source it came from (-1 when
// the name was not found) and its modification time and size.
type stamp struct {
	name string
	src  int
	mod  time.Time
	size int64
}

// entry is a cached parse.
type entry struct {
	value   any
	err     error   // cached failure (outside debug mode only)
	deps    []stamp // the files the parse read, and the names it looked for in vain
	checked atomic.Int64
}

// ParseFunc parses the named template for a backend. It reads the template, and every file the
// template extends or includes, with read; read returns a *NotFoundError for a name no
// directory holds. The files read are what Load watches for changes in debug mode.
type ParseFunc func(name string, read func(name string) (*File, error)) (any, error)

func newLoader(cfg Config, env *Env, engine string) (*Loader, error) {
	l := &Loader{engine: engine, debug: env.Debug}
	if v, ok := cfg.Options["debug"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return nil, fmt.Errorf("OPTIONS debug = %v must be true or false", v)
		}
		l.debug = b
	}
	for _, dir := range cfg.Dirs {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, fmt.Errorf("DIRS %q: %v", dir, err)
		}
		l.sources = append(l.sources, source{fsys: os.DirFS(abs), dir: abs})
	}
	sub := ""
	if v, ok := cfg.Options["app_dir"]; ok {
		s, isString := v.(string)
		if !isString || (s != "" && !fs.ValidPath(s)) {
			return nil, fmt.Errorf("OPTIONS app_dir = %v must be a relative directory such as \"django\"", v)
		}
		sub = s
	}
	if cfg.AppDirs {
		for _, a := range env.Apps {
			if a == nil || a.Templates == nil {
				continue
			}
			fsys := a.Templates
			if sub != "" {
				var err error
				if fsys, err = fs.Sub(fsys, sub); err != nil {
					return nil, fmt.Errorf("OPTIONS app_dir %q in app %s: %v", sub, a.Label, err)
				}
			}
			l.sources = append(l.sources, source{fsys: fsys, app: a.Label})
		}
	}
	return l, nil
}

// Debug reports whether the loader re-parses changed templates.
func (l *Loader) Debug() bool { return l.debug }

// Load returns what parse made of the named template, parsing it on first use. Later calls
// answer from the cache; in debug mode a template whose files changed (or whose name a file
// earlier in the search path now holds) is parsed again, the files being checked at most every
// half second. Outside debug mode failures are cached too, since files do not change.
func (l *Loader) Load(name string, parse ParseFunc) (any, error) {
	if m := l.cache.Load(); m != nil {
		if e := (*m)[name]; e != nil && (!l.debug || l.fresh(e)) {
			return e.value, e.err
		}
	}
	return l.parse(name, parse)
}

// parse parses name under the loader's lock and caches the result.
func (l *Loader) parse(name string, parse ParseFunc) (any, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.cache.Load()
	if old != nil {
		// Another goroutine may have parsed it while this one waited.
		if e := (*old)[name]; e != nil && (!l.debug || e.checked.Load() > 0 && l.unchanged(e)) {
			return e.value, e.err
		}
	}
	rec := recorder{l: l}
	value, err := parse(name, rec.read)
	var e *entry
	switch {
	case err == nil:
		e = &entry{value: value, deps: rec.deps}
	case !l.debug && l.misses < maxMisses:
		e = &entry{err: err, deps: rec.deps}
		l.misses++
	case !l.debug:
		return value, err // too many failures kept already
	}
	if e != nil {
		e.checked.Store(time.Now().UnixNano())
	}
	// In debug mode a failure is not cached, and the version before it is dropped: the next
	// use parses again.
	m := make(map[string]*entry, 1)
	if old != nil {
		m = make(map[string]*entry, len(*old)+1)
		for k, v := range *old {
			m[k] = v
		}
	}
	if e != nil {
		m[name] = e
	} else {
		delete(m, name)
	}
	l.cache.Store(&m)
	return value, err
}

// fresh reports whether a cached entry may be used: outside the check interval, its files are
// checked.
func (l *Loader) fresh(e *entry) bool {
	now := time.Now().UnixNano()
	last := e.checked.Load()
	if now-last < int64(checkInterval) || !e.checked.CompareAndSwap(last, now) {
		return true
	}
	return l.unchanged(e)
}

// unchanged reports whether every file e was parsed from is still the one the search path
// finds, unmodified.
func (l *Loader) unchanged(e *entry) bool {
	for _, d := range e.deps {
		if now := l.find(d.name); now.src != d.src || now.size != d.size || !now.mod.Equal(d.mod) {
			return false
		}
	}
	return true
}

// find returns the stamp of the file the search path finds for name now.
func (l *Loader) find(name string) stamp {
	for i := range l.sources {
		fi, err := fs.Stat(l.sources[i].fsys, name)
		if err == nil && !fi.IsDir() {
			return stamp{name: name, src: i, mod: fi.ModTime(), size: fi.Size()}
		}
	}
	return stamp{name: name, src: -1}
}

// recorder reads files for one parse and remembers them.
type recorder struct {
	l    *Loader
	deps []stamp
}

func (r *recorder) read(name string) (*File, error) {
	f, err := r.l.Open(name)
	var nf *NotFoundError
	switch {
	case err == nil:
		r.deps = append(r.deps, f.stamp)
	case errors.As(err, &nf):
		r.deps = append(r.deps, stamp{name: name, src: -1})
	}
	return f, err
}

// Open reads the named template from the first place of the search path that has it. A name
// no place has is a *NotFoundError listing the places searched. Names are slash-separated
// paths relative to the template directories ("polls/index.html"); a name with "." or ".."
// elements, a leading slash or a backslash is refused, so a template name taken from a request
// can never read a file outside the template directories.
func (l *Loader) Open(name string) (*File, error) {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, `\`) {
		return nil, &NotFoundError{Name: name, Tried: []Tried{{Engine: l.engine, Origin: name,
			Reason: "not a valid template name: use a slash-separated path relative to the template directories, without . or .. elements"}}}
	}
	for i := range l.sources {
		s := &l.sources[i]
		f, err := s.fsys.Open(name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, fmt.Errorf("templates: reading %s: %w", s.origin(name), err)
		}
		fi, err := f.Stat()
		if err == nil && fi.IsDir() {
			f.Close()
			continue
		}
		var data []byte
		if err == nil {
			data, err = io.ReadAll(f)
		}
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("templates: reading %s: %w", s.origin(name), err)
		}
		file := &File{Name: name, Path: s.dir, App: s.app, Text: string(data),
			stamp: stamp{name: name, src: i, mod: fi.ModTime(), size: fi.Size()}}
		if s.app == "" {
			file.Path = filepath.Join(s.dir, filepath.FromSlash(name))
		} else {
			file.Path = name
		}
		return file, nil
	}
	return nil, l.notFound(name)
}

// notFound builds the postmortem for a name that no place holds.
func (l *Loader) notFound(name string) *NotFoundError {
	nf := &NotFoundError{Name: name}
	if len(l.sources) == 0 {
		nf.Tried = []Tried{{Engine: l.engine, Reason: "it has no directory: set its DIRS, or APP_DIRS with apps that have templates"}}
		return nf
	}
	for i := range l.sources {
		s := &l.sources[i]
		reason := "does not exist"
		if s.dir != "" {
			if _, err := os.Stat(s.dir); err != nil {
				reason = "the directory does not exist"
				if wd, err := os.Getwd(); err == nil {
					reason += "; relative DIRS are taken from the working directory, " + wd
				}
			}
		}
		nf.Tried = append(nf.Tried, Tried{Engine: l.engine, Origin: s.origin(name), Reason: reason})
	}
	return nf
}

// Names lists every template the search path holds, sorted, each name once. Files and
// directories whose name starts with "." are left out.
func (l *Loader) Names() ([]string, error) {
	seen := map[string]bool{}
	var errs []error
	for i := range l.sources {
		s := &l.sources[i]
		err := fs.WalkDir(s.fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == "." && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipAll // a missing directory holds nothing
				}
				return err
			}
			if p != "." && strings.HasPrefix(path.Base(p), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				seen[p] = true
			}
			return nil
		})
		if err != nil {
			where := s.dir
			if s.app != "" {
				where = "the templates of app " + s.app
			}
			errs = append(errs, fmt.Errorf("templates: listing %s: %w", where, err))
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, errors.Join(errs...)
}
