package sqlstore

import "context"

// BorrowerName returns the name of borrower id without decrypting anything,
// for pages that only label a loan with its borrower. It returns a NotFound
// error if there is no such borrower.
func (tx *Tx) BorrowerName(ctx context.Context, id int64) (string, error) {
	var name string
	err := tx.get(ctx, "Borrower", `SELECT name FROM borrowers WHERE id = ?`, []any{id}, &name)
	return name, err
}
