package pgstore

import (
	"testing"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/internal/storetesting"
	"github.com/canter-go/canter/sessions/storetest"
)

func TestConformance(t *testing.T) {
	dsn := testDSN(t)
	t.Run("JSON", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) sessions.Store {
			return open(t, dsn, Config{Table: testTable(t, dsn)})
		})
	})
	t.Run("Django", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) sessions.Store {
			return open(t, dsn, Config{Table: testTable(t, dsn), DjangoCompatible: true, SecretKey: storetesting.DjangoKey})
		})
	})
}
