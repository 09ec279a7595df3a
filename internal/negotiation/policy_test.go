package negotiation_test

import (
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

func TestOfferPolicy_VersionsExperimentAndResults(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		col, sup, adm := e.as(auth.Collector), e.as(auth.Supervisor), e.as(auth.Admin)
		c := pickCase(t, e, col, money.Yuan(600))
		if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); err != nil {
			t.Fatalf("Assess: %v", err)
		}
		propose := func() offer.PolicyRef {
			t.Helper()
			offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
			if err != nil || len(offers) == 0 {
				t.Fatalf("ProposeOffers: %d offers, %v", len(offers), err)
			}
			return offers[0].Policy
		}
		if got := propose(); got != (offer.PolicyRef{Name: "default", Version: 1}) {
			t.Errorf("offers before any policy is published come from %v, want the built-in default v1", got)
		}

		// Saving: only editors, only valid documents.
		_, err := e.neg.CreateOfferPolicyVersion(ctx, col, []byte(`{"name":"gentle"}`))
		wantCode(t, "a collector saving a policy", err, errs.Forbidden)
		_, err = e.neg.CreateOfferPolicyVersion(ctx, sup, []byte(`{"name":"gentle","max_term_months":-3}`))
		wantCode(t, "a negative term", err, errs.Invalid)
		if !strings.Contains(err.Error(), "max_term_months") {
			t.Errorf("the error does not name the field: %v", err)
		}
		gentle, err := e.neg.CreateOfferPolicyVersion(ctx, sup, []byte(`{"name":"gentle","max_term_months":48}`))
		if err != nil || gentle.Version != 1 || gentle.Status != sqlstore.StrategyDraft {
			t.Fatalf("CreateOfferPolicyVersion: %+v, %v", gentle, err)
		}

		// Four eyes: the author may not publish; someone else may.
		_, err = e.neg.PublishOfferPolicy(ctx, sup, gentle.ID)
		wantCode(t, "the author publishing", err, errs.Forbidden)
		if got := propose(); got.Name != "default" {
			t.Errorf("a refused publication changed the policy in force to %v", got)
		}
		if _, err := e.neg.PublishOfferPolicy(ctx, adm, gentle.ID); err != nil {
			t.Fatalf("PublishOfferPolicy by another user: %v", err)
		}
		if got := propose(); got != (offer.PolicyRef{Name: "gentle", Version: 1}) {
			t.Errorf("offers after publishing come from %v, want gentle v1", got)
		}

		// An experiment sends every borrower (share 1) to the challenger
		// from the day it starts.
		firm, err := e.neg.CreateOfferPolicyVersion(ctx, sup, []byte(`{"name":"firm","max_term_months":12}`))
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.neg.StartOfferPolicyExperiment(ctx, adm, negotiation.PolicyExperimentRequest{Challenger: gentle.ID, Share: 0.5})
		wantCode(t, "an experiment of a version against itself", err, errs.Invalid)
		_, err = e.neg.StartOfferPolicyExperiment(ctx, adm, negotiation.PolicyExperimentRequest{Challenger: firm.ID, Share: 1.5})
		wantCode(t, "a share above 1", err, errs.Invalid)
		e.setDay(start.AddDays(1))
		exp, err := e.neg.StartOfferPolicyExperiment(ctx, adm, negotiation.PolicyExperimentRequest{Challenger: firm.ID, Share: 1})
		if err != nil {
			t.Fatalf("StartOfferPolicyExperiment: %v", err)
		}
		if exp.Champion != gentle.ID || exp.StartedOn != start.AddDays(1) {
			t.Errorf("experiment %+v, want the published version as champion, started today", exp)
		}
		if arm := negotiation.PolicyArm(exp, c.BorrowerID); arm != strategy.Challenger {
			t.Errorf("PolicyArm with share 1 = %s, want challenger", arm)
		}
		if got := propose(); got != (offer.PolicyRef{Name: "firm", Version: 1}) {
			t.Errorf("offers in the challenger arm come from %v, want firm v1", got)
		}
		offered := e.count(t, "SELECT COUNT(*) FROM negotiation_offers WHERE policy_name = 'firm'")

		res, err := e.neg.OfferPolicyExperimentResults(ctx, adm, exp.ID)
		if err != nil {
			t.Fatalf("OfferPolicyExperimentResults: %v", err)
		}
		ch := res.Challenger
		if ch.Arm != strategy.Challenger || ch.Totals.Offers != offered || ch.Totals.Cases != 1 || ch.Acceptance.N != 1 ||
			ch.Acceptance.Hits != 0 || ch.KeptRate.N != 0 {
			t.Errorf("challenger results %+v, want %d offers on 1 case, none accepted", ch, offered)
		}
		// gentle's offers were made the day before the experiment started.
		if res.Champion.Totals.Offers != 0 || res.KeptP != 1 {
			t.Errorf("champion results %+v (kept p %v), want no offers in the window and p = 1", res.Champion, res.KeptP)
		}
		_, err = e.neg.OfferPolicyExperimentResults(ctx, col, exp.ID)
		wantCode(t, "a collector reading results", err, errs.Forbidden)

		// Stopping hands every borrower back to the published version.
		if err := e.neg.StopOfferPolicyExperiment(ctx, adm, exp.ID); err != nil {
			t.Fatalf("StopOfferPolicyExperiment: %v", err)
		}
		wantCode(t, "stopping twice", e.neg.StopOfferPolicyExperiment(ctx, adm, exp.ID), errs.Conflict)
		if got := propose(); got != (offer.PolicyRef{Name: "gentle", Version: 1}) {
			t.Errorf("offers after the experiment stopped come from %v, want gentle v1", got)
		}
		list, err := e.neg.OfferPolicyVersions(ctx, adm)
		if err != nil || len(list) != 2 {
			t.Errorf("OfferPolicyVersions: %d, %v; want 2", len(list), err)
		}
	})
}

func TestPolicyArm_SplitsByShareIndependentlyOfStrategyExperiments(t *testing.T) {
	e := sqlstore.Experiment{ID: 1, Champion: 1, Challenger: 2, ChallengerShare: 0.3}
	challengers, differ := 0, 0
	for b := int64(1); b <= 2000; b++ {
		arm := negotiation.PolicyArm(e, b)
		if arm != negotiation.PolicyArm(e, b) {
			t.Fatalf("borrower %d's arm is not stable", b)
		}
		if arm == strategy.Challenger {
			challengers++
		}
		if arm != strategy.Arm(e.Spec(), b) {
			differ++
		}
	}
	if challengers < 520 || challengers > 680 {
		t.Errorf("%d of 2000 borrowers are challengers, want about 30%%", challengers)
	}
	if differ < 500 {
		t.Errorf("only %d of 2000 borrowers differ from strategy experiment 1's split; the two splits are correlated", differ)
	}
}
