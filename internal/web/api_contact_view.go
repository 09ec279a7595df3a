package web

import (
	"time"

	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/sqlstore"
)

// The API's contact log entries, approvals and compliance overview: types
// of web mapped from the store's rows (TestAPITypes_NotStoreRows).

// contactAttemptView is the API's form of sqlstore.ContactAttempt.
type contactAttemptView struct {
	ID            int64               `json:"id"`
	BorrowerID    int64               `json:"borrower_id"`
	CaseID        int64               `json:"case_id,omitempty"`
	LoanID        int64               `json:"loan_id,omitempty"`
	ContactID     int64               `json:"contact_id,omitempty"`
	MessageID     int64               `json:"message_id,omitempty"`
	Channel       compliance.Channel  `json:"channel"`
	Direction     string              `json:"direction"`
	Party         compliance.Party    `json:"party"`
	Relationship  string              `json:"relationship,omitempty"`
	Address       string              `json:"address,omitempty"`
	AddressMasked string              `json:"address_masked"`
	By            string              `json:"by"`
	AgencyID      int64               `json:"agency_id,omitempty"`
	TeamID        int64               `json:"team_id,omitempty"`
	UserID        int64               `json:"user_id,omitempty"`
	Username      string              `json:"username,omitempty"`
	Automated     bool                `json:"automated"`
	Purpose       string              `json:"purpose,omitempty"`
	StartedAt     time.Time           `json:"started_at"`
	EndedAt       time.Time           `json:"ended_at,omitzero"`
	Outcome       compliance.Outcome  `json:"outcome,omitempty"`
	Results       []string            `json:"results"`
	Notes         string              `json:"notes,omitempty"`
	Content       string              `json:"content,omitempty"`
	RecordingRef  string              `json:"recording_ref,omitempty"`
	Performed     bool                `json:"performed"`
	Action        compliance.Action   `json:"action"`
	Rules         []string            `json:"rules"`
	Decision      compliance.Decision `json:"decision"`
	Route         string              `json:"route,omitempty"`
	ApprovalID    int64               `json:"approval_id,omitempty"`
	CreatedAt     time.Time           `json:"created_at"`
	RetainUntil   time.Time           `json:"retain_until"`
}

func contactAttemptViewOf(x sqlstore.ContactAttempt) contactAttemptView {
	return contactAttemptView{
		ID:            x.ID,
		BorrowerID:    x.BorrowerID,
		CaseID:        x.CaseID,
		LoanID:        x.LoanID,
		ContactID:     x.ContactID,
		MessageID:     x.MessageID,
		Channel:       x.Channel,
		Direction:     x.Direction,
		Party:         x.Party,
		Relationship:  x.Relationship,
		Address:       x.Address,
		AddressMasked: x.AddressMasked,
		By:            x.By,
		AgencyID:      x.AgencyID,
		TeamID:        x.TeamID,
		UserID:        x.UserID,
		Username:      x.Username,
		Automated:     x.Automated,
		Purpose:       x.Purpose,
		StartedAt:     x.StartedAt,
		EndedAt:       x.EndedAt,
		Outcome:       x.Outcome,
		Results:       x.Results,
		Notes:         x.Notes,
		Content:       x.Content,
		RecordingRef:  x.RecordingRef,
		Performed:     x.Performed,
		Action:        x.Action,
		Rules:         x.Rules,
		Decision:      x.Decision,
		Route:         x.Route,
		ApprovalID:    x.ApprovalID,
		CreatedAt:     x.CreatedAt,
		RetainUntil:   x.RetainUntil,
	}
}

// contactResultView is the API's form of collect.ContactResult.
type contactResultView struct {
	Attempt     contactAttemptView  `json:"attempt"`
	Decision    compliance.Decision `json:"decision"`
	ApprovalID  int64               `json:"approval_id,omitempty"`
	NextAllowed time.Time           `json:"next_allowed,omitzero"`
	FlagsAdded  []string            `json:"flags_added,omitempty"`
	PromiseID   int64               `json:"promise_id,omitempty" doc:"The promise to pay recorded with the contact"`
}

func contactResultViewOf(x collect.ContactResult) contactResultView {
	return contactResultView{
		Attempt:     contactAttemptViewOf(x.Attempt),
		Decision:    x.Decision,
		ApprovalID:  x.ApprovalID,
		NextAllowed: x.NextAllowed,
		FlagsAdded:  x.FlagsAdded,
		PromiseID:   x.PromiseID,
	}
}

// approvalView is the API's form of sqlstore.Approval.
type approvalView struct {
	ID            int64               `json:"id"`
	BorrowerID    int64               `json:"borrower_id"`
	CaseID        int64               `json:"case_id,omitempty"`
	ContactID     int64               `json:"contact_id,omitempty"`
	Channel       compliance.Channel  `json:"channel"`
	Party         compliance.Party    `json:"party"`
	Address       string              `json:"address,omitempty"`
	AddressMasked string              `json:"address_masked"`
	Purpose       string              `json:"purpose,omitempty"`
	Text          string              `json:"text,omitempty"`
	Rules         []string            `json:"rules"`
	RequiredRoles []string            `json:"required_roles"`
	Decision      compliance.Decision `json:"decision"`
	Status        string              `json:"status"`
	RequestedBy   int64               `json:"requested_by"`
	RequestedName string              `json:"requested_name"`
	DecidedBy     int64               `json:"decided_by,omitempty"`
	DecidedName   string              `json:"decided_name,omitempty"`
	DecidedRole   string              `json:"decided_role,omitempty"`
	DecidedAt     time.Time           `json:"decided_at,omitzero"`
	Note          string              `json:"note,omitempty"`
	AttemptID     int64               `json:"attempt_id,omitempty"`
	ExpiresAt     time.Time           `json:"expires_at"`
	CreatedAt     time.Time           `json:"created_at"`
}

func approvalViewOf(x sqlstore.Approval) approvalView {
	return approvalView{
		ID:            x.ID,
		BorrowerID:    x.BorrowerID,
		CaseID:        x.CaseID,
		ContactID:     x.ContactID,
		Channel:       x.Channel,
		Party:         x.Party,
		Address:       x.Address,
		AddressMasked: x.AddressMasked,
		Purpose:       x.Purpose,
		Text:          x.Text,
		Rules:         x.Rules,
		RequiredRoles: x.RequiredRoles,
		Decision:      x.Decision,
		Status:        string(x.Status),
		RequestedBy:   x.RequestedBy,
		RequestedName: x.RequestedName,
		DecidedBy:     x.DecidedBy,
		DecidedName:   x.DecidedName,
		DecidedRole:   x.DecidedRole,
		DecidedAt:     x.DecidedAt,
		Note:          x.Note,
		AttemptID:     x.AttemptID,
		ExpiresAt:     x.ExpiresAt,
		CreatedAt:     x.CreatedAt,
	}
}

// ruleHitsView is the API's form of sqlstore.RuleHits.
type ruleHitsView struct {
	Key      int64          `json:"key"`
	Name     string         `json:"name,omitempty"`
	Attempts int            `json:"attempts"`
	Flagged  int            `json:"flagged"`
	Rules    map[string]int `json:"rules"`
}

func ruleHitsViewOf(x sqlstore.RuleHits) ruleHitsView {
	return ruleHitsView{
		Key:      x.Key,
		Name:     x.Name,
		Attempts: x.Attempts,
		Flagged:  x.Flagged,
		Rules:    x.Rules,
	}
}

// complianceOverviewView is the API's form of collect.ComplianceOverview.
type complianceOverviewView struct {
	From         time.Time            `json:"from"`
	To           time.Time            `json:"to"`
	Flagged      []contactAttemptView `json:"flagged"`
	FlaggedTotal int                  `json:"flagged_total"`
	ByTeam       []ruleHitsView       `json:"by_team"`
	ByAgency     []ruleHitsView       `json:"by_agency"`
	ByCollector  []ruleHitsView       `json:"by_collector"`
	Pending      []approvalView       `json:"pending"`
}

func complianceOverviewViewOf(x collect.ComplianceOverview) complianceOverviewView {
	return complianceOverviewView{
		From:         x.From,
		To:           x.To,
		Flagged:      viewsOf(x.Flagged, contactAttemptViewOf),
		FlaggedTotal: x.FlaggedTotal,
		ByTeam:       viewsOf(x.ByTeam, ruleHitsViewOf),
		ByAgency:     viewsOf(x.ByAgency, ruleHitsViewOf),
		ByCollector:  viewsOf(x.ByCollector, ruleHitsViewOf),
		Pending:      viewsOf(x.Pending, approvalViewOf),
	}
}
