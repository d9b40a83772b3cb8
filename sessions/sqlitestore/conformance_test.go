package sqlitestore

import (
	"path/filepath"
	"testing"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/internal/storetesting"
	"github.com/canter-go/canter/sessions/storetest"
)

func TestConformance(t *testing.T) {
	t.Run("JSON", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) sessions.Store {
			return open(t, filepath.Join(t.TempDir(), "s.db"), Config{})
		})
	})
	t.Run("Django", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) sessions.Store {
			return open(t, filepath.Join(t.TempDir(), "s.db"), Config{DjangoCompatible: true, SecretKey: storetesting.DjangoKey})
		})
	})
	t.Run("Memory", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) sessions.Store {
			return open(t, ":memory:", Config{})
		})
	})
}
