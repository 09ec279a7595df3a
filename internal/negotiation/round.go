package negotiation

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// The values a round's place, channel and outcome take.
var (
	RoundPlaces   = []string{"phone", "branch", "home_visit", "online", "other"}
	RoundChannels = []string{"call", "visit", "branch", "video", "sms", "email", "portal", "letter", "upload", "other"}
	RoundOutcomes = []string{"accepted", "counter_offer", "considering", "refused", "no_agreement", "follow_up"}
)

// MaxAttachments is the most files one round keeps.
const MaxAttachments = 5

// NewRound is a round of negotiation (协商记录) as the negotiator records
// it. Attachments carry their bytes (base64 in JSON).
type NewRound struct {
	HeldAt       time.Time       `json:"held_at,omitempty"` // now when zero
	PlaceKind    string          `json:"place_kind,omitempty"`
	Place        string          `json:"place,omitempty"` // the address of a home visit or the branch
	Channel      string          `json:"channel,omitempty"`
	Participants []string        `json:"participants,omitempty"`
	Situation    string          `json:"situation,omitempty"` // what the borrower said about their situation
	OffersMade   []int64         `json:"offers_made,omitempty"`
	CounterOffer string          `json:"counter_offer,omitempty"`
	KeyPoints    string          `json:"key_points,omitempty"`
	Outcome      string          `json:"outcome,omitempty"`
	Attachments  []NewAttachment `json:"attachments,omitempty"`
}

// NewAttachment is a file kept with a round.
type NewAttachment struct {
	Name        string `json:"name,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Data        []byte `json:"data,omitempty"`
}

func oneOf(fe []errs.FieldError, field, v string, list []string) []errs.FieldError {
	if !slices.Contains(list, v) {
		fe = append(fe, errs.FieldError{Field: field, Message: fmt.Sprintf("%q must be one of %s", v, strings.Join(list, ", "))})
	}
	return fe
}

func (r *NewRound) validate(now time.Time) error {
	var fe []errs.FieldError
	if r.HeldAt.IsZero() {
		r.HeldAt = now
	} else if r.HeldAt.After(now.Add(5 * time.Minute)) {
		fe = append(fe, errs.FieldError{Field: "held_at", Message: "is in the future"})
	}
	fe = oneOf(fe, "place_kind", r.PlaceKind, RoundPlaces)
	if (r.PlaceKind == "home_visit" || r.PlaceKind == "branch") && strings.TrimSpace(r.Place) == "" {
		fe = append(fe, errs.FieldError{Field: "place", Message: "is required for a " + strings.ReplaceAll(r.PlaceKind, "_", " ")})
	}
	fe = oneOf(fe, "channel", r.Channel, RoundChannels)
	fe = oneOf(fe, "outcome", r.Outcome, RoundOutcomes)
	if len(r.Participants) == 0 {
		fe = append(fe, errs.FieldError{Field: "participants", Message: "name at least one"})
	}
	for i, p := range r.Participants {
		if strings.TrimSpace(p) == "" || utf8.RuneCountInString(p) > 100 {
			fe = append(fe, errs.FieldError{Field: "participants[" + strconv.Itoa(i) + "]", Message: "1 to 100 characters"})
		}
	}
	for _, f := range []struct{ name, v string }{{"place", r.Place}, {"situation", r.Situation},
		{"counter_offer", r.CounterOffer}, {"key_points", r.KeyPoints}} {
		if utf8.RuneCountInString(f.v) > MaxNote {
			fe = append(fe, errs.FieldError{Field: f.name, Message: fmt.Sprintf("at most %d characters", MaxNote)})
		}
	}
	if len(r.Attachments) > MaxAttachments {
		fe = append(fe, errs.FieldError{Field: "attachments", Message: fmt.Sprintf("at most %d files", MaxAttachments)})
	}
	for i, a := range r.Attachments {
		if strings.TrimSpace(a.Name) == "" || len(a.Data) == 0 || len(a.Data) > sqlstore.MaxAttachment {
			fe = append(fe, errs.FieldError{Field: "attachments[" + strconv.Itoa(i) + "]",
				Message: fmt.Sprintf("needs a name and 1 byte to %d MiB", sqlstore.MaxAttachment>>20)})
		}
	}
	if len(fe) > 0 {
		return errs.Fields("The round is not valid.", fe...)
	}
	return nil
}

// maskNote masks phone numbers, national ids and bank cards in free text,
// as every note is before storage.
func maskNote(s string) string { return pii.MaskFreeText(s) }

// maskAll masks each of list's free texts (such as a round's participants)
// into a new slice.
func maskAll(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = maskNote(s)
	}
	return out
}

// AddRound records a round of negotiation on case caseID, which by must be
// allowed to work. Rounds are evidence: they are only ever added to. The
// offers made must be offers of the case. It returns an Invalid error
// naming the fields, Forbidden, NotFound (also outside by's scope) or
// collect.ErrCaseClosed.
func (s *Service) AddRound(ctx context.Context, by collect.Actor, caseID int64, nr NewRound) (sqlstore.Round, error) {
	if err := mayNegotiate(by); err != nil {
		return sqlstore.Round{}, err
	}
	var r sqlstore.Round
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		r, err = s.addRoundIn(ctx, tx, by, caseID, nr)
		return err
	})
	if err != nil {
		return sqlstore.Round{}, fmt.Errorf("add round on case %d: %w", caseID, err)
	}
	for i := range r.Attachments {
		r.Attachments[i].Data = nil
	}
	return r, nil
}

func roundOf(c sqlstore.Case, by collect.Actor, nr NewRound, at time.Time) sqlstore.Round {
	r := sqlstore.Round{BorrowerID: c.BorrowerID, CaseID: c.ID, HeldAt: nr.HeldAt, PlaceKind: nr.PlaceKind, Place: maskNote(nr.Place),
		Channel: nr.Channel, Participants: maskAll(nr.Participants), Situation: maskNote(nr.Situation),
		OffersMade: append([]int64{}, nr.OffersMade...), CounterOffer: maskNote(nr.CounterOffer),
		KeyPoints: maskNote(nr.KeyPoints), Outcome: nr.Outcome, RecordedBy: by.User.Username, UserID: by.User.ID,
		CreatedAt: at}
	for _, a := range nr.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		r.Attachments = append(r.Attachments, sqlstore.Attachment{Name: a.Name, ContentType: ct, Data: a.Data})
	}
	return r
}

// Rounds returns case caseID's rounds, oldest first, with their attachments
// (names, sizes and SHA-256, not the bytes), if by may see the case. It
// returns NotFound (also outside by's scope).
func (s *Service) Rounds(ctx context.Context, by collect.Actor, caseID int64) ([]sqlstore.Round, error) {
	var out []sqlstore.Round
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		if _, err := s.collect.VisibleCase(ctx, tx, by, caseID); err != nil {
			return err
		}
		var err error
		out, err = tx.Rounds(ctx, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list rounds of case %d: %w", caseID, err)
	}
	return out, nil
}

// Attachment returns attachment id of a round, with its bytes, if by may
// see the round's case. It returns NotFound (also outside by's scope).
func (s *Service) Attachment(ctx context.Context, by collect.Actor, id int64) (sqlstore.Attachment, error) {
	var a sqlstore.Attachment
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if a, err = tx.Attachment(ctx, id); err != nil {
			return err
		}
		caseID, err := tx.RoundCase(ctx, a.RoundID)
		if err != nil {
			return err
		}
		if _, err := s.collect.VisibleCase(ctx, tx, by, caseID); errs.CodeOf(err) == errs.NotFound {
			return errs.Errorf(errs.NotFound, "Attachment %d not found.", id)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return sqlstore.Attachment{}, fmt.Errorf("attachment %d: %w", id, err)
	}
	return a, nil
}
