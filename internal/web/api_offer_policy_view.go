package web

import (
	"encoding/json"
	"time"

	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// The API's offer policies, their experiments, teams' negotiation settings
// and the support programme: types of web mapped from the store's rows
// (TestAPITypes_NotStoreRows), with the JSON the routes answered before.

// offerPolicyVersionView is the API's form of sqlstore.OfferPolicyVersion.
type offerPolicyVersionView struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Version     int             `json:"version"`
	Body        json.RawMessage `json:"body"`
	Status      string          `json:"status"`
	CreatedBy   string          `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	PublishedBy string          `json:"published_by,omitempty"`
	PublishedAt time.Time       `json:"published_at,omitzero"`
	RetiredAt   time.Time       `json:"retired_at,omitzero"`
}

func offerPolicyVersionViewOf(x sqlstore.OfferPolicyVersion) offerPolicyVersionView {
	return offerPolicyVersionView{
		ID:          x.ID,
		Name:        x.Name,
		Version:     x.Version,
		Body:        x.Body,
		Status:      x.Status,
		CreatedBy:   x.CreatedBy,
		CreatedAt:   x.CreatedAt,
		PublishedBy: x.PublishedBy,
		PublishedAt: x.PublishedAt,
		RetiredAt:   x.RetiredAt,
	}
}

// policyExperimentResultsView is the API's form of
// negotiation.PolicyExperimentResults.
type policyExperimentResultsView struct {
	Experiment  experimentView      `json:"experiment"`
	Champion    policyArmResultView `json:"champion"`
	Challenger  policyArmResultView `json:"challenger"`
	AcceptanceP float64             `json:"acceptance_p"`
	KeptP       float64             `json:"kept_p"`
}

func policyExperimentResultsViewOf(x negotiation.PolicyExperimentResults) policyExperimentResultsView {
	return policyExperimentResultsView{
		Experiment:  experimentViewOf(x.Experiment),
		Champion:    policyArmResultViewOf(x.Champion),
		Challenger:  policyArmResultViewOf(x.Challenger),
		AcceptanceP: x.AcceptanceP,
		KeptP:       x.KeptP,
	}
}

// policyArmResultView is the API's form of negotiation.PolicyArmResult.
type policyArmResultView struct {
	Arm        string                 `json:"arm"`
	Version    offerPolicyVersionView `json:"version"`
	Totals     policyTotalsView       `json:"totals"`
	Acceptance strategy.Rate          `json:"acceptance"`
	KeptRate   strategy.Rate          `json:"kept_rate"`
}

func policyArmResultViewOf(x negotiation.PolicyArmResult) policyArmResultView {
	return policyArmResultView{
		Arm:        x.Arm,
		Version:    offerPolicyVersionViewOf(x.Version),
		Totals:     policyTotalsViewOf(x.Totals),
		Acceptance: x.Acceptance,
		KeptRate:   x.KeptRate,
	}
}

// policyTotalsView is the API's form of sqlstore.PolicyTotals.
type policyTotalsView struct {
	Policy    offer.PolicyRef `json:"policy"`
	Offers    int             `json:"offers"`
	Cases     int             `json:"cases"`
	Accepted  int             `json:"accepted"`
	Plans     int             `json:"plans"`
	Kept      int             `json:"kept"`
	Broken    int             `json:"broken"`
	Recovered money.Amount    `json:"recovered"`
}

func policyTotalsViewOf(x sqlstore.PolicyTotals) policyTotalsView {
	return policyTotalsView{Policy: x.Policy, Offers: x.Offers, Cases: x.Cases, Accepted: x.Accepted, Plans: x.Plans,
		Kept: x.Kept, Broken: x.Broken, Recovered: x.Recovered}
}

// teamSettingsView is the API's form of negotiation.TeamSettings.
type teamSettingsView struct {
	Team       teamView             `json:"team"`
	Settings   *teamNegotiationView `json:"settings,omitempty"` // nil: never configured, the defaults apply
	PolicyName string               `json:"policy_name,omitempty"`
	PolicyVer  int                  `json:"policy_version,omitempty"`
	Budget     negotiation.Budget   `json:"budget"`
}

func teamSettingsViewOf(x negotiation.TeamSettings) teamSettingsView {
	v := teamSettingsView{Team: teamViewOf(x.Team), PolicyName: x.PolicyName, PolicyVer: x.PolicyVer, Budget: x.Budget}
	if x.Settings != nil {
		s := teamNegotiationViewOf(*x.Settings)
		v.Settings = &s
	}
	return v
}

// teamNegotiationView is the API's form of sqlstore.TeamNegotiation.
type teamNegotiationView struct {
	ID          int64     `json:"id"`
	TeamID      int64     `json:"team_id"`
	Version     int       `json:"version"`
	PolicyID    int64     `json:"policy_id"`
	Experiment  bool      `json:"experiment"`
	BudgetShare string    `json:"budget_share"`
	Note        string    `json:"note,omitempty"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

func teamNegotiationViewOf(x sqlstore.TeamNegotiation) teamNegotiationView {
	return teamNegotiationView{
		ID:          x.ID,
		TeamID:      x.TeamID,
		Version:     x.Version,
		PolicyID:    x.PolicyID,
		Experiment:  x.Experiment,
		BudgetShare: x.BudgetShare,
		Note:        x.Note,
		CreatedBy:   x.CreatedBy,
		CreatedAt:   x.CreatedAt,
	}
}

// supportProgrammeView is the API's form of negotiation.SupportProgrammeView.
type supportProgrammeView struct {
	Version  supportProgrammeVersionView  `json:"version"` // zero before any was saved
	Program  negotiation.SupportProgramme `json:"programme"`
	Recently []supportMessageView         `json:"recent"`
}

func supportProgrammeViewOf(x negotiation.SupportProgrammeView) supportProgrammeView {
	return supportProgrammeView{
		Version:  supportProgrammeVersionViewOf(x.Version),
		Program:  x.Program,
		Recently: viewsOf(x.Recently, supportMessageViewOf),
	}
}

// supportProgrammeVersionView is the API's form of
// sqlstore.SupportProgrammeVersion.
type supportProgrammeVersionView struct {
	ID        int64           `json:"id"`
	Version   int             `json:"version"`
	Body      json.RawMessage `json:"body"`
	CreatedBy string          `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
}

func supportProgrammeVersionViewOf(x sqlstore.SupportProgrammeVersion) supportProgrammeVersionView {
	return supportProgrammeVersionView{ID: x.ID, Version: x.Version, Body: x.Body, CreatedBy: x.CreatedBy, CreatedAt: x.CreatedAt}
}

// supportMessageView is the API's form of sqlstore.SupportMessage: one
// educational message the nightly step recorded.
type supportMessageView struct {
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

func supportMessageViewOf(x sqlstore.SupportMessage) supportMessageView {
	return supportMessageView{
		ID:         x.ID,
		BorrowerID: x.BorrowerID,
		CaseID:     x.CaseID,
		EnrolledOn: x.EnrolledOn,
		Day:        x.Day,
		AsOf:       x.AsOf,
		Version:    x.Version,
		MessageID:  x.MessageID,
		Status:     x.Status,
		CreatedAt:  x.CreatedAt,
	}
}
