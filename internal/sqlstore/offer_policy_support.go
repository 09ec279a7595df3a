package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"accord/internal/date"
)

// SupportProgrammeVersion is one saved version of the support programme's
// educational messages (a JSON document the negotiation package reads);
// the newest is in force.
type SupportProgrammeVersion struct {
	ID        int64           `json:"id"`
	Version   int             `json:"version"`
	Body      json.RawMessage `json:"body"`
	CreatedBy string          `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
}

// CreateSupportProgrammeVersion stores v as the next version and sets its
// ID, Version and CreatedAt.
func (tx *Tx) CreateSupportProgrammeVersion(ctx context.Context, v *SupportProgrammeVersion) error {
	if err := tx.get(ctx, "Support programme", "SELECT COALESCE(MAX(version), 0) + 1 FROM support_programme_versions",
		nil, num(&v.Version)); err != nil {
		return fmt.Errorf("next support programme version: %w", err)
	}
	v.CreatedAt = tx.now
	err := tx.get(ctx, "Support programme", `INSERT INTO support_programme_versions (version, body, created_by, created_at)
		VALUES (?, ?, ?, ?) RETURNING id`, []any{v.Version, string(v.Body), v.CreatedBy, ts(v.CreatedAt)}, &v.ID)
	return conflict(err, "Support programme version %d already exists; try again.", v.Version)
}

// LatestSupportProgramme returns the version in force. It returns a
// NotFound error if none was saved.
func (tx *Tx) LatestSupportProgramme(ctx context.Context) (SupportProgrammeVersion, error) {
	var v SupportProgrammeVersion
	var body string
	err := tx.get(ctx, "Support programme", `SELECT id, version, body, created_by, created_at FROM support_programme_versions
		ORDER BY version DESC LIMIT 1`, nil, &v.ID, num(&v.Version), &body, &v.CreatedBy, instant{&v.CreatedAt})
	v.Body = json.RawMessage(body)
	return v, err
}

// SupportEnrolment is a borrower enrolled in the support programme now:
// the case and date of their latest enrolment event.
type SupportEnrolment struct {
	BorrowerID int64     `json:"borrower_id"`
	CaseID     int64     `json:"case_id"`
	EnrolledOn date.Date `json:"enrolled_on"`
}

// SupportEnrolments returns the borrowers after borrower id after whose
// flags hold flag, with their latest enrolment event (code), by borrower
// id, at most limit.
func (tx *Tx) SupportEnrolments(ctx context.Context, flag, code string, after int64, limit int) ([]SupportEnrolment, error) {
	rows, err := tx.query(ctx, `SELECT e.borrower_id, e.case_id, e.on_date FROM case_events e
		JOIN borrowers b ON b.id = e.borrower_id
		WHERE e.code = ? AND e.borrower_id > ? AND b.flags LIKE ?
		AND e.id = (SELECT MAX(x.id) FROM case_events x WHERE x.borrower_id = e.borrower_id AND x.code = ?)
		ORDER BY e.borrower_id LIMIT ?`, code, after, `%"`+flag+`"%`, code, limit)
	if err != nil {
		return nil, fmt.Errorf("list support enrolments: %w", err)
	}
	defer rows.Close()
	var out []SupportEnrolment
	for rows.Next() {
		var e SupportEnrolment
		if err := rows.Scan(&e.BorrowerID, &e.CaseID, &e.EnrolledOn); err != nil {
			return nil, fmt.Errorf("scan support enrolment: %w", err)
		}
		out = append(out, e)
	}
	return out, interpretError(rows.Err())
}

// SupportMessage records one educational message of an enrolment: queued,
// held or blocked by the governor (the outbox status), or skipped.
type SupportMessage struct {
	ID         int64     `json:"id"`
	BorrowerID int64     `json:"borrower_id"`
	CaseID     int64     `json:"case_id"`
	EnrolledOn date.Date `json:"enrolled_on"`
	Day        int       `json:"day"` // days after enrolment
	AsOf       date.Date `json:"as_of"`
	Version    int       `json:"version"` // of the support programme
	MessageID  int64     `json:"message_id,omitempty"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
}

// RecordSupportMessage stores m and sets its ID and CreatedAt. It returns
// a Conflict error if the enrolment's message of that day is recorded.
func (tx *Tx) RecordSupportMessage(ctx context.Context, m *SupportMessage) error {
	m.CreatedAt = tx.now
	err := tx.get(ctx, "Support message", `INSERT INTO support_messages (borrower_id, case_id, enrolled_on, day, as_of,
		version, message_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{m.BorrowerID, m.CaseID, m.EnrolledOn, m.Day, m.AsOf, m.Version, m.MessageID, m.Status, ts(m.CreatedAt)}, &m.ID)
	return conflict(err, "The support message of day %d is already recorded.", m.Day)
}

// SupportMessageDays returns the days whose messages are recorded for the
// enrolment of borrowerID on enrolledOn.
func (tx *Tx) SupportMessageDays(ctx context.Context, borrowerID int64, enrolledOn date.Date) (map[int]bool, error) {
	rows, err := tx.query(ctx, "SELECT day FROM support_messages WHERE borrower_id = ? AND enrolled_on = ?", borrowerID, enrolledOn)
	if err != nil {
		return nil, fmt.Errorf("support messages of borrower %d: %w", borrowerID, err)
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out[int(d)] = true
	}
	return out, interpretError(rows.Err())
}

// SupportMessages returns the latest records, newest first, at most limit
// (DefaultLimit when 0).
func (tx *Tx) SupportMessages(ctx context.Context, limit int) ([]SupportMessage, error) {
	rows, err := tx.query(ctx, `SELECT id, borrower_id, case_id, enrolled_on, day, as_of, version, message_id, status, created_at
		FROM support_messages ORDER BY id DESC`+page(limit, 0))
	if err != nil {
		return nil, fmt.Errorf("list support messages: %w", err)
	}
	defer rows.Close()
	var out []SupportMessage
	for rows.Next() {
		var m SupportMessage
		if err := rows.Scan(&m.ID, &m.BorrowerID, &m.CaseID, &m.EnrolledOn, num(&m.Day), &m.AsOf, num(&m.Version), &m.MessageID,
			&m.Status, instant{&m.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan support message: %w", err)
		}
		out = append(out, m)
	}
	return out, interpretError(rows.Err())
}
