package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"accord/internal/errs"
)

// MaxAttachment is the largest attachment stored, in bytes. Attachments are
// kept in the database (negotiation_attachments.data) with their SHA-256, so
// a backup of the database holds the evidence whole; the cap keeps the
// database from growing with scans and recordings.
const MaxAttachment = 5 << 20

// Round is one round of negotiation with a borrower (协商记录), as recorded:
// when and where it was held, through which channel, who took part, what
// the borrower said about their situation, the offers made and the
// borrower's counter-offer, the key points and the outcome. Rounds are
// evidence: only added, never changed (the database refuses it).
type Round struct {
	ID           int64        `json:"id"`
	BorrowerID   int64        `json:"borrower_id"`
	CaseID       int64        `json:"case_id"`
	HeldAt       time.Time    `json:"held_at"`
	PlaceKind    string       `json:"place_kind"` // phone, branch, home_visit, online, other
	Place        string       `json:"place,omitempty"`
	Channel      string       `json:"channel"`
	Participants []string     `json:"participants"`
	Situation    string       `json:"situation,omitempty"`
	OffersMade   []int64      `json:"offers_made"` // stored offer ids
	CounterOffer string       `json:"counter_offer,omitempty"`
	KeyPoints    string       `json:"key_points,omitempty"`
	Outcome      string       `json:"outcome"`
	RecordedBy   string       `json:"recorded_by"`
	UserID       int64        `json:"user_id,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	Attachments  []Attachment `json:"attachments"`
}

// Attachment is a file kept with a round: its bytes, their SHA-256 (hex)
// and size. Lists leave Data empty.
type Attachment struct {
	ID          int64     `json:"id"`
	BorrowerID  int64     `json:"borrower_id"`
	RoundID     int64     `json:"round_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Data        []byte    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}

const roundCols = `id, borrower_id, case_id, held_at, place_kind, place, channel, participants, situation, offers_made,
	counter_offer, key_points, outcome, recorded_by, user_id, created_at`

// CreateRound stores r and its attachments and sets their IDs and SHA-256
// sums; CreatedAt is the transaction's time when zero. It returns an Invalid error for an attachment over
// MaxAttachment.
func (tx *Tx) CreateRound(ctx context.Context, r *Round) error {
	parts, err := toJSON(r.Participants)
	if err != nil {
		return err
	}
	offers, err := toJSON(r.OffersMade)
	if err != nil {
		return err
	}
	r.CreatedAt, r.HeldAt = tx.at(r.CreatedAt), truncated(r.HeldAt)
	err = tx.get(ctx, "Round", `INSERT INTO negotiation_rounds (borrower_id, case_id, held_at, place_kind, place, channel,
		participants, situation, offers_made, counter_offer, key_points, outcome, recorded_by, user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{r.BorrowerID, r.CaseID, ts(r.HeldAt), r.PlaceKind, r.Place, r.Channel, parts, r.Situation, offers,
			r.CounterOffer, r.KeyPoints, r.Outcome, r.RecordedBy, r.UserID, ts(r.CreatedAt)}, &r.ID)
	if err != nil {
		return fmt.Errorf("create round on case %d: %w", r.CaseID, err)
	}
	for i := range r.Attachments {
		a := &r.Attachments[i]
		a.BorrowerID, a.RoundID, a.CreatedAt = r.BorrowerID, r.ID, r.CreatedAt
		if err := tx.addAttachment(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) addAttachment(ctx context.Context, a *Attachment) error {
	if len(a.Data) > MaxAttachment {
		return errs.Fields("The attachment is too large.",
			errs.FieldError{Field: "attachments", Message: fmt.Sprintf("%q is over %d MiB", a.Name, MaxAttachment>>20)})
	}
	sum := sha256.Sum256(a.Data)
	a.SHA256, a.Size, a.CreatedAt = hex.EncodeToString(sum[:]), int64(len(a.Data)), tx.at(a.CreatedAt)
	err := tx.get(ctx, "Attachment", `INSERT INTO negotiation_attachments (borrower_id, round_id, name, content_type,
		size, sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{a.BorrowerID, a.RoundID, a.Name, a.ContentType, a.Size, a.SHA256, a.Data, ts(a.CreatedAt)}, &a.ID)
	if err != nil {
		return fmt.Errorf("add attachment to round %d: %w", a.RoundID, err)
	}
	return nil
}

// Rounds returns case caseID's rounds, oldest first, with their attachments
// (without the bytes).
func (tx *Tx) Rounds(ctx context.Context, caseID int64) ([]Round, error) {
	rows, err := tx.query(ctx, "SELECT "+roundCols+" FROM negotiation_rounds WHERE case_id = ? ORDER BY held_at, id", caseID)
	if err != nil {
		return nil, fmt.Errorf("rounds of case %d: %w", caseID, err)
	}
	var out []Round
	byID := map[int64]int{}
	for rows.Next() {
		var r Round
		var parts, offers string
		if err := rows.Scan(num(&r.ID), num(&r.BorrowerID), num(&r.CaseID), instant{&r.HeldAt}, &r.PlaceKind, &r.Place,
			&r.Channel, &parts, &r.Situation, &offers, &r.CounterOffer, &r.KeyPoints, &r.Outcome, &r.RecordedBy,
			num(&r.UserID), instant{&r.CreatedAt}); err != nil {
			rows.Close()
			return nil, interpretError(err)
		}
		if err := fromJSON(parts, &r.Participants); err != nil {
			rows.Close()
			return nil, err
		}
		if err := fromJSON(offers, &r.OffersMade); err != nil {
			rows.Close()
			return nil, err
		}
		r.Attachments = []Attachment{}
		byID[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	arows, err := tx.query(ctx, `SELECT a.id, a.borrower_id, a.round_id, a.name, a.content_type, a.size, a.sha256,
		a.created_at FROM negotiation_attachments a JOIN negotiation_rounds r ON r.id = a.round_id
		WHERE r.case_id = ? ORDER BY a.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("attachments of case %d: %w", caseID, err)
	}
	defer arows.Close()
	for arows.Next() {
		var a Attachment
		if err := arows.Scan(num(&a.ID), num(&a.BorrowerID), num(&a.RoundID), &a.Name, &a.ContentType, &a.Size,
			&a.SHA256, instant{&a.CreatedAt}); err != nil {
			return nil, interpretError(err)
		}
		if i, ok := byID[a.RoundID]; ok {
			out[i].Attachments = append(out[i].Attachments, a)
		}
	}
	return out, interpretError(arows.Err())
}

// Attachment returns attachment id with its bytes. It returns a NotFound
// error if there is none.
func (tx *Tx) Attachment(ctx context.Context, id int64) (Attachment, error) {
	var a Attachment
	err := tx.get(ctx, fmt.Sprintf("Attachment %d", id), `SELECT id, borrower_id, round_id, name, content_type, size,
		sha256, data, created_at FROM negotiation_attachments WHERE id = ?`, []any{id},
		num(&a.ID), num(&a.BorrowerID), num(&a.RoundID), &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.Data,
		instant{&a.CreatedAt})
	return a, err
}

// RoundCase returns the case of round id. It returns a NotFound error if
// there is no such round.
func (tx *Tx) RoundCase(ctx context.Context, id int64) (int64, error) {
	var caseID int64
	err := tx.get(ctx, fmt.Sprintf("Round %d", id), "SELECT case_id FROM negotiation_rounds WHERE id = ?", []any{id}, &caseID)
	return caseID, err
}
