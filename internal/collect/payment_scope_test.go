package collect

import (
	"testing"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// TestScope_ReversePayment: a collector reverses only payments on the loans
// of the borrowers they work; any other payment reads as a missing one,
// already reversed or not, and stays as it was.
func TestScope_ReversePayment(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		bk := newScopeBook(t, e)
		sup, col := e.as(auth.Supervisor), e.as(auth.Collector)
		pay := func(ext string, loanID int64) ledger.Payment {
			t.Helper()
			p, _, err := e.svc.RecordPayment(cwCtx, sup, ledger.Payment{ExternalID: ext, LoanID: loanID, Amount: 10_00, PaidOn: cwStart, Channel: "bank"})
			if err != nil {
				t.Fatalf("record %s: %v", ext, err)
			}
			return p
		}
		other, gone, own := pay("P-REV-OTHER", bk.other.LoanIDs[0]), pay("P-REV-GONE", bk.other.LoanIDs[0]), pay("P-REV-OWN", bk.own.LoanIDs[0])
		if _, err := e.svc.ReversePayment(cwCtx, sup, gone.ID, "bounced"); err != nil {
			t.Fatalf("supervisor reversing: %v", err)
		}
		_, missing := e.svc.ReversePayment(cwCtx, col, 1_000_000, "bounced")
		if errs.CodeOf(missing) != errs.NotFound {
			t.Fatalf("missing payment: %v, want NotFound", missing)
		}
		for _, p := range []ledger.Payment{other, gone} {
			_, err := e.svc.ReversePayment(cwCtx, col, p.ID, "bounced")
			if errs.CodeOf(err) != errs.NotFound || errs.MessageOf(err) != "Payment "+itoa64(p.ID)+" not found." {
				t.Errorf("collector reversing payment %d of someone else's case: %v, want NotFound worded as a missing one", p.ID, err)
			}
		}
		if _, err := e.svc.ReversePayment(cwCtx, e.as(auth.AgencyAgent), own.ID, "bounced"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("agency agent reversing a payment outside their placements: %v, want NotFound", err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM payments WHERE external_id = 'P-REV-OTHER' AND reversed"); n != 0 {
			t.Errorf("the out-of-scope payment was reversed")
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'payment.reverse'"); n != 1 {
			t.Errorf("%d payment.reverse events, want the supervisor's only", n)
		}
		if rp, err := e.svc.ReversePayment(cwCtx, col, own.ID, "bounced"); err != nil || !rp.Reversed {
			t.Errorf("collector reversing a payment on their own case: %+v, %v", rp, err)
		}
	})
}
