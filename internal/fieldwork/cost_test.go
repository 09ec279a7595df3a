package fieldwork_test

import (
	"testing"

	"accord/internal/collect"
	"accord/internal/fieldwork"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// TestVisitCost_EntersExperiment: a visit made counts its cost on the case,
// and the next nightly run carries it into the experiment record of the
// case's arm, so the experiment's cost per arm includes the visits.
func TestVisitCost_EntersExperiment(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 400)
		admin := e.as("admin")
		pub, err := e.svc.PublishedStrategy(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ch, err := e.svc.CreateStrategyVersion(ctx, admin, pub.Definition)
		if err != nil {
			t.Fatal(err)
		}
		exp, err := e.svc.StartExperiment(ctx, admin, collect.ExperimentRequest{Name: "visits", Challenger: ch.ID, Share: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		cs := e.eligibleCases(t, 1)
		v := approvedNoticed(t, e, cs[0])
		savePair(t, e, "东区一组", "fa1", "fa2", "REC-7", v)
		e.run(t, start.AddDays(1)) // the case enters the experiment
		e.at(start.AddDays(1), "17:00")
		day := start.AddDays(2)
		if _, err := e.fw.PlanDay(ctx, e.as("supervisor"), day); err != nil {
			t.Fatalf("PlanDay: %v", err)
		}
		page, err := e.fw.Visit(ctx, e.as("fa1"), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.set(page.Visit.PlannedStart)
		if _, err := e.fw.CheckIn(ctx, e.as("fa1"), v.ID, fieldwork.CheckInRequest{Lat: v.Lat, Lon: v.Lon, Partner: "fa2", RecordingDevice: "REC-7"}); err != nil {
			t.Fatalf("CheckIn: %v", err)
		}
		caseCost := func() money.Amount {
			var c sqlstore.Case
			e.read(t, func(tx *sqlstore.Tx) error {
				var err error
				c, err = tx.Case(ctx, v.CaseID)
				return err
			})
			return c.Cost
		}
		before := caseCost()
		out, err := e.fw.RecordOutcome(ctx, e.as("fa1"), v.ID, fieldwork.NewOutcome{Kind: visit.NotHome})
		if err != nil {
			t.Fatal(err)
		}
		if got := caseCost() - before; got != money.Amount(v.CostMinor) || v.CostMinor <= 0 {
			t.Errorf("the outcome added %d to the case's cost, want the visit's cost %d", got, v.CostMinor)
		}
		if _, err := e.fw.RecordOutcome(ctx, e.as("fa1"), v.ID, fieldwork.NewOutcome{Kind: visit.NotHome, Note: "更正", Corrects: out.Entry.ID}); err != nil {
			t.Fatal(err)
		}
		if got := caseCost() - before; got != money.Amount(v.CostMinor) {
			t.Errorf("after a correction the case's cost grew by %d, want %d (a correction costs nothing)", got, v.CostMinor)
		}
		e.run(t, day)
		var arm string
		var cost int64
		e.read(t, func(tx *sqlstore.Tx) error {
			return tx.Inspect(ctx, "SELECT arm, cost_minor FROM experiment_cases WHERE experiment_id = ? AND case_id = ?", exp.ID, v.CaseID).Scan(&arm, &cost)
		})
		if cost < v.CostMinor {
			t.Errorf("the case's experiment cost is %d, want at least the visit's %d", cost, v.CostMinor)
		}
		res, err := e.svc.ExperimentResults(ctx, admin, exp.ID)
		if err != nil {
			t.Fatal(err)
		}
		armCost := res.Comparison.Champion.Cost
		if arm == res.Comparison.Challenger.Arm {
			armCost = res.Comparison.Challenger.Cost
		}
		if armCost < money.Amount(v.CostMinor) {
			t.Errorf("arm %s costs %d in the results, want at least the visit's %d", arm, armCost, v.CostMinor)
		}
	})
}
