package sqlstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// prepareSQLiteFile makes sure the database file at path is readable and
// writable by its owner only before SQLite opens it: it holds the loan book
// and (encrypted) personal data. A missing file is created empty with mode
// 0600, which SQLite then also gives the -wal and -shm files it creates
// beside it; an existing file (and its -wal and -shm) that group or others
// may read is narrowed to 0600.
func prepareSQLiteFile(path string) error {
	if path == ":memory:" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create sqlite file: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("stat %s: %w", p, err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, info.Mode().Perm()&0o700); err != nil {
				return fmt.Errorf("restrict %s to its owner: %w", p, err)
			}
		}
	}
	return nil
}
