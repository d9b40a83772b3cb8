package storetest_test

import (
	"testing"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/memstore"
	"github.com/canter-go/canter/sessions/storetest"
)

// A store's test file runs the suite with a function that makes a fresh store.
func ExampleRun() {
	_ = func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) sessions.Store {
			return memstore.New()
		})
	}
}
