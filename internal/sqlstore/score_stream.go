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

	// PaidOffBy, when set, leaves out the borrowers all of whose loans are
	// cached as paid off on or before it under the ledger policy with
	// fingerprint PolicyKey (MarkPaidOff): no target scores them, and a
	// night need not replay them again.
	PaidOffBy date.Date
	PolicyKey int64
}

// FactsPass is what ScoringFactsPass read of a scope.
type FactsPass struct {
	Facts    []*features.Facts // in borrower id order
	Uncached []int64           // loans read from the ledger tables, ascending
	PaidOff  map[int64]bool    // loans of Facts already marked paid off by PaidOffBy
	Skipped  int               // borrowers left out: all their loans paid off by PaidOffBy
}

// where returns the scope as a condition on col with its arguments.
func (s FactsScope) where(col string) (string, []any) {
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
// else from the ledger tables; uncached lists those loans (ascending), whose
// facts a scoring pass caches (CacheScoringFacts).
func (tx *Tx) ScoringFactsIn(ctx context.Context, scope FactsScope, zone *time.Location) (out []*features.Facts, uncached []int64, err error) {
	p, err := tx.ScoringFactsPass(ctx, scope, zone)
	return p.Facts, p.Uncached, err
}

// ScoringFactsPass is ScoringFactsIn with what the nightly pass also
// needs: the loans already marked paid off, and how many borrowers
// scope.PaidOffBy left out.
func (tx *Tx) ScoringFactsPass(ctx context.Context, scope FactsScope, zone *time.Location) (FactsPass, error) {
	if scope.IDs != nil && len(scope.IDs) == 0 {
		return FactsPass{}, nil
	}
	p, loans, err := tx.streamLoans(ctx, scope)
	if err != nil || len(p.Facts) == 0 {
		return p, err
	}
	out := p.Facts
	if len(p.Uncached) > 0 {
		if err := tx.uncachedLedger(ctx, scope, out, p.Uncached, loans); err != nil {
			return FactsPass{}, err
		}
	}
	for _, step := range []func(context.Context, FactsScope, []*features.Facts) error{tx.streamPromises, tx.streamPlans} {
		if err := step(ctx, scope, out); err != nil {
			return FactsPass{}, err
		}
	}
	return p, tx.streamContacts(ctx, scope, zone, out)
}

// uncachedLedger reads the schedules and payments of the uncached loans:
// over the whole scope when most loans are (the first night), else by id.
func (tx *Tx) uncachedLedger(ctx context.Context, scope FactsScope, out []*features.Facts, uncached []int64, loans int) error {
	if 2*len(uncached) < loans {
		return tx.ledgerOfLoans(ctx, out, uncached)
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

func (tx *Tx) streamLoans(ctx context.Context, scope FactsScope) (FactsPass, int, error) {
	cond, args := scope.where("l.borrower_id")
	// done: the loan is cached as paid off by the night; its body is read
	// only if another loan of the borrower is not (readBodies).
	done := "0"
	if scope.PaidOffBy != 0 {
		done = "CASE WHEN f.paid_off_on <= ? AND f.policy_key = ? THEN 1 ELSE 0 END"
		args = append([]any{scope.PaidOffBy, scope.PolicyKey, scope.PaidOffBy, scope.PolicyKey}, args...)
	}
	rows, err := tx.query(ctx, `SELECT l.id, l.borrower_id, l.product_code, l.principal_minor, l.disbursed_on,
		l.penalty_rate_daily, l.late_fee_minor, b.monthly_income_minor, `+done+`,
		CASE WHEN `+done+` = 1 THEN NULL ELSE f.body END FROM loans l JOIN borrowers b ON b.id = l.borrower_id
		LEFT JOIN score_loan_facts f ON f.loan_id = l.id WHERE `+cond+` ORDER BY l.borrower_id, l.id`, args...)
	if err != nil {
		return FactsPass{}, 0, fmt.Errorf("scoring loans: %w", err)
	}
	defer rows.Close()
	var p FactsPass
	var f *features.Facts
	var fDone []int // loans of f cached as paid off
	var bodies []int64
	var owners []*features.Loan
	// finish keeps f, unless all its loans are paid off; its paid-off
	// loans' bodies are then read after the scan.
	finish := func() {
		if f == nil {
			return
		}
		if len(fDone) == len(f.Loans) {
			p.Facts, p.Skipped = p.Facts[:len(p.Facts)-1], p.Skipped+1
			return
		}
		for _, i := range fDone {
			bodies, owners = append(bodies, f.Loans[i].Loan.ID), append(owners, &f.Loans[i])
		}
	}
	n := 0
	for rows.Next() {
		var l ledger.Loan
		var income money.Amount
		var paidOff bool
		var body []byte
		if err := rows.Scan(num(&l.ID), num(&l.BorrowerID), &l.ProductCode, num(&l.Principal), &l.DisbursedOn,
			&l.PenaltyRateDaily, num(&l.LateFee), num(&income), &paidOff, &body); err != nil {
			return FactsPass{}, 0, fmt.Errorf("scan scoring loan: %w", err)
		}
		if f == nil || f.BorrowerID != l.BorrowerID {
			finish()
			f, fDone = &features.Facts{BorrowerID: l.BorrowerID, MonthlyIncome: income}, fDone[:0]
			p.Facts = append(p.Facts, f)
		}
		x := features.Loan{Loan: l}
		n++
		switch {
		case paidOff:
			fDone = append(fDone, len(f.Loans))
			if p.PaidOff == nil {
				p.PaidOff = map[int64]bool{}
			}
			p.PaidOff[l.ID] = true
		case body == nil:
			p.Uncached = append(p.Uncached, l.ID)
		default:
			if x.Schedule, x.Payments, err = unpackLoanFacts(body, l.ID); err != nil {
				return FactsPass{}, 0, fmt.Errorf("loan %d: %w", l.ID, err)
			}
		}
		f.Loans = append(f.Loans, x)
	}
	if err := interpretError(rows.Err()); err != nil {
		return FactsPass{}, 0, err
	}
	finish()
	// Loans[i] pointers stay valid: f.Loans no longer grows.
	if err := tx.readBodies(ctx, bodies, owners); err != nil {
		return FactsPass{}, 0, err
	}
	slices.Sort(p.Uncached)
	return p, n, nil
}

// readBodies reads the cached facts of loans ids into owners (same order).
func (tx *Tx) readBodies(ctx context.Context, ids []int64, owners []*features.Loan) error {
	at := make(map[int64]*features.Loan, len(ids))
	for i, id := range ids {
		at[id] = owners[i]
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		rows, err := tx.query(ctx, "SELECT loan_id, body FROM score_loan_facts WHERE loan_id IN ("+placeholders(len(part))+")",
			int64Args(part)...)
		if err != nil {
			return fmt.Errorf("cached facts of paid-off loans: %w", err)
		}
		for rows.Next() {
			var id int64
			var body []byte
			if err := rows.Scan(num(&id), &body); err != nil {
				rows.Close()
				return fmt.Errorf("scan cached facts: %w", err)
			}
			l := at[id]
			if l.Schedule, l.Payments, err = unpackLoanFacts(body, id); err != nil {
				rows.Close()
				return fmt.Errorf("loan %d: %w", id, err)
			}
			delete(at, id)
		}
		err = interpretError(rows.Err())
		rows.Close()
		if err != nil {
			return err
		}
	}
	if len(at) > 0 { // cannot happen in one read transaction
		return fmt.Errorf("cached facts of %d paid-off loans vanished while read", len(at))
	}
	return nil
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

// ledgerOfLoans reads the schedules and payments of loans ids (ascending)
// of out by loan id, as the aging step reads its chunks: no join to the
// loans and no sort (the night's few changed loans).
func (tx *Tx) ledgerOfLoans(ctx context.Context, out []*features.Facts, ids []int64) error {
	at := make(map[int64]*features.Loan, len(ids))
	for _, f := range out {
		for i := range f.Loans {
			at[f.Loans[i].Loan.ID] = &f.Loans[i]
		}
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		bundles := make([]LoanBundle, len(part))
		for i, id := range part {
			bundles[i].Loan.ID = id
		}
		if err := tx.chunkSchedules(ctx, part, bundles); err != nil {
			return err
		}
		if err := tx.chunkPayments(ctx, part, bundles); err != nil {
			return err
		}
		for _, b := range bundles {
			if l := at[b.Loan.ID]; l != nil {
				l.Schedule, l.Payments = b.Schedule, b.Payments
			}
		}
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
