package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"accord/internal/ledger"
)

// Schedule returns the installments of loan id in order; none if it has no
// schedule (or does not exist).
func (tx *Tx) Schedule(ctx context.Context, loanID int64) ([]ledger.Installment, error) {
	rows, err := tx.query(ctx, `SELECT seq, due_date, principal_minor, interest_minor FROM installments
		WHERE loan_id = ? ORDER BY seq`, loanID)
	if err != nil {
		return nil, fmt.Errorf("load schedule of loan %d: %w", loanID, err)
	}
	defer rows.Close()
	var list []ledger.Installment
	for rows.Next() {
		var in ledger.Installment
		if err := rows.Scan(&in.Seq, &in.DueDate, &in.Principal, &in.Interest); err != nil {
			return nil, fmt.Errorf("scan installment: %w", err)
		}
		list = append(list, in)
	}
	return list, interpretError(rows.Err())
}

// ReplaceSchedule replaces the installments of loan id with sched (at
// disbursement, or when a restructuring agreement takes effect) and sets the
// loan's next due date to the first new due date, so that the next nightly
// run ages it. It returns a NotFound error if there is no such loan.
func (tx *Tx) ReplaceSchedule(ctx context.Context, loanID int64, sched []ledger.Installment) error {
	if _, err := tx.exec(ctx, "DELETE FROM installments WHERE loan_id = ?", loanID); err != nil {
		return fmt.Errorf("delete schedule of loan %d: %w", loanID, err)
	}
	err := tx.insertRows(ctx, "INSERT INTO installments (loan_id, seq, due_date, principal_minor, interest_minor) VALUES ",
		5, len(sched), func(i int, a []any) []any {
			in := sched[i]
			return append(a, loanID, in.Seq, in.DueDate, int64(in.Principal), int64(in.Interest))
		})
	if err != nil {
		return fmt.Errorf("insert schedule of loan %d: %w", loanID, err)
	}
	res, err := tx.exec(ctx, `UPDATE loans SET next_due = (SELECT MIN(due_date) FROM installments WHERE loan_id = ?),
		updated_at = ? WHERE id = ?`, loanID, ts(tx.now), loanID)
	if err != nil {
		return fmt.Errorf("set next due of loan %d: %w", loanID, err)
	}
	return affected(res, fmt.Sprintf("Loan %d", loanID))
}

// insertRows inserts n rows with one multi-row INSERT per batch, as many rows
// per statement as the engine's parameter limit allows (up to 1000). head is
// "INSERT INTO t (c1, c2) VALUES " and row appends row i's cols values to a.
// The full-size statement is prepared once: parsing a thousand-row INSERT
// costs as much as running it.
func (tx *Tx) insertRows(ctx context.Context, head string, cols, n int, row func(i int, a []any) []any) error {
	return tx.insertRowsThen(ctx, head, "", cols, n, 1000, row)
}

// insertRowsThen is insertRows with a tail after the VALUES (an ON CONFLICT
// clause) and at most per rows in a statement.
func (tx *Tx) insertRowsThen(ctx context.Context, head, tail string, cols, n, per int, row func(i int, a []any) []any) error {
	if n == 0 {
		return nil
	}
	per = min(tx.db.d.maxParams/cols, per)
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, per*cols)
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		if end-start < per {
			_, err := tx.exec(ctx, head+rowsOf(end-start, cols)+tail, args...)
			return err
		}
		if full == nil {
			var err error
			if full, err = tx.tx.PrepareContext(ctx, tx.db.d.rebind(head+rowsOf(per, cols)+tail)); err != nil {
				return interpretError(err)
			}
		}
		if _, err := full.ExecContext(ctx, args...); err != nil {
			return interpretError(err)
		}
	}
	return nil
}
