package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/sessions/internal/sqlcodec"
)

// shape is what an UPDATE statement of the default layout depends on: the number of keys it
// deletes and sets, and whether it clears the session first.
type shape struct {
	clear       bool
	delete, set int
}

// maxCachedShape bounds the statements kept prepared: changes of more keys are rare and get
// a statement for the one call.
const maxCachedShape = 8

// updateSQL returns the UPDATE statement of a shape. Its parameters are ?1 the session key,
// ?2 now, ?3 the new expiry, then the JSON paths of the deleted keys, then the path and value
// of each set key.
func (s *Store) updateSQL(sh shape) string {
	var b strings.Builder
	b.WriteString(`UPDATE `)
	b.WriteString(quote(s.table))
	b.WriteString(` SET `)
	if sh.clear || sh.delete > 0 || sh.set > 0 {
		data := `"session_data"`
		if sh.clear {
			data = `'{}'`
		}
		n := 4
		if sh.delete > 0 {
			var r strings.Builder
			r.WriteString("json_remove(" + data)
			for range sh.delete {
				r.WriteString(", ?" + strconv.Itoa(n))
				n++
			}
			r.WriteString(")")
			data = r.String()
		}
		if sh.set > 0 {
			var r strings.Builder
			r.WriteString("json_set(" + data)
			for range sh.set {
				fmt.Fprintf(&r, ", ?%d, json(?%d)", n, n+1)
				n += 2
			}
			r.WriteString(")")
			data = r.String()
		}
		b.WriteString(`"session_data" = `)
		b.WriteString(data)
		b.WriteString(`, `)
	}
	b.WriteString(`"expire_date" = ?3 WHERE "session_key" = ?1 AND "expire_date" > ?2`)
	return b.String()
}

// updateStmt returns the prepared statement of a shape, preparing it on first use.
func (s *Store) updateStmt(sh shape) (*sql.Stmt, error) {
	s.shapesMu.RLock()
	stmt := s.shapes[sh]
	s.shapesMu.RUnlock()
	if stmt != nil {
		return stmt, nil
	}
	s.shapesMu.Lock()
	defer s.shapesMu.Unlock()
	if stmt := s.shapes[sh]; stmt != nil {
		return stmt, nil
	}
	stmt, err := s.write.Prepare(s.updateSQL(sh))
	if err != nil {
		return nil, err
	}
	s.shapes[sh] = stmt
	return stmt, nil
}

// updateJSON merges ch into a session of the default layout with one statement, which SQLite
// runs atomically: it takes the write lock when it starts.
func (s *Store) updateJSON(ctx context.Context, key string, ch *sessions.Changes) error {
	sh := shape{clear: ch.Clear, delete: len(ch.Delete), set: len(ch.Set)}
	if ch.Clear {
		sh.delete = 0 // nothing left to delete
	}
	args := make([]any, 3, 3+sh.delete+2*sh.set)
	args[0], args[1], args[2] = key, s.timeValue(s.now()), s.timeValue(ch.Expiry)
	var path []byte
	if sh.delete > 0 {
		for _, k := range ch.Delete {
			path = sqlcodec.AppendString(append(path[:0], "$."...), k)
			args = append(args, string(path))
		}
	}
	for k, v := range ch.Set {
		if err := sqlcodec.CheckValue("sqlitestore", k, v); err != nil {
			return err
		}
		path = sqlcodec.AppendString(append(path[:0], "$."...), k)
		// A string, not []byte: json() would read a blob as SQLite's binary JSONB.
		args = append(args, string(path), string(v))
	}
	var res sql.Result
	var err error
	if sh.delete <= maxCachedShape && sh.set <= maxCachedShape {
		var stmt *sql.Stmt
		if stmt, err = s.updateStmt(sh); err == nil {
			res, err = stmt.ExecContext(ctx, args...)
		}
	} else {
		res, err = s.write.ExecContext(ctx, s.updateSQL(sh), args...)
	}
	if err != nil {
		return s.fail("update", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.fail("update", err)
	}
	if n == 0 {
		return sessions.ErrNotFound
	}
	return nil
}
