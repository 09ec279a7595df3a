package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
)

// VisitEntry is an outcome of a visit as the pair submitted it, or a later
// correction of one (CorrectsID). Entries are evidence: only added, never
// changed (the database refuses it). Notes are masked before storage.
type VisitEntry struct {
	ID          int64             `json:"id"`
	BorrowerID  int64             `json:"borrower_id"`
	VisitID     int64             `json:"visit_id"`
	Kind        string            `json:"kind"`
	Note        string            `json:"note,omitempty"`
	MetWhom     string            `json:"met_whom,omitempty"`
	NewAddress  string            `json:"new_address,omitempty"` // JSON of a borrower.Address, when learnt
	AmountMinor int64             `json:"amount,omitempty"`
	PaymentRef  string            `json:"payment_ref,omitempty"`
	PromiseOn   date.Date         `json:"promise_date,omitempty"`
	PromiseID   int64             `json:"promise_id,omitempty"` // the promise record made from it
	RoundID     int64             `json:"round_id,omitempty"`   // the negotiation round made from it
	CorrectsID  int64             `json:"corrects_id,omitempty"`
	RecordedBy  string            `json:"recorded_by"`
	CreatedAt   time.Time         `json:"created_at"`
	Attachments []VisitAttachment `json:"attachments"`
}

// VisitAttachment is a photo or recording kept with an entry: its bytes,
// their SHA-256 (hex) and size. Lists leave Data empty.
type VisitAttachment struct {
	ID          int64     `json:"id"`
	BorrowerID  int64     `json:"borrower_id"`
	VisitID     int64     `json:"visit_id"`
	EntryID     int64     `json:"entry_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Data        []byte    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}

// AddVisitEntry stores e and its attachments (each at most MaxAttachment,
// else Invalid) and sets their IDs, sizes and SHA-256 sums.
func (tx *Tx) AddVisitEntry(ctx context.Context, e *VisitEntry) error {
	e.CreatedAt = tx.at(e.CreatedAt)
	err := tx.get(ctx, "VisitEntry", `INSERT INTO visit_entries (borrower_id, visit_id, kind, note, met_whom, new_address,
		amount_minor, payment_ref, promise_on, promise_id, round_id, corrects_id, recorded_by, created_at)
		VALUES (`+placeholders(14)+") RETURNING id",
		[]any{e.BorrowerID, e.VisitID, e.Kind, e.Note, e.MetWhom, e.NewAddress, e.AmountMinor, e.PaymentRef, e.PromiseOn,
			e.PromiseID, e.RoundID, e.CorrectsID, e.RecordedBy, ts(e.CreatedAt)}, &e.ID)
	if err != nil {
		return fmt.Errorf("add entry to visit %d: %w", e.VisitID, err)
	}
	for i := range e.Attachments {
		a := &e.Attachments[i]
		if len(a.Data) > MaxAttachment {
			return errs.Fields("The attachment is too large.",
				errs.FieldError{Field: "attachments", Message: fmt.Sprintf("%q is over %d MiB", a.Name, MaxAttachment>>20)})
		}
		sum := sha256.Sum256(a.Data)
		a.BorrowerID, a.VisitID, a.EntryID, a.CreatedAt = e.BorrowerID, e.VisitID, e.ID, e.CreatedAt
		a.SHA256, a.Size = hex.EncodeToString(sum[:]), int64(len(a.Data))
		err := tx.get(ctx, "VisitAttachment", `INSERT INTO visit_attachments (borrower_id, visit_id, entry_id, name,
			content_type, size, sha256, data, created_at) VALUES (`+placeholders(9)+") RETURNING id",
			[]any{a.BorrowerID, a.VisitID, a.EntryID, a.Name, a.ContentType, a.Size, a.SHA256, a.Data, ts(a.CreatedAt)}, &a.ID)
		if err != nil {
			return fmt.Errorf("add attachment to visit %d: %w", e.VisitID, err)
		}
	}
	return nil
}

// VisitEntries returns visit visitID's entries, oldest first, with their
// attachments (without the bytes).
func (tx *Tx) VisitEntries(ctx context.Context, visitID int64) ([]VisitEntry, error) {
	rows, err := tx.query(ctx, `SELECT id, borrower_id, visit_id, kind, note, met_whom, new_address, amount_minor,
		payment_ref, promise_on, promise_id, round_id, corrects_id, recorded_by, created_at FROM visit_entries
		WHERE visit_id = ? ORDER BY id`, visitID)
	if err != nil {
		return nil, fmt.Errorf("entries of visit %d: %w", visitID, err)
	}
	out := []VisitEntry{}
	byID := map[int64]int{}
	for rows.Next() {
		var e VisitEntry
		if err := rows.Scan(num(&e.ID), num(&e.BorrowerID), num(&e.VisitID), &e.Kind, &e.Note, &e.MetWhom, &e.NewAddress,
			num(&e.AmountMinor), &e.PaymentRef, &e.PromiseOn, num(&e.PromiseID), num(&e.RoundID), num(&e.CorrectsID),
			&e.RecordedBy, instant{&e.CreatedAt}); err != nil {
			rows.Close()
			return nil, interpretError(err)
		}
		e.Attachments = []VisitAttachment{}
		byID[e.ID] = len(out)
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	arows, err := tx.query(ctx, `SELECT id, borrower_id, visit_id, entry_id, name, content_type, size, sha256, created_at
		FROM visit_attachments WHERE visit_id = ? ORDER BY id`, visitID)
	if err != nil {
		return nil, fmt.Errorf("attachments of visit %d: %w", visitID, err)
	}
	defer arows.Close()
	for arows.Next() {
		var a VisitAttachment
		if err := arows.Scan(num(&a.ID), num(&a.BorrowerID), num(&a.VisitID), num(&a.EntryID), &a.Name, &a.ContentType,
			&a.Size, &a.SHA256, instant{&a.CreatedAt}); err != nil {
			return nil, interpretError(err)
		}
		if i, ok := byID[a.EntryID]; ok {
			out[i].Attachments = append(out[i].Attachments, a)
		}
	}
	return out, interpretError(arows.Err())
}

// VisitAttachment returns attachment id with its bytes. It returns a
// NotFound error if there is none.
func (tx *Tx) VisitAttachment(ctx context.Context, id int64) (VisitAttachment, error) {
	var a VisitAttachment
	err := tx.get(ctx, fmt.Sprintf("Attachment %d", id), `SELECT id, borrower_id, visit_id, entry_id, name, content_type,
		size, sha256, data, created_at FROM visit_attachments WHERE id = ?`, []any{id},
		num(&a.ID), num(&a.BorrowerID), num(&a.VisitID), num(&a.EntryID), &a.Name, &a.ContentType, &a.Size, &a.SHA256,
		&a.Data, instant{&a.CreatedAt})
	return a, err
}

// VisitIncident is a conflict or safety incident on a visit, or a
// complaint about one. It stays open until a supervisor acknowledges it.
type VisitIncident struct {
	ID             int64     `json:"id"`
	BorrowerID     int64     `json:"borrower_id"`
	VisitID        int64     `json:"visit_id"`
	Kind           string    `json:"kind"` // incident or complaint
	Note           string    `json:"note"`
	ReportedBy     string    `json:"reported_by"`
	CreatedAt      time.Time `json:"created_at"`
	AcknowledgedBy string    `json:"acknowledged_by,omitempty"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
}

// AddIncident stores i and sets ID and CreatedAt.
func (tx *Tx) AddIncident(ctx context.Context, i *VisitIncident) error {
	i.CreatedAt = tx.at(i.CreatedAt)
	err := tx.get(ctx, "VisitIncident", `INSERT INTO visit_incidents (borrower_id, visit_id, kind, note, reported_by,
		created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{i.BorrowerID, i.VisitID, i.Kind, i.Note, i.ReportedBy, ts(i.CreatedAt)}, &i.ID)
	if err != nil {
		return fmt.Errorf("add incident to visit %d: %w", i.VisitID, err)
	}
	return nil
}

// AcknowledgeIncident marks incident id seen by by. It returns NotFound
// for an unknown or already acknowledged incident.
func (tx *Tx) AcknowledgeIncident(ctx context.Context, id int64, by string) error {
	res, err := tx.exec(ctx, `UPDATE visit_incidents SET acknowledged_by = ?, acknowledged_at = ?
		WHERE id = ? AND acknowledged_at IS NULL`, by, ts(tx.at(time.Time{})), id)
	if err != nil {
		return fmt.Errorf("acknowledge incident %d: %w", id, interpretError(err))
	}
	return affected(res, fmt.Sprintf("Open incident %d", id))
}

// Incidents returns the incidents, newest first: only the open ones when
// openOnly, only visit visitID's when it is not 0.
func (tx *Tx) Incidents(ctx context.Context, openOnly bool, visitID int64) ([]VisitIncident, error) {
	var w where
	if openOnly {
		w.add("acknowledged_at IS NULL")
	}
	if visitID != 0 {
		w.add("visit_id = ?", visitID)
	}
	rows, err := tx.query(ctx, `SELECT id, borrower_id, visit_id, kind, note, reported_by, created_at, acknowledged_by,
		acknowledged_at FROM visit_incidents`+w.String()+" ORDER BY id DESC LIMIT 500", w.args...)
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	defer rows.Close()
	out := []VisitIncident{}
	for rows.Next() {
		var i VisitIncident
		if err := rows.Scan(num(&i.ID), num(&i.BorrowerID), num(&i.VisitID), &i.Kind, &i.Note, &i.ReportedBy,
			instant{&i.CreatedAt}, &i.AcknowledgedBy, instant{&i.AcknowledgedAt}); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, i)
	}
	return out, interpretError(rows.Err())
}
