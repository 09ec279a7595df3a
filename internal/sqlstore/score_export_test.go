package sqlstore

import "context"

// ExecForTest runs a statement as written (placeholders "?"), for a test
// that changes the ledger tables the way no store method does.
func (tx *Tx) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := tx.exec(ctx, query, args...)
	return err
}

// CountForTest returns the count a SELECT COUNT(*) … query gives.
func (tx *Tx) CountForTest(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := tx.get(ctx, "count", query, args, &n)
	return n, err
}

// WriterPragmaForTest returns the value of PRAGMA name on the SQLite
// writer's connection.
func (db *DB) WriterPragmaForTest(ctx context.Context, name string) (int64, error) {
	var n int64
	err := db.write.QueryRowContext(ctx, "PRAGMA "+name).Scan(&n)
	return n, err
}
