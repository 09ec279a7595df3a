package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/errs"
	"accord/internal/ledger"
)

const paymentCols = `id, external_id, loan_id, amount_minor, paid_on, channel, received_at, reversed, reversed_at,
	reversal_reason`

func paymentDest(p *ledger.Payment) []any {
	return []any{num(&p.ID), text{&p.ExternalID}, num(&p.LoanID), num(&p.Amount), &p.PaidOn, &p.Channel, instant{&p.ReceivedAt},
		&p.Reversed, instant{&p.ReversedAt}, &p.ReversalReason}
}

// Payment returns the payment with id. It returns a NotFound error if there
// is none.
func (tx *Tx) Payment(ctx context.Context, id int64) (ledger.Payment, error) {
	var p ledger.Payment
	err := tx.get(ctx, fmt.Sprintf("Payment %d", id), "SELECT "+paymentCols+" FROM payments WHERE id = ?",
		[]any{id}, paymentDest(&p)...)
	return p, err
}

// PaymentByExternalID returns the payment with the lender's id ext, which is
// how posting stays idempotent. It returns a NotFound error if there is none.
func (tx *Tx) PaymentByExternalID(ctx context.Context, ext string) (ledger.Payment, error) {
	var p ledger.Payment
	err := tx.get(ctx, fmt.Sprintf("Payment %q", ext), "SELECT "+paymentCols+" FROM payments WHERE external_id = ?",
		[]any{ext}, paymentDest(&p)...)
	return p, err
}

// Payments returns every payment of loan id, reversed ones included, in the
// order they take effect: by value date, then by id.
func (tx *Tx) Payments(ctx context.Context, loanID int64) ([]ledger.Payment, error) {
	rows, err := tx.query(ctx, "SELECT "+paymentCols+" FROM payments WHERE loan_id = ? ORDER BY paid_on, id", loanID)
	if err != nil {
		return nil, fmt.Errorf("list payments of loan %d: %w", loanID, err)
	}
	defer rows.Close()
	var list []ledger.Payment
	for rows.Next() {
		var p ledger.Payment
		if err := rows.Scan(paymentDest(&p)...); err != nil {
			return nil, fmt.Errorf("scan payment: %w", err)
		}
		list = append(list, p)
	}
	return list, interpretError(rows.Err())
}

// CreatePayment inserts p and sets its ID (and ReceivedAt when zero). It
// returns a Conflict error if a payment with the same non-empty ExternalID
// exists and an Invalid error if the loan does not.
func (tx *Tx) CreatePayment(ctx context.Context, p *ledger.Payment) error {
	if p.ReceivedAt.IsZero() {
		p.ReceivedAt = tx.now
	}
	p.ReceivedAt, p.ReversedAt = truncated(p.ReceivedAt), truncated(p.ReversedAt)
	err := tx.get(ctx, "Payment", `INSERT INTO payments (external_id, loan_id, amount_minor, paid_on, channel,
		received_at, reversed, reversed_at, reversal_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{nullString(p.ExternalID), p.LoanID, int64(p.Amount), p.PaidOn, p.Channel, ts(p.ReceivedAt), p.Reversed,
			ts(p.ReversedAt), p.ReversalReason, ts(tx.now)}, &p.ID)
	if err != nil {
		return fmt.Errorf("create payment: %w", conflict(err, "Payment %q already exists.", p.ExternalID))
	}
	return nil
}

// ReversePayment marks payment id reversed at (the transaction's time when
// zero) with reason and returns it as stored afterwards. Because the reversal may reopen installments, it moves
// the loan's next due date back to its first due date, so the next nightly
// run ages the loan again. It returns a NotFound error if there is no such
// payment and a Conflict error if it is already reversed.
func (tx *Tx) ReversePayment(ctx context.Context, id int64, reason string, at time.Time) (ledger.Payment, error) {
	p, err := tx.Payment(ctx, id)
	if err != nil {
		return p, err
	}
	if p.Reversed {
		return p, errs.Errorf(errs.Conflict, "Payment %d is already reversed.", id)
	}
	if at.IsZero() {
		at = tx.now
	}
	p.Reversed, p.ReversedAt, p.ReversalReason = true, truncated(at), reason
	_, err = tx.exec(ctx, "UPDATE payments SET reversed = ?, reversed_at = ?, reversal_reason = ? WHERE id = ?",
		true, ts(p.ReversedAt), reason, id)
	if err != nil {
		return p, fmt.Errorf("reverse payment %d: %w", id, err)
	}
	_, err = tx.exec(ctx, `UPDATE loans SET next_due = (SELECT MIN(due_date) FROM installments WHERE loan_id = ?),
		updated_at = ? WHERE id = ?`, p.LoanID, ts(tx.now), p.LoanID)
	if err != nil {
		return p, fmt.Errorf("reset next due of loan %d: %w", p.LoanID, err)
	}
	return p, nil
}

// Allocations returns how the payments of loan id were applied, in the
// order ReplaceAllocations was given them.
func (tx *Tx) Allocations(ctx context.Context, loanID int64) ([]ledger.Allocation, error) {
	rows, err := tx.query(ctx, `SELECT payment_id, seq, component, amount_minor FROM allocations WHERE loan_id = ?
		ORDER BY line`, loanID)
	if err != nil {
		return nil, fmt.Errorf("list allocations of loan %d: %w", loanID, err)
	}
	defer rows.Close()
	var list []ledger.Allocation
	for rows.Next() {
		var a ledger.Allocation
		if err := rows.Scan(&a.PaymentID, &a.Seq, &a.Component, &a.Amount); err != nil {
			return nil, fmt.Errorf("scan allocation: %w", err)
		}
		list = append(list, a)
	}
	return list, interpretError(rows.Err())
}

// ReplaceAllocations replaces every allocation line of loan id with allocs:
// a replay after a payment, a reversal or a backdated entry re-allocates all
// of a loan's payments at once. The lines keep their order.
func (tx *Tx) ReplaceAllocations(ctx context.Context, loanID int64, allocs []ledger.Allocation) error {
	if _, err := tx.exec(ctx, "DELETE FROM allocations WHERE loan_id = ?", loanID); err != nil {
		return fmt.Errorf("delete allocations of loan %d: %w", loanID, err)
	}
	err := tx.insertRows(ctx, "INSERT INTO allocations (loan_id, line, payment_id, seq, component, amount_minor) VALUES ",
		6, len(allocs), func(i int, a []any) []any {
			al := allocs[i]
			return append(a, loanID, i+1, al.PaymentID, al.Seq, string(al.Component), int64(al.Amount))
		})
	if err != nil {
		return fmt.Errorf("insert allocations of loan %d: %w", loanID, err)
	}
	return nil
}
