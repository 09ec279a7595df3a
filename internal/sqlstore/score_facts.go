package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/money"
	"accord/internal/promise"
)

// ScoringBorrowers returns up to limit ids of borrowers with a loan, above
// after, in id order: the chunks training and scoring walk the book in.
func (tx *Tx) ScoringBorrowers(ctx context.Context, after int64, limit int) ([]int64, error) {
	return tx.int64s(ctx, `SELECT DISTINCT borrower_id FROM loans WHERE borrower_id > ? ORDER BY borrower_id LIMIT ?`,
		after, limit)
}

// ScoringFacts returns the facts features are computed from for borrowers
// ids: income, loans with schedules and every payment, performed contact
// attempts (dated in zone), promises and plans. Borrowers without a loan
// are left out.
func (tx *Tx) ScoringFacts(ctx context.Context, ids []int64, zone *time.Location) (map[int64]*features.Facts, error) {
	out := map[int64]*features.Facts{}
	if len(ids) == 0 {
		return out, nil
	}
	loanIDs, err := tx.int64s(ctx, "SELECT id FROM loans WHERE borrower_id IN ("+placeholders(len(ids))+") ORDER BY id",
		int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("scoring loans: %w", err)
	}
	bundles, err := tx.LoanHistories(ctx, loanIDs)
	if err != nil {
		return nil, err
	}
	for _, b := range bundles {
		f := out[b.Loan.BorrowerID]
		if f == nil {
			f = &features.Facts{BorrowerID: b.Loan.BorrowerID}
			out[b.Loan.BorrowerID] = f
		}
		f.Loans = append(f.Loans, features.Loan{Loan: b.Loan, Schedule: b.Schedule, Payments: b.Payments})
	}
	in, args := "("+placeholders(len(ids))+")", int64Args(ids)
	if err := tx.scoringIncome(ctx, in, args, out); err != nil {
		return nil, err
	}
	if err := tx.scoringContacts(ctx, in, args, zone, out); err != nil {
		return nil, err
	}
	if err := tx.scoringPromises(ctx, in, args, out); err != nil {
		return nil, err
	}
	return out, tx.scoringPlans(ctx, in, args, out)
}

func (tx *Tx) scoringIncome(ctx context.Context, in string, args []any, out map[int64]*features.Facts) error {
	rows, err := tx.query(ctx, "SELECT id, monthly_income_minor FROM borrowers WHERE id IN "+in, args...)
	if err != nil {
		return fmt.Errorf("scoring incomes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var inc money.Amount
		if err := rows.Scan(num(&id), num(&inc)); err != nil {
			return fmt.Errorf("scan income: %w", err)
		}
		if f := out[id]; f != nil {
			f.MonthlyIncome = inc
		}
	}
	return interpretError(rows.Err())
}

func (tx *Tx) scoringContacts(ctx context.Context, in string, args []any, zone *time.Location, out map[int64]*features.Facts) error {
	rows, err := tx.query(ctx, `SELECT borrower_id, started_at, channel, party, outcome FROM contact_attempts
		WHERE performed = ? AND borrower_id IN `+in+` ORDER BY borrower_id, started_at`, append([]any{true}, args...)...)
	if err != nil {
		return fmt.Errorf("scoring contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at time.Time
		var c features.Contact
		var outcome string
		if err := rows.Scan(num(&id), instant{&at}, &c.Channel, &c.Party, &outcome); err != nil {
			return fmt.Errorf("scan contact: %w", err)
		}
		c.On, c.Connected = date.FromTime(at.In(zone)), outcome == "connected"
		if f := out[id]; f != nil {
			f.Contacts = append(f.Contacts, c)
		}
	}
	return interpretError(rows.Err())
}

func (tx *Tx) scoringPromises(ctx context.Context, in string, args []any, out map[int64]*features.Facts) error {
	rows, err := tx.query(ctx, `SELECT borrower_id, made_on, due_on, status, judged_on FROM promises
		WHERE borrower_id IN `+in+` ORDER BY borrower_id, id`, args...)
	if err != nil {
		return fmt.Errorf("scoring promises: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p features.Promise
		var st promise.Status
		if err := rows.Scan(num(&id), &p.MadeOn, &p.Due, &st, &p.JudgedOn); err != nil {
			return fmt.Errorf("scan promise: %w", err)
		}
		p.Final, p.Kept = promise.Final(st), st == promise.Kept
		if f := out[id]; f != nil {
			f.Promises = append(f.Promises, p)
		}
	}
	return interpretError(rows.Err())
}

func (tx *Tx) scoringPlans(ctx context.Context, in string, args []any, out map[int64]*features.Facts) error {
	rows, err := tx.query(ctx, `SELECT borrower_id, start_on, broken_on, completed_on FROM plans
		WHERE borrower_id IN `+in+` ORDER BY borrower_id, id`, args...)
	if err != nil {
		return fmt.Errorf("scoring plans: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p features.Plan
		if err := rows.Scan(num(&id), &p.Start, &p.BrokenOn, &p.CompletedOn); err != nil {
			return fmt.Errorf("scan plan: %w", err)
		}
		if f := out[id]; f != nil {
			f.Plans = append(f.Plans, p)
		}
	}
	return interpretError(rows.Err())
}
