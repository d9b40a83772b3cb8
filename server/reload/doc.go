// Package reload restarts a Go web server when its source files change: the engine behind
// runserver's automatic reloading.
//
// Django's runserver runs the site in a child process and starts a new child when a file
// changes. A Go program has to be rebuilt first, so here the supervisor (Run) polls the
// modification times of the project's files, like Django's StatReloader, and on a change runs
// go build. When the build works it starts the new program next to the old one, on the same
// listening socket, waits until the new one is ready and only then stops the old one: the
// address never stops answering and the port is never bound twice. When the build fails, the
// compiler's messages go to the terminal and the last good build keeps serving; when no build
// is serving at all, the supervisor answers every request with a page that shows the error.
//
// One program plays both roles. Started by a person, it finds no inherited listener and
// becomes the supervisor; started by the supervisor, it gets the socket from Listener:
//
//	func main() {
//		if ln, ok := reload.Listener(); ok {
//			// A child: serve on the inherited socket until SIGTERM (see ExampleRun).
//			serve(ln)
//			return
//		}
//		ln, err := net.Listen("tcp", "127.0.0.1:8000")
//		if err != nil {
//			log.Fatal(err)
//		}
//		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
//		defer stop()
//		if err := reload.Run(ctx, reload.Config{Listener: ln, Args: os.Args[1:]}); err != nil {
//			log.Fatal(err)
//		}
//	}
//
// # The protocol between supervisor and child
//
// A child is started with the environment variables CANTER_RELOAD_CHILD=1 and
// CANTER_LISTEN_FDS=1 and three inherited files: the listening socket as fd 3, the write end
// of a readiness pipe as fd 4 and the read end of a supervisor pipe as fd 5. The child writes
// "ready\n" to fd 4 when it starts serving (Ready; the listener from Listener does it on its
// first Accept).
//
// The supervisor keeps the other end of fd 5. When a newer child is ready, it writes
// "drain\n" there: the old child's listener stops taking connections, so that the new one gets
// them all, and a moment later the supervisor sends SIGTERM. (http.Server.Shutdown drops a
// connection whose request it reads after the shutdown began; draining first keeps that from
// happening to a request that arrives during a reload.) The child then shuts its server down,
// finishing the requests in flight; note that http.Server.Serve returns as soon as Shutdown
// starts, so main must wait for Shutdown to return before it exits. A child still running
// after Config.StopTimeout is killed.
//
// The child reads end of file on fd 5 exactly when the supervisor is gone, even after
// SIGKILL; it then sends itself SIGTERM, and exits if it is still running five seconds later,
// so no server outlives its supervisor. A child asks to be restarted by exiting with status 3
// (ExitRestart), as in Django.
//
// Children run in a process group of their own, so CONTROL-C in the terminal reaches only the
// supervisor, which stops the child in order and removes its temporary builds.
//
// Reloading needs a Unix-like system (Linux, macOS, the BSDs); elsewhere Run returns an error
// and Listener reports that the process is not a reload child.
package reload
