package negotiation_test

import (
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// TestActivate_PaymentReversedAfterOffer: the offer's debt counted a
// payment that is reversed after the offer was made (the transfer bounced
// while the offer waited for acceptance). The plan finances the offer's
// amount, so the reversed amount is owed beside its schedule: in the loan's
// position and the case balance from activation, and the plan is completed
// only once it is paid too. A payment reversed before the offer was made is
// not added (the offer's debt already left it out).
func TestActivate_PaymentReversedAfterOffer(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		col, sup := e.as(auth.Collector), e.as(auth.Supervisor)
		e.neg.UseBudgetShare(decimal.MustParse("0.5"))
		pol := e.neg.OfferPolicy()
		c := pickCase(t, e, col, money.Yuan(600))
		loan := c.LoanIDs[0]

		// Day 1: one payment reversed before the offer, one that stands.
		e.setDay(start.AddDays(1))
		early := e.pay(t, "EARLY", loan, money.Yuan(200))
		if _, err := e.svc.ReversePayment(ctx, sup, early.ID, "退票"); err != nil {
			t.Fatal(err)
		}
		bounced := e.pay(t, "BOUNCED", loan, money.Yuan(300))

		// Day 2: the offer, counting the 300.00 as paid.
		e.setDay(start.AddDays(2))
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
		if o.PaidThrough < bounced.ID {
			t.Fatalf("offer paid through %d, before payment %d", o.PaidThrough, bounced.ID)
		}
		if _, err := e.neg.ApproveOffer(ctx, sup, o.ID, "ok"); err != nil {
			t.Fatal(err)
		}
		ag, err := e.neg.CreateAgreement(ctx, col, o.ID)
		if err != nil {
			t.Fatal(err)
		}

		// Day 3: the 300.00 bounces; then the borrower accepts.
		e.setDay(start.AddDays(3))
		if _, err := e.svc.ReversePayment(ctx, sup, bounced.ID, "银行退回"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.neg.UploadSignedCopy(ctx, col, ag.ID, negotiation.NewAttachment{Name: "signed.pdf",
			ContentType: "application/pdf", Data: []byte("%PDF")}); err != nil {
			t.Fatal(err)
		}
		p := e.planOf(t, loan)
		if p.Financed != o.Offer.Financed {
			t.Fatalf("plan financing %s, want the offer's %s", p.Financed, o.Offer.Financed)
		}
		owed := p.Financed + money.Yuan(300)
		if pos := e.positions(t, c.LoanIDs)[loan]; pos.OutstandingPrincipal != owed || pos.DPD != p.PreDPD {
			t.Errorf("position at activation: principal %s DPD %d, want %s (financed %s + the 300.00 reversed after the offer) and %d",
				pos.OutstandingPrincipal, pos.DPD, owed, p.Financed, p.PreDPD)
		}
		e.run(t, start.AddDays(3))
		if cs := e.caseOf(t, c.ID); cs.Balance != owed {
			t.Errorf("case balance %s, want %s", cs.Balance, owed)
		}

		// The whole schedule paid: not completed while the 300.00 is owed.
		d := p.Schedule[0].Due
		e.setDay(d)
		e.pay(t, "ALL", loan, p.Total())
		e.run(t, d)
		if got := e.planOf(t, loan); got.Status == plan.Completed {
			t.Errorf("plan completed with the reversed 300.00 unpaid")
		}
		if pos := e.positions(t, c.LoanIDs)[loan]; pos.OutstandingPrincipal != money.Yuan(300) || pos.Credit != 0 {
			t.Errorf("position with the schedule paid: principal %s credit %s, want 300.00 and 0", pos.OutstandingPrincipal, pos.Credit)
		}
		d = d.AddDays(1)
		e.setDay(d)
		e.pay(t, "REST", loan, money.Yuan(300))
		e.run(t, d)
		if got := e.planOf(t, loan); got.Status != plan.Completed || got.CompletedOn != d {
			t.Errorf("plan after the 300.00: %s completed on %s, want completed on %s", got.Status, got.CompletedOn, d)
		}
	})
}
