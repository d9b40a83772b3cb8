//go:build !unix

package reload

import (
	"errors"
	"net"
	"os"
	"syscall"
)

func closeOnExec(int) {}

func childAttributes() *syscall.SysProcAttr { return nil }

func listenerFile(net.Listener) (*os.File, error) {
	return nil, errors.New("automatic reloading needs a Unix-like system (Linux, macOS, BSD); serve without reloading instead")
}

func terminate(p *os.Process) error { return p.Kill() }
