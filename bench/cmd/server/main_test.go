package main

import (
	"strings"
	"testing"
)

func TestRunRefuses(t *testing.T) {
	tests := []struct{ name, addr, want string }{
		{"nope", "127.0.0.1:0", `unknown server "nope"`},
		{"nethttp", "0.0.0.0:0", "loopback addresses only"},
		{"nethttp", "10.1.2.3:0", "loopback addresses only"},
		{"nethttp", "no-port", "missing port"},
	}
	for _, tt := range tests {
		err := run(tt.name, tt.addr, t.TempDir(), "")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q, %q) = %v, want an error saying %q", tt.name, tt.addr, err, tt.want)
		}
	}
}
