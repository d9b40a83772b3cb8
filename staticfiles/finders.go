package staticfiles

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// source is one place static files are found: a directory of STATICFILES_DIRS or an app's
// static files.
type source struct {
	label  string // "STATICFILES_DIRS[0]" or "app polls", for messages
	app    string // the app label, for app sources
	prefix string // the sub-path the source's files are found under
	dir    string // the directory on disk, for STATICFILES_DIRS sources
	fsys   fs.FS
}

// Location is where a static file was found.
type Location struct {
	// Name is the file's static name, as URL and the templates' static tag take it
	// ("css/site.css").
	Name string
	// Source says which finder found it: "STATICFILES_DIRS[0]" or "app polls".
	Source string
	// App is the label of the app whose static files hold it, or "" for a project directory.
	App string
	// FS and Path open the file: FS.Open(Path).
	FS   fs.FS
	Path string
	// File is the file's path on disk for a project directory, "" for an app's files (which
	// may be compiled into the program).
	File string
}

// String describes the location as findstatic prints it: the file on disk, or the app and the
// path inside its static files.
func (l Location) String() string {
	if l.File != "" {
		return l.File
	}
	return fmt.Sprintf("%s: %s", l.Source, l.Path)
}

// rootFS returns a file system for a directory that may not exist yet. Every open goes
// through os.Root, so that neither ".." nor a symbolic link can reach outside the directory.
func rootFS(dir string) fs.FS { return dirFS(dir) }

type dirFS string

func (d dirFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := os.OpenInRoot(string(d), name)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// cleanName checks a static file name: a slash-separated relative path without "." or ".."
// elements, empty elements or a trailing slash.
func cleanName(name string) (string, error) {
	if name == "" || name == "." || !fs.ValidPath(name) || strings.Contains(name, `\`) {
		return "", fmt.Errorf("staticfiles: %q is not a static file name; names are relative slash-separated paths such as \"css/site.css\", without \".\" or \"..\" elements", name)
	}
	return name, nil
}

// ignored reports whether a file of the given path (relative to its source) matches an ignore
// pattern: any element's base name, or the whole path.
func (f *Files) ignored(rel string) bool {
	if len(f.ignore) == 0 {
		return false
	}
	for _, p := range f.ignore {
		if ok, _ := path.Match(p, rel); ok {
			return true
		}
		for elem := range strings.SplitSeq(rel, "/") {
			if ok, _ := path.Match(p, elem); ok {
				return true
			}
		}
	}
	return false
}

// NotFoundError is returned by Find for a name that no finder has.
type NotFoundError struct {
	Name string
	// Searched lists the sources that were looked in.
	Searched []string
}

// Error names the file and the places searched.
func (e *NotFoundError) Error() string {
	where := "no static sources are configured (STATICFILES_DIRS is empty and no installed app has static files)"
	if len(e.Searched) > 0 {
		where = "looked in " + strings.Join(e.Searched, ", ")
	}
	return fmt.Sprintf("staticfiles: the static file %q could not be found; %s", e.Name, where)
}

// Is makes errors.Is(err, fs.ErrNotExist) true.
func (e *NotFoundError) Is(target error) bool { return target == fs.ErrNotExist }

// Find returns the first place a static file of that name is found, as Django's finders.find
// does: the project's STATICFILES_DIRS first, in order, then the installed apps in
// INSTALLED_APPS order. fsys.Open(p) opens it. A name no finder has gives a *NotFoundError
// (errors.Is(err, fs.ErrNotExist) holds). Files matching the ignore patterns (dot files and
// the like) are never found.
func (f *Files) Find(name string) (fsys fs.FS, p string, err error) {
	loc, err := f.find(name, false)
	if err != nil {
		return nil, "", err
	}
	return loc[0].FS, loc[0].Path, nil
}

// FindAll returns every place a static file of that name is found, the one that wins first.
func (f *Files) FindAll(name string) ([]Location, error) { return f.find(name, true) }

func (f *Files) find(name string, all bool) ([]Location, error) {
	name, err := cleanName(name)
	if err != nil {
		return nil, err
	}
	var found []Location
	searched := make([]string, 0, len(f.sources))
	for _, s := range f.sources {
		searched = append(searched, s.label)
		rel, ok := s.rel(name)
		if !ok || f.ignored(rel) {
			continue
		}
		info, err := fs.Stat(s.fsys, rel)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || isNotDir(err) {
				continue
			}
			return nil, fmt.Errorf("staticfiles: looking for %q in %s: %w", name, s.label, err)
		}
		if !info.Mode().IsRegular() {
			continue
		}
		found = append(found, s.location(name, rel))
		if !all {
			break
		}
	}
	if len(found) == 0 {
		return nil, &NotFoundError{Name: name, Searched: searched}
	}
	return found, nil
}

// isNotDir reports an error of opening "a/b" where a is a file (ENOTDIR), which means the file
// is not there.
func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }

// rel returns the path inside the source of the static name, or false when the source's prefix
// does not lead there.
func (s *source) rel(name string) (string, bool) {
	if s.prefix == "" {
		return name, true
	}
	rest, ok := strings.CutPrefix(name, s.prefix+"/")
	return rest, ok && rest != ""
}

func (s *source) location(name, rel string) Location {
	loc := Location{Name: name, Source: s.label, App: s.app, FS: s.fsys, Path: rel}
	if s.dir != "" {
		file := filepath.Join(s.dir, filepath.FromSlash(rel))
		if abs, err := filepath.Abs(file); err == nil {
			file = abs
		}
		loc.File = file
	}
	return loc
}

// List returns every static file the finders have, sorted by name, each from the first source
// that has it (as collectstatic collects them). Files matching the ignore patterns are left
// out. A project directory that does not exist has no files.
func (f *Files) List() ([]Location, error) {
	files, _, err := f.list()
	return files, err
}

// list walks every source in order and returns the winning files sorted by name, and the
// files that lost to an earlier source of the same name, in the order met.
func (f *Files) list() (files, shadowed []Location, err error) {
	seen := map[string]bool{}
	for _, s := range f.sources {
		err := fs.WalkDir(s.fsys, ".", func(rel string, d fs.DirEntry, err error) error {
			if err != nil {
				if rel == "." && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipAll // a project directory that does not exist (yet)
				}
				return err
			}
			if rel == "." {
				return nil
			}
			if f.ignoredEntry(rel, d.Name()) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if !d.Type().IsRegular() {
				// A symbolic link (which os.Root keeps inside the directory): take it when it
				// leads to a regular file.
				info, err := fs.Stat(s.fsys, rel)
				if err != nil || !info.Mode().IsRegular() {
					return nil
				}
			}
			name := rel
			if s.prefix != "" {
				name = s.prefix + "/" + rel
			}
			loc := s.location(name, rel)
			if seen[name] {
				shadowed = append(shadowed, loc)
				return nil
			}
			seen[name] = true
			files = append(files, loc)
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("staticfiles: listing the static files of %s: %w", s.label, err)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, shadowed, nil
}

// ignoredEntry applies the ignore patterns as Django's get_files does: to the base name of
// every file and directory, and to the whole path of files.
func (f *Files) ignoredEntry(rel, base string) bool {
	for _, p := range f.ignore {
		if ok, _ := path.Match(p, base); ok {
			return true
		}
		if ok, _ := path.Match(p, rel); ok {
			return true
		}
	}
	return false
}
