package reload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Config tells Run what to serve, build and watch. Only Listener is required; the zero value of
// every other field means the default written next to it.
type Config struct {
	// Listener is the socket the site is served on, bound once by the caller. Run passes it to
	// every child and never closes it, so the address stays bound across restarts. It must be a
	// *net.TCPListener or a *net.UnixListener.
	Listener net.Listener

	// Args are the command-line arguments, without the program name, that every child runs
	// with; a runserver command passes os.Args[1:] so that the child runs the same command.
	Args []string

	// Env holds extra "KEY=value" entries for the children's environment, which is otherwise
	// the supervisor's own.
	Env []string

	// Executable is the program the first child runs, which must already be built from the
	// current sources (Run does not build at start-up). Default: os.Executable().
	Executable string

	// Dir is the directory go build runs in. Default: the current directory.
	Dir string

	// Package is the main package that go build builds, as an import path or a path relative
	// to Dir. Default: the running program's main package, from its build information, or "."
	// when that is unknown (a program built from a list of files).
	Package string

	// BuildFlags are extra flags for go build, such as "-race" or "-tags=dev". Default: the
	// flags the running program was built with, from its build information (-race, -tags,
	// -trimpath, -gcflags, -ldflags), so that every build behaves like the first.
	BuildFlags []string

	// GoCommand is the go tool to build with. Default: "go", looked up in PATH.
	GoCommand string

	// Dirs are the directory trees to watch. Default: the module root above Dir (the nearest
	// directory holding a go.mod file), or Dir when there is none. Directories named .git,
	// node_modules or testdata, and hidden directories, are never entered.
	Dirs []string

	// Extensions are the endings of the file names to watch. Default: .go, .html, .tmpl,
	// .toml, .css and .js. go.mod, go.sum, go.work and go.work.sum are always watched;
	// _test.go files and hidden files never are.
	Extensions []string

	// Interval is how often the watched trees are scanned. Default: 300 milliseconds.
	Interval time.Duration

	// Debounce is how long the trees must stay unchanged after a change before a build
	// starts, so that a burst of saves makes one build. Default: 300 milliseconds.
	Debounce time.Duration

	// ReadyTimeout is how long a new child may take to report ready (see Ready) before the
	// previous one is stopped anyway. Default: 10 seconds.
	ReadyTimeout time.Duration

	// StopTimeout is how long a child may take to finish after SIGTERM before it is killed.
	// Default: 5 seconds.
	StopTimeout time.Duration

	// Stdout receives the children's standard output. Default: os.Stdout.
	Stdout io.Writer

	// Stderr receives the children's standard error, the supervisor's messages and the output
	// of failed builds. Default: os.Stderr.
	Stderr io.Writer
}

// Run supervises the site in child processes until ctx is done, restarting it whenever a watched
// file changes, and returns nil. It is the engine behind runserver's automatic reloading.
//
// The first child runs Config.Executable with Config.Args. Every child inherits the listener
// and finds it with Listener. When a watched file changes (a burst of saves counts once), Run
// builds Config.Package into a temporary file with go build. When the build succeeds it starts
// the new program on the same listener, waits until it reports ready and only then stops the
// previous one (SIGTERM, then SIGKILL after Config.StopTimeout): the address never stops
// answering. When the build fails, Run prints the compiler's output to Config.Stderr and keeps
// the previous child serving.
//
// When no child is serving (the child crashed, or exited, and no build has replaced it) Run
// answers every request itself with status 500 and a page showing the build error or how the
// server ended, until a file change brings a good build. The page shows those details only to
// requests for localhost (or a name under .localhost) or an IP address, so that another site's
// scripts cannot read them through a host name pointed at this machine (DNS rebinding). A
// child that exits with status ExitRestart is started again at once.
//
// When ctx is done, Run stops the child, removes the temporary builds and returns nil. It
// returns an error only when it cannot start: a missing or unusable listener, or a first child
// that cannot be executed.
func Run(ctx context.Context, cfg Config) error {
	s, err := newSupervisor(cfg)
	if err != nil {
		return err
	}
	defer s.cleanup()
	return s.run(ctx)
}

// supervisor is the state of one Run. Only the goroutine running the loop touches its fields,
// except those documented otherwise.
type supervisor struct {
	cfg    Config
	log    io.Writer // cfg.Stderr, made safe for the children's output and the supervisor's own
	stdout io.Writer
	env    []string
	socket *os.File // the listener, duplicated for passing on
	tmp    string   // where builds go
	builds int
	watch  *watcher

	current *child // the child serving now, or nil
	broken  bool   // the last build failed

	page    problemPage
	problem *problemServer // serving page while no child serves, or nil

	retiring sync.WaitGroup // children and problem servers being stopped in the background
}

// problemServer is the supervisor answering with the problem page.
type problemServer struct {
	srv  *http.Server
	ln   *drainingListener
	done chan struct{} // closed when Serve has returned
}

// drainGrace is how long a server that has stopped accepting is given to read the requests of
// the connections it already accepted, before it is asked to shut down.
const drainGrace = 300 * time.Millisecond

// child is one started program.
type child struct {
	cmd       *exec.Cmd
	binary    string
	temporary bool // binary is a build of ours, to remove once no child runs it
	started   time.Time
	stderr    *tail
	control   *os.File      // the supervisor pipe; closed when the child has exited
	ready     chan struct{} // closed when the child reports ready
	done      chan struct{} // closed when the child has exited; err is set then
	err       error
}

// status describes how a child ended, as "exit status 2" or "signal: killed".
func (c *child) status() string {
	if c.err == nil {
		return "exit status 0"
	}
	return c.err.Error()
}

func newSupervisor(cfg Config) (*supervisor, error) {
	if cfg.Listener == nil {
		return nil, errors.New("reload: Config.Listener is nil; pass the socket to serve on, as returned by net.Listen")
	}
	if cfg.Executable == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("reload: cannot find the running program to restart (%w); set Config.Executable", err)
		}
		cfg.Executable = exe
	}
	if cfg.Dir == "" {
		cfg.Dir = "."
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("reload: Config.Dir %q: %w", cfg.Dir, err)
	}
	cfg.Dir = dir
	info, _ := debug.ReadBuildInfo()
	if cfg.Package == "" {
		cfg.Package = mainPackage(info)
	}
	if cfg.BuildFlags == nil {
		cfg.BuildFlags = buildFlags(info)
	}
	if cfg.GoCommand == "" {
		cfg.GoCommand = "go"
	}
	if len(cfg.Dirs) == 0 {
		cfg.Dirs = []string{moduleRoot(cfg.Dir)}
	}
	dirs := make([]string, len(cfg.Dirs))
	for i, d := range cfg.Dirs {
		if dirs[i], err = filepath.Abs(d); err != nil {
			return nil, fmt.Errorf("reload: Config.Dirs[%d] %q: %w", i, d, err)
		}
	}
	cfg.Dirs = dirs
	if len(cfg.Extensions) == 0 {
		cfg.Extensions = defaultExtensions
	}
	cfg.Interval = orDefault(cfg.Interval, 300*time.Millisecond)
	cfg.Debounce = orDefault(cfg.Debounce, 300*time.Millisecond)
	cfg.ReadyTimeout = orDefault(cfg.ReadyTimeout, 10*time.Second)
	cfg.StopTimeout = orDefault(cfg.StopTimeout, 5*time.Second)
	if cfg.Stdout == nil {
		cfg.Stdout = os.Stdout
	}
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}

	s := &supervisor{cfg: cfg}
	var mu sync.Mutex
	s.log = &lockedWriter{mu: &mu, w: cfg.Stderr}
	s.stdout = cfg.Stdout
	if _, isFile := cfg.Stdout.(*os.File); !isFile {
		s.stdout = &lockedWriter{mu: &mu, w: cfg.Stdout} // it may be the same writer as Stderr
	}
	s.env = childEnvironment(os.Environ(), cfg.Env)
	if s.socket, err = listenerFile(cfg.Listener); err != nil {
		return nil, fmt.Errorf("reload: cannot pass the listener on %s to the server: %w", cfg.Listener.Addr(), err)
	}
	if s.tmp, err = os.MkdirTemp("", "canter-reload-"); err != nil {
		_ = s.socket.Close()
		return nil, fmt.Errorf("reload: cannot make a directory for builds: %w", err)
	}
	s.watch = newWatcher(cfg.Dirs, cfg.Extensions, s.tmp, cfg.Interval, cfg.Debounce)
	return s, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// mainPackage returns the import path of the main package a program was built from, or "."
// when its build information does not name one that go build could find again.
func mainPackage(info *debug.BuildInfo) string {
	if info == nil || info.Path == "" || info.Path == "command-line-arguments" || strings.HasSuffix(info.Path, ".test") {
		return "."
	}
	return info.Path
}

// buildFlags returns the go build flags, recorded in its build information, that change how a
// program behaves.
func buildFlags(info *debug.BuildInfo) []string {
	flags := []string{}
	if info == nil {
		return flags
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "-race", "-trimpath", "-asan", "-msan":
			if s.Value == "true" {
				flags = append(flags, s.Key)
			}
		case "-tags", "-gcflags", "-ldflags":
			flags = append(flags, s.Key+"="+s.Value)
		}
	}
	return flags
}

// moduleRoot returns the nearest directory at or above dir that holds a go.mod file, or dir.
func moduleRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// childEnvironment is the supervisor's environment with the extra entries and the variables
// that make a reload child, replacing any that were inherited.
func childEnvironment(base, extra []string) []string {
	env := make([]string, 0, len(base)+len(extra)+2)
	for _, kv := range base {
		if !strings.HasPrefix(kv, EnvChild+"=") && !strings.HasPrefix(kv, EnvListenFDs+"=") {
			env = append(env, kv)
		}
	}
	env = append(env, extra...)
	return append(env, EnvChild+"=1", EnvListenFDs+"=1")
}

func (s *supervisor) logf(format string, args ...any) {
	fmt.Fprintf(s.log, format+"\n", args...)
}

func (s *supervisor) run(ctx context.Context) error {
	watchCtx, stopWatching := context.WithCancel(ctx)
	watching := make(chan struct{})
	defer func() {
		stopWatching()
		<-watching
	}()
	s.logf("Watching for file changes with StatReloader")
	go func() {
		defer close(watching)
		s.watch.run(watchCtx)
	}()

	first, err := s.start(s.cfg.Executable, false)
	if err != nil {
		return fmt.Errorf("reload: cannot start %s: %w", s.cfg.Executable, err)
	}
	s.current = first
	for {
		var exited chan struct{}
		if s.current != nil {
			exited = s.current.done
		}
		select {
		case <-ctx.Done():
			s.stopProblem()
			if s.current != nil {
				s.stop(s.current)
				s.current = nil
			}
			s.retiring.Wait()
			return nil
		case <-s.watch.notify:
			s.rebuild(ctx, s.watch.take())
		case <-exited:
			s.exited(ctx)
		}
	}
}

// rebuild builds the changed sources and, when that works, switches to the new program.
func (s *supervisor) rebuild(ctx context.Context, paths []string) {
	if len(paths) == 0 {
		return
	}
	switch len(paths) {
	case 1:
		s.logf("%s changed, reloading.", paths[0])
	default:
		s.logf("%s and %d other files changed, reloading.", paths[0], len(paths)-1)
	}
	binary, output, err := s.build(ctx)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		s.broken = true
		s.page.setBuildError(output)
		s.logf("Build failed:\n%s", indent(output))
		if s.current != nil {
			s.logf("Still serving the last good build; save a fix to try again.")
		}
		return
	}
	s.page.setBuildError("")
	if s.broken {
		s.broken = false
		s.logf("Build fixed, restarting.")
	}
	s.replace(ctx, binary)
}

// build runs go build and returns the program it made, or go build's output.
func (s *supervisor) build(ctx context.Context) (binary, output string, err error) {
	s.builds++
	binary = filepath.Join(s.tmp, fmt.Sprintf("site-%d", s.builds))
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	args := append([]string{"build", "-o", binary}, s.cfg.BuildFlags...)
	cmd := exec.CommandContext(ctx, s.cfg.GoCommand, append(args, s.cfg.Package)...)
	cmd.Dir = s.cfg.Dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		return binary, "", nil
	}
	_ = os.Remove(binary)
	output = strings.TrimRight(string(out), "\n")
	switch {
	case errors.Is(err, exec.ErrNotFound):
		output = fmt.Sprintf("cannot run %q: %v; install Go or set Config.GoCommand to the go tool", s.cfg.GoCommand, err)
	case output == "":
		output = fmt.Sprintf("%s build %s: %v", s.cfg.GoCommand, s.cfg.Package, err)
	}
	return "", output, err
}

// indent prefixes every line of text, so build output stands apart from other messages.
func indent(text string) string {
	return "    " + strings.ReplaceAll(text, "\n", "\n    ")
}

// replace starts binary next to the current child and, once it is ready, stops the current one.
func (s *supervisor) replace(ctx context.Context, binary string) {
	next, err := s.start(binary, true)
	if err != nil {
		s.logf("Cannot start the new build: %v", err)
		_ = os.Remove(binary)
		return
	}
	timeout := time.NewTimer(s.cfg.ReadyTimeout)
	defer timeout.Stop()
	select {
	case <-next.ready:
	case <-next.done:
		s.logf("The new build exited before it was ready (%s).", next.status())
		s.page.setExit(next.status(), next.stderr.String())
		s.discard(next)
		if s.current != nil {
			s.logf("Still serving the previous build.")
		} else {
			s.serveProblem()
		}
		return
	case <-timeout.C:
		s.logf("The new build did not report ready within %s; switching to it anyway. Does it serve on reload.Listener()?", s.cfg.ReadyTimeout)
	case <-ctx.Done():
		s.stop(next)
		return
	}
	old := s.current
	s.current = next
	s.page.setExit("", "")
	s.stopProblem()
	if old != nil {
		s.retire(old)
	}
}

// retire stops a child that a newer one has replaced, in the background: the old child stops
// accepting connections, gets a moment to read the requests it has accepted, and is stopped.
func (s *supervisor) retire(old *child) {
	s.retiring.Add(1)
	go func() {
		defer s.retiring.Done()
		_, _ = io.WriteString(old.control, "drain\n")
		grace := time.NewTimer(drainGrace)
		select {
		case <-old.done:
		case <-grace.C:
		}
		grace.Stop()
		s.stop(old)
	}()
}

// exited handles the end of the current child that nobody asked to stop.
func (s *supervisor) exited(ctx context.Context) {
	c := s.current
	s.current = nil
	if c.cmd.ProcessState != nil && c.cmd.ProcessState.ExitCode() == ExitRestart {
		s.logf("The server exited with status %d; restarting it.", ExitRestart)
		// A program that asks for a restart as soon as it starts would spin: allow one a second.
		if wait := time.Second - time.Since(c.started); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				s.discard(c)
				return
			}
		}
		next, err := s.start(c.binary, c.temporary)
		if err == nil {
			s.current = next
			return
		}
		s.logf("Cannot restart the server: %v", err)
	}
	s.logf("The server exited unexpectedly (%s); it starts again when a watched file changes.", c.status())
	s.page.setExit(c.status(), c.stderr.String())
	s.discard(c)
	s.serveProblem()
}

// start runs binary as a child that inherits the listener, the readiness pipe and the
// supervisor pipe.
func (s *supervisor) start(binary string, temporary bool) (*child, error) {
	readyR, readyW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	supR, supW, err := os.Pipe()
	if err != nil {
		_ = readyR.Close()
		_ = readyW.Close()
		return nil, err
	}
	c := &child{
		binary:    binary,
		temporary: temporary,
		stderr:    &tail{max: 8 << 10},
		control:   supW,
		ready:     make(chan struct{}),
		done:      make(chan struct{}),
	}
	cmd := exec.Command(binary, s.cfg.Args...)
	cmd.Env = s.env
	cmd.Stdout = s.stdout
	cmd.Stderr = io.MultiWriter(s.log, c.stderr)
	cmd.ExtraFiles = []*os.File{s.socket, readyW, supR} // fds 3, 4 and 5
	cmd.SysProcAttr = childAttributes()
	cmd.WaitDelay = time.Second // do not wait on output that grandchildren hold open
	c.cmd = cmd
	err = cmd.Start()
	_ = readyW.Close()
	_ = supR.Close()
	if err != nil {
		_ = readyR.Close()
		_ = supW.Close()
		return nil, err
	}
	c.started = time.Now()
	go func() {
		var b [1]byte
		n, _ := readyR.Read(b[:])
		_ = readyR.Close()
		if n > 0 {
			close(c.ready)
		}
	}()
	go func() {
		c.err = cmd.Wait()
		_ = supW.Close()
		close(c.done)
	}()
	return c, nil
}

// stop ends a child: SIGTERM, then SIGKILL if it is still running after StopTimeout.
func (s *supervisor) stop(c *child) {
	select {
	case <-c.done:
	default:
		if terminate(c.cmd.Process) != nil {
			_ = c.cmd.Process.Kill()
		}
		timeout := time.NewTimer(s.cfg.StopTimeout)
		select {
		case <-c.done:
		case <-timeout.C:
			s.logf("The server (process %d) did not stop within %s of SIGTERM; killing it.", c.cmd.Process.Pid, s.cfg.StopTimeout)
			_ = c.cmd.Process.Kill()
			<-c.done
		}
		timeout.Stop()
	}
	s.discard(c)
}

// discard removes the build an ended child ran, unless it is the original program. (Only a
// restart after ExitRestart runs a build again, and it does not discard the child it replaces.)
func (s *supervisor) discard(c *child) {
	if c.temporary {
		_ = os.Remove(c.binary)
	}
}

// serveProblem makes the supervisor answer on the listener with the problem page.
func (s *supervisor) serveProblem() {
	if s.problem != nil {
		return
	}
	inner, err := net.FileListener(s.socket)
	if err != nil {
		s.logf("Cannot serve the error page: %v", err)
		return
	}
	p := &problemServer{
		srv: &http.Server{
			Handler:           &s.page,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          log.New(io.Discard, "", 0),
		},
		ln:   newDrainingListener(inner, nil),
		done: make(chan struct{}),
	}
	go func() {
		defer close(p.done)
		_ = p.srv.Serve(p.ln)
	}()
	s.problem = p
}

// stopProblem stops the problem page: it stops accepting at once and shuts down in the
// background, as a retired child does.
func (s *supervisor) stopProblem() {
	p := s.problem
	if p == nil {
		return
	}
	s.problem = nil
	p.ln.drain()
	s.retiring.Add(1)
	go func() {
		defer s.retiring.Done()
		time.Sleep(drainGrace)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if p.srv.Shutdown(ctx) != nil {
			_ = p.srv.Close()
		}
		<-p.done
	}()
}

func (s *supervisor) cleanup() {
	s.stopProblem()
	s.retiring.Wait()
	_ = s.socket.Close()
	_ = os.RemoveAll(s.tmp)
}

// lockedWriter serializes writes from the supervisor and the children's output copiers.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
