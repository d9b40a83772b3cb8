package reload

import (
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// defaultExtensions are the file name endings watched when Config.Extensions is empty.
var defaultExtensions = []string{".go", ".html", ".tmpl", ".toml", ".css", ".js"}

// moduleFiles are watched by name whatever the extensions: they change what go build makes.
var moduleFiles = []string{"go.mod", "go.sum", "go.work", "go.work.sum"}

// skippedDirs are never entered: version control, JavaScript packages and test fixtures.
// Hidden directories (a name starting with a dot) are skipped as well.
var skippedDirs = []string{".git", "node_modules", "testdata"}

// fileState is what the poller remembers of a file: a change of either means the file changed.
type fileState struct {
	modified time.Time
	size     int64
}

// watcher polls the modification times of the files under some directories, like Django's
// StatReloader, and reports a burst of changes once the tree has been quiet for a while.
type watcher struct {
	dirs       []string
	extensions []string
	ignore     string // a directory never to look into (the supervisor's build output)
	interval   time.Duration
	debounce   time.Duration

	last map[string]fileState // the previous scan; owned by the polling goroutine

	mu      sync.Mutex
	pending map[string]bool // changed files not yet taken by the supervisor
	notify  chan struct{}   // receives a value when pending becomes non-empty
}

func newWatcher(dirs, extensions []string, ignore string, interval, debounce time.Duration) *watcher {
	w := &watcher{
		dirs:       dirs,
		extensions: extensions,
		ignore:     ignore,
		interval:   interval,
		debounce:   debounce,
		pending:    make(map[string]bool),
		notify:     make(chan struct{}, 1),
	}
	w.last = w.scan()
	return w
}

// watches reports whether a file of this name is one the watcher looks at.
func (w *watcher) watches(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "_test.go") {
		return false
	}
	if slices.Contains(moduleFiles, name) {
		return true
	}
	ext := filepath.Ext(name)
	return ext != "" && slices.Contains(w.extensions, ext)
}

// skips reports whether the walk should not enter a directory of this name.
func skips(name string) bool {
	return slices.Contains(skippedDirs, name) || (strings.HasPrefix(name, ".") && name != "." && name != "..")
}

// scan records the state of every watched file. Files that vanish during the walk and
// directories that cannot be read are left out rather than reported.
func (w *watcher) scan() map[string]fileState {
	files := make(map[string]fileState, len(w.last))
	for _, root := range w.dirs {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() && path != root {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != root && (skips(d.Name()) || path == w.ignore) {
					return fs.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() || !w.watches(d.Name()) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil
			}
			files[path] = fileState{modified: info.ModTime(), size: info.Size()}
			return nil
		})
	}
	return files
}

// changed lists, sorted, the files that were added, removed or modified between two scans.
func changed(before, after map[string]fileState) []string {
	var paths []string
	for path, now := range after {
		if was, ok := before[path]; !ok || !was.modified.Equal(now.modified) || was.size != now.size {
			paths = append(paths, path)
		}
	}
	for path := range before {
		if _, ok := after[path]; !ok {
			paths = append(paths, path)
		}
	}
	slices.Sort(paths)
	return paths
}

// run polls until ctx is done. A change starts a burst; the burst ends, and is handed to the
// supervisor, at the first scan that finds nothing new after a quiet period of w.debounce.
// So an editor that saves several files, or saves and then reformats, causes one rebuild.
func (w *watcher) run(ctx context.Context) {
	burst := make(map[string]bool)
	timer := time.NewTimer(w.interval)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		now := w.scan()
		paths := changed(w.last, now)
		w.last = now
		switch {
		case len(paths) > 0:
			for _, p := range paths {
				burst[p] = true
			}
			timer.Reset(w.debounce)
			continue
		case len(burst) > 0:
			w.mu.Lock()
			for p := range burst {
				w.pending[p] = true
			}
			w.mu.Unlock()
			clear(burst)
			select {
			case w.notify <- struct{}{}:
			default: // the supervisor has not yet taken the previous notice; it will take all
			}
		}
		timer.Reset(w.interval)
	}
}

// take returns, sorted, the files changed since the last call and forgets them.
func (w *watcher) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	paths := make([]string, 0, len(w.pending))
	for p := range w.pending {
		paths = append(paths, p)
	}
	clear(w.pending)
	slices.Sort(paths)
	return paths
}
