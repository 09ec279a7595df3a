package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/offer"
)

// The kinds of ledger adjustment.
const (
	AdjustWaiver            = "waiver"             // waived at activation (immediate waiver)
	AdjustWaiverConditional = "waiver_conditional" // a conditional waiver applied once its condition was met
	AdjustRestructure       = "restructure"        // the balance moved to the plan (amount financed) at activation
)

// Adjustment is a ledger adjustment by component: an amount taken off (a
// waiver) or moved (restructure) without a payment, kept beside the
// original schedule, payments and allocations, which it never changes.
type Adjustment struct {
	ID         int64            `json:"id"`
	BorrowerID int64            `json:"borrower_id"`
	LoanID     int64            `json:"loan_id"`
	PlanID     int64            `json:"plan_id"`
	Kind       string           `json:"kind"`
	On         date.Date        `json:"on"`
	Amount     offer.Components `json:"amount"`
	Note       string           `json:"note,omitempty"`
	CreatedAt  time.Time        `json:"created_at"`
}

// CreateAdjustment stores a and sets its ID and CreatedAt.
func (tx *Tx) CreateAdjustment(ctx context.Context, a *Adjustment) error {
	a.CreatedAt = tx.now
	c := a.Amount
	err := tx.get(ctx, "Adjustment", `INSERT INTO ledger_adjustments (borrower_id, loan_id, plan_id, kind, on_date,
		principal_minor, interest_minor, penalty_minor, fees_minor, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`, []any{a.BorrowerID, a.LoanID, a.PlanID, a.Kind, a.On, int64(c.Principal), int64(c.Interest),
		int64(c.Penalty), int64(c.Fees), a.Note, ts(tx.now)}, &a.ID)
	if err != nil {
		return fmt.Errorf("create %s adjustment on loan %d: %w", a.Kind, a.LoanID, err)
	}
	return nil
}

// Adjustments returns loan loanID's adjustments, oldest first.
func (tx *Tx) Adjustments(ctx context.Context, loanID int64) ([]Adjustment, error) {
	rows, err := tx.query(ctx, `SELECT id, borrower_id, loan_id, plan_id, kind, on_date, principal_minor, interest_minor,
		penalty_minor, fees_minor, note, created_at FROM ledger_adjustments WHERE loan_id = ? ORDER BY id`, loanID)
	if err != nil {
		return nil, fmt.Errorf("load adjustments of loan %d: %w", loanID, err)
	}
	defer rows.Close()
	var out []Adjustment
	for rows.Next() {
		var a Adjustment
		c := &a.Amount
		if err := rows.Scan(num(&a.ID), num(&a.BorrowerID), num(&a.LoanID), num(&a.PlanID), &a.Kind, &a.On,
			num(&c.Principal), num(&c.Interest), num(&c.Penalty), num(&c.Fees), &a.Note, instant{&a.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan adjustment: %w", err)
		}
		out = append(out, a)
	}
	return out, interpretError(rows.Err())
}
