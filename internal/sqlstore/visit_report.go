package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/date"
)

// BorrowerPayment is one payment of a borrower (not reversed), for the
// visit report.
type BorrowerPayment struct {
	BorrowerID  int64
	PaidOn      date.Date
	AmountMinor int64
}

// PaymentsOf returns the payments (not reversed) of the borrowers ids paid
// on from to to (both included), by borrower then date.
func (tx *Tx) PaymentsOf(ctx context.Context, ids []int64, from, to date.Date) ([]BorrowerPayment, error) {
	out := []BorrowerPayment{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := append(int64Args(ids[:n]), from, to)
		rows, err := tx.query(ctx, `SELECT l.borrower_id, p.paid_on, p.amount_minor FROM payments p JOIN loans l ON l.id = p.loan_id
			WHERE l.borrower_id IN (`+placeholders(n)+`) AND NOT p.reversed AND p.paid_on >= ? AND p.paid_on <= ?
			ORDER BY l.borrower_id, p.paid_on, p.id`, args...)
		if err != nil {
			return nil, fmt.Errorf("payments of borrowers: %w", err)
		}
		for rows.Next() {
			var bp BorrowerPayment
			if err := rows.Scan(num(&bp.BorrowerID), &bp.PaidOn, num(&bp.AmountMinor)); err != nil {
				rows.Close()
				return nil, interpretError(err)
			}
			out = append(out, bp)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
		ids = ids[n:]
	}
	return out, nil
}

// GroupRecovery is what the cases of one bucket, tier and segment that
// were never visited recovered: how many, what they owed overdue (now) and
// what they paid in the window.
type GroupRecovery struct {
	Bucket, Tier, Segment string
	Cases                 int
	OverdueMinor          int64
	PaidMinor             int64
}

// UnvisitedRecovery returns, per bucket, tier and segment, the cases opened
// on or before from, open on from, that no visit was made to, with their
// payments (not reversed) from from to to (both included).
func (tx *Tx) UnvisitedRecovery(ctx context.Context, from, to date.Date) ([]GroupRecovery, error) {
	rows, err := tx.query(ctx, `SELECT c.bucket, c.tier, c.segment, COUNT(*), CAST(COALESCE(SUM(c.overdue_minor), 0) AS BIGINT),
		CAST(COALESCE(SUM((SELECT SUM(p.amount_minor) FROM payments p JOIN loans l ON l.id = p.loan_id
			WHERE l.borrower_id = c.borrower_id AND NOT p.reversed AND p.paid_on >= ? AND p.paid_on <= ?)), 0) AS BIGINT)
		FROM cases c WHERE c.opened_on <= ? AND (c.closed_on IS NULL OR c.closed_on >= ?)
		AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.case_id = c.id AND v.state = 'done')
		GROUP BY c.bucket, c.tier, c.segment ORDER BY c.bucket, c.tier, c.segment`, from, to, from, from)
	if err != nil {
		return nil, fmt.Errorf("unvisited recovery: %w", err)
	}
	defer rows.Close()
	out := []GroupRecovery{}
	for rows.Next() {
		var g GroupRecovery
		if err := rows.Scan(&g.Bucket, &g.Tier, &g.Segment, num(&g.Cases), num(&g.OverdueMinor), num(&g.PaidMinor)); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, g)
	}
	return out, interpretError(rows.Err())
}
