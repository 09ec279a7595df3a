package web

import (
	"time"

	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// The API's negotiation records (assessments, offers with their decisions,
// rounds with attachments, agreements): types of web mapped from the store's
// rows (TestAPITypes_NotStoreRows).

// assessmentView is the API's form of sqlstore.Assessment.
type assessmentView struct {
	ID         int64               `json:"id"`
	BorrowerID int64               `json:"borrower_id"`
	CaseID     int64               `json:"case_id"`
	Version    int                 `json:"version"`
	Input      offer.Assessment    `json:"input"`
	Evidence   string              `json:"evidence,omitempty"`
	Result     offer.Affordability `json:"result"`
	AssessedBy string              `json:"assessed_by"`
	UserID     int64               `json:"user_id,omitempty"`
	CreatedAt  time.Time           `json:"created_at"`
}

func assessmentViewOf(x sqlstore.Assessment) assessmentView {
	return assessmentView{
		ID:         x.ID,
		BorrowerID: x.BorrowerID,
		CaseID:     x.CaseID,
		Version:    x.Version,
		Input:      x.Input,
		Evidence:   x.Evidence,
		Result:     x.Result,
		AssessedBy: x.AssessedBy,
		UserID:     x.UserID,
		CreatedAt:  x.CreatedAt,
	}
}

// offerView is the API's form of sqlstore.Offer.
type offerView struct {
	ID             int64           `json:"id"`
	BorrowerID     int64           `json:"borrower_id"`
	CaseID         int64           `json:"case_id"`
	AssessmentID   int64           `json:"assessment_id"`
	Policy         offer.PolicyRef `json:"policy"`
	AsOf           date.Date       `json:"as_of"`
	Rank           int             `json:"rank"`
	TeamID         int64           `json:"team_id,omitempty"`
	Offer          offer.Offer     `json:"offer"`
	Concession     money.Amount    `json:"concession"`
	Status         string          `json:"status"`
	ProposedBy     string          `json:"proposed_by"`
	ProposedByID   int64           `json:"proposed_by_id,omitempty"`
	ProposedAt     time.Time       `json:"proposed_at"`
	DecidedBy      string          `json:"decided_by,omitempty"`
	DecidedByID    int64           `json:"decided_by_id,omitempty"`
	DecidedAt      time.Time       `json:"decided_at,omitzero"`
	DecisionReason string          `json:"decision_reason,omitempty"`
	UpdatedAt      time.Time       `json:"updated_at"`
}

func offerViewOf(x sqlstore.Offer) offerView {
	return offerView{
		ID:             x.ID,
		BorrowerID:     x.BorrowerID,
		CaseID:         x.CaseID,
		AssessmentID:   x.AssessmentID,
		Policy:         x.Policy,
		AsOf:           x.AsOf,
		Rank:           x.Rank,
		TeamID:         x.TeamID,
		Offer:          x.Offer,
		Concession:     x.Concession,
		Status:         string(x.Status),
		ProposedBy:     x.ProposedBy,
		ProposedByID:   x.ProposedByID,
		ProposedAt:     x.ProposedAt,
		DecidedBy:      x.DecidedBy,
		DecidedByID:    x.DecidedByID,
		DecidedAt:      x.DecidedAt,
		DecisionReason: x.DecisionReason,
		UpdatedAt:      x.UpdatedAt,
	}
}

// decisionView is the API's form of sqlstore.Decision.
type decisionView struct {
	ID         int64     `json:"id"`
	BorrowerID int64     `json:"borrower_id"`
	OfferID    int64     `json:"offer_id"`
	Action     string    `json:"action"`
	Username   string    `json:"username"`
	UserID     int64     `json:"user_id,omitempty"`
	Level      string    `json:"level,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	At         time.Time `json:"at"`
}

func decisionViewOf(x sqlstore.Decision) decisionView {
	return decisionView{
		ID:         x.ID,
		BorrowerID: x.BorrowerID,
		OfferID:    x.OfferID,
		Action:     x.Action,
		Username:   x.Username,
		UserID:     x.UserID,
		Level:      x.Level,
		Reason:     x.Reason,
		At:         x.At,
	}
}

// offerRecordView is the API's form of negotiation.OfferRecord.
type offerRecordView struct {
	ID             int64           `json:"id"`
	BorrowerID     int64           `json:"borrower_id"`
	CaseID         int64           `json:"case_id"`
	AssessmentID   int64           `json:"assessment_id"`
	Policy         offer.PolicyRef `json:"policy"`
	AsOf           date.Date       `json:"as_of"`
	Rank           int             `json:"rank"`
	TeamID         int64           `json:"team_id,omitempty"`
	Offer          offer.Offer     `json:"offer"`
	Concession     money.Amount    `json:"concession"`
	Status         string          `json:"status"`
	ProposedBy     string          `json:"proposed_by"`
	ProposedByID   int64           `json:"proposed_by_id,omitempty"`
	ProposedAt     time.Time       `json:"proposed_at"`
	DecidedBy      string          `json:"decided_by,omitempty"`
	DecidedByID    int64           `json:"decided_by_id,omitempty"`
	DecidedAt      time.Time       `json:"decided_at,omitzero"`
	DecisionReason string          `json:"decision_reason,omitempty"`
	UpdatedAt      time.Time       `json:"updated_at"`
	Decisions      []decisionView  `json:"decisions"`
}

func offerRecordViewOf(x negotiation.OfferRecord) offerRecordView {
	return offerRecordView{
		ID:             x.Offer.ID,
		BorrowerID:     x.Offer.BorrowerID,
		CaseID:         x.Offer.CaseID,
		AssessmentID:   x.Offer.AssessmentID,
		Policy:         x.Offer.Policy,
		AsOf:           x.Offer.AsOf,
		Rank:           x.Offer.Rank,
		TeamID:         x.Offer.TeamID,
		Offer:          x.Offer.Offer,
		Concession:     x.Offer.Concession,
		Status:         string(x.Offer.Status),
		ProposedBy:     x.Offer.ProposedBy,
		ProposedByID:   x.Offer.ProposedByID,
		ProposedAt:     x.Offer.ProposedAt,
		DecidedBy:      x.Offer.DecidedBy,
		DecidedByID:    x.Offer.DecidedByID,
		DecidedAt:      x.Offer.DecidedAt,
		DecisionReason: x.Offer.DecisionReason,
		UpdatedAt:      x.Offer.UpdatedAt,
		Decisions:      viewsOf(x.Decisions, decisionViewOf),
	}
}

// roundView is the API's form of sqlstore.Round.
type roundView struct {
	ID           int64            `json:"id"`
	BorrowerID   int64            `json:"borrower_id"`
	CaseID       int64            `json:"case_id"`
	HeldAt       time.Time        `json:"held_at"`
	PlaceKind    string           `json:"place_kind"`
	Place        string           `json:"place,omitempty"`
	Channel      string           `json:"channel"`
	Participants []string         `json:"participants"`
	Situation    string           `json:"situation,omitempty"`
	OffersMade   []int64          `json:"offers_made"`
	CounterOffer string           `json:"counter_offer,omitempty"`
	KeyPoints    string           `json:"key_points,omitempty"`
	Outcome      string           `json:"outcome"`
	RecordedBy   string           `json:"recorded_by"`
	UserID       int64            `json:"user_id,omitempty"`
	CreatedAt    time.Time        `json:"created_at"`
	Attachments  []attachmentView `json:"attachments"`
}

func roundViewOf(x sqlstore.Round) roundView {
	return roundView{
		ID:           x.ID,
		BorrowerID:   x.BorrowerID,
		CaseID:       x.CaseID,
		HeldAt:       x.HeldAt,
		PlaceKind:    x.PlaceKind,
		Place:        x.Place,
		Channel:      x.Channel,
		Participants: x.Participants,
		Situation:    x.Situation,
		OffersMade:   x.OffersMade,
		CounterOffer: x.CounterOffer,
		KeyPoints:    x.KeyPoints,
		Outcome:      x.Outcome,
		RecordedBy:   x.RecordedBy,
		UserID:       x.UserID,
		CreatedAt:    x.CreatedAt,
		Attachments:  viewsOf(x.Attachments, attachmentViewOf),
	}
}

// attachmentView is the API's form of sqlstore.Attachment.
type attachmentView struct {
	ID          int64     `json:"id"`
	BorrowerID  int64     `json:"borrower_id"`
	RoundID     int64     `json:"round_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

func attachmentViewOf(x sqlstore.Attachment) attachmentView {
	return attachmentView{
		ID:          x.ID,
		BorrowerID:  x.BorrowerID,
		RoundID:     x.RoundID,
		Name:        x.Name,
		ContentType: x.ContentType,
		Size:        x.Size,
		SHA256:      x.SHA256,
		CreatedAt:   x.CreatedAt,
	}
}

// agreementView is the API's form of sqlstore.Agreement.
type agreementView struct {
	ID            int64       `json:"id"`
	BorrowerID    int64       `json:"borrower_id"`
	CaseID        int64       `json:"case_id"`
	OfferID       int64       `json:"offer_id"`
	LoanIDs       []int64     `json:"loan_ids"`
	Offer         offer.Offer `json:"offer"`
	TextZH        string      `json:"text_zh"`
	TextEN        string      `json:"text_en"`
	Status        string      `json:"status"`
	Method        string      `json:"method,omitempty"`
	CodeExpiresAt time.Time   `json:"code_expires_at,omitzero"`
	CodeAttempts  int         `json:"code_attempts"`
	CodesSent     int         `json:"codes_sent"`
	MessageID     int64       `json:"message_id,omitempty"`
	SignedSHA256  string      `json:"signed_sha256,omitempty"`
	AcceptedAt    time.Time   `json:"accepted_at,omitzero"`
	CreatedBy     string      `json:"created_by"`
	CreatedByID   int64       `json:"created_by_id,omitempty"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
}

func agreementViewOf(x sqlstore.Agreement) agreementView {
	return agreementView{
		ID:            x.ID,
		BorrowerID:    x.BorrowerID,
		CaseID:        x.CaseID,
		OfferID:       x.OfferID,
		LoanIDs:       x.LoanIDs,
		Offer:         x.Offer,
		TextZH:        x.TextZH,
		TextEN:        x.TextEN,
		Status:        string(x.Status),
		Method:        x.Method,
		CodeExpiresAt: x.CodeExpiresAt,
		CodeAttempts:  x.CodeAttempts,
		CodesSent:     x.CodesSent,
		MessageID:     x.MessageID,
		SignedSHA256:  x.SignedSHA256,
		AcceptedAt:    x.AcceptedAt,
		CreatedBy:     x.CreatedBy,
		CreatedByID:   x.CreatedByID,
		CreatedAt:     x.CreatedAt,
		UpdatedAt:     x.UpdatedAt,
	}
}
