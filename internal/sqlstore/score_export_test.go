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
