package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/casework"
	"accord/internal/date"
)

// CaseRef names a case and its borrower.
type CaseRef struct {
	ID         int64
	BorrowerID int64
}

// NextCaseCandidates returns up to limit of the open cases owned by o not
// worked on today, in the order "Get next case" hands them out (highest
// expected value first), from offset on. It marks nothing: ClaimCase does.
func (tx *Tx) NextCaseCandidates(ctx context.Context, o casework.Owner, today date.Date, limit, offset int) ([]CaseRef, error) {
	rows, err := tx.query(ctx, `SELECT id, borrower_id FROM cases WHERE owner_id = ? AND owner_kind = ? AND status = 'open'
		AND (worked_on IS NULL OR worked_on < ?) ORDER BY ev_minor DESC, balance_minor DESC, id LIMIT ? OFFSET ?`,
		o.ID, string(o.Kind), today, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list next case candidates: %w", err)
	}
	defer rows.Close()
	var out []CaseRef
	for rows.Next() {
		var c CaseRef
		if err := rows.Scan(num(&c.ID), num(&c.BorrowerID)); err != nil {
			return nil, fmt.Errorf("scan case: %w", err)
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}

// ClaimCase marks open case id worked on today unless it already is, and
// reports whether it did: a second request for the same case (another tab,
// or PostgreSQL re-checking after waiting for the row) gets false.
func (tx *Tx) ClaimCase(ctx context.Context, id int64, today date.Date) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE cases SET worked_on = ? WHERE id = ? AND status = 'open'
		AND (worked_on IS NULL OR worked_on < ?)`, today, id, today)
	if err != nil {
		return false, fmt.Errorf("claim case %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, interpretError(err)
}
