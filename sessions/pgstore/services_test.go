package pgstore

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/canter-go/canter/sessions/internal/storetesting"
)

// testDSN returns the address of the test database: $CANTER_TEST_POSTGRES, or the local
// server (127.0.0.1:5432, user postgres, database test). When it cannot be reached the test
// is skipped, or fails with CANTER_TEST_SERVICES=require.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("CANTER_TEST_POSTGRES")
	if dsn == "" {
		dsn = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err == nil {
		err = conn.Ping(ctx)
		conn.Close(ctx)
	}
	if err != nil {
		storetesting.Unavailable(t, fmt.Sprintf("PostgreSQL is not reachable (%v): start it on 127.0.0.1:5432 (user postgres, database test, trust auth) or set CANTER_TEST_POSTGRES to a database URL", err))
	}
	return dsn
}

var tableSeq atomic.Int64

// testTable returns a table name of its own for this test run and drops it after the test.
func testTable(t testing.TB, dsn string) string {
	t.Helper()
	name := fmt.Sprintf("canter_session_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, tableSeq.Add(1))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("cannot drop table %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS `+pgx.Identifier{name}.Sanitize()); err != nil {
			t.Errorf("cannot drop table %s: %v", name, err)
		}
	})
	return name
}
