package negotiation

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// Per-team negotiation settings (协商小组配置): which offer policy a
// team's cases use and the team's monthly restructuring budget share.
// Each change is a new version (sqlstore.TeamNegotiation), audited; the
// newest is in force. A team never configured follows the lender's
// defaults: the published policy (or the borrower's arm while an offer
// policy experiment runs) and BudgetShare.

// TeamSettingsRequest is a change of a team's settings.
type TeamSettingsRequest struct {
	// PolicyID pins the team's cases to one offer policy version, which
	// must have been published (four eyes) at some time; 0 follows the
	// published version.
	PolicyID int64 `json:"policy_id"`
	// Experiment lets the team's cases take part in a running offer policy
	// experiment when PolicyID is 0; true when omitted.
	Experiment *bool `json:"experiment,omitempty"`
	// BudgetShare is the team's monthly restructuring budget as a share of
	// its outstanding balance, a decimal string from 0 to 1 with at most 6
	// places; "" takes the lender's default.
	BudgetShare string `json:"budget_share"`
	Note        string `json:"note,omitempty"`
}

// TeamSettings is a team with its settings in force and this month's
// restructuring budget.
type TeamSettings struct {
	Team       sqlstore.Team             `json:"team"`
	Settings   *sqlstore.TeamNegotiation `json:"settings,omitempty"` // nil: never configured, the defaults apply
	PolicyName string                    `json:"policy_name,omitempty"`
	PolicyVer  int                       `json:"policy_version,omitempty"`
	Budget     Budget                    `json:"budget"`
}

// mayConfigureTeams: changing a team's policy or budget takes the
// strategy permission, like offer policies.
func mayConfigureTeams(by collect.Actor) error {
	if !by.User.Can(auth.PermStrategyEdit) {
		return errs.Errorf(errs.Forbidden, "Your role may not change teams' negotiation settings.")
	}
	return nil
}

// ParseBudgetShare reads a budget share: a decimal from 0 to 1 with at most
// six places. It returns an Invalid error naming field.
func ParseBudgetShare(field, s string) (decimal.Decimal, error) {
	d, err := decimal.Parse(strings.TrimSpace(s))
	switch {
	case err != nil:
		return d, errs.Field(field, "must be a decimal such as 0.02")
	case d.IsNeg() || d.Cmp(decimal.One) > 0:
		return d, errs.Field(field, "must be from 0 to 1")
	case d.Cmp(d.Trunc(6)) != 0:
		return d, errs.Field(field, "must have at most 6 decimal places")
	}
	return d, nil
}

// ConfigureTeam saves a new version of team teamID's settings. It returns
// Forbidden without strategy:edit, NotFound for an unknown team, and an
// Invalid error naming policy_id (unknown or never published), budget_share
// or note.
func (s *Service) ConfigureTeam(ctx context.Context, by collect.Actor, teamID int64, r TeamSettingsRequest) (sqlstore.TeamNegotiation, error) {
	if err := mayConfigureTeams(by); err != nil {
		return sqlstore.TeamNegotiation{}, err
	}
	t := sqlstore.TeamNegotiation{TeamID: teamID, PolicyID: r.PolicyID, Experiment: r.Experiment == nil || *r.Experiment,
		CreatedBy: by.User.Username}
	if strings.TrimSpace(r.BudgetShare) != "" {
		d, err := ParseBudgetShare("budget_share", r.BudgetShare)
		if err != nil {
			return t, err
		}
		t.BudgetShare = d.String()
	}
	if utf8.RuneCountInString(r.Note) > MaxNote {
		return t, errs.Field("note", "at most %d characters", MaxNote)
	}
	t.Note = maskNote(strings.TrimSpace(r.Note))
	if r.PolicyID < 0 {
		return t, errs.Field("policy_id", "must be 0 (the published version) or a version id")
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if _, err := teamByID(ctx, tx, teamID); err != nil {
			return err
		}
		if t.PolicyID != 0 {
			v, err := tx.OfferPolicyVersion(ctx, t.PolicyID)
			if errs.CodeOf(err) == errs.NotFound {
				return errs.Field("policy_id", "offer policy version %d does not exist", t.PolicyID)
			}
			if err != nil {
				return err
			}
			if v.PublishedAt.IsZero() {
				return errs.Field("policy_id", "offer policy version %d was never published; publish it first (four eyes)", t.PolicyID)
			}
			if _, err := storedPolicy(v); err != nil {
				return errs.Field("policy_id", "offer policy version %d is not valid: %s", t.PolicyID, errs.MessageOf(err))
			}
		}
		if err := tx.CreateTeamNegotiation(ctx, &t); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "team_negotiation.configure", "team", strconv.FormatInt(teamID, 10),
			map[string]any{"version": t.Version, "policy_id": t.PolicyID, "experiment": t.Experiment,
				"budget_share": t.BudgetShare, "note": t.Note}))
	})
	if err != nil {
		return sqlstore.TeamNegotiation{}, fmt.Errorf("configure team %d: %w", teamID, err)
	}
	return t, nil
}

func teamByID(ctx context.Context, tx *sqlstore.Tx, id int64) (sqlstore.Team, error) {
	teams, err := tx.Teams(ctx)
	if err != nil {
		return sqlstore.Team{}, err
	}
	for _, t := range teams {
		if t.ID == id {
			return t, nil
		}
	}
	return sqlstore.Team{}, errs.Errorf(errs.NotFound, "Team %d not found.", id)
}

// mayReadTeams: approvers (who see budgets on their inbox) and policy
// editors may read the teams' settings.
func mayReadTeams(by collect.Actor) error {
	if by.User.Can(auth.PermStrategyEdit) || by.User.Can(auth.PermOfferApprove) || by.User.Can(auth.PermDashboardRead) {
		return nil
	}
	return errs.Errorf(errs.Forbidden, "Your role may not see teams' negotiation settings.")
}

// Teams returns every team with its settings in force and this month's
// restructuring budget and what is used of it.
func (s *Service) Teams(ctx context.Context, by collect.Actor) ([]TeamSettings, error) {
	if err := mayReadTeams(by); err != nil {
		return nil, err
	}
	var out []TeamSettings
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		teams, err := tx.Teams(ctx)
		if err != nil {
			return err
		}
		for _, t := range teams {
			ts := TeamSettings{Team: t}
			set, err := tx.TeamNegotiation(ctx, t.ID)
			switch {
			case err == nil:
				ts.Settings = &set
				if set.PolicyID != 0 {
					if v, err := tx.OfferPolicyVersion(ctx, set.PolicyID); err == nil {
						ts.PolicyName, ts.PolicyVer = v.Name, v.Version
					}
				}
			case errs.CodeOf(err) != errs.NotFound:
				return err
			}
			if ts.Budget, err = s.teamBudget(ctx, tx, t.ID, s.now()); err != nil {
				return err
			}
			out = append(out, ts)
		}
		return nil
	})
	return out, err
}

// TeamHistory returns every version of team teamID's settings, newest
// first.
func (s *Service) TeamHistory(ctx context.Context, by collect.Actor, teamID int64) ([]sqlstore.TeamNegotiation, error) {
	if err := mayReadTeams(by); err != nil {
		return nil, err
	}
	var out []sqlstore.TeamNegotiation
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		if _, err := teamByID(ctx, tx, teamID); err != nil {
			return err
		}
		var err error
		out, err = tx.TeamNegotiationHistory(ctx, teamID)
		return err
	})
	return out, err
}

// teamShare returns team's budget share: its settings' when set, else the
// lender's default.
func (s *Service) teamShare(ctx context.Context, tx *sqlstore.Tx, team int64) (decimal.Decimal, error) {
	if team == 0 {
		return s.BudgetShare(), nil
	}
	set, err := tx.TeamNegotiation(ctx, team)
	if errs.CodeOf(err) == errs.NotFound || (err == nil && set.BudgetShare == "") {
		return s.BudgetShare(), nil
	}
	if err != nil {
		return decimal.Decimal{}, err
	}
	return decimal.Parse(set.BudgetShare)
}

// usedPolicy is the policy ProposeOffers used, as recorded with each offer.
type usedPolicy struct {
	policy     offer.Policy
	id         int64 // offer_policies id; 0 for the configured policy
	experiment int64 // the offer policy experiment whose split chose it; 0 for none
}

// policyFor returns the offer policy for the offers of borrowerID on a case
// counted to team:
//   - a team pinned to a version (its settings' policy_id) uses it;
//   - else, while an offer policy experiment runs and the team takes part
//     (settings' experiment, true for an unconfigured team), the version of
//     the borrower's arm;
//   - else the published version;
//   - else the policy set by UseOfferPolicy (or offer.DefaultPolicy).
func (s *Service) policyFor(ctx context.Context, tx *sqlstore.Tx, borrowerID, team int64) (usedPolicy, error) {
	id, experiment := int64(0), true
	if team != 0 {
		set, err := tx.TeamNegotiation(ctx, team)
		switch {
		case err == nil:
			id, experiment = set.PolicyID, set.Experiment
		case errs.CodeOf(err) != errs.NotFound:
			return usedPolicy{}, err
		}
	}
	exp := int64(0)
	if id == 0 && experiment {
		e, err := tx.ActiveOfferPolicyExperiment(ctx)
		switch {
		case err == nil:
			id, exp = policySplit(e).Version(borrowerID), e.ID
		case errs.CodeOf(err) != errs.NotFound:
			return usedPolicy{}, err
		}
	}
	var v sqlstore.OfferPolicyVersion
	var err error
	if id != 0 {
		v, err = tx.OfferPolicyVersion(ctx, id)
	} else {
		v, err = tx.PublishedOfferPolicy(ctx)
	}
	if errs.CodeOf(err) == errs.NotFound {
		return usedPolicy{policy: s.OfferPolicy()}, nil
	}
	if err != nil {
		return usedPolicy{}, err
	}
	p, err := storedPolicy(v)
	return usedPolicy{policy: p, id: v.ID, experiment: exp}, err
}

// recordPolicy keeps the policy that produced offer o with it.
func recordPolicy(ctx context.Context, tx *sqlstore.Tx, o sqlstore.Offer, u usedPolicy) error {
	body, err := json.Marshal(u.policy)
	if err != nil {
		return err
	}
	return tx.SaveOfferPolicyUsed(ctx, o.BorrowerID, sqlstore.OfferPolicyUsed{OfferID: o.ID, PolicyID: u.id,
		ExperimentID: u.experiment, Body: body})
}

// offerPolicy returns the policy that produced offer o: the one recorded
// with it; for an offer stored before policies were recorded, the stored
// version of its name and version, else the configured policy.
func (s *Service) offerPolicy(ctx context.Context, tx *sqlstore.Tx, o sqlstore.Offer) (offer.Policy, error) {
	u, err := tx.OfferPolicyUsed(ctx, o.ID)
	if err == nil {
		p, err := offer.ParsePolicy(u.Body)
		if err != nil {
			return p, fmt.Errorf("policy recorded with offer %d: %w", o.ID, err)
		}
		return p, nil
	}
	if errs.CodeOf(err) != errs.NotFound {
		return offer.Policy{}, err
	}
	return s.OfferPolicy(), nil
}
