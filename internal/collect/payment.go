package collect

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// ErrPaymentReversed is returned when reversing a payment twice.
var ErrPaymentReversed = errs.Errorf(errs.Conflict, "Payment is already reversed.")

// RecordPayment posts a payment to its loan: it is stored, the loan is
// re-allocated by the waterfall and its facts and status are updated, all
// with an audit event in one transaction. Posting is idempotent by external
// id: the same external id with the same loan, amount and date returns the
// stored payment and created=false; with different details it is a Conflict.
func (s *Service) RecordPayment(ctx context.Context, by Actor, p ledger.Payment) (ledger.Payment, bool, error) {
	if err := validatePayment(p, s.Today()); err != nil {
		return ledger.Payment{}, false, err
	}
	created := false
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := s.mayPayInto(ctx, tx, by, p.LoanID); err != nil {
			return err
		}
		old, err := tx.PaymentByExternalID(ctx, p.ExternalID)
		if err == nil {
			if old.LoanID != p.LoanID || old.Amount != p.Amount || old.PaidOn != p.PaidOn {
				return errs.Errorf(errs.Conflict, "Payment %s was already recorded with different details.", p.ExternalID)
			}
			p = old
			return nil
		}
		if errs.CodeOf(err) != errs.NotFound {
			return err
		}
		l, err := tx.Loan(ctx, p.LoanID)
		if err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				return errs.Field("loan_id", "no loan with id %d", p.LoanID)
			}
			return err
		}
		if p.ReceivedAt.IsZero() {
			p.ReceivedAt = s.now().UTC()
		}
		if err = tx.CreatePayment(ctx, &p); err != nil {
			return err
		}
		created = true
		if err := s.settlePayments(ctx, tx, map[int64]ledger.Loan{l.ID: l}, []ledger.Payment{p}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "payment.record", "loan", strconv.FormatInt(l.ID, 10),
			map[string]any{"payment_id": p.ID, "external_id": p.ExternalID, "amount": p.Amount, "paid_on": p.PaidOn, "channel": p.Channel}))
	})
	if err != nil {
		return ledger.Payment{}, false, fmt.Errorf("record payment %s: %w", p.ExternalID, err)
	}
	return p, created, nil
}

// ReversePayment reverses payment id: it stays on record, marked reversed
// with the reason, and the loan is re-allocated without it.
func (s *Service) ReversePayment(ctx context.Context, by Actor, id int64, reason string) (ledger.Payment, error) {
	if strings.TrimSpace(reason) == "" {
		return ledger.Payment{}, errs.Field("reason", "is required")
	}
	reason = pii.MaskFreeText(reason) // national ids and phone numbers are never stored in full
	var p ledger.Payment
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if p, err = tx.Payment(ctx, id); err != nil {
			return err
		}
		if err := s.mayReverse(ctx, tx, by, p); err != nil {
			return err
		}
		if p.Reversed {
			return ErrPaymentReversed
		}
		if p, err = tx.ReversePayment(ctx, id, reason, s.now().UTC()); err != nil {
			return err
		}
		l, err := tx.Loan(ctx, p.LoanID)
		if err != nil {
			return err
		}
		if err := s.settlePayments(ctx, tx, map[int64]ledger.Loan{l.ID: l}, []ledger.Payment{p}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "payment.reverse", "loan", strconv.FormatInt(l.ID, 10),
			map[string]any{"payment_id": p.ID, "external_id": p.ExternalID, "amount": p.Amount, "reason": reason}))
	})
	if err != nil {
		return ledger.Payment{}, fmt.Errorf("reverse payment %d: %w", id, err)
	}
	return p, nil
}

// mayReverse returns the NotFound error of a missing payment unless the
// loan of payment p is in by's scope: a collector reverses only payments on
// the loans of the borrowers they work, and cannot tell another payment
// from a missing one (not even whether it is already reversed).
func (s *Service) mayReverse(ctx context.Context, tx *sqlstore.Tx, by Actor, p ledger.Payment) error {
	sc, err := s.scopeOf(ctx, tx, by)
	if err != nil {
		return err
	}
	if _, err := reachLoan(ctx, tx, sc, p.LoanID); notFoundErr(err) {
		return errs.Errorf(errs.NotFound, "Payment %d not found.", p.ID)
	} else if err != nil {
		return err
	}
	return nil
}

// reallocate replays loan l from its schedule and payments as of asOf and
// stores the allocation lines, the facts and the derived status. A loan
// under a repayment plan goes to the plan book instead (Plans.Reposition).
func (s *Service) reallocate(ctx context.Context, tx *sqlstore.Tx, l ledger.Loan, asOf date.Date) error {
	if planned, err := s.repositionPlan(ctx, tx, l, asOf); planned || err != nil {
		return err // a restructured loan is positioned by its plan; its original allocations stay as they were
	}
	sched, err := tx.Schedule(ctx, l.ID)
	if err != nil {
		return err
	}
	pays, err := tx.Payments(ctx, l.ID)
	if err != nil {
		return err
	}
	// A payment dated after asOf (a back-office date ahead of the server's)
	// still counts: replay up to the latest payment date.
	for _, p := range pays {
		if !p.Reversed && p.PaidOn.After(asOf) {
			asOf = p.PaidOn
		}
	}
	pos, allocs := ledger.Replay(l, sched, pays, s.policy, asOf)
	if err := tx.ReplaceAllocations(ctx, l.ID, allocs); err != nil {
		return err
	}
	status := ledger.StatusFor(l, pos)
	if err := tx.SavePositions(ctx, []sqlstore.PositionRow{{BorrowerID: l.BorrowerID, Position: pos, Bucket: s.bucket(pos.DPD), Status: status}}); err != nil {
		return err
	}
	return nil
}

func validatePayment(p ledger.Payment, today date.Date) error {
	var fs []errs.FieldError
	if strings.TrimSpace(p.ExternalID) == "" {
		fs = append(fs, errs.FieldError{Field: "external_id", Message: "is required: the payment reference from the core system makes posting idempotent"})
	}
	if p.LoanID <= 0 {
		fs = append(fs, errs.FieldError{Field: "loan_id", Message: "is required"})
	}
	if p.Amount <= 0 {
		fs = append(fs, errs.FieldError{Field: "amount", Message: "must be positive"})
	}
	if p.PaidOn.IsZero() {
		fs = append(fs, errs.FieldError{Field: "paid_on", Message: "is required"})
	} else if p.PaidOn.After(today.AddDays(1)) {
		fs = append(fs, errs.FieldError{Field: "paid_on", Message: "is in the future"})
	}
	if len(fs) > 0 {
		return errs.Fields("Invalid payment.", fs...)
	}
	return nil
}

// RecordPaymentKeyed is RecordPayment honouring an Idempotency-Key: the
// same key with the same request returns the first result (created=false);
// the same key with a different request is a Conflict. An empty key is plain
// RecordPayment.
func (s *Service) RecordPaymentKeyed(ctx context.Context, by Actor, key string, p ledger.Payment) (ledger.Payment, bool, error) {
	if key == "" {
		return s.RecordPayment(ctx, by, p)
	}
	var out ledger.Payment
	created := false
	_, _, err := s.idempotent(ctx, keyScope(by, "POST /api/v1/payments"), key,
		[]any{p.ExternalID, p.LoanID, p.Amount, p.PaidOn, p.Channel}, &out,
		func() (any, int, error) {
			res, c, err := s.RecordPayment(ctx, by, p)
			created = c
			return res, 201, err
		})
	return out, created && err == nil, err
}
