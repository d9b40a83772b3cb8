package memstore_test

import (
	"fmt"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/memstore"
)

// Sessions in memory, for tests and development.
func ExampleNew() {
	mw, err := sessions.New(sessions.Config{Store: memstore.New()})
	fmt.Println(mw != nil, err)
	// Output: true <nil>
}
