package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/ledger"
)

const payAttemptCols = `id, external_id, borrower_id, loan_id, attempted_on, amount_minor, channel, status, reason, created_at`

func payAttemptDest(a *ledger.PaymentAttempt) []any {
	return []any{num(&a.ID), &a.ExternalID, num(&a.BorrowerID), num(&a.LoanID), &a.AttemptedOn, num(&a.Amount), &a.Channel,
		&a.Status, &a.Reason, instant{&a.CreatedAt}}
}

// CreatePaymentAttempt stores a and sets its ID and CreatedAt. It returns
// a Conflict error when an attempt with its ExternalID exists.
func (tx *Tx) CreatePaymentAttempt(ctx context.Context, a *ledger.PaymentAttempt) error {
	a.CreatedAt = tx.now
	err := tx.get(ctx, "Payment attempt", `INSERT INTO payment_attempts (external_id, borrower_id, loan_id, attempted_on,
		amount_minor, channel, status, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{a.ExternalID, a.BorrowerID, a.LoanID, a.AttemptedOn, int64(a.Amount), a.Channel, a.Status, a.Reason, ts(tx.now)}, &a.ID)
	if err != nil {
		return fmt.Errorf("create payment attempt: %w", conflict(err, "Payment attempt %q was already recorded.", a.ExternalID))
	}
	return nil
}

// PaymentAttemptByExternalID returns the attempt recorded under
// externalID. It returns a NotFound error if there is none.
func (tx *Tx) PaymentAttemptByExternalID(ctx context.Context, externalID string) (ledger.PaymentAttempt, error) {
	var a ledger.PaymentAttempt
	err := tx.get(ctx, fmt.Sprintf("Payment attempt %q", externalID), "SELECT "+payAttemptCols+
		" FROM payment_attempts WHERE external_id = ?", []any{externalID}, payAttemptDest(&a)...)
	return a, err
}

// WarningCandidates returns the borrowers whose signals of
// features.DetectSignals can change on day d (from and to bound d in the
// lender's zone): a payment attempt on d, a phone or address change during d, or an
// instalment of a running plan due features.PlanLateDays days before d.
func (tx *Tx) WarningCandidates(ctx context.Context, d date.Date, from, to time.Time) ([]int64, error) {
	return tx.int64s(ctx, `SELECT borrower_id FROM payment_attempts WHERE attempted_on = ?
		UNION SELECT borrower_id FROM contact_changes WHERE changed_at >= ? AND changed_at < ?
		UNION SELECT borrower_id FROM borrower_address_changes WHERE created_at >= ? AND created_at < ?
		UNION SELECT i.borrower_id FROM plan_installments i JOIN plans p ON p.id = i.plan_id
			WHERE i.due_on = ? AND p.status IN ('active', 'in_grace')
		ORDER BY 1`, d, ts(from), ts(to), ts(from), ts(to), d.AddDays(-features.PlanLateDays))
}
