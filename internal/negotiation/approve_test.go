package negotiation_test

import (
	"errors"
	"sync"
	"testing"

	"accord/internal/auth"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// TestApproveOffer_BudgetUnderConcurrency approves two offers of one team
// at the same time when its budget covers only one: exactly one approval
// goes through, on both engines.
func TestApproveOffer_BudgetUnderConcurrency(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		col, sup, adm := e.as(auth.Collector), e.as(auth.Supervisor), e.as(auth.Admin)
		c := pickCase(t, e, col, money.Yuan(600))
		if _, err := e.neg.Assess(ctx, col, c.ID, lowIncome()); err != nil {
			t.Fatal(err)
		}
		offers, err := e.neg.ProposeOffers(ctx, col, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		m := e.neg.OfferPolicy().Authority
		var two []sqlstore.Offer
		for _, o := range offers {
			if o.Concession >= 2 && m.MayApprove(offer.Supervisor, o.Offer.Concession) && len(two) < 2 {
				two = append(two, o)
			}
		}
		if len(two) < 2 {
			t.Skipf("the engine offered %d concessions a supervisor may approve, want 2", len(two))
		}
		b, err := e.neg.TeamBudget(ctx, adm, two[0].TeamID)
		if err != nil || b.Outstanding <= 0 || b.Used != 0 {
			t.Fatalf("budget %+v, %v", b, err)
		}
		hi, lo := max(two[0].Concession, two[1].Concession), min(two[0].Concession, two[1].Concession)
		target := hi + lo/2 // covers either offer, not both
		share, err := target.Decimal().Quo(b.Outstanding.Decimal())
		if err != nil {
			t.Fatal(err)
		}
		e.neg.UseBudgetShare(share)

		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, by := range []auth.Role{auth.Supervisor, auth.Admin} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.neg.ApproveOffer(ctx, e.as(by), two[i].ID, "concurrent")
			}()
		}
		wg.Wait()
		var be *negotiation.BudgetError
		ok, refused := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.As(err, &be):
				refused++
			default:
				t.Errorf("approval: %v", err)
			}
		}
		if ok != 1 || refused != 1 {
			t.Errorf("%d approved and %d refused for the budget, want 1 and 1 (errors %v)", ok, refused, errs)
		}
		after, err := e.neg.TeamBudget(ctx, sup, two[0].TeamID)
		if err != nil || after.Used > after.Budget {
			t.Errorf("after: %+v, %v: used beyond the budget", after, err)
		}
	})
}
