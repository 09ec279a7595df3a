package negotiation_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// TestSecondNegotiation_Chain is issue 7's whole story as one continuous
// run on each engine, through the public use cases, real payment posting
// and the nightly run (collect.Service.RunCycle) — nothing stubbed:
//
//  1. A collector assesses case A and proposes offers; a supervisor's own
//     offer cannot be approved by that supervisor; an offer above the
//     supervisor's authority is refused; the team's exhausted budget
//     refuses an approval; within budget the offer with a conditional
//     waiver is approved.
//  2. The agreement's acceptance code goes out by SMS through the
//     governor and the outbox; the borrower reads it from the message and
//     the collector confirms it, which activates the plan in the ledger
//     (loans restructured, the original schedule kept, DPD frozen).
//  3. Case B is negotiated the same way and its agreement accepted by an
//     uploaded signed copy.
//  4. Month after month plan A is paid on its due dates through
//     RecordPayment and the nights run: the conditional waiver is applied
//     after its on-time payments and the loans' DPD resets after the
//     plan's ResetAfter; the plan stays active.
//  5. Plan B's first payment is missed: the nights put it in grace, then
//     break it the day after the grace period; the case is back in the
//     strategy (open, past due, the borrower flagged plan_broken, a task
//     for its owner).
//  6. On the broken case, promises are taken and partial payments matched
//     first in first out: the first kept the moment it is filled, the
//     second judged partly kept and the third broken by the nights after
//     their dates — not before.
func TestSecondNegotiation_Chain(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		col, sup, adm := e.as(auth.Collector), e.as(auth.Supervisor), e.as(auth.Admin)
		caseA := pickCase(t, e, col, money.Yuan(600))
		var caseB sqlstore.Case
		for _, c := range owingCases(t, e, 10, money.Yuan(600)) {
			if c.BorrowerID != caseA.BorrowerID {
				caseB = c
				break
			}
		}
		if caseB.ID == 0 {
			t.Fatal("no second case")
		}
		pol := e.neg.OfferPolicy()

		// 1. Assessment, offers and the three refusals.
		if _, err := e.neg.Assess(ctx, col, caseA.ID, lowIncome()); err != nil {
			t.Fatalf("Assess A: %v", err)
		}
		own, err := e.neg.ProposeOffers(ctx, sup, caseA.ID)
		if err != nil {
			t.Fatalf("ProposeOffers by the supervisor: %v", err)
		}
		if _, err := e.neg.ApproveOffer(ctx, sup, own[0].ID, "ok"); !errors.Is(err, negotiation.ErrOwnOffer) {
			t.Fatalf("the proposer approving their own offer: %v, want ErrOwnOffer", err)
		}
		offers, err := e.neg.ProposeOffers(ctx, col, caseA.ID)
		if err != nil {
			t.Fatalf("ProposeOffers A: %v", err)
		}
		high, ok := findOffer(offers, func(o sqlstore.Offer) bool {
			return !pol.Authority.MayApprove(offer.Supervisor, o.Offer.Concession)
		})
		if !ok {
			t.Fatal("no offer above a supervisor's authority")
		}
		_, err = e.neg.ApproveOffer(ctx, sup, high.ID, "ok")
		wantCode(t, "approval above the supervisor's authority", err, errs.Forbidden)
		chosen, ok := findOffer(offers, func(o sqlstore.Offer) bool {
			return conditional(o.Offer) > 0 && pol.Authority.MayApprove(offer.Supervisor, o.Offer.Concession)
		})
		if !ok {
			t.Fatalf("no offer with a conditional waiver a supervisor may approve among %s", kinds(offers))
		}
		e.neg.UseBudgetShare(decimal.MustParse("0.000001"))
		_, err = e.neg.ApproveOffer(ctx, sup, chosen.ID, "ok")
		var be *negotiation.BudgetError
		if !errors.As(err, &be) || errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("approval past the exhausted team budget: %v, want a Conflict *BudgetError", err)
		}
		e.neg.UseBudgetShare(decimal.MustParse("0.5"))
		if _, err := e.neg.ApproveOffer(ctx, sup, chosen.ID, "收入证明齐全"); err != nil {
			t.Fatalf("ApproveOffer within authority and budget: %v", err)
		}

		// 2. Agreement, SMS code read from the outbox message, activation.
		preDPD := 0
		for _, p := range e.positions(t, caseA.LoanIDs) {
			preDPD = max(preDPD, p.DPD)
		}
		ag, err := e.neg.CreateAgreement(ctx, col, chosen.ID)
		if err != nil {
			t.Fatalf("CreateAgreement A: %v", err)
		}
		if ag, err = e.neg.SendAcceptanceCode(ctx, col, ag.ID); err != nil {
			t.Fatalf("SendAcceptanceCode: %v", err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM messages WHERE id = ? AND channel = 'sms'", ag.MessageID); n != 1 {
			t.Fatalf("the code's SMS %d is not in the outbox", ag.MessageID)
		}
		if ag, err = e.neg.ConfirmAcceptance(ctx, col, ag.ID, e.sentCode(t, ag)); err != nil {
			t.Fatalf("ConfirmAcceptance: %v", err)
		}
		if ag.Status != sqlstore.AgreementAccepted || ag.Method != "sms_code" {
			t.Fatalf("agreement A %s by %q", ag.Status, ag.Method)
		}
		loansA := caseA.LoanIDs
		pa := e.planOf(t, loansA[0])
		var originalA []ledger.Installment
		e.read(t, func(tx *sqlstore.Tx) (err error) {
			for _, id := range loansA {
				l, err := tx.Loan(ctx, id)
				if err != nil || l.Status != ledger.Restructured {
					t.Errorf("loan %d after activation: %s %v, want restructured", id, l.Status, err)
				}
			}
			originalA, err = tx.Schedule(ctx, loansA[0])
			return err
		})
		if pa.Status != plan.Active || pa.AgreementID != ag.ID || pa.PreDPD != preDPD || len(pa.Schedule) < 3 {
			t.Fatalf("plan A %+v", pa.Plan)
		}
		if dpd := e.positions(t, loansA)[loansA[0]].DPD; dpd != preDPD {
			t.Errorf("DPD after activation %d, want the frozen %d", dpd, preDPD)
		}
		cond, reset := conditional(chosen.Offer), pa.Rules.ResetAfter
		t.Logf("plan A: %s offer, %d payments from %s, waiver after %d on-time payments, DPD %d reset after %d",
			chosen.Offer.Kind, len(pa.Schedule), pa.Schedule[0].Due, cond, preDPD, reset)

		// 3. Case B, accepted by a signed copy.
		if _, err := e.neg.Assess(ctx, sup, caseB.ID, lowIncome()); err != nil {
			t.Fatalf("Assess B: %v", err)
		}
		offersB, err := e.neg.ProposeOffers(ctx, sup, caseB.ID)
		if err != nil {
			t.Fatalf("ProposeOffers B: %v", err)
		}
		ob, ok := findOffer(offersB, func(o sqlstore.Offer) bool { return len(o.Offer.Schedule) >= 2 })
		if !ok {
			t.Fatalf("no instalment offer for B among %s", kinds(offersB))
		}
		if _, err := e.neg.ApproveOffer(ctx, adm, ob.ID, "ok"); err != nil {
			t.Fatalf("ApproveOffer B: %v", err)
		}
		agB, err := e.neg.CreateAgreement(ctx, sup, ob.ID)
		if err != nil {
			t.Fatalf("CreateAgreement B: %v", err)
		}
		if _, err := e.neg.UploadSignedCopy(ctx, sup, agB.ID, negotiation.NewAttachment{Name: "signed.pdf",
			ContentType: "application/pdf", Data: []byte("%PDF signed B")}); err != nil {
			t.Fatalf("UploadSignedCopy B: %v", err)
		}
		loansB := caseB.LoanIDs
		pb := e.planOf(t, loansB[0])
		if pb.Status != plan.Active || pb.AgreementID != agB.ID {
			t.Fatalf("plan B %+v", pb.Plan)
		}

		// 4 and 5. The nights: plan A's due dates (paid that day, before
		// the run), each night of plan B's grace period and the night after.
		missed := pb.Schedule[0].Due
		breakOn := missed.AddDays(pb.Rules.GraceDays + 1)
		paid := max(cond, reset)
		nights := map[date.Date]bool{}
		for k := range paid {
			nights[pa.Schedule[k].Due] = true
		}
		for d := missed.AddDays(1); !d.After(breakOn); d = d.AddDays(1) {
			nights[d] = true
		}
		var waivers, broken int
		for _, d := range slices.Sorted(maps.Keys(nights)) {
			e.setDay(d)
			n := -1
			for k := range paid {
				if pa.Schedule[k].Due == d {
					e.pay(t, fmt.Sprintf("PLAN-A-%d", k+1), loansA[0], pa.Schedule[k].Amount)
					n = k + 1
				}
			}
			sum := e.run(t, d)
			waivers, broken = waivers+sum.WaiversApplied, broken+sum.PlansBroken
			if n > 0 {
				wantDPD, wantWaiver := preDPD, 0
				if n >= reset {
					wantDPD = 0
				}
				if n >= cond {
					wantWaiver = 1
				}
				if dpd := e.positions(t, loansA)[loansA[0]].DPD; dpd != wantDPD {
					t.Errorf("%s, after plan payment %d: DPD %d, want %d (reset after %d)", d, n, dpd, wantDPD, reset)
				}
				if got := e.count(t, "SELECT COUNT(*) FROM ledger_adjustments WHERE plan_id = ? AND kind = 'waiver_conditional'", pa.ID); got != wantWaiver {
					t.Errorf("%s, after plan payment %d: %d conditional waivers applied, want %d (after %d)", d, n, got, wantWaiver, cond)
				}
			}
			if d.After(missed) && !d.After(breakOn) {
				want := plan.InGrace
				if d == breakOn {
					want = plan.Broken
				}
				if got := e.planOf(t, loansB[0]).Status; got != want {
					t.Errorf("%s: plan B %s, want %s", d, got, want)
				}
			}
		}
		if waivers != 1 || broken != 1 {
			t.Errorf("the nights applied %d conditional waivers and broke %d plans; want 1 and 1", waivers, broken)
		}
		if st := e.planOf(t, loansA[0]).Status; st != plan.Active {
			t.Errorf("plan A, paid on time, is %s", st)
		}
		e.read(t, func(tx *sqlstore.Tx) error {
			s, err := tx.Schedule(ctx, loansA[0])
			if err == nil && !slices.Equal(s, originalA) {
				t.Error("plan payments changed loan A's original schedule")
			}
			return err
		})
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action IN ('plan.activate', 'plan.waiver', 'plan.break')"); n != 4 {
			t.Errorf("plan audit events = %d, want 2 activations, 1 waiver, 1 break", n)
		}
		// The broken plan's case is back in the strategy.
		cb := e.caseOf(t, caseB.ID)
		if cb.Status != "open" || cb.DPD <= 0 {
			t.Errorf("case B after the break: %s, DPD %d; want open and past due", cb.Status, cb.DPD)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM borrowers WHERE id = ? AND flags LIKE '%plan_broken%'", caseB.BorrowerID); n != 1 {
			t.Error("borrower B has no plan_broken flag for the strategy")
		}
		if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND rule = 'plan_broken'", caseB.ID); n != 1 {
			t.Errorf("plan_broken tasks on case B = %d, want 1", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND code = 'plan.broken' AND on_date = ?", caseB.ID, breakOn); n != 1 {
			t.Errorf("plan.broken events on case B on %s = %d, want 1", breakOn, n)
		}

		// 6. Promises on the broken case, matched FIFO with partial payments.
		d0 := breakOn.AddDays(1)
		e.setDay(d0)
		for _, np := range []negotiation.NewPromise{
			{Amount: money.Yuan(200), Due: d0.AddDays(3), Channel: "call", Note: "先还一部分"},
			{Amount: money.Yuan(300), Due: d0.AddDays(6), Channel: "call"},
			{Amount: money.Yuan(100), Due: d0.AddDays(8), Channel: "sms"},
		} {
			if _, err := e.neg.RecordPromise(ctx, sup, caseB.ID, np); err != nil {
				t.Fatalf("RecordPromise %+v: %v", np, err)
			}
		}
		e.setDay(d0.AddDays(1))
		e.pay(t, "PTP-B-1", loansB[0], money.Yuan(150))
		e.setDay(d0.AddDays(2))
		e.pay(t, "PTP-B-2", loansB[0], money.Yuan(100))
		checkPromises(t, e.promises(t, sup, caseB.ID), []want{{promise.Kept, money.Yuan(200)}, {promise.Open, money.Yuan(50)}, {promise.Open, 0}})
		for _, step := range []struct {
			night date.Date
			want  []want
		}{
			{d0.AddDays(6), []want{{promise.Kept, money.Yuan(200)}, {promise.Open, money.Yuan(50)}, {promise.Open, 0}}},
			{d0.AddDays(7), []want{{promise.Kept, money.Yuan(200)}, {promise.PartlyKept, money.Yuan(50)}, {promise.Open, 0}}},
			{d0.AddDays(8), []want{{promise.Kept, money.Yuan(200)}, {promise.PartlyKept, money.Yuan(50)}, {promise.Open, 0}}},
			{d0.AddDays(9), []want{{promise.Kept, money.Yuan(200)}, {promise.PartlyKept, money.Yuan(50)}, {promise.Broken, 0}}},
		} {
			e.run(t, step.night)
			checkPromises(t, e.promises(t, sup, caseB.ID), step.want)
		}
		cb2 := e.caseOf(t, caseB.ID)
		if cb2.PromisesKept != cb.PromisesKept+1 || cb2.PromisesBroken != cb.PromisesBroken+2 || cb2.PromiseBrokenOn != d0.AddDays(9) {
			t.Errorf("case B promise counters: kept %d→%d, broken %d→%d, last broken %s", cb.PromisesKept, cb2.PromisesKept,
				cb.PromisesBroken, cb2.PromisesBroken, cb2.PromiseBrokenOn)
		}
		for _, action := range []string{"assessment.create", "offer.propose", "offer.approve", "agreement.create",
			"agreement.send_code", "agreement.accept", "payment.record", "promise.record", "promise.judge"} {
			if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = ?", action); n == 0 {
				t.Errorf("no %s audit event", action)
			}
		}
	})
}

// conditional returns the on-time payments o's conditional waiver needs,
// 0 when it has none.
func conditional(o offer.Offer) int {
	for _, w := range o.Waivers {
		if w.Condition != nil {
			return w.Condition.OnTimePayments
		}
	}
	return 0
}

func kinds(os []sqlstore.Offer) string {
	var b strings.Builder
	for _, o := range os {
		fmt.Fprintf(&b, "%s(%v, %d waivers) ", o.Offer.Kind, o.Offer.Concession, len(o.Offer.Waivers))
	}
	return b.String()
}
