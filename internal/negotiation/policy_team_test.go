package negotiation_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// Authority matrices for the policy tests: under "loose" a supervisor may
// approve anything; under "strict" nothing but a one-month plan with no
// waiver.
const (
	loosePolicy = `{"name":"loose","authority":[{"level":"collector","max_fee_waiver":"0.00","max_interest_waiver":"0.00",
		"max_principal_discount":"0","max_rate_cut":"0","max_term_months":1},{"level":"supervisor"},{"level":"manager"}]}`
	strictPolicy = `{"name":"strict","authority":[{"level":"collector","max_fee_waiver":"0.00","max_interest_waiver":"0.00",
		"max_principal_discount":"0","max_rate_cut":"0","max_term_months":1},{"level":"supervisor","max_fee_waiver":"0.00",
		"max_interest_waiver":"0.00","max_principal_discount":"0","max_rate_cut":"0","max_term_months":1},{"level":"manager"}]}`
)

// publishPolicy saves doc as sup and publishes it as adm (four eyes).
func publishPolicy(t *testing.T, e *env, doc string) sqlstore.OfferPolicyVersion {
	t.Helper()
	v, err := e.neg.CreateOfferPolicyVersion(ctx, e.as(auth.Supervisor), []byte(doc))
	if err != nil {
		t.Fatalf("CreateOfferPolicyVersion: %v", err)
	}
	if v, err = e.neg.PublishOfferPolicy(ctx, e.as(auth.Admin), v.ID); err != nil {
		t.Fatalf("PublishOfferPolicy: %v", err)
	}
	return v
}

// conceding returns the offers that give something away beyond a
// one-month plan: the strict policy's supervisor may approve none of them.
func conceding(t *testing.T, offers []sqlstore.Offer) []sqlstore.Offer {
	t.Helper()
	var out []sqlstore.Offer
	for _, o := range offers {
		if o.Concession > 0 && o.Offer.Concession.TermMonths > 1 {
			out = append(out, o)
		}
	}
	if len(out) < 2 {
		t.Fatalf("the engine made %d offers that waive something, want 2", len(out))
	}
	return out
}

// TestApproveOffer_UsesThePolicyThatMadeTheOffer: a policy published
// between proposing and approving changes neither the authority applied to
// an offer nor the policy recorded with it, in either direction.
func TestApproveOffer_UsesThePolicyThatMadeTheOffer(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		e.neg.UseBudgetShare(decimal.One) // the budget is not what this test is about
		col, sup := e.as(auth.Collector), e.as(auth.Supervisor)
		c := pickCase(t, e, col, money.Yuan(600))
		if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); err != nil {
			t.Fatal(err)
		}
		loose := publishPolicy(t, e, loosePolicy)
		offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		made := conceding(t, offers)
		e.read(t, func(tx *sqlstore.Tx) error {
			u, err := tx.OfferPolicyUsed(ctx, made[0].ID)
			if err != nil {
				return err
			}
			p, err := offer.ParsePolicy(u.Body)
			if err != nil || u.PolicyID != loose.ID || p.Name != "loose" || p.Version != 1 || len(p.Authority) != 3 {
				t.Errorf("policy recorded with offer %d: id %d, %+v, %v; want loose v1 (id %d)", made[0].ID, u.PolicyID, p.Name, err, loose.ID)
			}
			return nil
		})

		// strict is published after the offers were made: the supervisor
		// still approves under loose.
		strict := publishPolicy(t, e, strictPolicy)
		if _, err := e.neg.ApproveOffer(ctx, sup, made[0].ID, "loose applies"); err != nil {
			t.Fatalf("approving an offer made under loose after strict was published: %v", err)
		}

		// Offers made under strict keep strict's authority after loose is
		// published again (as a new version).
		again, err := e.neg.ProposeOffers(ctx, col, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		under := conceding(t, again)
		if under[0].Policy != (offer.PolicyRef{Name: "strict", Version: strict.Version}) {
			t.Fatalf("offers made after strict was published come from %v", under[0].Policy)
		}
		publishPolicy(t, e, loosePolicy)
		_, err = e.neg.ApproveOffer(ctx, sup, under[0].ID, "")
		wantCode(t, "a supervisor approving a strict offer after loose was published", err, errs.Forbidden)
		if !strings.Contains(err.Error(), string(offer.Manager)) {
			t.Errorf("the refusal does not name the level needed under strict: %v", err)
		}
		if _, err := e.neg.ApproveOffer(ctx, e.as(auth.Admin), under[0].ID, "manager"); err != nil {
			t.Errorf("a manager approving the strict offer: %v", err)
		}
	})
}

// TestConfigureTeam: a team's pinned policy, its part in experiments and
// its budget share are versioned, audited, and used by offers and
// approvals; bad input names the field.
func TestConfigureTeam(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		col, sup, adm := e.as(auth.Collector), e.as(auth.Supervisor), e.as(auth.Admin)
		c := pickCase(t, e, col, money.Yuan(600))
		if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); err != nil {
			t.Fatal(err)
		}
		propose := func() []sqlstore.Offer {
			t.Helper()
			offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
			if err != nil || len(offers) == 0 {
				t.Fatalf("ProposeOffers: %d offers, %v", len(offers), err)
			}
			return offers
		}
		team := propose()[0].TeamID
		if team == 0 {
			t.Fatal("the collector's offers count against no team")
		}
		gentle := publishPolicy(t, e, `{"name":"gentle","max_term_months":48}`)
		publishPolicy(t, e, `{"name":"firm","max_term_months":12}`) // gentle is retired, but was published
		draft, err := e.neg.CreateOfferPolicyVersion(ctx, sup, []byte(`{"name":"draft"}`))
		if err != nil {
			t.Fatal(err)
		}

		no := false
		for _, bad := range []struct {
			by    collect.Actor
			team  int64
			r     negotiation.TeamSettingsRequest
			code  errs.Code
			field string
		}{
			{col, team, negotiation.TeamSettingsRequest{BudgetShare: "0.05"}, errs.Forbidden, ""},
			{sup, team, negotiation.TeamSettingsRequest{BudgetShare: "1.5"}, errs.Invalid, "budget_share"},
			{sup, team, negotiation.TeamSettingsRequest{BudgetShare: "abc"}, errs.Invalid, "budget_share"},
			{sup, team, negotiation.TeamSettingsRequest{BudgetShare: "0.0000001"}, errs.Invalid, "budget_share"},
			{sup, team, negotiation.TeamSettingsRequest{PolicyID: draft.ID}, errs.Invalid, "policy_id"},
			{sup, team, negotiation.TeamSettingsRequest{PolicyID: 99999}, errs.Invalid, "policy_id"},
			{sup, 99999, negotiation.TeamSettingsRequest{}, errs.NotFound, ""},
		} {
			_, err := e.neg.ConfigureTeam(ctx, bad.by, bad.team, bad.r)
			wantCode(t, "ConfigureTeam "+bad.field, err, bad.code)
			if bad.field != "" && (len(errs.FieldsOf(err)) == 0 || errs.FieldsOf(err)[0].Field != bad.field) {
				t.Errorf("ConfigureTeam(%+v): %v does not name %s", bad.r, err, bad.field)
			}
		}

		// Pinned to gentle (retired since firm was published): the team's
		// offers come from gentle.
		v1, err := e.neg.ConfigureTeam(ctx, sup, team, negotiation.TeamSettingsRequest{PolicyID: gentle.ID, BudgetShare: "0"})
		if err != nil || v1.Version != 1 {
			t.Fatalf("ConfigureTeam: %+v, %v", v1, err)
		}
		if got := propose()[0].Policy; got != (offer.PolicyRef{Name: "gentle", Version: 1}) {
			t.Errorf("the pinned team's offers come from %v, want gentle v1", got)
		}
		// A zero budget share refuses every concession.
		offers := propose()
		withConcession, ok := findOffer(offers, func(o sqlstore.Offer) bool {
			return o.Concession > 0 && o.Offer.Concession.PrincipalWaiver == 0
		})
		if !ok {
			t.Fatal("no offer waives anything")
		}
		_, err = e.neg.ApproveOffer(ctx, adm, withConcession.ID, "")
		var be *negotiation.BudgetError
		if !errors.As(err, &be) || be.Budget.Budget != 0 || !be.Budget.Share.IsZero() {
			t.Fatalf("approving with the team's share at 0: %v, want a BudgetError with a zero budget", err)
		}

		// Unpinned, out of experiments, with its own share: an experiment
		// sending everyone to the challenger does not reach the team.
		exp, err := e.neg.StartOfferPolicyExperiment(ctx, adm, negotiation.PolicyExperimentRequest{Challenger: gentle.ID, Share: 1})
		if err == nil {
			t.Fatalf("an experiment with a retired challenger started: %+v", exp)
		}
		challenger := publishChallenger(t, e)
		running, err := e.neg.StartOfferPolicyExperiment(ctx, adm, negotiation.PolicyExperimentRequest{Challenger: challenger.ID, Share: 1})
		if err != nil {
			t.Fatalf("StartOfferPolicyExperiment: %v", err)
		}
		if got := propose()[0].Policy; got.Name != "gentle" {
			t.Errorf("the pinned team's offers come from %v during the experiment, want gentle", got)
		}
		if _, err := e.neg.ConfigureTeam(ctx, sup, team, negotiation.TeamSettingsRequest{Experiment: &no, BudgetShare: "0.5",
			Note: "试行 13800138000"}); err != nil {
			t.Fatal(err)
		}
		if got := propose()[0].Policy; got != (offer.PolicyRef{Name: "firm", Version: 1}) {
			t.Errorf("a team out of experiments proposes from %v, want the published firm v1", got)
		}
		if _, err := e.neg.ConfigureTeam(ctx, sup, team, negotiation.TeamSettingsRequest{BudgetShare: "0.5"}); err != nil {
			t.Fatal(err)
		}
		offers = propose()
		if got := offers[0].Policy; got.Name != "challenge" {
			t.Errorf("a team in experiments proposes from %v, want the challenger", got)
		}
		withConcession, ok = findOffer(offers, func(o sqlstore.Offer) bool {
			return o.Concession > 0 && o.Offer.Concession.PrincipalWaiver == 0
		})
		if !ok {
			t.Fatal("no offer waives anything")
		}
		if _, err := e.neg.ApproveOffer(ctx, adm, withConcession.ID, ""); err != nil {
			t.Fatalf("approving with the team's share at 0.5: %v", err)
		}
		// The experiment counts only the offers its split chose: not the
		// pinned team's (gentle) nor those of the team out of experiments
		// (firm, the champion's version).
		res, err := e.neg.OfferPolicyExperimentResults(ctx, adm, running.ID)
		if err != nil {
			t.Fatal(err)
		}
		if res.Champion.Totals.Offers != 0 || res.Challenger.Totals.Offers != len(offers) {
			t.Errorf("experiment results: champion %d offers, challenger %d; want 0 and %d", res.Champion.Totals.Offers,
				res.Challenger.Totals.Offers, len(offers))
		}

		teams, err := e.neg.Teams(ctx, sup)
		if err != nil {
			t.Fatal(err)
		}
		var mine *negotiation.TeamSettings
		for i := range teams {
			if teams[i].Team.ID == team {
				mine = &teams[i]
			}
		}
		if mine == nil || mine.Settings == nil || mine.Settings.Version != 3 || mine.Budget.Share.String() != "0.5" ||
			mine.Budget.Used != withConcession.Concession || mine.Budget.Budget != mine.Budget.Outstanding.Mul(decimal.MustParse("0.5")) {
			t.Errorf("team %d: %+v; want version 3, share 0.5 and the approved concession %s used", team, mine, withConcession.Concession)
		}
		hist, err := e.neg.TeamHistory(ctx, sup, team)
		if err != nil || len(hist) != 3 || hist[1].Experiment || !strings.Contains(hist[1].Note, "试行") || strings.Contains(hist[1].Note, "13800138000") {
			t.Errorf("history: %+v, %v; want 3 versions, the second out of experiments with its note masked", hist, err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'team_negotiation.configure'"); n != 3 {
			t.Errorf("%d audit events for 3 changes", n)
		}
		_, err = e.neg.Teams(ctx, e.as(auth.Collector))
		wantCode(t, "a collector reading the teams' settings", err, errs.Forbidden)
	})
}

func publishChallenger(t *testing.T, e *env) sqlstore.OfferPolicyVersion {
	t.Helper()
	v, err := e.neg.CreateOfferPolicyVersion(ctx, e.as(auth.Supervisor), []byte(`{"name":"challenge","max_term_months":24}`))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
