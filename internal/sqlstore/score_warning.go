package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"accord/internal/date"
)

// EarlyWarning is one stored early-warning signal on a borrower.
type EarlyWarning struct {
	BorrowerID int64           `json:"borrower_id"`
	AsOf       date.Date       `json:"as_of"`
	Code       string          `json:"code"`
	ZH         string          `json:"zh"`
	EN         string          `json:"en"`
	Evidence   json.RawMessage `json:"evidence"`
}

// SaveWarnings stores warnings; a warning of the same borrower, date and
// code is left as it is (re-running a night adds nothing).
func (tx *Tx) SaveWarnings(ctx context.Context, list []EarlyWarning) error {
	const cols = 6
	for start := 0; start < len(list); start += 500 {
		part := list[start:min(start+500, len(list))]
		args := make([]any, 0, cols*len(part))
		for _, w := range part {
			ev := string(w.Evidence)
			if ev == "" {
				ev = "{}"
			}
			args = append(args, w.BorrowerID, w.AsOf, w.Code, w.ZH, w.EN, ev)
		}
		if _, err := tx.exec(ctx, `INSERT INTO early_warnings (borrower_id, as_of, code, zh, en, evidence) VALUES `+
			rowsOf(len(part), cols)+` ON CONFLICT (borrower_id, as_of, code) DO NOTHING`, args...); err != nil {
			return fmt.Errorf("save early warnings: %w", err)
		}
	}
	return nil
}

// WarningsBetween returns the warnings stored from from to to (both
// included) of borrowers ids (every borrower when ids is nil), by
// borrower and date.
func (tx *Tx) WarningsBetween(ctx context.Context, ids []int64, from, to date.Date) ([]EarlyWarning, error) {
	var w where
	w.add("as_of >= ?", from)
	w.add("as_of <= ?", to)
	if ids != nil {
		if len(ids) == 0 {
			return nil, nil
		}
		w.add("borrower_id IN ("+placeholders(len(ids))+")", int64Args(ids)...)
	}
	rows, err := tx.query(ctx, "SELECT borrower_id, as_of, code, zh, en, evidence FROM early_warnings"+w.String()+
		" ORDER BY borrower_id, as_of, code", w.args...)
	if err != nil {
		return nil, fmt.Errorf("early warnings: %w", err)
	}
	defer rows.Close()
	var out []EarlyWarning
	for rows.Next() {
		var x EarlyWarning
		var ev string
		if err := rows.Scan(num(&x.BorrowerID), &x.AsOf, &x.Code, &x.ZH, &x.EN, &ev); err != nil {
			return nil, fmt.Errorf("scan early warning: %w", err)
		}
		x.Evidence = json.RawMessage(ev)
		out = append(out, x)
	}
	return out, interpretError(rows.Err())
}

// BorrowersActiveOn returns, in id order, the borrowers with something new
// on day d: a payment paid that day or a contact attempt performed between
// from and to (the day's bounds in the lender's zone). Early warnings can
// only change for them.
func (tx *Tx) BorrowersActiveOn(ctx context.Context, d date.Date, from, to time.Time) ([]int64, error) {
	return tx.int64s(ctx, `SELECT l.borrower_id FROM payments p JOIN loans l ON l.id = p.loan_id WHERE p.paid_on = ?
		UNION SELECT borrower_id FROM contact_attempts WHERE performed = ? AND started_at >= ? AND started_at < ?
		ORDER BY 1`, d, true, ts(from), ts(to))
}
