package collect

import (
	"context"
	"fmt"
	"strconv"

	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// RecordPaymentAttempt records an attempt the lender's payment system
// made to collect on a loan, above all a failed auto-debit (channel
// withholding), which the nightly early-warning scan reads. It is
// idempotent by ExternalID: the same attempt again returns the stored one
// (created false); the same reference with other details is a Conflict.
// It returns an Invalid error naming the field at fault (also for a loan
// that does not exist or is outside by's scope) and writes nothing then.
func (s *Service) RecordPaymentAttempt(ctx context.Context, by Actor, a ledger.PaymentAttempt) (ledger.PaymentAttempt, bool, error) {
	if err := a.Validate(s.Today()); err != nil {
		return ledger.PaymentAttempt{}, false, err
	}
	created := false
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := s.mayPayInto(ctx, tx, by, a.LoanID); err != nil {
			return err
		}
		old, err := tx.PaymentAttemptByExternalID(ctx, a.ExternalID)
		if err == nil {
			if old.LoanID != a.LoanID || old.Amount != a.Amount || old.AttemptedOn != a.AttemptedOn || old.Status != a.Status ||
				old.Channel != a.Channel {
				return errs.Errorf(errs.Conflict, "Payment attempt %s was already recorded with different details.", a.ExternalID)
			}
			a = old
			return nil
		}
		if errs.CodeOf(err) != errs.NotFound {
			return err
		}
		l, err := tx.Loan(ctx, a.LoanID)
		if err != nil {
			return err
		}
		a.BorrowerID = l.BorrowerID
		if err := tx.CreatePaymentAttempt(ctx, &a); err != nil {
			return err
		}
		created = true
		return tx.AppendAudit(ctx, s.event(by, "payment_attempt.record", "loan", strconv.FormatInt(l.ID, 10),
			map[string]any{"attempt_id": a.ID, "external_id": a.ExternalID, "amount": a.Amount, "attempted_on": a.AttemptedOn,
				"channel": a.Channel, "status": a.Status, "reason": a.Reason}))
	})
	if err != nil {
		return ledger.PaymentAttempt{}, false, fmt.Errorf("record payment attempt: %w", err)
	}
	return a, created, nil
}
