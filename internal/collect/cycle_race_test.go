package collect_test

import (
	"sync"
	"testing"

	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// A payment posted while the nightly run ages the book — after the run
// read the loan, before it saved the loan's position — is not overwritten
// by the position the run computed without it: the save replays that loan
// again from the ledger as it is then.
func TestService_RunCycle_PaymentDuringAging(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		paid := f.newLoan(t, "B-RACE-1", nil)  // installments 1 and 2 (888.49 each) unpaid: 33 days past due today
		other := f.newLoan(t, "B-RACE-2", nil) // the same, and nobody pays
		var once sync.Once
		var hookErr error
		f.svc.SetAgingReadHook(func(chunk []sqlstore.LoanBundle) {
			once.Do(func() {
				read := false
				for _, b := range chunk {
					read = read || b.Loan.ID == paid.ID
				}
				if !read {
					return
				}
				// The borrower pays both installments in the app while the run works.
				_, _, hookErr = f.svc.RecordPayment(ctx, admin, pay("P-RACE", paid.ID, "1776.98", "2026-03-19"))
			})
		})
		sum, err := f.svc.RunCycle(ctx, today, nil)
		if err != nil {
			t.Fatal(err)
		}
		if hookErr != nil {
			t.Fatalf("payment during the run: %v", hookErr)
		}
		if sum.Reaged != 1 {
			t.Errorf("run summary reaged = %d, want 1 (the loan paid during the run)", sum.Reaged)
		}
		pos, st := f.position(t, paid.ID)
		if pos.DPD != 0 || pos.OverduePrincipal != 0 || pos.Bucket != "M0" || st == ledger.Delinquent {
			t.Errorf("loan paid during the run: DPD %d, overdue principal %s, bucket %s, status %s; want 0, 0.00, M0, not delinquent",
				pos.DPD, pos.OverduePrincipal, pos.Bucket, st)
		}
		if pos.AsOf != today {
			t.Errorf("loan paid during the run: position as of %s, want %s", pos.AsOf, today)
		}
		pos, st = f.position(t, other.ID)
		if pos.DPD != 33 || st != ledger.Delinquent {
			t.Errorf("unpaid loan: DPD %d, status %s; want 33, delinquent", pos.DPD, st)
		}
		// The paid loan moved out of no bucket (it was never aged before);
		// the unpaid one moved from M0 to M2.
		if n := f.count(t, "SELECT COUNT(*) FROM bucket_transitions WHERE loan_id = ?", paid.ID); n != 0 {
			t.Errorf("paid loan has %d bucket transitions, want 0", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM bucket_transitions WHERE loan_id = ?", other.ID); n != 1 {
			t.Errorf("unpaid loan has %d bucket transitions, want 1", n)
		}
		// No case for the borrower who paid; one for the other.
		if n := f.count(t, "SELECT COUNT(*) FROM cases WHERE borrower_id = ? AND status = 'open'", paid.BorrowerID); n != 0 {
			t.Errorf("borrower who paid during the run has %d open cases, want 0", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM cases WHERE borrower_id = ? AND status = 'open'", other.BorrowerID); n != 1 {
			t.Errorf("borrower who did not pay has %d open cases, want 1", n)
		}
		f.mustVerify(t)
	})
}
