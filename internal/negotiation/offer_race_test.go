package negotiation_test

import (
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestProposeOffers_PaymentPostedConcurrently: on PostgreSQL (READ
// COMMITTED), a payment on the case's loans being posted while offers are
// proposed ends up on one side of the offer: either the offer's debt
// counts it and its paid_through covers it, or neither does (then the plan
// counts it as a plan payment). Never paid_through covering a payment the
// debt did not count, which the plan would then lose.
//
//   - A payment inserted but not yet posted to the position, while another
//     borrower's later payment commits: paid_through stays below it (the
//     high-water mark is the case's loans' own, not the book's).
//   - A payment already posted to the position, not committed: proposing
//     waits for it, then counts it in the debt and in paid_through.
func TestProposeOffers_PaymentPostedConcurrently(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, eng storetest.Engine) {
		if eng.Name != storetest.Postgres.Name {
			t.Skip("SQLite's one writer serialises posting and proposing")
		}
		e := newEnv(t, eng.Open(t), 600)
		e.run(t, start)
		col := e.as(auth.Collector)
		c := pickCase(t, e, col, money.Yuan(600))
		loan := c.LoanIDs[0]
		var other int64
		e.read(t, func(tx *sqlstore.Tx) error {
			return tx.Inspect(ctx, "SELECT MIN(id) FROM loans WHERE borrower_id <> ?", c.BorrowerID).Scan(&other)
		})
		if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); err != nil {
			t.Fatal(err)
		}

		// 1. Inserted, not yet posted; a later payment elsewhere commits.
		inserted, release, release2, done := make(chan int64), make(chan struct{}), make(chan struct{}), make(chan error)
		go func() {
			done <- e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
				p := ledger.Payment{ExternalID: "SLOW-1", LoanID: loan, Amount: money.Yuan(100), PaidOn: start, Channel: "app"}
				if err := tx.CreatePayment(ctx, &p); err != nil {
					return err
				}
				inserted <- p.ID
				<-release
				return nil
			})
		}()
		slow := <-inserted
		later := e.pay(t, "ELSEWHERE", other, money.Yuan(50))
		if later.ID <= slow {
			t.Fatalf("payment ids %d then %d: the scenario needs the later one larger", slow, later.ID)
		}
		offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if err != nil {
			t.Fatalf("ProposeOffers: %v", err)
		}
		if pt := offers[0].PaidThrough; pt >= slow {
			t.Errorf("paid through %d covers payment %d that the debt did not count (being posted)", pt, slow)
		}

		// 2. Posted to the position, not committed: proposing waits.
		pos := e.positions(t, c.LoanIDs)[loan]
		cut := money.Yuan(80)
		go func() {
			done <- e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
				p := ledger.Payment{ExternalID: "SLOW-2", LoanID: loan, Amount: cut, PaidOn: start, Channel: "app"}
				if err := tx.CreatePayment(ctx, &p); err != nil {
					return err
				}
				row := pos
				row.OutstandingPrincipal -= cut
				if err := tx.SavePositions(ctx, []sqlstore.PositionRow{row}); err != nil {
					return err
				}
				inserted <- p.ID
				<-release2
				return nil
			})
		}()
		posted := <-inserted
		type result struct {
			offers []sqlstore.Offer
			err    error
		}
		got := make(chan result, 1)
		go func() {
			o, err := e.neg.ProposeOffers(ctx, col, c.ID)
			got <- result{o, err}
		}()
		select {
		case r := <-got:
			t.Errorf("ProposeOffers did not wait for the payment being posted (err %v)", r.err)
			close(release2)
			<-done
			return
		case <-time.After(300 * time.Millisecond):
		}
		close(release2)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		r := <-got
		if r.err != nil {
			t.Fatalf("ProposeOffers: %v", r.err)
		}
		o := r.offers[0]
		if o.PaidThrough < posted {
			t.Errorf("paid through %d, below payment %d that was committed before the debt was read", o.PaidThrough, posted)
		}
		before := offers[0].Offer.Financed + offers[0].Offer.Waived.Total()
		if after := o.Offer.Financed + o.Offer.Waived.Total(); after != before-cut {
			t.Errorf("debt %s after the payment, want %s − %s", after, before, cut)
		}
	})
}
