package staticfiles

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// CollectOptions are collectstatic's options.
type CollectOptions struct {
	// Clear deletes everything in STATIC_ROOT before collecting (--clear).
	Clear bool
	// DryRun does everything except change the file system (--dry-run): the files are found,
	// hashed and their references checked, so that a missing reference shows without writing.
	DryRun bool
	// NoPostProcess copies the files without hashed copies, manifest or compressed copies
	// (Django's --no-post-process).
	NoPostProcess bool
	// Log receives progress messages with Django's verbosity levels: 1 for the default output
	// (files shadowed by an earlier source, deletions, dry-run actions), 2 for every file.
	// Nil discards them.
	Log func(level int, msg string)
}

// CollectResult says what Collect did.
type CollectResult struct {
	// Root is the absolute path of STATIC_ROOT.
	Root string
	// Copied lists the static names whose file was written (new or changed), Unmodified those
	// already there with the same content.
	Copied, Unmodified []string
	// PostProcessed lists the static names whose hashed copy was written or whose references
	// were rewritten, as Django counts them.
	PostProcessed []string
	// Compressed lists the .gz files written.
	Compressed []string
	// Shadowed lists the files not collected because an earlier source has a file of the same
	// name (Django's "Found another file with the destination path …").
	Shadowed []Location
	// Manifest is the manifest written (nil with NoPostProcess).
	Manifest *Manifest
}

// Summary is collectstatic's last line, as Django words it:
// "3 static files copied to '/srv/static', 2 unmodified, 3 post-processed."
func (r *CollectResult) Summary() string {
	n := len(r.Copied)
	s := fmt.Sprintf("%d static file", n)
	if n != 1 {
		s += "s"
	}
	s += fmt.Sprintf(" copied to '%s'", r.Root)
	if len(r.Unmodified) > 0 {
		s += fmt.Sprintf(", %d unmodified", len(r.Unmodified))
	}
	if len(r.PostProcessed) > 0 {
		s += fmt.Sprintf(", %d post-processed", len(r.PostProcessed))
	}
	return s + "."
}

// Collect copies every static file the finders have into STATIC_ROOT, as Django's
// collectstatic with ManifestStaticFilesStorage does:
//
//   - each file under its own name, and a copy under its content-hashed name
//     ("css/site.3f2a1b9c0d4e.css": the first 12 hex digits of the MD5 of the content);
//   - in CSS files, url(…), @import and source map comments that name static files are
//     rewritten to the hashed names (relative paths resolved from the file's folder, absolute
//     ones under STATIC_URL; data:, http(s): and other URLs with a scheme, fragments and
//     absolute URLs elsewhere left alone), and so are the sourceMappingURL lines of
//     JavaScript files; files are hashed after the files they reference, so the hash of a
//     style sheet covers the hashed names in it;
//   - a .gz copy next to each text file (CSS, JavaScript, SVG, JSON, source maps, text, HTML,
//     XML) when it is at least 5% smaller, for the production handler to serve;
//   - the manifest staticfiles.json, mapping every name to its hashed name.
//
// Nothing is written when a reference names a file that does not exist, or when files
// reference each other in a circle: the error lists every such problem with the file, line
// and reference. Files are written to a temporary name and renamed, so that a server
// reading STATIC_ROOT meanwhile never sees half a file.
func (f *Files) Collect(opts CollectOptions) (*CollectResult, error) {
	logf := func(level int, format string, args ...any) {
		if opts.Log != nil {
			opts.Log(level, fmt.Sprintf(format, args...))
		}
	}
	root, err := f.needRoot()
	if err != nil {
		return nil, err
	}
	if err := f.checkRootApart(root); err != nil {
		return nil, err
	}
	files, shadowed, err := f.list()
	if err != nil {
		return nil, err
	}
	res := &CollectResult{Root: root, Shadowed: shadowed}
	for _, s := range shadowed {
		logf(1, "Found another file with the destination path '%s'. It will be ignored since only the first encountered file is collected. "+
			"If this is not what you want, make sure every static file has a unique path. (%s)", s.Name, s)
	}

	// Hash everything (and check every reference) before writing anything.
	entries := make(map[string]*entry, len(files))
	order := make([]string, 0, len(files))
	for _, loc := range files {
		e := &entry{loc: loc, kind: kindOf(loc.Name)}
		if opts.NoPostProcess {
			e.kind = plainFile
		}
		if e.kind != plainFile {
			if e.content, err = fs.ReadFile(loc.FS, loc.Path); err != nil {
				return nil, fmt.Errorf("staticfiles: reading %s: %w", loc, err)
			}
		} else if !opts.NoPostProcess {
			if e.hash, err = hashFile(loc); err != nil {
				return nil, err
			}
			e.hashed = HashedName(loc.Name, e.hash)
		}
		entries[loc.Name] = e
		order = append(order, loc.Name)
	}
	paths := map[string]string{}
	if !opts.NoPostProcess {
		if err := postProcess(entries, order, f.cfg.URL); err != nil {
			return nil, err
		}
		for _, name := range order {
			paths[name] = entries[name].hashed
		}
		res.Manifest = NewManifest(paths)
	}

	if opts.DryRun {
		if opts.Clear {
			if err := f.clear(root, true, logf); err != nil {
				return nil, err
			}
		}
		for _, name := range order {
			logf(1, "Pretending to copy '%s'", entries[name].loc)
			res.Copied = append(res.Copied, name)
		}
		return res, nil
	}

	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("staticfiles: creating STATIC_ROOT: %w", err)
	}
	if opts.Clear {
		if err := f.clear(root, false, logf); err != nil {
			return nil, err
		}
	}
	dst, err := os.OpenRoot(root)
	if err != nil {
		return nil, fmt.Errorf("staticfiles: opening STATIC_ROOT: %w", err)
	}
	defer dst.Close()
	w := &writer{root: dst}
	for _, name := range order {
		e := entries[name]
		content := e.content
		if content == nil {
			if content, err = fs.ReadFile(e.loc.FS, e.loc.Path); err != nil {
				return nil, fmt.Errorf("staticfiles: reading %s: %w", e.loc, err)
			}
			if e.hash != "" && fileHash(content) != e.hash {
				return nil, fmt.Errorf("staticfiles: %s changed while it was being collected; run collectstatic again", e.loc)
			}
		}
		changed, err := w.put(name, content)
		if err != nil {
			return nil, err
		}
		if changed {
			logf(2, "Copying '%s'", e.loc)
			res.Copied = append(res.Copied, name)
		} else {
			logf(2, "Skipping '%s' (not modified)", e.loc)
			res.Unmodified = append(res.Unmodified, name)
		}
		if opts.NoPostProcess {
			continue
		}
		if gz, err := w.compressed(name, content, changed); err != nil {
			return nil, err
		} else if gz != "" {
			res.Compressed = append(res.Compressed, gz)
		}
		hashedContent := content
		if e.out != nil {
			hashedContent = e.out
		}
		written, err := w.putNew(e.hashed, hashedContent)
		if err != nil {
			return nil, err
		}
		if written || e.kind != plainFile {
			logf(2, "Post-processed '%s' as '%s'", name, e.hashed)
			res.PostProcessed = append(res.PostProcessed, name)
		}
		if gz, err := w.compressed(e.hashed, hashedContent, written); err != nil {
			return nil, err
		} else if gz != "" {
			res.Compressed = append(res.Compressed, gz)
		}
	}
	if res.Manifest != nil {
		data, _ := res.Manifest.MarshalJSON()
		if _, err := w.put(ManifestName, data); err != nil {
			return nil, err
		}
		f.manifest.Store(res.Manifest)
	}
	f.indexPtr.Store(nil) // a handler of this Files serves the new files
	return res, nil
}

// checkRootApart refuses a STATIC_ROOT that is, holds or lies inside a directory of
// STATICFILES_DIRS: collecting would copy the output into itself, and --clear would delete
// the sources.
func (f *Files) checkRootApart(root string) error {
	for i, d := range f.cfg.Dirs {
		dir, err := filepath.Abs(d.Path)
		if err != nil {
			continue
		}
		if within(root, dir) || within(dir, root) {
			return fmt.Errorf("staticfiles: STATIC_ROOT (%s) and STATICFILES_DIRS[%d] (%s) overlap; the STATICFILES_DIRS setting should not contain the STATIC_ROOT setting: "+
				"keep the sources of static files apart from the directory they are collected into", root, i, d.Path)
		}
	}
	return nil
}

// within reports whether path p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// clear deletes everything in STATIC_ROOT (--clear), naming each file as Django does.
func (f *Files) clear(root string, dryRun bool, logf func(int, string, ...any)) error {
	r, err := os.OpenRoot(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("staticfiles: opening STATIC_ROOT: %w", err)
	}
	defer r.Close()
	var top []string
	err = fs.WalkDir(r.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if !strings.Contains(p, "/") {
			top = append(top, p)
		}
		if !d.IsDir() {
			if dryRun {
				logf(1, "Pretending to delete '%s'", p)
			} else {
				logf(1, "Deleting '%s'", p)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("staticfiles: listing STATIC_ROOT to clear it: %w", err)
	}
	if dryRun {
		return nil
	}
	for _, p := range top {
		if err := r.RemoveAll(p); err != nil {
			return fmt.Errorf("staticfiles: clearing STATIC_ROOT: %w", err)
		}
	}
	return nil
}

// hashFile hashes a file as it streams, so that large files are not held in memory.
func hashFile(loc Location) (string, error) {
	fh, err := loc.FS.Open(loc.Path)
	if err != nil {
		return "", fmt.Errorf("staticfiles: reading %s: %w", loc, err)
	}
	defer fh.Close()
	h := md5.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", fmt.Errorf("staticfiles: reading %s: %w", loc, err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// compressible lists the extensions of text formats worth a precompressed copy.
var compressible = map[string]bool{
	".css": true, ".js": true, ".mjs": true, ".map": true, ".svg": true, ".json": true,
	".txt": true, ".html": true, ".htm": true, ".xml": true,
}

func isCompressible(name string) bool { return compressible[strings.ToLower(path.Ext(name))] }

// writer writes files into STATIC_ROOT through an os.Root.
type writer struct {
	root *os.Root
	gz   *gzip.Writer
	buf  bytes.Buffer
}

// put writes content under name unless a file with that content is already there, and
// reports whether it wrote.
func (w *writer) put(name string, content []byte) (bool, error) {
	if info, err := w.root.Stat(name); err == nil && info.Mode().IsRegular() && info.Size() == int64(len(content)) {
		if old, err := w.root.ReadFile(name); err == nil && bytes.Equal(old, content) {
			return false, nil
		}
	}
	return true, w.write(name, content)
}

// putNew writes a content-named file unless a file of that name and size is there already.
func (w *writer) putNew(name string, content []byte) (bool, error) {
	if info, err := w.root.Stat(name); err == nil && info.Mode().IsRegular() && info.Size() == int64(len(content)) {
		return false, nil
	}
	return true, w.write(name, content)
}

// compressed writes name.gz for a compressible file, when the file was just written or has no
// .gz yet and gzip saves at least 5%; it removes a stale name.gz when it does not. It returns
// the name of the .gz written, if any.
func (w *writer) compressed(name string, content []byte, changed bool) (string, error) {
	if !isCompressible(name) {
		return "", nil
	}
	gzName := name + ".gz"
	if !changed {
		if _, err := w.root.Stat(gzName); err == nil {
			return "", nil
		}
	}
	w.buf.Reset()
	if w.gz == nil {
		w.gz, _ = gzip.NewWriterLevel(&w.buf, gzip.BestCompression)
	} else {
		w.gz.Reset(&w.buf)
	}
	// No name or time in the header: the same content always compresses to the same bytes.
	if _, err := w.gz.Write(content); err != nil {
		return "", err
	}
	if err := w.gz.Close(); err != nil {
		return "", err
	}
	if w.buf.Len() >= len(content)*95/100 {
		if err := w.root.Remove(gzName); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("staticfiles: removing the stale %s: %w", gzName, err)
		}
		return "", nil
	}
	return gzName, w.write(gzName, w.buf.Bytes())
}

// write writes a file atomically: into a temporary file next to it, then renamed over it.
func (w *writer) write(name string, content []byte) error {
	if dir := path.Dir(name); dir != "." {
		if err := w.root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("staticfiles: writing %s: %w", name, err)
		}
	}
	tmp := path.Join(path.Dir(name), "."+path.Base(name)+"."+rand.Text()[:10]+".tmp")
	fh, err := w.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("staticfiles: writing %s: %w", name, err)
	}
	_, err = fh.Write(content)
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = w.root.Rename(tmp, name)
	}
	if err != nil {
		_ = w.root.Remove(tmp)
		return fmt.Errorf("staticfiles: writing %s: %w", name, err)
	}
	return nil
}
