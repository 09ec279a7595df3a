package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/promise"
)

const promiseCols = `id, borrower_id, case_id, amount_minor, due_on, channel, taken_by, collector_id, team_id, made_on, made_at,
	contact_id, status, paid_minor, judged_on, cancel_reason, note`

func promiseDest(p *promise.Promise) []any {
	return []any{num(&p.ID), num(&p.BorrowerID), num(&p.CaseID), num(&p.Amount), &p.Due, &p.Channel, &p.TakenBy,
		num(&p.CollectorID), num(&p.TeamID), &p.MadeOn, instant{&p.MadeAt}, num(&p.ContactID), &p.Status, num(&p.Paid),
		&p.JudgedOn, &p.CancelReason, &p.Note}
}

// CreatePromise inserts p and sets its ID; MadeAt is the transaction's time
// when zero and Status open when empty.
func (tx *Tx) CreatePromise(ctx context.Context, p *promise.Promise) error {
	if p.MadeAt.IsZero() {
		p.MadeAt = tx.now
	}
	if p.Status == "" {
		p.Status = promise.Open
	}
	p.MadeAt = truncated(p.MadeAt)
	err := tx.get(ctx, "Promise", `INSERT INTO promises (borrower_id, case_id, amount_minor, due_on, channel, taken_by,
		collector_id, team_id, made_on, made_at, contact_id, status, paid_minor, judged_on, cancel_reason, note, created_at,
		updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{p.BorrowerID, p.CaseID, int64(p.Amount), p.Due, p.Channel, p.TakenBy, p.CollectorID, p.TeamID, p.MadeOn,
			ts(p.MadeAt), p.ContactID, string(p.Status), int64(p.Paid), p.JudgedOn, p.CancelReason, p.Note, ts(tx.now), ts(tx.now)},
		&p.ID)
	if err != nil {
		return fmt.Errorf("create promise: %w", err)
	}
	return nil
}

// Promise returns the promise with id. It returns a NotFound error if there
// is none.
func (tx *Tx) Promise(ctx context.Context, id int64) (promise.Promise, error) {
	var p promise.Promise
	err := tx.get(ctx, fmt.Sprintf("Promise %d", id), "SELECT "+promiseCols+" FROM promises WHERE id = ?", []any{id},
		promiseDest(&p)...)
	return p, err
}

// PromiseFilter selects promises. Zero fields select everything.
type PromiseFilter struct {
	CaseID     int64
	BorrowerID int64
	Statuses   []promise.Status
	DueBefore  date.Date // due strictly before this date
}

// Promises returns the promises f selects, first in first out (due date,
// then made, then id).
func (tx *Tx) Promises(ctx context.Context, f PromiseFilter) ([]promise.Promise, error) {
	var w where
	if f.BorrowerID != 0 {
		w.add("borrower_id = ?", f.BorrowerID)
	}
	if f.CaseID != 0 {
		w.add("case_id = ?", f.CaseID)
	}
	if len(f.Statuses) > 0 {
		args := make([]any, len(f.Statuses))
		for i, s := range f.Statuses {
			args[i] = string(s)
		}
		w.add("status IN ("+placeholders(len(args))+")", args...)
	}
	if !f.DueBefore.IsZero() {
		w.add("due_on < ?", f.DueBefore)
	}
	rows, err := tx.query(ctx, "SELECT "+promiseCols+" FROM promises"+w.String()+" ORDER BY due_on, made_on, made_at, id", w.args...)
	if err != nil {
		return nil, fmt.Errorf("list promises: %w", err)
	}
	defer rows.Close()
	var out []promise.Promise
	for rows.Next() {
		var p promise.Promise
		if err := rows.Scan(promiseDest(&p)...); err != nil {
			return nil, fmt.Errorf("scan promise: %w", err)
		}
		out = append(out, p)
	}
	return out, interpretError(rows.Err())
}

// UpdatePromise stores p's status, amount paid, judgement date and cancel
// reason. It returns a NotFound error if there is no such promise.
func (tx *Tx) UpdatePromise(ctx context.Context, p promise.Promise) error {
	res, err := tx.exec(ctx, `UPDATE promises SET status = ?, paid_minor = ?, judged_on = ?, cancel_reason = ?, updated_at = ?
		WHERE borrower_id = ? AND id = ?`, string(p.Status), int64(p.Paid), p.JudgedOn, p.CancelReason, ts(tx.now), p.BorrowerID, p.ID)
	if err != nil {
		return fmt.Errorf("update promise %d: %w", p.ID, err)
	}
	return affected(res, fmt.Sprintf("Promise %d", p.ID))
}

// PromiseMatch is part of a payment credited to a promise.
type PromiseMatch struct {
	BorrowerID int64        `json:"borrower_id"`
	PaymentID  int64        `json:"payment_id"`
	PromiseID  int64        `json:"promise_id"`
	Amount     money.Amount `json:"amount"`
	PaidOn     date.Date    `json:"paid_on"`
}

// AddPromiseMatches records matches; a match already recorded (same
// borrower, payment and promise) is left as it is.
func (tx *Tx) AddPromiseMatches(ctx context.Context, ms []PromiseMatch) error {
	if len(ms) == 0 {
		return nil
	}
	args := make([]any, 0, len(ms)*6)
	for _, m := range ms {
		args = append(args, m.BorrowerID, m.PaymentID, m.PromiseID, int64(m.Amount), m.PaidOn, ts(tx.now))
	}
	_, err := tx.exec(ctx, `INSERT INTO promise_matches (borrower_id, payment_id, promise_id, amount_minor, paid_on, created_at)
		VALUES `+rowsOf(len(ms), 6)+" ON CONFLICT (borrower_id, payment_id, promise_id) DO NOTHING", args...)
	if err != nil {
		return fmt.Errorf("add promise matches: %w", err)
	}
	return nil
}

// PromiseMatches returns the matches of payment paymentID of borrower
// borrowerID, by promise id.
func (tx *Tx) PromiseMatches(ctx context.Context, borrowerID, paymentID int64) ([]PromiseMatch, error) {
	rows, err := tx.query(ctx, `SELECT borrower_id, payment_id, promise_id, amount_minor, paid_on FROM promise_matches
		WHERE borrower_id = ? AND payment_id = ? ORDER BY promise_id`, borrowerID, paymentID)
	if err != nil {
		return nil, fmt.Errorf("list promise matches of payment %d: %w", paymentID, err)
	}
	defer rows.Close()
	var out []PromiseMatch
	for rows.Next() {
		var m PromiseMatch
		if err := rows.Scan(num(&m.BorrowerID), num(&m.PaymentID), num(&m.PromiseID), num(&m.Amount), &m.PaidOn); err != nil {
			return nil, fmt.Errorf("scan promise match: %w", err)
		}
		out = append(out, m)
	}
	return out, interpretError(rows.Err())
}

// DeletePromiseMatches removes the matches of payment paymentID of
// borrower borrowerID and returns how many there were.
func (tx *Tx) DeletePromiseMatches(ctx context.Context, borrowerID, paymentID int64) (int, error) {
	res, err := tx.exec(ctx, "DELETE FROM promise_matches WHERE borrower_id = ? AND payment_id = ?", borrowerID, paymentID)
	if err != nil {
		return 0, fmt.Errorf("delete promise matches of payment %d: %w", paymentID, err)
	}
	n, err := res.RowsAffected()
	return int(n), interpretError(err)
}

// DuePromiseBorrowers returns up to limit borrower ids above after, in
// order, that have an open promise due before asOf: the nightly judgement
// walks them in chunks.
func (tx *Tx) DuePromiseBorrowers(ctx context.Context, asOf date.Date, after int64, limit int) ([]int64, error) {
	rows, err := tx.query(ctx, `SELECT DISTINCT borrower_id FROM promises WHERE status = 'open' AND due_on < ? AND borrower_id > ?
		ORDER BY borrower_id LIMIT ?`, asOf, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list borrowers with promises due: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(num(&id)); err != nil {
			return nil, fmt.Errorf("scan borrower id: %w", err)
		}
		out = append(out, id)
	}
	return out, interpretError(rows.Err())
}

// SyncCasePromise adds kept and broken to case id's promise counters and
// sets its promise columns to its earliest open promise (none when it has
// no open promise), which the strategy and the queues read. When broken is
// positive, on becomes the case's last broken-promise date. It returns a
// NotFound error if there is no such case.
func (tx *Tx) SyncCasePromise(ctx context.Context, id int64, kept, broken int, on date.Date) error {
	const first = " FROM promises WHERE case_id = ? AND status = 'open' ORDER BY due_on, made_on, made_at, id LIMIT 1)"
	q := strings.Join([]string{"UPDATE cases SET promises_kept = promises_kept + ?, promises_broken = promises_broken + ?",
		"promise_made_on = (SELECT made_on" + first, "promise_due = (SELECT due_on" + first,
		"promise_amount_minor = COALESCE((SELECT amount_minor" + first + ", 0)",
		"promise_broken_on = CASE WHEN ? > 0 THEN ? ELSE promise_broken_on END", "updated_at = ? WHERE id = ?"}, ", ")
	brokenOn := on
	if broken <= 0 {
		brokenOn = 0
	}
	res, err := tx.exec(ctx, q, kept, broken, id, id, id, broken, brokenOn, ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("sync promises of case %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Case %d", id))
}

// UnmatchedPayments returns borrower borrowerID's payments dated on or
// after since that are not reversed and not credited to any promise yet,
// in the order they take effect. The nightly judgement credits them first,
// so that payments that arrived without going through posting (an import,
// the simulation) count too.
func (tx *Tx) UnmatchedPayments(ctx context.Context, borrowerID int64, since date.Date) ([]ledger.Payment, error) {
	rows, err := tx.query(ctx, "SELECT "+prefixed(paymentCols, "p")+` FROM payments p JOIN loans l ON l.id = p.loan_id
		WHERE l.borrower_id = ? AND NOT p.reversed AND p.paid_on >= ? AND NOT EXISTS (SELECT 1 FROM promise_matches m
		WHERE m.borrower_id = l.borrower_id AND m.payment_id = p.id) ORDER BY p.paid_on, p.id`, borrowerID, since)
	if err != nil {
		return nil, fmt.Errorf("list unmatched payments of borrower %d: %w", borrowerID, err)
	}
	defer rows.Close()
	var out []ledger.Payment
	for rows.Next() {
		var p ledger.Payment
		if err := rows.Scan(paymentDest(&p)...); err != nil {
			return nil, fmt.Errorf("scan payment: %w", err)
		}
		out = append(out, p)
	}
	return out, interpretError(rows.Err())
}

// PromiseOutcome counts the judged promises due in a period credited to
// one collector (and team): kept, partly kept and broken.
type PromiseOutcome struct {
	CollectorID, TeamID  int64
	Kept, Partly, Broken int
}

// PromiseOutcomes counts the promises due from from to to (inclusive) that
// have been judged, by the collector and team they are credited to.
// Cancelled and still open promises are left out.
func (tx *Tx) PromiseOutcomes(ctx context.Context, from, to date.Date) ([]PromiseOutcome, error) {
	rows, err := tx.query(ctx, `SELECT collector_id, team_id,
		SUM(CASE WHEN status = 'kept' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'partly_kept' THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'broken' THEN 1 ELSE 0 END)
		FROM promises WHERE due_on >= ? AND due_on <= ? AND status IN ('kept', 'partly_kept', 'broken')
		GROUP BY collector_id, team_id ORDER BY collector_id, team_id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("count promise outcomes: %w", err)
	}
	defer rows.Close()
	var out []PromiseOutcome
	for rows.Next() {
		var o PromiseOutcome
		if err := rows.Scan(num(&o.CollectorID), num(&o.TeamID), num(&o.Kept), num(&o.Partly), num(&o.Broken)); err != nil {
			return nil, fmt.Errorf("scan promise outcome: %w", err)
		}
		out = append(out, o)
	}
	return out, interpretError(rows.Err())
}
