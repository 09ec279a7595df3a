package sqlstore

import (
	"context"
	"database/sql"
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
// range of borrower ids (or a list of them), from score_borrower_facts
// (score_cache.go) when it holds them, else from the ledger tables with
// only the columns features and the ledger replay read, and the contacts,
// promises and plans one query per table ordered by borrower. ScoringFacts
// (by id list, whole rows) stays for training and early warnings; both give
// Compute the same values (a test in scoring holds them to it on both
// engines).

// FactsScope picks the borrowers ScoringFactsIn reads: those with ids in
// (After, UpTo], or those in IDs when it is not nil.
type FactsScope struct {
	After, UpTo int64
	IDs         []int64

	// PaidOffBy, when set, leaves out the borrowers all of whose loans are
	// cached as paid off on or before it under the ledger policy with
	// fingerprint PolicyKey (MarkDone, CacheScoringFacts): no target scores
	// them, and a night need not replay them again.
	PaidOffBy date.Date
	PolicyKey int64

	// Into, when set, is where the cached facts are unpacked: the facts an
	// earlier read into it returned are overwritten.
	Into *FactsBuffer

	// LastOf, when set, is a target whose last stored score (score_last)
	// each borrower read carries along (FactsRow.Last): the nightly pass
	// compares the night's ew90 score with it.
	LastOf string
}

// FactsPass is what ScoringFactsPass read of a scope.
type FactsPass struct {
	Facts   []*features.Facts // in borrower id order
	Rows    []FactsRow        // Rows[i]: how Facts[i] was read
	Skipped int               // borrowers left out: all their loans paid off by PaidOffBy
}

// FactsRow is how a borrower's facts were read.
type FactsRow struct {
	Version int64 // of the borrower's score_borrower_facts row, read before the facts
	// Ledger: read from the ledger tables, wholly (the row held no facts)
	// or, when Payments, only the payments (the row's were stale): PackFacts
	// caches them again.
	Ledger   bool
	Payments bool
	Last     StoredScore // the last stored score of FactsScope.LastOf
}

// StoredScore is the last score stored of a target for a borrower, as the
// nightly pass compares the night's score with it: its model (0 when none
// is stored), arm and probability.
type StoredScore struct {
	ModelID     int64
	Arm         string
	Probability float64
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
	// One aggregate a subquery: SQLite reads a lone MIN or MAX off the
	// index's ends, but MIN and MAX together by scanning it (0.2 s on a
	// 1.3M-loan book, before the night's workers could start).
	if err := tx.get(ctx, "Loans", "SELECT (SELECT MIN(borrower_id) FROM loans), (SELECT MAX(borrower_id) FROM loans)", nil,
		&a, &b); err != nil {
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
// features read; payments their id, amount, dates and reversal). A
// borrower's income, loans, schedules and payments come from
// score_borrower_facts when it holds them, else from the ledger tables;
// fromLedger lists those borrowers (ascending).
func (tx *Tx) ScoringFactsIn(ctx context.Context, scope FactsScope, zone *time.Location) (out []*features.Facts, fromLedger []int64, err error) {
	p, err := tx.ScoringFactsPass(ctx, scope, zone)
	for i, r := range p.Rows {
		if r.Ledger {
			fromLedger = append(fromLedger, p.Facts[i].BorrowerID)
		}
	}
	return p.Facts, fromLedger, err
}

// ScoringFactsPass is ScoringFactsIn with what the nightly pass also
// needs: each borrower's row version and whether its facts were cached,
// and how many borrowers scope.PaidOffBy left out.
func (tx *Tx) ScoringFactsPass(ctx context.Context, scope FactsScope, zone *time.Location) (FactsPass, error) {
	if scope.IDs != nil && len(scope.IDs) == 0 {
		return FactsPass{}, nil
	}
	p, stale, err := tx.streamCached(ctx, scope)
	if err != nil {
		return FactsPass{}, err
	}
	if len(stale) > 0 {
		if p, err = tx.staleLedger(ctx, scope, p, stale); err != nil {
			return FactsPass{}, err
		}
	}
	if len(p.Facts) == 0 {
		return p, nil
	}
	if scope.LastOf != "" {
		if err := tx.lastScores(ctx, scope, p); err != nil {
			return FactsPass{}, err
		}
	}
	for _, step := range []func(context.Context, FactsScope, []*features.Facts) error{tx.streamPromises, tx.streamPlans} {
		if err := step(ctx, scope, p.Facts); err != nil {
			return FactsPass{}, err
		}
	}
	return p, tx.streamContacts(ctx, scope, zone, p.Facts)
}

// staleRow is a borrower whose row holds no facts, with the row's version.
type staleRow struct {
	id, version int64
}

// streamCached reads the scope's rows of score_borrower_facts: the cached
// facts into p, the borrowers left out as paid off into p.Skipped, and the
// rows without facts into stale (ascending).
func (tx *Tx) streamCached(ctx context.Context, scope FactsScope) (p FactsPass, stale []staleRow, err error) {
	cond, args := scope.where("borrower_id")
	// done: all the borrower's loans are cached as paid off by the night.
	done := "0"
	if scope.PaidOffBy != 0 {
		done = "CASE WHEN done_on <= ? AND policy_key = ? THEN 1 ELSE 0 END"
		args = append([]any{scope.PaidOffBy, scope.PolicyKey, scope.PaidOffBy, scope.PolicyKey}, args...)
	}
	rows, err := tx.query(ctx, `SELECT borrower_id, version, payments_stale, `+done+`, CASE WHEN `+done+` = 1 THEN NULL ELSE body END
		FROM score_borrower_facts WHERE `+cond+` ORDER BY borrower_id`, args...)
	if err != nil {
		return p, nil, fmt.Errorf("cached scoring facts: %w", err)
	}
	defer rows.Close()
	var paid []*features.Facts // cached but for their payments
	slab := &factsSlab{}
	if scope.Into != nil {
		slab = &scope.Into.slab
		slab.reset()
	}
	for rows.Next() {
		var id, version, paymentsStale int64
		var paidOff bool
		var body sql.RawBytes // unpacked before the next row
		if err := rows.Scan(num(&id), num(&version), num(&paymentsStale), &paidOff, &body); err != nil {
			return p, nil, fmt.Errorf("scan cached scoring facts: %w", err)
		}
		switch {
		case paidOff:
			p.Skipped++
		case len(body) == 0 || body[0] != factsVersion: // none, or packed in an earlier format
			stale = append(stale, staleRow{id, version})
		default:
			f, err := unpackBorrowerFacts(body, id, slab)
			if err != nil {
				return p, nil, fmt.Errorf("borrower %d: %w", id, err)
			}
			row := FactsRow{Version: version}
			if paymentsStale != 0 {
				row.Ledger, row.Payments = true, true
				paid = append(paid, f)
			}
			p.Facts, p.Rows = append(p.Facts, f), append(p.Rows, row)
		}
	}
	if err := interpretError(rows.Err()); err != nil {
		return p, nil, err
	}
	return p, stale, tx.mergePaymentChanges(ctx, paid)
}

// lastScores sets the Last of p's rows to their borrowers' last stored
// scores of scope.LastOf (score_last), read over scope in borrower order beside
// p's facts. (A LEFT JOIN in streamCached's query looked each borrower up
// from the index's root: 1.4 s of the 1,000,000-borrower night, against
// about 1 s for this scan.)
func (tx *Tx) lastScores(ctx context.Context, scope FactsScope, p FactsPass) error {
	target := scope.LastOf
	cond, args := scope.where("borrower_id")
	rows, err := tx.query(ctx, `SELECT borrower_id, model_id, arm, probability FROM score_last WHERE target = ? AND `+cond+`
		ORDER BY borrower_id`, append([]any{target}, args...)...)
	if err != nil {
		return fmt.Errorf("last %s scores: %w", target, err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var id int64
		var s StoredScore
		var arm sql.RawBytes
		if err := rows.Scan(num(&id), num(&s.ModelID), &arm, &s.Probability); err != nil {
			return fmt.Errorf("scan last score: %w", err)
		}
		for i < len(p.Facts) && p.Facts[i].BorrowerID < id {
			i++
		}
		if i < len(p.Facts) && p.Facts[i].BorrowerID == id {
			s.Arm = armName(arm)
			p.Rows[i].Last = s
		}
	}
	return interpretError(rows.Err())
}

// armName returns a stored arm name as a string, without a copy for the
// two arms there are.
func armName(b []byte) string {
	switch string(b) {
	case "champion":
		return "champion"
	case "challenger":
		return "challenger"
	}
	return string(b)
}

// mergePaymentChanges brings the cached payments of out (borrowers whose
// rows hold facts with payments_stale set) up to date from the payments
// the triggers noted for them in score_payment_changes (migration 00039:
// every payment inserted, changed or deleted since their facts were read),
// each read again by id: a payment still on one of the borrower's loans
// replaces its cached copy, in the order the ledger tables are read
// (paid_on, id); one deleted or moved to another borrower's loan is
// dropped. The rest of a cached row is never stale: the triggers clear the
// whole row for any other change.
func (tx *Tx) mergePaymentChanges(ctx context.Context, out []*features.Facts) error {
	byID := make(map[int64]*features.Facts, len(out))
	ids := make([]int64, len(out))
	for i, f := range out {
		byID[f.BorrowerID], ids[i] = f, f.BorrowerID
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		rows, err := tx.query(ctx, `SELECT c.borrower_id, c.payment_id, p.loan_id, p.amount_minor, p.paid_on,
			CASE WHEN p.reversed THEN 1 ELSE 0 END, p.reversed_at
			FROM score_payment_changes c LEFT JOIN payments p ON p.id = c.payment_id
			WHERE c.borrower_id IN (`+placeholders(len(part))+`) ORDER BY c.borrower_id, c.payment_id`, int64Args(part)...)
		if err != nil {
			return fmt.Errorf("scoring payment changes: %w", err)
		}
		for rows.Next() {
			var bid, reversed int64
			var p ledger.Payment // LoanID 0: the payment is no longer there
			if err := rows.Scan(num(&bid), num(&p.ID), num(&p.LoanID), num(&p.Amount), &p.PaidOn, num(&reversed),
				instant{&p.ReversedAt}); err != nil {
				rows.Close()
				return fmt.Errorf("scan scoring payment change: %w", err)
			}
			p.Reversed = reversed == 1
			f := byID[bid]
			dropPayment(f, p.ID)
			for i := range f.Loans {
				if l := &f.Loans[i]; l.Loan.ID == p.LoanID {
					k, _ := slices.BinarySearchFunc(l.Payments, p, ledger.ComparePayments)
					l.Payments = slices.Insert(l.Payments, k, p)
					break
				}
			}
		}
		rows.Close()
		if err := interpretError(rows.Err()); err != nil {
			return err
		}
	}
	return nil
}

// dropPayment removes payment id from f's loans, if there.
func dropPayment(f *features.Facts, id int64) {
	for i := range f.Loans {
		l := &f.Loans[i]
		if k := slices.IndexFunc(l.Payments, func(p ledger.Payment) bool { return p.ID == id }); k >= 0 {
			l.Payments = slices.Delete(l.Payments, k, k+1)
			if len(l.Payments) == 0 {
				l.Payments = nil // as read from the ledger tables
			}
			return
		}
	}
}

// staleLedger reads the facts of the stale borrowers from the ledger
// tables and merges them into p: by borrower id when few are (a night
// after the first), else over the whole scope (the first night). A
// borrower without a loan is left out.
func (tx *Tx) staleLedger(ctx context.Context, scope FactsScope, p FactsPass, stale []staleRow) (FactsPass, error) {
	var got []*features.Facts
	if 2*len(stale) < len(stale)+len(p.Facts)+p.Skipped {
		for start := 0; start < len(stale); start += 500 {
			part := stale[start:min(start+500, len(stale))]
			ids := make([]int64, len(part))
			for i, r := range part {
				ids[i] = r.id
			}
			facts, loanIDs, err := tx.scoringLoans(ctx, FactsScope{IDs: ids}, nil)
			if err != nil {
				return p, err
			}
			if err := tx.ledgerOfLoans(ctx, facts, loanIDs); err != nil {
				return p, err
			}
			got = append(got, facts...)
		}
	} else {
		want := make(map[int64]bool, len(stale))
		for _, r := range stale {
			want[r.id] = true
		}
		// The streams fill only the loans of facts: the stale borrowers'.
		facts, _, err := tx.scoringLoans(ctx, scope, want)
		if err != nil {
			return p, err
		}
		if err := tx.streamInstallments(ctx, scope, facts); err != nil {
			return p, err
		}
		if err := tx.streamPayments(ctx, scope, facts); err != nil {
			return p, err
		}
		got = facts
	}
	// Merge the two lists, both in borrower id order.
	out := FactsPass{Facts: make([]*features.Facts, 0, len(p.Facts)+len(got)),
		Rows: make([]FactsRow, 0, len(p.Facts)+len(got)), Skipped: p.Skipped}
	i, k := 0, 0
	for _, f := range got {
		for i < len(p.Facts) && p.Facts[i].BorrowerID < f.BorrowerID {
			out.Facts, out.Rows = append(out.Facts, p.Facts[i]), append(out.Rows, p.Rows[i])
			i++
		}
		for stale[k].id < f.BorrowerID {
			k++
		}
		out.Facts, out.Rows = append(out.Facts, f), append(out.Rows, FactsRow{Version: stale[k].version, Ledger: true})
	}
	out.Facts, out.Rows = append(out.Facts, p.Facts[i:]...), append(out.Rows, p.Rows[i:]...)
	return out, nil
}

// scoringLoans reads the loans of the borrowers in scope (only those in
// want, when it is not nil) with the borrowers' incomes, as facts without
// schedules and payments in borrower id order, and their loan ids
// (ascending).
func (tx *Tx) scoringLoans(ctx context.Context, scope FactsScope, want map[int64]bool) ([]*features.Facts, []int64, error) {
	cond, args := scope.where("l.borrower_id")
	rows, err := tx.query(ctx, `SELECT l.id, l.borrower_id, l.product_code, l.principal_minor, l.disbursed_on,
		l.penalty_rate_daily, l.late_fee_minor, b.monthly_income_minor FROM loans l JOIN borrowers b ON b.id = l.borrower_id
		WHERE `+cond+` ORDER BY l.borrower_id, l.id`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("scoring loans: %w", err)
	}
	defer rows.Close()
	var out []*features.Facts
	var ids []int64
	var f *features.Facts
	for rows.Next() {
		var l ledger.Loan
		var income money.Amount
		if err := rows.Scan(num(&l.ID), num(&l.BorrowerID), &l.ProductCode, num(&l.Principal), &l.DisbursedOn,
			&l.PenaltyRateDaily, num(&l.LateFee), num(&income)); err != nil {
			return nil, nil, fmt.Errorf("scan scoring loan: %w", err)
		}
		if want != nil && !want[l.BorrowerID] {
			continue
		}
		if f == nil || f.BorrowerID != l.BorrowerID {
			f = &features.Facts{BorrowerID: l.BorrowerID, MonthlyIncome: income}
			out = append(out, f)
		}
		f.Loans = append(f.Loans, features.Loan{Loan: l})
		ids = append(ids, l.ID)
	}
	if err := interpretError(rows.Err()); err != nil {
		return nil, nil, err
	}
	slices.Sort(ids)
	return out, ids, nil
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

func (tx *Tx) streamInstallments(ctx context.Context, scope FactsScope, out []*features.Facts) error {
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
		if l := c.loan(bid, id); l != nil {
			l.Schedule = append(l.Schedule, in)
		}
	}
	return interpretError(rows.Err())
}

func (tx *Tx) streamPayments(ctx context.Context, scope FactsScope, out []*features.Facts) error {
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
		if l := c.loan(bid, p.LoanID); l != nil {
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
