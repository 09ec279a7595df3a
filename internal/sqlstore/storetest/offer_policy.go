package storetest

import (
	"encoding/json"
	"testing"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// RunOfferPolicy runs the contract tests of the offer policy versions and
// their experiments.
func RunOfferPolicy(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"Versions", testOfferPolicyVersions},
		{"Experiments", testOfferPolicyExperiments},
		{"Totals", testOfferPolicyTotals},
		{"TotalsOfPlans", testOfferPolicyTotalsOfPlans},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

func saveOfferPolicy(t *testing.T, db *sqlstore.DB, name, by string) sqlstore.OfferPolicyVersion {
	t.Helper()
	v := sqlstore.OfferPolicyVersion{Name: name, Body: json.RawMessage(`{"policy":{"name":"` + name + `"}}`), CreatedBy: by}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateOfferPolicyVersion(ctx, &v) })
	return v
}

func testOfferPolicyVersions(t *testing.T, db *sqlstore.DB) {
	read(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.PublishedOfferPolicy(ctx); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("PublishedOfferPolicy on an empty store: %v, want NotFound", err)
		}
		return nil
	})
	v1 := saveOfferPolicy(t, db, "gentle", "lin")
	v2 := saveOfferPolicy(t, db, "gentle", "lin")
	other := saveOfferPolicy(t, db, "firm", "wang")
	if v1.Version != 1 || v2.Version != 2 || other.Version != 1 || v1.Status != sqlstore.StrategyDraft {
		t.Fatalf("versions %d, %d, %d status %s; want 1, 2 (per name), 1 and draft", v1.Version, v2.Version, other.Version, v1.Status)
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.PublishOfferPolicyVersion(ctx, v1.ID, "zhao"); err != nil {
			return err
		}
		p, err := tx.PublishOfferPolicyVersion(ctx, v2.ID, "zhao")
		if err != nil {
			return err
		}
		if p.Status != sqlstore.StrategyPublished || p.PublishedBy != "zhao" {
			t.Errorf("published %+v", p)
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		pub, err := tx.PublishedOfferPolicy(ctx)
		if err != nil {
			return err
		}
		if pub.ID != v2.ID || string(pub.Body) != string(v2.Body) || pub.CreatedBy != "lin" {
			t.Errorf("published is %+v, want version 2 as saved", pub)
		}
		old, err := tx.OfferPolicyVersion(ctx, v1.ID)
		if err != nil {
			return err
		}
		if old.Status != sqlstore.StrategyRetired || old.RetiredAt.IsZero() {
			t.Errorf("version 1 after publishing 2: %s retired at %v, want retired", old.Status, old.RetiredAt)
		}
		if _, err := tx.OfferPolicyVersion(ctx, 999); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("OfferPolicyVersion(999): %v, want NotFound", err)
		}
		list, err := tx.OfferPolicyVersions(ctx, 0)
		if err != nil {
			return err
		}
		if len(list) != 3 || list[0].ID != other.ID {
			t.Errorf("list has %d versions, first %d; want 3, newest first", len(list), list[0].ID)
		}
		return nil
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.PublishOfferPolicyVersion(ctx, v1.ID, "zhao"); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("publishing a retired version: %v, want Conflict", err)
		}
		return nil
	})
}

func testOfferPolicyExperiments(t *testing.T, db *sqlstore.DB) {
	a, b := saveOfferPolicy(t, db, "gentle", "lin"), saveOfferPolicy(t, db, "firm", "lin")
	start := date.MustParse("2026-05-01")
	e := sqlstore.Experiment{Name: "gentle vs firm", Champion: a.ID, Challenger: b.ID, ChallengerShare: 0.25,
		StartedOn: start, CreatedBy: "zhao"}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateOfferPolicyExperiment(ctx, &e) })
	again := e
	if err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.CreateOfferPolicyExperiment(ctx, &again) }); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a second active experiment: %v, want Conflict", err)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.ActiveOfferPolicyExperiment(ctx)
		if err != nil {
			return err
		}
		if got.ID != e.ID || got.Champion != a.ID || got.Challenger != b.ID || got.ChallengerShare != 0.25 ||
			got.StartedOn != start || got.Status != sqlstore.ExperimentActive {
			t.Errorf("active experiment %+v, want %+v", got, e)
		}
		return nil
	})
	stop := date.MustParse("2026-06-30")
	write(t, db, func(tx *sqlstore.Tx) error { return tx.StopOfferPolicyExperiment(ctx, e.ID, stop) })
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.StopOfferPolicyExperiment(ctx, e.ID, stop); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("stopping twice: %v, want Conflict", err)
		}
		if err := tx.StopOfferPolicyExperiment(ctx, 999, stop); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("stopping a missing experiment: %v, want NotFound", err)
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.ActiveOfferPolicyExperiment(ctx); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("active experiment after stopping: %v, want NotFound", err)
		}
		list, err := tx.OfferPolicyExperiments(ctx)
		if err != nil {
			return err
		}
		if len(list) != 1 || list[0].Status != sqlstore.ExperimentStopped || list[0].StoppedOn != stop {
			t.Errorf("experiments %+v, want the one stopped on %s", list, stop)
		}
		return nil
	})
}

func testOfferPolicyTotals(t *testing.T, db *sqlstore.DB) {
	offers := negOffers(t, db, 2)
	ref := offers[0].Policy
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.OfferPolicyTotals(ctx, ref, negDay, date.Date(0))
		if err != nil {
			return err
		}
		want := sqlstore.PolicyTotals{Policy: ref, Offers: len(offers), Cases: 1}
		if got != want {
			t.Errorf("totals %+v, want %+v", got, want)
		}
		for _, tc := range []struct {
			ref      offer.PolicyRef
			from, to date.Date
		}{
			{offer.PolicyRef{Name: ref.Name, Version: ref.Version + 1}, negDay, 0},
			{ref, negDay.AddDays(1), 0},
			{ref, negDay.AddDays(-10), negDay.AddDays(-1)},
		} {
			got, err := tx.OfferPolicyTotals(ctx, tc.ref, tc.from, tc.to)
			if err != nil {
				return err
			}
			if got.Offers != 0 || got.Cases != 0 {
				t.Errorf("totals of %v from %s to %s: %+v, want none", tc.ref, tc.from, tc.to, got)
			}
		}
		return nil
	})
}

// testOfferPolicyTotalsOfPlans follows offers to accepted agreements,
// their plans and the payments on the plans' loans: only an accepted
// agreement's plan counts, and only payments from the plan's start.
func testOfferPolicyTotalsOfPlans(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrower(t, db, 1)
	l1 := mustLoan(t, db, bid, 1, date.MustParse("2026-02-15"))
	l2 := mustLoan(t, db, bid, 2, date.MustParse("2026-02-15"))
	offers := negOffers(t, db, 2)
	write(t, db, func(tx *sqlstore.Tx) error {
		accepted := sqlstore.Agreement{BorrowerID: 10, CaseID: 3, OfferID: offers[0].ID, LoanIDs: []int64{l1.ID},
			Offer: offers[0].Offer, TextZH: "协议", TextEN: "Agreement", CreatedBy: "lin"}
		pending := accepted
		pending.OfferID, pending.LoanIDs = offers[1].ID, []int64{l2.ID}
		for _, a := range []*sqlstore.Agreement{&accepted, &pending} {
			if err := tx.CreateAgreement(ctx, a); err != nil {
				return err
			}
		}
		if err := tx.AcceptAgreement(ctx, accepted.ID, negT, "sms_code", ""); err != nil {
			return err
		}
		if err := tx.DecideOffer(ctx, offers[0].ID, sqlstore.OfferDecision{From: []sqlstore.OfferStatus{sqlstore.OfferProposed},
			To: sqlstore.OfferAccepted, By: "lin"}); err != nil {
			return err
		}
		kept, other := newPlanRow(bid, accepted.ID, l1.ID), newPlanRow(bid, pending.ID, l2.ID)
		for _, r := range []*sqlstore.PlanRow{&kept, &other} {
			if err := tx.CreatePlan(ctx, r); err != nil {
				return err
			}
		}
		if err := tx.UpdatePlan(ctx, kept.ID, sqlstore.PlanUpdate{Status: plan.Completed,
			CompletedOn: date.MustParse("2026-07-01")}); err != nil {
			return err
		}
		for _, p := range []ledger.Payment{
			{LoanID: l1.ID, Amount: 300_00, PaidOn: date.MustParse("2026-03-20")}, // before the plan
			{LoanID: l1.ID, Amount: 500_00, PaidOn: date.MustParse("2026-04-05")},
			{LoanID: l1.ID, Amount: 700_01, PaidOn: date.MustParse("2026-05-01")},
			{LoanID: l2.ID, Amount: 900_00, PaidOn: date.MustParse("2026-04-05")}, // the pending agreement's plan
		} {
			if err := tx.CreatePayment(ctx, &p); err != nil {
				return err
			}
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.OfferPolicyTotals(ctx, offers[0].Policy, negDay, 0)
		if err != nil {
			return err
		}
		want := sqlstore.PolicyTotals{Policy: offers[0].Policy, Offers: len(offers), Cases: 1, Accepted: 1, Plans: 1, Kept: 1,
			Recovered: 1200_01}
		if got != want {
			t.Errorf("totals %+v, want %+v", got, want)
		}
		return nil
	})
}
