package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"accord/internal/audit"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestSQLiteFileMode: the database file and the -wal and -shm files SQLite
// creates beside it are the owner's only, whatever the umask; an existing
// file readable by others is narrowed.
func TestSQLiteFileMode(t *testing.T) {
	old := syscall.Umask(0o022) // the usual umask: files 0644 unless created otherwise
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "accord.db")
	db, err := sqlstore.Open(ctx, "sqlite:"+path, storetest.Cipher(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.AppendAudit(ctx, audit.Event{Action: "test", Actor: audit.CLI})
	}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			continue
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", filepath.Base(p), perm)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = sqlstore.Open(ctx, "sqlite:"+path, storetest.Cipher(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("an existing 0644 database file was left at %04o", info.Mode().Perm())
	}
}
