package negotiation_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// TestRevisit_GoodPayerAdjustsPlanOnClosedCase: the common revisit ("your
// income changed, let's adjust the plan") of a borrower who keeps the plan,
// end to end on each engine.
//
// Plan 1 is paid on time: after its DPD reset the loans are current and the
// night's casework closes the case as cured. Six months after the start
// (a good payer's interval) the nightly run puts the revisit task on the
// plan's case — closed — for its owner, who finds it in their revisit
// calendar (their scope) and can open the case. The revisit then runs as
// on an open case: a round (which does the revisit task), a new
// assessment, offers from what is still owed, approval, acceptance by SMS
// code and activation, which supersedes plan 1. The case stays closed (a
// closed case never reopens; the plan case is negotiable while its plan
// runs, collection work such as a promise is still refused), plan 2 is
// monitored, and once plan 2 is paid off the case is closed to
// negotiation too.
func TestRevisit_GoodPayerAdjustsPlanOnClosedCase(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		col, sup := e.as(auth.Collector), e.as(auth.Supervisor)
		e.neg.UseBudgetShare(decimal.MustParse("0.5"))
		pol := e.neg.OfferPolicy()
		c := pickCase(t, e, col, money.Yuan(600))
		loans := c.LoanIDs

		if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); err != nil {
			t.Fatalf("Assess: %v", err)
		}
		offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
		if err != nil {
			t.Fatalf("ProposeOffers: %v", err)
		}
		first, ok := findOffer(offers, func(o sqlstore.Offer) bool {
			return len(o.Offer.Schedule) >= 9 && pol.Authority.MayApprove(offer.Supervisor, o.Offer.Concession)
		})
		if !ok {
			t.Fatalf("no offer of 9+ payments a supervisor may approve among %s", kinds(offers))
		}
		if _, err := e.neg.ApproveOffer(ctx, sup, first.ID, "ok"); err != nil {
			t.Fatalf("ApproveOffer: %v", err)
		}
		ag, err := e.neg.CreateAgreement(ctx, col, first.ID)
		if err != nil {
			t.Fatalf("CreateAgreement: %v", err)
		}
		if ag, err = e.neg.SendAcceptanceCode(ctx, col, ag.ID); err != nil {
			t.Fatalf("SendAcceptanceCode: %v", err)
		}
		if _, err = e.neg.ConfirmAcceptance(ctx, col, ag.ID, e.sentCode(t, ag)); err != nil {
			t.Fatalf("ConfirmAcceptance: %v", err)
		}
		p1 := e.planOf(t, loans[0])
		revisit := p1.Start.AddMonthsClamped(p1.Rules.RevisitMonthsGood)
		if revisit != p1.Schedule[p1.Rules.RevisitMonthsGood-1].Due {
			t.Fatalf("revisit %s is not instalment %d's due date", revisit, p1.Rules.RevisitMonthsGood)
		}

		// On-time payments up to the good payer's revisit; the case closes
		// (cured) the night of the DPD reset.
		closedOn := p1.Schedule[p1.Rules.ResetAfter-1].Due
		for k := range p1.Rules.RevisitMonthsGood {
			d := p1.Schedule[k].Due
			e.setDay(d)
			e.pay(t, fmt.Sprintf("G-%d", k+1), loans[0], p1.Schedule[k].Amount)
			sum := e.run(t, d)
			if want := 0; d == revisit {
				want = 1
				if sum.RevisitsCreated != want {
					t.Fatalf("night %s created %d revisits, want %d", d, sum.RevisitsCreated, want)
				}
			} else if sum.RevisitsCreated != want {
				t.Fatalf("night %s created %d revisits, want %d (a good payer's is due after %d months)", d, sum.RevisitsCreated, want, p1.Rules.RevisitMonthsGood)
			}
			if cs := e.caseOf(t, c.ID); (cs.Status == casework.Closed) != !d.Before(closedOn) {
				t.Fatalf("night %s (payment %d): case %s, want closed from the DPD reset on %s", d, k+1, cs.Status, closedOn)
			}
		}
		if cs := e.caseOf(t, c.ID); cs.CloseReason != casework.Cured || cs.Owner != c.Owner {
			t.Fatalf("case after the reset: %s %s, owner %+v (was %+v)", cs.Status, cs.CloseReason, cs.Owner, c.Owner)
		}
		if st := e.planOf(t, loans[0]).Status; st != plan.Active {
			t.Fatalf("plan 1 on the revisit: %s, want active", st)
		}

		// The revisit task: open, on the closed plan case, for its owner,
		// in the owner's revisit calendar; the supervisor sees it too.
		var task sqlstore.Task
		for _, who := range []collect.Actor{col, sup} {
			e.read(t, func(tx *sqlstore.Tx) error {
				sc, err := e.svc.ScopeOf(ctx, tx, who)
				if err != nil {
					return err
				}
				list, err := tx.RevisitTasks(ctx, &sc, negotiation.TaskRevisit, revisit.AddDays(-1), revisit.AddDays(1))
				if err != nil {
					return err
				}
				if len(list) != 1 || list[0].CaseID != c.ID || list[0].Status != sqlstore.TaskOpen {
					t.Fatalf("%s's revisit calendar around %s: %+v, want the open revisit of case %d", who.User.Username, revisit, list, c.ID)
				}
				task = list[0]
				return nil
			})
		}
		if task.Assignee != c.Owner {
			t.Errorf("revisit task for %+v, want the case owner %+v", task.Assignee, c.Owner)
		}
		if _, err := e.svc.Case(ctx, col, c.ID); err != nil {
			t.Fatalf("the owner opens the closed plan case: %v", err)
		}

		// The revisit: a round, a new assessment, offers, approval,
		// acceptance by SMS code, activation.
		day := revisit.AddDays(1)
		e.setDay(day)
		if _, err := e.neg.AddRound(ctx, col, c.ID, negotiation.NewRound{PlaceKind: "phone", Channel: "call",
			Participants: []string{"借款人本人"}, Situation: "换了工作，收入下降", KeyPoints: "回访：按时还款，申请调低月供",
			Outcome: "follow_up"}); err != nil {
			t.Fatalf("AddRound on the revisit: %v", err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE id = ? AND status = 'done'", task.ID); n != 1 {
			t.Errorf("the revisit task is not done after the revisit's round")
		}
		lower := lowIncome()
		lower.MonthlyIncome = money.Yuan(3600)
		if _, err := e.neg.Assess(ctx, col, c.ID, lower); err != nil {
			t.Fatalf("Assess on the revisit: %v", err)
		}
		offers2, err := e.neg.ProposeOffers(ctx, col, c.ID)
		if err != nil {
			t.Fatalf("ProposeOffers on the revisit: %v", err)
		}
		var paid money.Amount
		for k := range p1.Rules.RevisitMonthsGood {
			paid += p1.Schedule[k].Amount
		}
		owed := principalShare(p1.Total()-paid, p1.Financed, p1.Total())
		for _, o := range offers2 {
			if got := o.Offer.Financed + o.Offer.Waived.Total(); got != owed {
				t.Errorf("%s offer on the revisit: financed %s + waived %s = %s, want plan 1's unpaid principal %s", o.Offer.Kind,
					o.Offer.Financed, o.Offer.Waived.Total(), got, owed)
			}
		}
		second, ok := findOffer(offers2, func(o sqlstore.Offer) bool {
			return len(o.Offer.Schedule) >= 3 && pol.Authority.MayApprove(offer.Supervisor, o.Offer.Concession)
		})
		if !ok {
			t.Fatalf("no adjusted instalment offer a supervisor may approve among %s", kinds(offers2))
		}
		if _, err := e.neg.ApproveOffer(ctx, sup, second.ID, "回访调整"); err != nil {
			t.Fatalf("ApproveOffer on the revisit: %v", err)
		}
		ag2, err := e.neg.CreateAgreement(ctx, col, second.ID)
		if err != nil {
			t.Fatalf("CreateAgreement on the revisit: %v", err)
		}
		if ag2, err = e.neg.SendAcceptanceCode(ctx, col, ag2.ID); err != nil {
			t.Fatalf("SendAcceptanceCode on the revisit: %v", err)
		}
		if _, err = e.neg.ConfirmAcceptance(ctx, col, ag2.ID, e.sentCode(t, ag2)); err != nil {
			t.Fatalf("ConfirmAcceptance on the revisit: %v", err)
		}

		p2 := e.planOf(t, loans[0])
		if p2.ID == p1.ID || p2.AgreementID != ag2.ID || p2.Status != plan.Active || p2.CaseID != c.ID || p2.Financed != second.Offer.Financed {
			t.Fatalf("plan 2 %+v (%s), want agreement %d's, active, on case %d", p2.Plan, p2.Status, ag2.ID, c.ID)
		}
		e.read(t, func(tx *sqlstore.Tx) error {
			old, err := tx.Plan(ctx, p1.ID)
			if err == nil && (old.Status != plan.Superseded || !old.BrokenOn.IsZero()) {
				t.Errorf("plan 1 after the adjusted plan: %s broken on %s, want superseded", old.Status, old.BrokenOn)
			}
			return err
		})
		if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND code IN ('plan.superseded', 'plan.revisit_opened')", c.ID); n != 2 {
			t.Errorf("plan.superseded and plan.revisit_opened events on the case = %d, want 2", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'case.plan_revisit' AND entity_id = ?", fmt.Sprint(c.ID)); n != 1 {
			t.Errorf("case.plan_revisit audit events = %d, want 1 (the first negotiation on the closed plan case)", n)
		}
		if cs := e.caseOf(t, c.ID); cs.Status != casework.Closed {
			t.Errorf("case after the adjusted plan: %s, want still closed (cured)", cs.Status)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND kind = 'revisit' AND status = 'open'", c.ID); n != 0 {
			t.Errorf("open revisit tasks after the adjusted plan = %d, want 0", n)
		}

		// Plan 2 is monitored: its first payment on time is checked, plan 1
		// no longer.
		d := p2.Schedule[0].Due
		e.setDay(d)
		e.pay(t, "G2-1", loans[0], p2.Schedule[0].Amount)
		if sum := e.run(t, d); sum.PlansChecked != 1 || sum.PlansBroken != 0 {
			t.Errorf("%s: %d plans checked, %d broken; want plan 2 checked, none broken", d, sum.PlansChecked, sum.PlansBroken)
		}
		if pos := e.positions(t, loans)[loans[0]]; pos.DPD != 0 || pos.NextDue != p2.Schedule[1].Due {
			t.Errorf("position under plan 2 after its first payment: DPD %d, next due %s; want 0 and %s", pos.DPD, pos.NextDue, p2.Schedule[1].Due)
		}

		// Collection work still refuses the closed plan case.
		if _, err := e.neg.RecordPromise(ctx, col, c.ID, negotiation.NewPromise{Amount: money.Yuan(100), Due: d.AddDays(3),
			Channel: "call"}); !errors.Is(err, collect.ErrCaseClosed) {
			t.Errorf("RecordPromise on the closed plan case: %v, want ErrCaseClosed", err)
		}
		// Once plan 2 is paid off no plan runs: the case is closed to
		// negotiation too.
		d = d.AddDays(1)
		e.setDay(d)
		e.pay(t, "G2-rest", loans[0], p2.Total()-p2.Schedule[0].Amount)
		e.run(t, d)
		if st := e.planOf(t, loans[0]).Status; st != plan.Completed {
			t.Fatalf("plan 2 paid off: %s, want completed", st)
		}
		if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); !errors.Is(err, collect.ErrCaseClosed) {
			t.Errorf("Assess on the closed case after its plan completed: %v, want ErrCaseClosed", err)
		}
	})
}
