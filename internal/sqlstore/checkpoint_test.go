package sqlstore_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// CheckpointAlong on SQLite: while it runs, the writer's commits leave the
// log to the checkpointer, which copies what is committed into the
// database file by itself; once ended, the writer checkpoints again as
// before. On PostgreSQL it does nothing and fails nothing.
func TestCheckpointAlong(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		dsn := storetest.SQLiteDSN(t)
		db, err := sqlstore.Open(vctx, dsn, storetest.Cipher(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(vctx); err != nil {
			t.Fatal(err)
		}
		end, err := db.CheckpointAlong(vctx)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := db.WriterPragmaForTest(vctx, "wal_autocheckpoint"); err != nil || n != 0 {
			t.Errorf("writer's wal_autocheckpoint during the pass = %d (%v), want 0", n, err)
		}
		b, _, _ := vCase(t, db, 1, "M1") // a few commits, far below the writer's 1000 pages
		// The database file alone (without its log) soon holds the borrower.
		path := strings.TrimPrefix(dsn, "sqlite:")
		deadline := time.Now().Add(10 * time.Second)
		for !fileHoldsBorrower(t, path, b.ID) {
			if time.Now().After(deadline) {
				t.Fatal("the database file does not hold what was committed 10 s later: no checkpoint ran")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err := end(); err != nil {
			t.Fatalf("end: %v", err)
		}
		if n, err := db.WriterPragmaForTest(vctx, "wal_autocheckpoint"); err != nil || n != 1000 {
			t.Errorf("writer's wal_autocheckpoint after the pass = %d (%v), want 1000 back", n, err)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		db := storetest.OpenPostgres(t)
		end, err := db.CheckpointAlong(vctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := end(); err != nil {
			t.Fatal(err)
		}
	})
}

// fileHoldsBorrower reports whether a copy of the database file at path,
// without its write-ahead log, holds borrower id.
func fileHoldsBorrower(t *testing.T, path string, id int64) bool {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(cp, body, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := sql.Open("sqlite", cp)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n int
	// A copy taken halfway through a checkpoint may not read: not yet.
	if err := c.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM borrowers WHERE id = ?", id).Scan(&n); err != nil {
		return false
	}
	return n == 1
}
