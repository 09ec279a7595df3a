package negotiation_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// principalShare is the principal in plan amount a of a plan financing
// financed with total payable total: a × financed ÷ total, half-up to the
// fen (docs/LEDGER.md, "Restructuring and plans").
func principalShare(a, financed, total money.Amount) money.Amount {
	if financed >= total {
		return a
	}
	return money.Amount((2*int64(a)*int64(financed) + int64(total)) / (2 * int64(total)))
}

// TestSupersedeActivePlan: an adjusted plan after a revisit replaces a plan
// that is being kept, end to end on each engine through the public use
// cases, real payment posting and the nightly run.
//
// Plan 1 (an offer with a conditional waiver, accepted by SMS code) gets
// two on-time plan payments, fewer than its waiver needs. The nightly run
// creates the revisit; the collector records the round, assesses again and
// proposes: the new offers' balance is exactly what is still owed — plan
// 1's unpaid amounts (its principal share, as the loan's position) plus the
// parked amounts of the waiver plan 1 did not earn — so the payments made
// are not counted twice and the waiver not earned is not given away
// unrecorded. An adjusted offer is approved and accepted by a signed copy:
//
//   - plan 1 is superseded (not broken): its schedule stays readable, its
//     waiver is never applied, and the nightly run no longer watches it
//     (its unpaid third instalment starts no grace and breaks nothing);
//   - plan 2 finances what the accepted offer says (balance − waived), the
//     loans stay restructured with their original schedule untouched, the
//     position is plan 2's, and the frozen pre-restructure DPD carries on
//     until plan 2's own on-time payments reset it;
//   - the audit chain records the activation with the plan it replaces,
//     the case gets a plan.superseded event, and the chain verifies;
//   - the plan-kept counts see one plan (active), and the recovery by offer
//     kind keeps plan 1's payments under plan 1's kind and plan 2's under
//     plan 2's, each once.
func TestSupersedeActivePlan(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		col, sup := e.as(auth.Collector), e.as(auth.Supervisor)
		e.neg.UseBudgetShare(decimal.MustParse("0.5"))
		pol := e.neg.OfferPolicy()
		c := pickCase(t, e, col, money.Yuan(600))
		loans := c.LoanIDs
		var original []ledger.Installment
		e.read(t, func(tx *sqlstore.Tx) (err error) {
			original, err = tx.Schedule(ctx, loans[0])
			return err
		})

		// Plan 1: a conditional waiver, accepted by SMS code.
		if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); err != nil {
			t.Fatalf("Assess: %v", err)
		}
		offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
		if err != nil {
			t.Fatalf("ProposeOffers: %v", err)
		}
		first, ok := findOffer(offers, func(o sqlstore.Offer) bool {
			return conditional(o.Offer) > 2 && len(o.Offer.Schedule) >= 4 && pol.Authority.MayApprove(offer.Supervisor, o.Offer.Concession)
		})
		if !ok {
			t.Fatalf("no offer with a conditional waiver after 3+ payments a supervisor may approve among %s", kinds(offers))
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
		if p1.Status != plan.Active || p1.AgreementID != ag.ID || len(p1.Conditional) != 1 || p1.PreDPD <= 0 {
			t.Fatalf("plan 1 %+v", p1.Plan)
		}
		parked := p1.Conditional[0].Amount
		t.Logf("plan 1: %s, %d payments of ~%s, financed %s, waiver %s after %d on-time payments, frozen DPD %d",
			first.Offer.Kind, len(p1.Schedule), p1.Schedule[0].Amount, p1.Financed, parked.Total(), conditional(first.Offer), p1.PreDPD)

		// Two on-time plan payments, each on its due date before the night.
		var paid1 money.Amount
		for k := range 2 {
			d := p1.Schedule[k].Due
			e.setDay(d)
			e.pay(t, fmt.Sprintf("P1-%d", k+1), loans[0], p1.Schedule[k].Amount)
			paid1 += p1.Schedule[k].Amount
			if sum := e.run(t, d); sum.PlansChecked != 1 || sum.WaiversApplied != 0 {
				t.Fatalf("%s: %d plans checked, %d waivers applied; want 1, 0", d, sum.PlansChecked, sum.WaiversApplied)
			}
		}

		// The third instalment, due three months after the start, is only
		// half paid by its due date: the next night raises the early
		// warning, the borrower is no longer a good payer, and the revisit
		// due that day (three months, not six) is created.
		revisit := p1.Start.AddMonthsClamped(p1.Rules.RevisitMonths)
		if revisit != p1.Schedule[2].Due {
			t.Fatalf("revisit %s, third instalment due %s: the scenario needs them on one day", revisit, p1.Schedule[2].Due)
		}
		e.setDay(revisit)
		half := p1.Schedule[2].Amount / 2
		e.pay(t, "P1-3-half", loans[0], half)
		paid1 += half
		if sum := e.run(t, revisit); sum.RevisitsCreated != 0 {
			t.Fatalf("night %s created %d revisits before the warning, want 0 (a good payer's is due after %d months)", revisit, sum.RevisitsCreated, p1.Rules.RevisitMonthsGood)
		}
		day := revisit.AddDays(1)
		if sum := e.run(t, day); sum.RevisitsCreated != 1 {
			t.Fatalf("night %s created %d revisits, want 1", day, sum.RevisitsCreated)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND code = 'plan.early_warning'", c.ID); n != 1 {
			t.Fatalf("early warnings on the case = %d, want 1 (the part-paid instalment)", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND kind = 'revisit' AND due_on = ? AND status = 'open'", c.ID, revisit); n != 1 {
			t.Fatalf("open revisit tasks on the case due %s = %d, want 1 (for its owner, still open after the night's casework)", revisit, n)
		}
		if st := e.planOf(t, loans[0]).Status; st != plan.InGrace {
			t.Fatalf("plan 1 the day after the part-paid instalment: %s, want in_grace", st)
		}

		// The revisit opens a round, a new assessment and new offers.
		if _, err := e.neg.AddRound(ctx, col, c.ID, negotiation.NewRound{PlaceKind: "phone", Channel: "call",
			Participants: []string{"借款人本人"}, Situation: "收入进一步下降，现有计划月供压力大", KeyPoints: "回访：申请调整计划",
			Outcome: "follow_up"}); err != nil {
			t.Fatalf("AddRound: %v", err)
		}
		lower := lowIncome()
		lower.MonthlyIncome = money.Yuan(3800)
		if _, err := e.neg.Assess(ctx, col, c.ID, lower); err != nil {
			t.Fatalf("Assess again: %v", err)
		}
		offers2, err := e.neg.ProposeOffers(ctx, col, c.ID)
		if err != nil {
			t.Fatalf("ProposeOffers on the revisit: %v", err)
		}
		pos := e.positions(t, loans)[loans[0]]
		remaining, overdue := p1.Total()-paid1, p1.Schedule[2].Amount-half
		principal := principalShare(remaining, p1.Financed, p1.Total())
		interest := overdue - principalShare(overdue, p1.Financed, p1.Total())
		if pos.OutstandingPrincipal != principal || pos.OverdueInterest != interest || pos.PenaltyDue+pos.FeesDue != 0 {
			t.Fatalf("position under plan 1 on the revisit: principal %s interest %s, want %s and %s", pos.OutstandingPrincipal, pos.OverdueInterest, principal, interest)
		}
		owed := principal + interest + parked.Total()
		for _, o := range offers2 {
			if got := o.Offer.Financed + o.Offer.Waived.Total(); got != owed {
				t.Errorf("%s offer on the revisit: financed %s + waived %s = %s, want what is still owed %s (plan 1's unpaid principal %s and overdue interest %s + the waiver not earned %s)",
					o.Offer.Kind, o.Offer.Financed, o.Offer.Waived.Total(), got, owed, principal, interest, parked.Total())
			}
		}
		// The adjusted offer: the one that waives plan 1's parked amount
		// again on the same condition, else any instalment offer.
		second, ok := findOffer(offers2, func(o sqlstore.Offer) bool {
			return conditional(o.Offer) > 0 && len(o.Offer.Schedule) >= 3 && pol.Authority.MayApprove(offer.Supervisor, o.Offer.Concession)
		})
		if !ok {
			second, ok = findOffer(offers2, func(o sqlstore.Offer) bool {
				return len(o.Offer.Schedule) >= 3 && pol.Authority.MayApprove(offer.Supervisor, o.Offer.Concession)
			})
		}
		if !ok {
			t.Fatalf("no adjusted instalment offer a supervisor may approve among %s", kinds(offers2))
		}
		t.Logf("plan 2: %s, financed %s, waived %s, conditional after %d", second.Offer.Kind, second.Offer.Financed, second.Offer.Waived.Total(), conditional(second.Offer))
		if _, err := e.neg.ApproveOffer(ctx, sup, second.ID, "回访调整"); err != nil {
			t.Fatalf("ApproveOffer adjusted: %v", err)
		}
		ag2, err := e.neg.CreateAgreement(ctx, col, second.ID)
		if err != nil {
			t.Fatalf("CreateAgreement adjusted: %v", err)
		}
		if _, err := e.neg.UploadSignedCopy(ctx, col, ag2.ID, negotiation.NewAttachment{Name: "signed.pdf",
			ContentType: "application/pdf", Data: []byte("%PDF adjusted plan")}); err != nil {
			t.Fatalf("UploadSignedCopy: %v", err)
		}

		// What the activation did.
		p2 := e.planOf(t, loans[0])
		var old sqlstore.PlanRow
		e.read(t, func(tx *sqlstore.Tx) (err error) {
			old, err = tx.Plan(ctx, p1.ID)
			return err
		})
		if p2.ID == p1.ID || p2.AgreementID != ag2.ID || p2.Status != plan.Active || p2.Financed != second.Offer.Financed {
			t.Fatalf("plan 2 %+v (status %s), want agreement %d's, active, financing %s", p2.Plan, p2.Status, ag2.ID, second.Offer.Financed)
		}
		if old.Status != plan.Superseded || !old.BrokenOn.IsZero() || !slices.Equal(old.Schedule, p1.Schedule) || old.Financed != p1.Financed {
			t.Errorf("plan 1 after the adjusted plan: %s, broken on %s, schedule kept %v", old.Status, old.BrokenOn, slices.Equal(old.Schedule, p1.Schedule))
		}
		if p2.PreDPD != p1.PreDPD {
			t.Errorf("plan 2's pre-restructure DPD %d, want plan 1's frozen %d (not reset: fewer than %d on-time payments)", p2.PreDPD, p1.PreDPD, p1.Rules.ResetAfter)
		}
		pos2 := e.positions(t, loans)[loans[0]]
		if pos2.OutstandingPrincipal != p2.Financed || pos2.DPD != p1.PreDPD || pos2.NextDue != p2.Schedule[0].Due {
			t.Errorf("position under plan 2: principal %s DPD %d next due %s; want %s, %d, %s", pos2.OutstandingPrincipal, pos2.DPD,
				pos2.NextDue, p2.Financed, p1.PreDPD, p2.Schedule[0].Due)
		}
		e.read(t, func(tx *sqlstore.Tx) error {
			for _, id := range loans {
				if l, err := tx.Loan(ctx, id); err != nil || l.Status != ledger.Restructured {
					t.Errorf("loan %d: %s %v, want restructured", id, l.Status, err)
				}
			}
			s, err := tx.Schedule(ctx, loans[0])
			if err == nil && !slices.Equal(s, original) {
				t.Error("the original schedule changed")
			}
			return err
		})
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'plan.activate' AND entity_id = ? AND summary LIKE ?",
			fmt.Sprint(p2.ID), fmt.Sprintf(`%%"replaces_plans":[%d]%%`, p1.ID)); n != 1 {
			t.Errorf("plan.activate audit events of plan 2 naming plan 1 = %d, want 1", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND code = 'plan.superseded'", c.ID); n != 1 {
			t.Errorf("plan.superseded case events = %d, want 1", n)
		}

		// The nights after: plan 1's third instalment (due on the revisit
		// day) goes unpaid, through what would have been its grace period;
		// plan 2 is paid on its due dates until its DPD reset.
		nights := map[date.Date]bool{}
		for g := 2; g <= p1.Rules.GraceDays+2; g++ {
			nights[revisit.AddDays(g)] = true
		}
		reset := p2.Rules.ResetAfter
		for k := range reset {
			nights[p2.Schedule[k].Due] = true
		}
		var paid2 money.Amount
		waivers := 0
		for _, d := range slices.Sorted(maps.Keys(nights)) {
			e.setDay(d)
			n := 0
			for k := range reset {
				if p2.Schedule[k].Due == d {
					e.pay(t, fmt.Sprintf("P2-%d", k+1), loans[0], p2.Schedule[k].Amount)
					paid2 += p2.Schedule[k].Amount
					n = k + 1
				}
			}
			sum := e.run(t, d)
			if sum.PlansChecked != 1 || sum.PlansBroken != 0 {
				t.Errorf("%s: %d plans checked, %d broken; want only plan 2 checked, nothing broken", d, sum.PlansChecked, sum.PlansBroken)
			}
			waivers += sum.WaiversApplied
			want := p1.PreDPD
			if n >= reset {
				want = 0
			}
			if dpd := e.positions(t, loans)[loans[0]].DPD; n > 0 && dpd != want {
				t.Errorf("%s, after plan 2 payment %d: DPD %d, want %d (reset after %d)", d, n, dpd, want, reset)
			}
		}
		e.read(t, func(tx *sqlstore.Tx) (err error) {
			old, err = tx.Plan(ctx, p1.ID)
			return err
		})
		if old.Status != plan.Superseded || !old.BrokenOn.IsZero() {
			t.Errorf("plan 1 after the nights: %s, broken on %s", old.Status, old.BrokenOn)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM plan_events WHERE plan_id = ? AND kind IN ('broken', 'waiver') OR plan_id = ? AND on_date > ?", p1.ID, p1.ID, day); n != 0 {
			t.Errorf("plan 1 got %d events after it was superseded (or a break or waiver)", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM ledger_adjustments WHERE plan_id = ? AND kind = 'waiver_conditional'", p1.ID); n != 0 {
			t.Errorf("plan 1's waiver, never earned, was applied (%d adjustments)", n)
		}
		want2 := 0
		if k := conditional(second.Offer); k > 0 && k <= reset {
			want2 = 1
		}
		if n := e.count(t, "SELECT COUNT(*) FROM ledger_adjustments WHERE plan_id = ? AND kind = 'waiver_conditional'", p2.ID); n != want2 || waivers != want2 {
			t.Errorf("plan 2's conditional waivers applied: %d adjustments, %d by the nights; want %d", n, waivers, want2)
		}
		if st := e.planOf(t, loans[0]); st.ID != p2.ID || st.Status != plan.Active {
			t.Errorf("the loan's plan after the nights: %d %s, want plan 2 active", st.ID, st.Status)
		}

		// The dashboard's figures.
		last := p2.Schedule[reset-1].Due
		e.read(t, func(tx *sqlstore.Tx) error {
			counts, err := tx.PlanCountsByOwner(ctx)
			if err != nil {
				return err
			}
			all := map[plan.Status]int{}
			for _, x := range counts {
				all[x.Status] += x.Plans
			}
			if len(all) != 1 || all[plan.Active] != 1 {
				t.Errorf("plan counts by status %v, want one active plan (plan 1 superseded is neither kept nor broken)", all)
			}
			rec, err := tx.PlanRecoveryByKind(ctx, date.Of(1970, 1, 1), last)
			if err != nil {
				return err
			}
			got := map[string]int64{}
			for _, r := range rec {
				got[r.Kind] += r.Amount
			}
			want := map[string]int64{}
			want[string(p1.OfferKind)] += int64(paid1)
			want[string(p2.OfferKind)] += int64(paid2)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("recovery through plans by offer kind %v, want %v (plan 1's two and a half payments, plan 2's %d)", got, want, reset)
			}
			// The offer policies' results: two plans, none broken, each
			// payment recovered once.
			var plans, broken int
			var recovered int64
			for _, ref := range slices.Compact([]offer.PolicyRef{first.Policy, second.Policy}) {
				tot, err := tx.OfferPolicyTotals(ctx, ref, date.Of(1970, 1, 1), 0)
				if err != nil {
					return err
				}
				plans, broken, recovered = plans+tot.Plans, broken+tot.Broken, recovered+int64(tot.Recovered)
			}
			if plans != 2 || broken != 0 || recovered != int64(paid1+paid2) {
				t.Errorf("offer policy totals: %d plans, %d broken, %d recovered; want 2, 0, %d", plans, broken, recovered, paid1+paid2)
			}
			return nil
		})
		if chk, err := e.svc.VerifyAudit(ctx); err != nil || !chk.OK {
			t.Errorf("audit chain: %+v %v", chk, err)
		}
	})
}

// TestSupersede_WaiverEarnedThatDay: a plan payment meets the plan's
// conditional waiver, and on the same day, before the nightly run that
// would apply it, a new agreement supersedes the plan. The waiver was
// earned: activation applies it (once, dated the day it was met), and the
// night applies nothing more, to either plan.
func TestSupersede_WaiverEarnedThatDay(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 40)
		e.run(t, start)
		c := delinquentCases(t, e, 1)[0]
		o := e.offerFor(t, c.LoanIDs)
		cond := o.Waivers[0].Condition.OnTimePayments
		if err := e.activate(t, negotiation.Agreement{ID: 7001, CaseID: c.ID, BorrowerID: c.BorrowerID, LoanIDs: c.LoanIDs, Offer: o,
			AcceptedAt: e.clock(), ActivatedBy: "lin", Rules: plan.Rules{ResetAfter: 1}}); err != nil {
			t.Fatal(err)
		}
		p1 := e.planOf(t, c.LoanIDs[0])
		for k := range cond {
			d := p1.Schedule[k].Due
			e.setDay(d)
			e.pay(t, fmt.Sprintf("W-%d", k+1), c.LoanIDs[0], p1.Schedule[k].Amount)
			if k < cond-1 {
				e.run(t, d)
			}
		}
		met := p1.Schedule[cond-1].Due
		if err := e.activate(t, negotiation.Agreement{ID: 7002, CaseID: c.ID, BorrowerID: c.BorrowerID, LoanIDs: c.LoanIDs,
			Offer: e.offerFor(t, c.LoanIDs, false), AcceptedAt: e.clock(), ActivatedBy: "lin"}); err != nil {
			t.Fatalf("Activate the new agreement: %v", err)
		}
		p2 := e.planOf(t, c.LoanIDs[0])
		if n := e.count(t, "SELECT COUNT(*) FROM ledger_adjustments WHERE plan_id = ? AND kind = 'waiver_conditional' AND on_date = ?", p1.ID, met); n != 1 {
			t.Errorf("plan 1's waiver earned on %s: %d adjustments, want 1", met, n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'plan.waiver' AND entity_id = ?", fmt.Sprint(p1.ID)); n != 1 {
			t.Errorf("plan.waiver audit events of plan 1 = %d, want 1", n)
		}
		if sum := e.run(t, met); sum.PlansChecked != 1 || sum.WaiversApplied != 0 {
			t.Errorf("the night after: %d plans checked, %d waivers applied; want 1 (plan %d), 0", sum.PlansChecked, sum.WaiversApplied, p2.ID)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM ledger_adjustments WHERE kind = 'waiver_conditional'"); n != 1 {
			t.Errorf("conditional waivers applied in all = %d, want 1", n)
		}
	})
}

// TestActivate_PaymentAfterOffer: the borrower pays while the offer waits
// for approval and acceptance. The offer's debt did not count that payment,
// so the plan does: it is a plan payment (paid ahead on the first
// instalment), not lost to the original schedule the plan replaces; the
// borrower does not pay it twice.
func TestActivate_PaymentAfterOffer(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		col, sup := e.as(auth.Collector), e.as(auth.Supervisor)
		e.neg.UseBudgetShare(decimal.MustParse("0.5"))
		pol := e.neg.OfferPolicy()
		c := pickCase(t, e, col, money.Yuan(600))
		if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); err != nil {
			t.Fatal(err)
		}
		offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		o, ok := findOffer(offers, func(o sqlstore.Offer) bool {
			return len(o.Offer.Schedule) >= 3 && pol.Authority.MayApprove(offer.Supervisor, o.Offer.Concession)
		})
		if !ok {
			t.Fatalf("no instalment offer a supervisor may approve among %s", kinds(offers))
		}
		if _, err := e.neg.ApproveOffer(ctx, sup, o.ID, "ok"); err != nil {
			t.Fatal(err)
		}
		ag, err := e.neg.CreateAgreement(ctx, col, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.setDay(start.AddDays(1))
		paid := money.Yuan(500)
		pay := e.pay(t, "BETWEEN", c.LoanIDs[0], paid)
		t.Logf("offer paid through %d, payment %d", o.PaidThrough, pay.ID)
		if _, err := e.neg.UploadSignedCopy(ctx, col, ag.ID, negotiation.NewAttachment{Name: "signed.pdf",
			ContentType: "application/pdf", Data: []byte("%PDF")}); err != nil {
			t.Fatal(err)
		}
		p := e.planOf(t, c.LoanIDs[0])
		if p.Financed != o.Offer.Financed || p.AfterPaymentID >= pay.ID {
			t.Fatalf("plan financing %s after payment %d; want the offer's %s and the payment %d counted", p.Financed, p.AfterPaymentID, o.Offer.Financed, pay.ID)
		}
		pos := e.positions(t, c.LoanIDs)[c.LoanIDs[0]]
		if want := principalShare(p.Total()-paid, p.Financed, p.Total()); pos.OutstandingPrincipal != want {
			t.Errorf("position after activation: principal %s, want %s (the %s paid after the offer counted by the plan)", pos.OutstandingPrincipal, want, paid)
		}
		for _, night := range []date.Date{start.AddDays(1), p.Schedule[0].Due} {
			e.run(t, night)
			if got := e.positions(t, c.LoanIDs)[c.LoanIDs[0]]; got.OutstandingPrincipal != principalShare(p.Total()-paid, p.Financed, p.Total()) {
				t.Errorf("night %s: principal %s, want the payment still counted", night, got.OutstandingPrincipal)
			}
		}
	})
}
