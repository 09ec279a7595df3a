package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/promise"
)

// The nightly scoring reads the whole book: a borrower's facts are read by
// range of borrower ids (or a list of them), one query per table ordered by
// borrower, with only the columns features and the ledger replay read, and
// each loan's schedule and payments from score_loan_facts (score_cache.go)
// when it holds them. ScoringFacts (by id list, whole rows) stays for
// training and early warnings; both give Compute the same values (a test in
// scoring holds them to it on both engines).

// FactsScope picks the borrowers ScoringFactsIn reads: those with ids in
// (After, UpTo], or those in IDs when it is not nil.
type FactsScope struct {
	After, UpTo int64
	IDs         []int64
	byLoan      bool // IDs are loan ids (reading uncached loans)
}

// where returns the scope as a condition on col with its arguments.
func (s FactsScope) where(col string) (string, []any) {
	if s.byLoan {
		return "l.id IN (" + placeholders(len(s.IDs)) + ")", int64Args(s.IDs)
	}
	if s.IDs != nil {
		return col + " IN (" + placeholders(len(s.IDs)) + ")", int64Args(s.IDs)
	}
	return col + " > ? AND " + col + " <= ?", []any{s.After, s.UpTo}
}

// ScoringBorrowerSpan returns the smallest and largest id of a borrower
// with a loan (0, 0 when there is none).
func (tx *Tx) ScoringBorrowerSpan(ctx context.Context) (lo, hi int64, err error) {
	var a, b *int64
	if err := tx.get(ctx, "Loans", "SELECT MIN(borrower_id), MAX(borrower_id) FROM loans", nil, &a, &b); err != nil {
		return 0, 0, err
	}
	if a == nil || b == nil {
		return 0, 0, nil
	}
	return *a, *b, nil
}

// ScoringFactsIn returns the facts of the borrowers with a loan in scope,
// in borrower id order: what ScoringFacts returns for them, as far as
// features.Compute reads it (loans carry the fields the replay and the
// features read; payments their id, amount, dates and reversal). A loan's
// schedule and payments come from score_loan_facts when it holds them,
// else from the ledger tables; uncached lists those loans (ascending), for
// CacheScoringLoans.
func (tx *Tx) ScoringFactsIn(ctx context.Context, scope FactsScope, zone *time.Location) (out []*features.Facts, uncached []int64, err error) {
	if scope.IDs != nil && len(scope.IDs) == 0 {
		return nil, nil, nil
	}
	out, uncached, loans, err := tx.streamLoans(ctx, scope)
	if err != nil || len(out) == 0 {
		return out, nil, err
	}
	if len(uncached) > 0 {
		if err := tx.uncachedLedger(ctx, scope, out, uncached, loans); err != nil {
			return nil, nil, err
		}
	}
	for _, step := range []func(context.Context, FactsScope, []*features.Facts) error{tx.streamPromises, tx.streamPlans} {
		if err := step(ctx, scope, out); err != nil {
			return nil, nil, err
		}
	}
	return out, uncached, tx.streamContacts(ctx, scope, zone, out)
}

// uncachedLedger reads the schedules and payments of the uncached loans:
// over the whole scope when most loans are (the first night), else by id.
func (tx *Tx) uncachedLedger(ctx context.Context, scope FactsScope, out []*features.Facts, uncached []int64, loans int) error {
	if 2*len(uncached) < loans {
		scope = FactsScope{IDs: uncached, byLoan: true}
	}
	need := make(map[int64]bool, len(uncached))
	for _, id := range uncached {
		need[id] = true
	}
	if err := tx.streamInstallments(ctx, scope, out, need); err != nil {
		return err
	}
	return tx.streamPayments(ctx, scope, out, need)
}

func (tx *Tx) streamLoans(ctx context.Context, scope FactsScope) ([]*features.Facts, []int64, int, error) {
	cond, args := scope.where("l.borrower_id")
	rows, err := tx.query(ctx, `SELECT l.id, l.borrower_id, l.product_code, l.principal_minor, l.disbursed_on,
		l.penalty_rate_daily, l.late_fee_minor, b.monthly_income_minor, f.body FROM loans l JOIN borrowers b ON b.id = l.borrower_id
		LEFT JOIN score_loan_facts f ON f.loan_id = l.id WHERE `+cond+` ORDER BY l.borrower_id, l.id`, args...)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("scoring loans: %w", err)
	}
	defer rows.Close()
	var out []*features.Facts
	var uncached []int64
	var f *features.Facts
	n := 0
	for rows.Next() {
		var l ledger.Loan
		var income money.Amount
		var body []byte
		if err := rows.Scan(num(&l.ID), num(&l.BorrowerID), &l.ProductCode, num(&l.Principal), &l.DisbursedOn,
			&l.PenaltyRateDaily, num(&l.LateFee), num(&income), &body); err != nil {
			return nil, nil, 0, fmt.Errorf("scan scoring loan: %w", err)
		}
		if f == nil || f.BorrowerID != l.BorrowerID {
			f = &features.Facts{BorrowerID: l.BorrowerID, MonthlyIncome: income}
			out = append(out, f)
		}
		x := features.Loan{Loan: l}
		n++
		if body == nil {
			uncached = append(uncached, l.ID)
		} else if x.Schedule, x.Payments, err = unpackLoanFacts(body, l.ID); err != nil {
			return nil, nil, 0, fmt.Errorf("loan %d: %w", l.ID, err)
		}
		f.Loans = append(f.Loans, x)
	}
	slices.Sort(uncached)
	return out, uncached, n, interpretError(rows.Err())
}

// cursor walks the borrowers of out (in id order) and their loans (in id
// order) as rows ordered the same way arrive.
type cursor struct {
	out  []*features.Facts
	i, k int
}

// borrower returns the facts of borrower id, or nil when id has none.
func (c *cursor) borrower(id int64) *features.Facts {
	for c.i < len(c.out) && c.out[c.i].BorrowerID < id {
		c.i, c.k = c.i+1, 0
	}
	if c.i < len(c.out) && c.out[c.i].BorrowerID == id {
		return c.out[c.i]
	}
	return nil
}

// loan returns loan id of borrower bid, or nil.
func (c *cursor) loan(bid, id int64) *features.Loan {
	f := c.borrower(bid)
	if f == nil {
		return nil
	}
	for c.k < len(f.Loans) && f.Loans[c.k].Loan.ID < id {
		c.k++
	}
	if c.k < len(f.Loans) && f.Loans[c.k].Loan.ID == id {
		return &f.Loans[c.k]
	}
	return nil
}

func (tx *Tx) streamInstallments(ctx context.Context, scope FactsScope, out []*features.Facts, need map[int64]bool) error {
	cond, args := scope.where("l.borrower_id")
	rows, err := tx.query(ctx, `SELECT l.borrower_id, i.loan_id, i.seq, i.due_date, i.principal_minor, i.interest_minor
		FROM loans l JOIN installments i ON i.loan_id = l.id WHERE `+cond+` ORDER BY l.borrower_id, i.loan_id, i.seq`, args...)
	if err != nil {
		return fmt.Errorf("scoring schedules: %w", err)
	}
	defer rows.Close()
	c := cursor{out: out}
	for rows.Next() {
		var bid, id int64
		var in ledger.Installment
		if err := rows.Scan(num(&bid), num(&id), num(&in.Seq), &in.DueDate, num(&in.Principal), num(&in.Interest)); err != nil {
			return fmt.Errorf("scan scoring installment: %w", err)
		}
		if l := c.loan(bid, id); l != nil && need[id] {
			l.Schedule = append(l.Schedule, in)
		}
	}
	return interpretError(rows.Err())
}

func (tx *Tx) streamPayments(ctx context.Context, scope FactsScope, out []*features.Facts, need map[int64]bool) error {
	cond, args := scope.where("l.borrower_id")
	rows, err := tx.query(ctx, `SELECT l.borrower_id, p.id, p.loan_id, p.amount_minor, p.paid_on, p.reversed, p.reversed_at
		FROM loans l JOIN payments p ON p.loan_id = l.id WHERE `+cond+` ORDER BY l.borrower_id, p.loan_id, p.paid_on, p.id`, args...)
	if err != nil {
		return fmt.Errorf("scoring payments: %w", err)
	}
	defer rows.Close()
	c := cursor{out: out}
	for rows.Next() {
		var bid int64
		var p ledger.Payment
		if err := rows.Scan(num(&bid), num(&p.ID), num(&p.LoanID), num(&p.Amount), &p.PaidOn, &p.Reversed,
			instant{&p.ReversedAt}); err != nil {
			return fmt.Errorf("scan scoring payment: %w", err)
		}
		if l := c.loan(bid, p.LoanID); l != nil && need[p.LoanID] {
			l.Payments = append(l.Payments, p)
		}
	}
	return interpretError(rows.Err())
}

func (tx *Tx) streamContacts(ctx context.Context, scope FactsScope, zone *time.Location, out []*features.Facts) error {
	cond, args := scope.where("borrower_id")
	rows, err := tx.query(ctx, `SELECT borrower_id, started_at, channel, party, outcome FROM contact_attempts
		WHERE performed = ? AND `+cond+` ORDER BY borrower_id, started_at`, append([]any{true}, args...)...)
	if err != nil {
		return fmt.Errorf("scoring contacts: %w", err)
	}
	defer rows.Close()
	c := cursor{out: out}
	for rows.Next() {
		var id int64
		var at time.Time
		var x features.Contact
		var outcome string
		if err := rows.Scan(num(&id), instant{&at}, &x.Channel, &x.Party, &outcome); err != nil {
			return fmt.Errorf("scan contact: %w", err)
		}
		x.On, x.Connected = date.FromTime(at.In(zone)), outcome == "connected"
		if f := c.borrower(id); f != nil {
			f.Contacts = append(f.Contacts, x)
		}
	}
	return interpretError(rows.Err())
}

func (tx *Tx) streamPromises(ctx context.Context, scope FactsScope, out []*features.Facts) error {
	cond, args := scope.where("borrower_id")
	rows, err := tx.query(ctx, `SELECT borrower_id, made_on, due_on, status, judged_on FROM promises
		WHERE `+cond+` ORDER BY borrower_id, id`, args...)
	if err != nil {
		return fmt.Errorf("scoring promises: %w", err)
	}
	defer rows.Close()
	c := cursor{out: out}
	for rows.Next() {
		var id int64
		var p features.Promise
		var st promise.Status
		if err := rows.Scan(num(&id), &p.MadeOn, &p.Due, &st, &p.JudgedOn); err != nil {
			return fmt.Errorf("scan promise: %w", err)
		}
		p.Final, p.Kept = promise.Final(st), st == promise.Kept
		if f := c.borrower(id); f != nil {
			f.Promises = append(f.Promises, p)
		}
	}
	return interpretError(rows.Err())
}

func (tx *Tx) streamPlans(ctx context.Context, scope FactsScope, out []*features.Facts) error {
	cond, args := scope.where("borrower_id")
	rows, err := tx.query(ctx, `SELECT borrower_id, start_on, broken_on, completed_on FROM plans
		WHERE `+cond+` ORDER BY borrower_id, id`, args...)
	if err != nil {
		return fmt.Errorf("scoring plans: %w", err)
	}
	defer rows.Close()
	c := cursor{out: out}
	for rows.Next() {
		var id int64
		var p features.Plan
		if err := rows.Scan(num(&id), &p.Start, &p.BrokenOn, &p.CompletedOn); err != nil {
			return fmt.Errorf("scan plan: %w", err)
		}
		if f := c.borrower(id); f != nil {
			f.Plans = append(f.Plans, p)
		}
	}
	return interpretError(rows.Err())
}
