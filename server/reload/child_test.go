package reload

import (
	"slices"
	"testing"
)

func TestListenerOutsideAReloadChild(t *testing.T) {
	if ln, ok := Listener(); ok || ln != nil {
		t.Fatalf("Listener() = %v, %v in a process the supervisor did not start", ln, ok)
	}
	Ready() // must do nothing
}

func TestChildEnvironment(t *testing.T) {
	base := []string{"PATH=/bin", EnvChild + "=0", "HOME=/home/u", EnvListenFDs + "=7"}
	got := childEnvironment(base, []string{"DEBUG=1"})
	want := []string{"PATH=/bin", "HOME=/home/u", "DEBUG=1", "CANTER_RELOAD_CHILD=1", "CANTER_LISTEN_FDS=1"}
	if !slices.Equal(got, want) {
		t.Errorf("childEnvironment = %q, want %q", got, want)
	}
}
