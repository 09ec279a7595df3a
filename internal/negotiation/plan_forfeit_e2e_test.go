package negotiation_test

import (
	"testing"

	"accord/internal/auth"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// TestPlanBreak_ForfeitedWaiverOwed: a plan with a conditional waiver
// ("waived after N on-time payments") breaks before the condition is met.
// The waiver is forfeited: what it would have waived is owed again, by
// component, from the night of the break — in the loan's position (penalty
// and fees due, interest and principal), so in the case's balance — and
// offers made after the break finance it once (not again on top of the
// position).
func TestPlanBreak_ForfeitedWaiverOwed(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 40)
		e.run(t, start)
		c := delinquentCases(t, e, 1)[0]
		o := e.offerFor(t, c.LoanIDs)
		if err := e.activate(t, negotiation.Agreement{ID: 7101, CaseID: c.ID, BorrowerID: c.BorrowerID, LoanIDs: c.LoanIDs, Offer: o,
			AcceptedAt: e.clock(), ActivatedBy: "lin"}); err != nil {
			t.Fatal(err)
		}
		p := e.planOf(t, c.LoanIDs[0])
		if len(p.Conditional) != 1 || p.Conditional[0].Amount.Penalty+p.Conditional[0].Amount.Fees == 0 {
			t.Fatalf("plan conditional waivers %+v, want one of penalty or fees", p.Conditional)
		}
		w := p.Conditional[0].Amount

		// The first instalment is never paid: broken the day after its grace.
		broken := p.Schedule[0].Due.AddDays(p.Rules.GraceDays + 1)
		e.run(t, p.Schedule[0].Due.AddDays(1))
		if sum := e.run(t, broken); sum.PlansBroken != 1 {
			t.Fatalf("night %s broke %d plans, want 1", broken, sum.PlansBroken)
		}
		p = e.planOf(t, c.LoanIDs[0])
		if p.Status != plan.Broken {
			t.Fatalf("plan %s, want broken", p.Status)
		}
		overdue := p.Schedule[0].Amount
		interest := overdue - principalShare(overdue, p.Financed, p.Total())
		pos := e.positions(t, c.LoanIDs)[c.LoanIDs[0]]
		if pos.PenaltyDue != w.Penalty || pos.FeesDue != w.Fees || pos.OverdueInterest != interest+w.Interest ||
			pos.OutstandingPrincipal != p.Financed+w.Principal {
			t.Errorf("position after the break: principal %s interest %s penalty %s fees %s; want %s, %s, %s, %s (the plan's + the forfeited waiver %+v)",
				pos.OutstandingPrincipal, pos.OverdueInterest, pos.PenaltyDue, pos.FeesDue,
				p.Financed+w.Principal, interest+w.Interest, w.Penalty, w.Fees, w)
		}
		owed := p.Financed + interest + w.Total()
		if cs := e.caseOf(t, c.ID); cs.Balance != owed {
			t.Errorf("case balance after the break %s, want %s (plan financed %s + overdue interest %s + forfeited %s)",
				cs.Balance, owed, p.Financed, interest, w.Total())
		}

		// A new negotiation after the break starts from that balance.
		sup := e.as(auth.Supervisor)
		e.setDay(broken)
		if _, err := e.neg.Assess(ctx, sup, c.ID, lowIncome()); err != nil {
			t.Fatalf("Assess: %v", err)
		}
		offers, err := e.neg.ProposeOffers(ctx, sup, c.ID)
		if err != nil {
			t.Fatalf("ProposeOffers: %v", err)
		}
		for _, x := range offers {
			if got := x.Offer.Financed + x.Offer.Waived.Total(); got != owed {
				t.Errorf("%s offer after the break: financed + waived = %s, want what is owed %s (forfeited %s counted once)",
					x.Offer.Kind, got, owed, w.Total())
			}
		}
		var zero money.Amount
		if pos.Credit != zero {
			t.Errorf("credit %s, want none", pos.Credit)
		}
	})
}
