//go:build unix

package reload

import (
	"errors"
	"net"
	"os"
	"syscall"
)

// closeOnExec keeps an inherited descriptor from leaking into programs the child starts.
func closeOnExec(fd int) {
	syscall.CloseOnExec(fd)
}

// childAttributes puts a child in a process group of its own, so that the terminal's CONTROL-C
// reaches only the supervisor, which then stops the child in order.
func childAttributes() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// listenerFile duplicates the listening socket into a file to pass to children. Unlike the
// File method of a listener, it leaves the socket in non-blocking mode, which the supervisor's
// own error page server and every child rely on.
func listenerFile(ln net.Listener) (*os.File, error) {
	sc, ok := ln.(syscall.Conn)
	if !ok {
		return nil, errors.New("the listener has no file descriptor to pass on; use a *net.TCPListener or *net.UnixListener")
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil, err
	}
	var dup int
	var dupErr error
	err = raw.Control(func(fd uintptr) {
		syscall.ForkLock.RLock()
		defer syscall.ForkLock.RUnlock()
		dup, dupErr = syscall.Dup(int(fd))
		if dupErr == nil {
			syscall.CloseOnExec(dup)
		}
	})
	if err == nil {
		err = dupErr
	}
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(dup), "canter-reload-listener"), nil
}

// terminate asks a child to stop.
func terminate(p *os.Process) error {
	return p.Signal(syscall.SIGTERM)
}
