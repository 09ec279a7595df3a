package negotiation_test

import (
	"fmt"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/negotiation"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// TestRevisit_ClosedCaseWithoutCollector: when the closed plan case has no
// collector owner (here an agency held it), its revisit waits
// unassigned in the negotiation queue, where supervisors see it in the
// revisit calendar, instead of going to the agency or nobody.
func TestRevisit_ClosedCaseWithoutCollector(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 40)
		e.run(t, start)
		c := delinquentCases(t, e, 1)[0]
		if err := e.activate(t, negotiation.Agreement{ID: 7201, CaseID: c.ID, BorrowerID: c.BorrowerID, LoanIDs: c.LoanIDs,
			Offer: e.offerFor(t, c.LoanIDs, false), AcceptedAt: e.clock(), ActivatedBy: "lin",
			Rules: plan.Rules{ResetAfter: 1, RevisitMonths: 2, RevisitMonthsGood: 2}}); err != nil {
			t.Fatal(err)
		}
		// An agency holds the case (locked, kept by the nightly assignment).
		var agency int64
		e.read(t, func(tx *sqlstore.Tx) error {
			return tx.Inspect(ctx, "SELECT COALESCE(MIN(id), 0) FROM agencies").Scan(&agency)
		})
		if agency == 0 {
			t.Fatal("no agency in the demo")
		}
		if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			_, err := tx.ReassignCases(ctx, []int64{c.ID}, casework.Owner{Kind: casework.ToAgency, ID: agency}, start, true)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		p := e.planOf(t, c.LoanIDs[0])
		if len(p.Schedule) < 3 {
			t.Fatalf("plan of %d payments, want 3+", len(p.Schedule))
		}
		for k := range 2 {
			d := p.Schedule[k].Due
			e.setDay(d)
			e.pay(t, fmt.Sprintf("Q-%d", k+1), c.LoanIDs[0], p.Schedule[k].Amount)
			if k == 0 {
				e.run(t, d)
				if cs := e.caseOf(t, c.ID); cs.Status != casework.Closed || cs.Owner.Kind != casework.ToAgency {
					t.Fatalf("case after the DPD reset: %s, owner %+v; want closed, the agency's", cs.Status, cs.Owner)
				}
				continue
			}
			if sum := e.run(t, d); sum.RevisitsCreated != 1 {
				t.Fatalf("night %s created %d revisits, want 1", d, sum.RevisitsCreated)
			}
		}
		var list []sqlstore.Task
		e.read(t, func(tx *sqlstore.Tx) (err error) {
			sc, err := e.svc.ScopeOf(ctx, tx, e.as(auth.Supervisor))
			if err != nil {
				return err
			}
			list, err = tx.RevisitTasks(ctx, &sc, negotiation.TaskRevisit, p.Schedule[1].Due, p.Schedule[1].Due)
			return err
		})
		if len(list) != 1 || list[0].CaseID != c.ID || !list[0].Assignee.IsZero() || list[0].Queue != negotiation.QueueNegotiation {
			t.Fatalf("supervisor's revisit calendar: %+v, want case %d's revisit unassigned in the %q queue", list, c.ID, negotiation.QueueNegotiation)
		}
	})
}
