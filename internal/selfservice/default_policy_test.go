package selfservice_test

import (
	"testing"

	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/selfservice"
	"accord/internal/sqlstore"
)

// TestService_DefaultAutoApprovalQualifies checks the shipped default on
// the demo book, on both engines: with the default policy (a collector's
// authority, as `accord serve` starts without --portal-auto-approval) some
// demo debtors get offers they may accept on the spot, and one is
// accepted end to end with its SMS code.
func TestService_DefaultAutoApprovalQualifies(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), selfservice.Policy{})
		if got := e.self.Policy().AutoApproval; got != offer.Collector {
			t.Fatalf("default auto-approval level = %q, want collector", got)
		}
		qualified := 0
		var accepted bool
		for _, d := range e.debtors(t, 5) {
			who := e.signIn(t, d).Borrower
			plan, err := e.self.RequestPlan(ctx, who, selfservice.Affordability{MonthlyIncome: money.Yuan(8000),
				OtherDebtPayments: money.Yuan(500), Dependants: 1, Hardship: offer.IncomeDrop, HardshipMonths: 6})
			if err != nil {
				t.Fatalf("RequestPlan(borrower %d): %v", d.b.ID, err)
			}
			for _, o := range plan.Offers {
				if !o.Auto {
					continue
				}
				qualified++
				if accepted {
					break
				}
				acc, err := e.self.AcceptOffer(ctx, who, o.ID)
				if err != nil {
					t.Fatalf("AcceptOffer(%d): %v", o.ID, err)
				}
				var msgID int64
				e.read(t, func(tx *sqlstore.Tx) error {
					a, err := tx.Agreement(ctx, acc.AgreementID)
					msgID = a.MessageID
					return err
				})
				a, err := e.self.ConfirmAgreement(ctx, who, acc.AgreementID, e.codeOf(t, msgID))
				if err != nil || a.Status != sqlstore.AgreementAccepted {
					t.Fatalf("ConfirmAgreement: %+v, %v", a.Status, err)
				}
				accepted = true
				break
			}
		}
		if qualified == 0 || !accepted {
			t.Fatalf("no demo debtor's plan fits the default auto-approval level (%d qualified)", qualified)
		}
	})
}
