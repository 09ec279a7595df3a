package sqlstore

import (
	"context"
	"fmt"
)

// LockPositions serialises reading the debt of loans (their stored
// positions) with payment posting on them until tx ends: on PostgreSQL it
// locks their position rows (FOR UPDATE, in loan id order), so a payment
// whose posting already updated one of them is committed first and then
// seen whole, and one that has not yet waits until tx ends (its payment row
// stays invisible to tx meanwhile). SQLite's one writer and snapshot give
// the same guarantee. Loans without a position lock nothing.
func (tx *Tx) LockPositions(ctx context.Context, loanIDs []int64) error {
	if tx.db.d.engine != Postgres || tx.readOnly || len(loanIDs) == 0 {
		return nil
	}
	rows, err := tx.query(ctx, "SELECT loan_id FROM loan_positions WHERE loan_id IN ("+placeholders(len(loanIDs))+
		") ORDER BY loan_id FOR UPDATE", int64Args(loanIDs)...)
	if err != nil {
		return fmt.Errorf("lock positions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
	}
	return interpretError(rows.Err())
}

// LastPaymentIDOf returns the largest id of the payments on loans that tx
// sees (0 when none): read after LockPositions, the payments up to it are
// the ones the loans' positions count.
func (tx *Tx) LastPaymentIDOf(ctx context.Context, loanIDs []int64) (int64, error) {
	if len(loanIDs) == 0 {
		return 0, nil
	}
	var id int64
	err := tx.get(ctx, "Last payment", "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM payments WHERE loan_id IN ("+
		placeholders(len(loanIDs))+")", int64Args(loanIDs), num(&id))
	return id, err
}
