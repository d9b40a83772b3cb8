package pgstore

import (
	"os/exec"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/canter-go/canter/sessions/internal/storetesting"
)

// Django itself reads the sessions this store writes in its layout, and this store reads and
// merges into the sessions Django writes, in one PostgreSQL table.
func TestWithDjango(t *testing.T) {
	dsn := testDSN(t)
	py := storetesting.DjangoPython(t)
	if exec.Command(py, "-c", "import psycopg2").Run() != nil {
		t.Skipf("%s cannot import psycopg2, which Django needs for PostgreSQL (Debian: python3-psycopg2)", py)
	}
	pc, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	database := map[string]string{"ENGINE": "django.db.backends.postgresql", "NAME": pc.Database, "USER": pc.User,
		"PASSWORD": pc.Password, "HOST": pc.Host, "PORT": strconv.Itoa(int(pc.Port))}
	table := testTable(t, dsn)
	s := open(t, dsn, Config{Table: table, DjangoCompatible: true, SecretKey: storetesting.DjangoSecret})
	storetesting.DjangoInterop(t, py, database, table, s)
}
