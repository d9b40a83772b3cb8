package reload

import (
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The environment and file descriptors that make a process a reload child. The supervisor
// sets both variables to "1" and passes three files after standard input, output and error:
//
//	fd 3  the listening socket (there is CANTER_LISTEN_FDS of them; always 1 today)
//	fd 4  the write end of the readiness pipe: the child writes one line, "ready\n", and closes it
//	fd 5  the read end of the supervisor pipe: the supervisor writes "drain\n" when a newer child
//	      is ready (stop accepting; SIGTERM follows), and it reaches end of file when the
//	      supervisor is gone
//
// A child reads the variables once and removes them from its environment, so programs it
// starts itself do not mistake themselves for reload children.
const (
	// EnvChild is set to "1" in the environment of a process started by Run.
	EnvChild = "CANTER_RELOAD_CHILD"
	// EnvListenFDs is the number of listening sockets the child inherits, from fd 3 on.
	EnvListenFDs = "CANTER_LISTEN_FDS"
)

const (
	listenerFD   = 3
	readyFD      = 4
	supervisorFD = 5
)

// ExitRestart is the exit status with which a child asks the supervisor to start it again
// at once (Django's autoreloader uses the same code), without waiting for a file change.
const ExitRestart = 3

// orphanGrace is how long a child whose supervisor has died may take to stop after it has been
// sent SIGTERM, before it exits on its own.
const orphanGrace = 5 * time.Second

// inheritance holds what this process received from a supervisor. It is process-wide because
// inherited file descriptors are: there is one set per process, adopted once.
type inheritance struct {
	once     sync.Once
	listener net.Listener
	ready    *os.File
	signaled sync.Once
}

var inherited inheritance

// Listener returns the listening socket inherited from the supervisor, and true, when this
// process was started by Run; otherwise it returns nil and false, and the program should
// listen itself. Every call returns the same listener.
//
// Calling Listener also makes this process watch its supervisor: when the supervisor dies (even
// by SIGKILL), the process receives SIGTERM, and exits with status 1 if it is still running
// five seconds later. A reload child therefore never outlives its supervisor.
//
// The returned listener signals readiness (see Ready) the first time its Accept is called, so
// a server that simply serves on it needs nothing more.
func Listener() (net.Listener, bool) {
	inherited.once.Do(inherited.adopt)
	if inherited.listener == nil {
		return nil, false
	}
	return inherited.listener, true
}

// Ready tells the supervisor that this process is about to serve, so that it may stop the
// previous one. Call it after start-up work (checks, connections, templates) and before
// serving; calls after the first, and calls in a process that is not a reload child, do
// nothing. Serving on the listener from Listener calls it by itself.
func Ready() {
	inherited.once.Do(inherited.adopt)
	inherited.signaled.Do(func() {
		if inherited.ready == nil {
			return
		}
		_, _ = io.WriteString(inherited.ready, "ready\n")
		_ = inherited.ready.Close()
	})
}

// adopt takes over the descriptors a supervisor passed, if it passed any.
func (in *inheritance) adopt() {
	if os.Getenv(EnvChild) != "1" {
		return
	}
	fds := os.Getenv(EnvListenFDs)
	_ = os.Unsetenv(EnvChild)
	_ = os.Unsetenv(EnvListenFDs)
	for _, fd := range []int{listenerFD, readyFD, supervisorFD} {
		closeOnExec(fd)
	}
	in.ready = os.NewFile(readyFD, "canter-reload-ready")
	var ln *drainingListener
	defer func() {
		go watchSupervisor(os.NewFile(supervisorFD, "canter-reload-supervisor"), ln)
	}()
	if fds != "1" {
		fmt.Fprintf(os.Stderr, "canter reload: %s=%q, want 1; serving without the supervisor's socket\n", EnvListenFDs, fds)
		return
	}
	f := os.NewFile(listenerFD, "canter-reload-listener")
	inner, err := net.FileListener(f)
	_ = f.Close() // FileListener made its own copy
	if err != nil {
		fmt.Fprintf(os.Stderr, "canter reload: cannot use the socket inherited on fd %d: %v\n", listenerFD, err)
		return
	}
	ln = newDrainingListener(inner, Ready)
	in.listener = ln
}

// watchSupervisor follows the supervisor pipe. Any message on it ("drain\n") means a newer
// server is ready: stop taking connections, SIGTERM follows. End of file means the supervisor
// is gone (it closed the pipe or died): stop this process.
func watchSupervisor(pipe *os.File, ln *drainingListener) {
	if info, err := pipe.Stat(); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		return // not the pipe a supervisor passes: nothing to watch
	}
	buf := make([]byte, 64)
	for {
		n, err := pipe.Read(buf)
		if n > 0 && ln != nil {
			ln.drain()
		}
		if err != nil {
			break
		}
	}
	fmt.Fprintln(os.Stderr, "The reloading supervisor is gone; stopping.")
	if self, err := os.FindProcess(os.Getpid()); err == nil {
		_ = self.Signal(syscall.SIGTERM)
	}
	time.Sleep(orphanGrace)
	os.Exit(1)
}

// drainingListener can stop handing out connections without closing its socket, which other
// processes go on accepting from. http.Server.Shutdown drops a connection whose request
// arrives after the shutdown began, so a server that is about to be stopped first stops
// accepting, while a newer one takes the connections, and is shut down a moment later.
type drainingListener struct {
	net.Listener
	ready     func() // called before every Accept, or nil
	draining  atomic.Bool
	closed    chan struct{}
	closeOnce sync.Once
}

func newDrainingListener(ln net.Listener, ready func()) *drainingListener {
	return &drainingListener{Listener: ln, ready: ready, closed: make(chan struct{})}
}

// Accept waits for and returns the next connection. Once the listener drains, Accept waits
// until Close and returns net.ErrClosed.
func (l *drainingListener) Accept() (net.Conn, error) {
	if l.ready != nil {
		l.ready()
	}
	if !l.draining.Load() {
		conn, err := l.Listener.Accept()
		if err == nil || !l.draining.Load() {
			return conn, err
		}
	}
	<-l.closed
	return nil, net.ErrClosed
}

// Close closes the listener and ends every Accept.
func (l *drainingListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// drain stops taking connections: an Accept in progress wakes up at once and later ones wait
// for Close. (The one in progress may still return a connection that arrives as it wakes: the
// runtime lets a ready socket win over an expired deadline. That connection is served before
// the shutdown that follows the drain.)
func (l *drainingListener) drain() {
	l.draining.Store(true)
	if d, ok := l.Listener.(interface{ SetDeadline(time.Time) error }); ok {
		_ = d.SetDeadline(time.Unix(1, 0)) // in the past: wakes a waiting Accept
	}
}
