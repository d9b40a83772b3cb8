package sqlitestore

import (
	"path/filepath"
	"testing"

	"github.com/canter-go/canter/sessions/internal/storetesting"
)

// Django itself reads the sessions this store writes in its layout, and this store reads and
// merges into the sessions Django writes, in one SQLite file.
func TestWithDjango(t *testing.T) {
	py := storetesting.DjangoPython(t)
	path := filepath.Join(t.TempDir(), "db.sqlite3")
	database := map[string]string{"ENGINE": "django.db.backends.sqlite3", "NAME": path}
	s := open(t, path, Config{DjangoCompatible: true, SecretKey: storetesting.DjangoSecret})
	storetesting.DjangoInterop(t, py, database, "django_session", s)
}
