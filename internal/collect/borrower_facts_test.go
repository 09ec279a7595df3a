package collect_test

import (
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

// TestService_Borrower_Facts: the borrower page sums the stored positions of
// every loan, and the oldest unpaid due date on any loan sets the
// borrower's DPD.
func TestService_Borrower_Facts(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		first := f.newLoan(t, "facts", nil) // due 2026-02-15, unpaid on 2026-03-20: DPD 33
		second := ledger.Loan{ExternalID: "L-facts-2", BorrowerID: first.BorrowerID, ProductCode: "CASH12", Principal: money.Yuan(3000),
			AnnualRate: decimal.MustParse("0.12"), TermMonths: 6, Method: ledger.EqualInstallment,
			DisbursedOn: date.MustParse("2026-02-10"), PenaltyRateDaily: decimal.Zero}
		if _, err := f.svc.CreateLoan(ctx, admin, second); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RunCycle(ctx, date.MustParse("2026-03-20"), nil); err != nil {
			t.Fatal(err)
		}
		page, err := f.svc.Borrower(ctx, admin, first.BorrowerID)
		if err != nil {
			t.Fatal(err)
		}
		got := page.Facts
		if got.DPD != 33 || got.OldestUnpaidDue != date.MustParse("2026-02-15") || got.DelinquentLoans != 2 {
			t.Errorf("facts = DPD %d since %s over %d loans; want 33 since 2026-02-15 over 2", got.DPD, got.OldestUnpaidDue, got.DelinquentLoans)
		}
		var sum money.Amount
		for _, l := range page.Loans {
			sum += l.Position.OverdueTotal()
		}
		if sum == 0 || got.OverdueTotal != sum {
			t.Errorf("overdue total = %s, want the loans' %s", got.OverdueTotal, sum)
		}
	})
}
