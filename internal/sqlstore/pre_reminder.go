package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
)

// PreReminder is the pre-delinquency reminder of one borrower and night
// (see migration 00025): the early-warning codes behind it, its outbox
// message (0 when none was queued) and its status at queueing.
type PreReminder struct {
	BorrowerID int64     `json:"borrower_id"`
	AsOf       date.Date `json:"as_of"`
	Codes      string    `json:"codes"` // comma-separated, sorted
	MessageID  int64     `json:"message_id,omitempty"`
	Status     string    `json:"status"` // queued, held, blocked, no_mobile
	CreatedAt  time.Time `json:"created_at"`
}

// PreReminderCandidate is a borrower warned on a night who is current: a
// loan active, none delinquent and no open case.
type PreReminderCandidate struct {
	BorrowerID int64
	Codes      []string  // the night's warning codes, sorted
	NextDue    date.Date // the earliest next due date of the active loans; zero when unknown
}

// PreReminderCandidates returns, by borrower id, the borrowers with an
// early warning stored for asOf who are current (see PreReminderCandidate).
func (tx *Tx) PreReminderCandidates(ctx context.Context, asOf date.Date) ([]PreReminderCandidate, error) {
	rows, err := tx.query(ctx, `SELECT w.borrower_id, w.code,
		(SELECT MIN(l.next_due) FROM loans l WHERE l.borrower_id = w.borrower_id AND l.status = 'active')
		FROM early_warnings w WHERE w.as_of = ?
		AND EXISTS (SELECT 1 FROM loans l WHERE l.borrower_id = w.borrower_id AND l.status = 'active')
		AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.borrower_id = w.borrower_id AND l.status = 'delinquent')
		AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.borrower_id = w.borrower_id AND c.status = 'open')
		ORDER BY w.borrower_id, w.code`, asOf)
	if err != nil {
		return nil, fmt.Errorf("pre-delinquency reminder candidates: %w", err)
	}
	defer rows.Close()
	var out []PreReminderCandidate
	for rows.Next() {
		var id int64
		var code string
		var due date.Date
		if err := rows.Scan(num(&id), &code, &due); err != nil {
			return nil, fmt.Errorf("scan pre-delinquency reminder candidate: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].BorrowerID != id {
			out = append(out, PreReminderCandidate{BorrowerID: id, NextDue: due})
		}
		out[len(out)-1].Codes = append(out[len(out)-1].Codes, code)
	}
	return out, interpretError(rows.Err())
}

// LastPreReminder returns the latest night on or before asOf on which
// borrowerID was sent a reminder (queued or held); zero when never.
func (tx *Tx) LastPreReminder(ctx context.Context, borrowerID int64, asOf date.Date) (date.Date, error) {
	var d date.Date
	err := tx.get(ctx, "Pre-delinquency reminder", `SELECT as_of FROM pre_delinquency_reminders
		WHERE borrower_id = ? AND as_of <= ? AND status IN ('queued', 'held') ORDER BY as_of DESC LIMIT 1`,
		[]any{borrowerID, asOf}, &d)
	if errs.CodeOf(err) == errs.NotFound {
		return 0, nil
	}
	return d, err
}

// PreRemindersOn returns the reminders recorded for night asOf, by borrower.
func (tx *Tx) PreRemindersOn(ctx context.Context, asOf date.Date) ([]PreReminder, error) {
	rows, err := tx.query(ctx, `SELECT borrower_id, as_of, codes, message_id, status, created_at
		FROM pre_delinquency_reminders WHERE as_of = ? ORDER BY borrower_id`, asOf)
	if err != nil {
		return nil, fmt.Errorf("pre-delinquency reminders: %w", err)
	}
	defer rows.Close()
	var out []PreReminder
	for rows.Next() {
		var r PreReminder
		if err := rows.Scan(num(&r.BorrowerID), &r.AsOf, &r.Codes, num(&r.MessageID), &r.Status, instant{&r.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan pre-delinquency reminder: %w", err)
		}
		out = append(out, r)
	}
	return out, interpretError(rows.Err())
}

// RecordPreReminder records r (CreatedAt is set). It returns a Conflict
// error when the borrower's reminder of that night is already recorded.
func (tx *Tx) RecordPreReminder(ctx context.Context, r *PreReminder) error {
	r.CreatedAt = tx.now
	_, err := tx.exec(ctx, `INSERT INTO pre_delinquency_reminders (borrower_id, as_of, codes, message_id, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.BorrowerID, r.AsOf, r.Codes, r.MessageID, r.Status, ts(r.CreatedAt))
	return conflict(err, "The pre-delinquency reminder of borrower %d on %s is already recorded.", r.BorrowerID, r.AsOf)
}

// PreReminderRecorded reports whether borrowerID's reminder of night asOf
// is recorded, whatever its status.
func (tx *Tx) PreReminderRecorded(ctx context.Context, borrowerID int64, asOf date.Date) (bool, error) {
	var n int64
	err := tx.get(ctx, "Pre-delinquency reminder", `SELECT COUNT(*) FROM pre_delinquency_reminders
		WHERE borrower_id = ? AND as_of = ?`, []any{borrowerID, asOf}, num(&n))
	return n > 0, err
}
