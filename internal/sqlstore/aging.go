package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/date"
	"accord/internal/ledger"
)

// LoanBundle is what the nightly run needs to age one loan: the loan, its
// schedule and payments (reversed ones included), and what the last run
// stored for it.
type LoanBundle struct {
	Loan     ledger.Loan
	NextDue  date.Date // as stored: the earliest due date that may be unpaid
	Schedule []ledger.Installment
	Payments []ledger.Payment // with the columns of bundlePaymentCols only

	// The previous position, for bucket transitions; PrevAsOf is zero when
	// the loan has never been aged.
	PrevAsOf   date.Date
	PrevDPD    int
	PrevBucket string
}

// AgingChunk returns up to limit loans with ids above afterLoanID whose state
// can change on asOf: those with a due date before asOf that may be unpaid
// (next_due < asOf) and those already delinquent, but not loans ever under
// a repayment plan: those are aged by their plan (package plan, the
// negotiation service's plan monitoring), never by their original schedule. They come ordered by id
// with their schedules and payments, in three queries; pass the last id as
// afterLoanID to get the next chunk, until a chunk comes back empty.
//
//	for after := int64(0); ; {
//		chunk, err := tx.AgingChunk(ctx, asOf, after, 2000)
//		if err != nil || len(chunk) == 0 { … }
//		after = chunk[len(chunk)-1].Loan.ID
//	}
func (tx *Tx) AgingChunk(ctx context.Context, asOf date.Date, afterLoanID int64, limit int) ([]LoanBundle, error) {
	limit = max(1, min(limit, 10000))
	out, err := tx.agingBundles(ctx, `l.id > ? AND (l.next_due < ? OR l.status = 'delinquent')
		AND NOT EXISTS (SELECT 1 FROM plan_loans pl WHERE pl.loan_id = l.id) ORDER BY l.id LIMIT ?`, afterLoanID, asOf, limit)
	if err != nil {
		return nil, fmt.Errorf("aging chunk after %d: %w", afterLoanID, err)
	}
	return out, nil
}

// AgingBundles returns the loans ids as AgingChunk returns its loans,
// whatever their state, in id order: the nightly aging reads again, in the
// transaction that saves a chunk, the loans whose payments or installments
// changed after the chunk was read (LedgerChanged).
func (tx *Tx) AgingBundles(ctx context.Context, ids []int64) ([]LoanBundle, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := tx.agingBundles(ctx, "l.id IN ("+placeholders(len(ids))+") ORDER BY l.id", int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("aging bundles: %w", err)
	}
	return out, nil
}

// agingBundles reads the loans matching where (a condition on loans l,
// ordered by id) with their previous positions, schedules and payments.
func (tx *Tx) agingBundles(ctx context.Context, where string, args ...any) ([]LoanBundle, error) {
	rows, err := tx.query(ctx, "SELECT "+loanCols+`, l.next_due, p.as_of, COALESCE(p.dpd, 0), COALESCE(p.bucket, '')
		FROM loans l LEFT JOIN loan_positions p ON p.loan_id = l.id WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	var out []LoanBundle
	for rows.Next() {
		var b LoanBundle
		dest := append(loanDest(&b.Loan), &b.NextDue, &b.PrevAsOf, num(&b.PrevDPD), &b.PrevBucket)
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan aging loan: %w", err)
		}
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, interpretError(err)
	}
	ids := make([]int64, len(out))
	for i, b := range out {
		ids[i] = b.Loan.ID
	}
	if err := tx.chunkSchedules(ctx, ids, out); err != nil {
		return nil, err
	}
	if err := tx.chunkPayments(ctx, ids, out); err != nil {
		return nil, err
	}
	return out, nil
}

// chunkSchedules loads the installments of ids (ascending, as in out) and
// hands them to their bundles, walking both in loan id order. (Packing each
// schedule into one string_agg row was tried: about 20% faster on SQLite,
// not worth a date format that depends on PostgreSQL's DateStyle.)
func (tx *Tx) chunkSchedules(ctx context.Context, ids []int64, out []LoanBundle) error {
	rows, err := tx.query(ctx, `SELECT loan_id, seq, due_date, principal_minor, interest_minor FROM installments
		WHERE loan_id IN (`+placeholders(len(ids))+`) ORDER BY loan_id, seq`, int64Args(ids)...)
	if err != nil {
		return fmt.Errorf("aging schedules: %w", err)
	}
	defer rows.Close()
	j := 0
	for rows.Next() {
		var id int64
		var in ledger.Installment
		if err := rows.Scan(num(&id), num(&in.Seq), &in.DueDate, num(&in.Principal), num(&in.Interest)); err != nil {
			return fmt.Errorf("scan aging installment: %w", err)
		}
		for out[j].Loan.ID != id {
			j++
		}
		out[j].Schedule = append(out[j].Schedule, in)
	}
	return interpretError(rows.Err())
}

// bundlePaymentCols are the columns of a payment a LoanBundle carries:
// what the ledger replay reads, and the channel (the early-warning
// baselines). The posting details (external id, time received, reversal
// reason) are left out: reading and parsing them was most of the cost of
// reading the payments of a night's changed loans.
const bundlePaymentCols = "id, loan_id, amount_minor, paid_on, channel, reversed, reversed_at"

// chunkPayments loads the payments of ids (ascending, as in out), with the
// columns of bundlePaymentCols, and hands them to their bundles, walking
// both in loan id order.
func (tx *Tx) chunkPayments(ctx context.Context, ids []int64, out []LoanBundle) error {
	rows, err := tx.query(ctx, "SELECT "+bundlePaymentCols+" FROM payments WHERE loan_id IN ("+placeholders(len(ids))+
		") ORDER BY loan_id, paid_on, id", int64Args(ids)...)
	if err != nil {
		return fmt.Errorf("aging payments: %w", err)
	}
	defer rows.Close()
	j := 0
	for rows.Next() {
		var p ledger.Payment
		if err := rows.Scan(num(&p.ID), num(&p.LoanID), num(&p.Amount), &p.PaidOn, &p.Channel, &p.Reversed,
			instant{&p.ReversedAt}); err != nil {
			return fmt.Errorf("scan aging payment: %w", err)
		}
		for out[j].Loan.ID != p.LoanID {
			j++
		}
		out[j].Payments = append(out[j].Payments, p)
	}
	return interpretError(rows.Err())
}

// CountAging returns how many loans AgingChunk would return for asOf in all,
// for a progress bar.
func (tx *Tx) CountAging(ctx context.Context, asOf date.Date) (int, error) {
	var n int
	err := tx.get(ctx, "Loans", `SELECT COUNT(*) FROM loans l WHERE (next_due < ? OR status = 'delinquent')
		AND NOT EXISTS (SELECT 1 FROM plan_loans pl WHERE pl.loan_id = l.id)`, []any{asOf}, &n)
	return n, err
}
