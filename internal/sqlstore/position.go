package sqlstore

import (
	"context"
	"fmt"
	"sort"

	"accord/internal/ledger"
)

// PositionRow is what the nightly run stores for one loan: its position as
// of a date, the delinquency bucket it falls in, and the loan status the run
// decided on (empty to leave the status alone).
type PositionRow struct {
	ledger.Position
	BorrowerID int64
	Bucket     string
	Status     ledger.Status
}

const positionCols = `loan_id, borrower_id, as_of, dpd, bucket, oldest_unpaid_due, next_due, paid_off_on,
	outstanding_principal_minor, overdue_principal_minor, overdue_interest_minor, penalty_due_minor, fees_due_minor,
	above_cap_minor, penalty_accrued_minor, credit_minor, overdue_installments, paid_installments`

func positionDest(r *PositionRow) []any {
	p := &r.Position
	return []any{num(&p.LoanID), num(&r.BorrowerID), &p.AsOf, num(&p.DPD), &r.Bucket, &p.OldestUnpaidDue, &p.NextDue, &p.PaidOffOn,
		num(&p.OutstandingPrincipal), num(&p.OverduePrincipal), num(&p.OverdueInterest), num(&p.PenaltyDue), num(&p.FeesDue),
		num(&p.AboveCap), num(&p.PenaltyAccrued), num(&p.Credit), num(&p.OverdueInstallments), num(&p.PaidInstallments)}
}

func positionArgs(a []any, r *PositionRow) []any {
	p := &r.Position
	return append(a, p.LoanID, r.BorrowerID, p.AsOf, p.DPD, r.Bucket, p.OldestUnpaidDue, p.NextDue, p.PaidOffOn,
		int64(p.OutstandingPrincipal), int64(p.OverduePrincipal), int64(p.OverdueInterest), int64(p.PenaltyDue),
		int64(p.FeesDue), int64(p.AboveCap), int64(p.PenaltyAccrued), int64(p.Credit), p.OverdueInstallments,
		p.PaidInstallments)
}

// Position returns the last stored position of loan id (Status is left
// empty). It returns a NotFound error if the loan has never been aged.
func (tx *Tx) Position(ctx context.Context, loanID int64) (PositionRow, error) {
	var r PositionRow
	err := tx.get(ctx, fmt.Sprintf("Position of loan %d", loanID), "SELECT "+positionCols+
		" FROM loan_positions WHERE loan_id = ?", []any{loanID}, positionDest(&r)...)
	return r, err
}

// PositionsOf returns the stored positions of the loans in ids that have
// one, by loan id: for a page of loans that shows their DPD and bucket.
func (tx *Tx) PositionsOf(ctx context.Context, ids []int64) (map[int64]PositionRow, error) {
	out := make(map[int64]PositionRow, len(ids))
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		rows, err := tx.query(ctx, "SELECT "+positionCols+" FROM loan_positions WHERE loan_id IN ("+
			placeholders(len(part))+")", int64Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("load positions: %w", err)
		}
		for rows.Next() {
			var r PositionRow
			if err := rows.Scan(positionDest(&r)...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan position: %w", err)
			}
			out[r.LoanID] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
	}
	return out, nil
}

// SavePositions stores rows (replacing each loan's previous position) with
// multi-row statements, and brings each loan's next due date, and its status
// where the row sets one, into line. It is the nightly run's write path:
// call it once per chunk.
func (tx *Tx) SavePositions(ctx context.Context, rows []PositionRow) error {
	if len(rows) == 0 {
		return nil
	}
	head := "INSERT INTO loan_positions (" + positionCols + ") VALUES "
	tail := ` ON CONFLICT (loan_id) DO UPDATE SET borrower_id = excluded.borrower_id, as_of = excluded.as_of,
		dpd = excluded.dpd, bucket = excluded.bucket, oldest_unpaid_due = excluded.oldest_unpaid_due,
		next_due = excluded.next_due, paid_off_on = excluded.paid_off_on, outstanding_principal_minor = excluded.outstanding_principal_minor,
		overdue_principal_minor = excluded.overdue_principal_minor, overdue_interest_minor = excluded.overdue_interest_minor,
		penalty_due_minor = excluded.penalty_due_minor, fees_due_minor = excluded.fees_due_minor,
		above_cap_minor = excluded.above_cap_minor, penalty_accrued_minor = excluded.penalty_accrued_minor,
		credit_minor = excluded.credit_minor, overdue_installments = excluded.overdue_installments,
		paid_installments = excluded.paid_installments`
	err := tx.insertRowsThen(ctx, head, tail, 18, len(rows), 500, func(i int, a []any) []any {
		return positionArgs(a, &rows[i])
	})
	if err != nil {
		return fmt.Errorf("save positions: %w", err)
	}
	// The next due date comes from the row just written, so it is typed by
	// the table on both engines.
	for start := 0; start < len(rows); start += 1000 {
		part := rows[start:min(start+1000, len(rows))]
		ids := make([]any, len(part))
		for i := range part {
			ids[i] = part[i].LoanID
		}
		// Only the loans whose next due date moved are written: most
		// nights leave most of them as they were.
		_, err := tx.exec(ctx, `UPDATE loans SET next_due = (SELECT p.next_due FROM loan_positions p
			WHERE p.loan_id = loans.id) WHERE id IN (`+placeholders(len(ids))+`)
			AND next_due IS DISTINCT FROM (SELECT p.next_due FROM loan_positions p WHERE p.loan_id = loans.id)`, ids...)
		if err != nil {
			return fmt.Errorf("update next due: %w", err)
		}
	}
	return tx.SetLoanStatuses(ctx, rows)
}

// SetLoanStatuses sets the loan status each of rows sets (where it sets
// one), writing only the loans whose status differs, with one statement
// per status and batch.
func (tx *Tx) SetLoanStatuses(ctx context.Context, rows []PositionRow) error {
	by := map[ledger.Status][]any{}
	for _, r := range rows {
		if r.Status != "" {
			by[r.Status] = append(by[r.Status], r.LoanID)
		}
	}
	statuses := make([]ledger.Status, 0, len(by))
	for s := range by {
		statuses = append(statuses, s)
	}
	sort.Slice(statuses, func(i, j int) bool { return statuses[i] < statuses[j] })
	for _, s := range statuses {
		ids := by[s]
		for start := 0; start < len(ids); start += 1000 {
			part := ids[start:min(start+1000, len(ids))]
			args := append([]any{string(s), ts(tx.now), string(s)}, part...)
			_, err := tx.exec(ctx, "UPDATE loans SET status = ?, updated_at = ? WHERE status <> ? AND id IN ("+
				placeholders(len(part))+")", args...)
			if err != nil {
				return fmt.Errorf("set loan status %s: %w", s, err)
			}
		}
	}
	return nil
}
