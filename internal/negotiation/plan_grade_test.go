package negotiation_test

import (
	"testing"

	"accord/internal/auth"
	"accord/internal/classify"
	"accord/internal/negotiation"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// TestCasework_GradesPlanBorrowerByPlan: a borrower under a plan is graded
// by the plan they pay, not by the original schedule the plan replaced —
// the on-time history behind the segment counts the plan instalments due
// so far (the first paid on its date, the second two days late). The case
// page grades the case again as of today from the plan book
// (collect.Plans.PlanStates), as the nightly run does from the states the
// plan monitoring hands it.
func TestCasework_GradesPlanBorrowerByPlan(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 40)
		c, loans, p := e.planOnCase(t, 9101)
		if len(p.Schedule) < 3 {
			t.Fatalf("plan of %d instalments", len(p.Schedule))
		}
		e.setDay(p.Schedule[0].Due)
		e.pay(t, "GRADE-1", loans[0], p.Schedule[0].Amount)
		e.run(t, p.Schedule[0].Due)
		late := p.Schedule[1].Due.AddDays(2)
		e.setDay(late)
		e.pay(t, "GRADE-2", loans[0], p.Schedule[1].Amount)
		night := late.AddDays(1)
		sum := e.run(t, night)
		if sum.PlansChecked != 1 {
			t.Fatalf("plans checked %d, want 1", sum.PlansChecked)
		}
		got := e.caseOf(t, c.ID)
		if got.Status != "open" {
			t.Fatalf("case %s after the night, want open (DPD frozen)", got.Status)
		}
		page, err := e.svc.Case(ctx, e.as(auth.Supervisor), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var onTime string
		for _, r := range page.Case.Reasons {
			if r.Signal == classify.SignalOnTime {
				onTime = r.Value
			}
		}
		if onTime != "1/2 (50%)" {
			t.Errorf("on-time history on the case page %q, want the plan's: 1/2 (50%%)", onTime)
		}
	})
}

// planOnCase runs the first night, activates agreement id's plan on a
// delinquent case and returns the case, its loans and the plan. Its
// ResetAfter (6) lies beyond the payments the tests make: the frozen DPD
// keeps the case open.
func (e *env) planOnCase(t *testing.T, id int64) (sqlstore.Case, []int64, sqlstore.PlanRow) {
	t.Helper()
	e.run(t, start)
	c := delinquentCases(t, e, 1)[0]
	loans := e.caseLoans(t, c.ID)
	if err := e.activate(t, negotiation.Agreement{ID: id, CaseID: c.ID, BorrowerID: c.BorrowerID, LoanIDs: loans,
		Offer: e.offerFor(t, loans), AcceptedAt: e.clock(), ActivatedBy: "lin", Rules: plan.Rules{GraceDays: 5, ResetAfter: 6}}); err != nil {
		t.Fatalf("Activate: %v", err)
	}
	return c, loans, e.planOf(t, loans[0])
}
