package ledger

import (
	"testing"

	"accord/internal/date"
)

func TestBorrower(t *testing.T) {
	t.Parallel()
	current := Position{DPD: 0, OutstandingPrincipal: 500_00}
	late := Position{DPD: 12, OldestUnpaidDue: date.MustParse("2026-03-08"), OutstandingPrincipal: 1000_00,
		OverduePrincipal: 80_00, OverdueInterest: 10_00, PenaltyDue: 48, FeesDue: 30_00, AboveCap: 5}
	later := Position{DPD: 40, OldestUnpaidDue: date.MustParse("2026-02-08"), OutstandingPrincipal: 2000_00,
		OverduePrincipal: 150_00, OverdueInterest: 20_00, PenaltyDue: 300, FeesDue: 60_00}
	tests := []struct {
		name string
		in   []Position
		want BorrowerFacts
	}{
		{"no loans", nil, BorrowerFacts{}},
		{"all current", []Position{current}, BorrowerFacts{OutstandingPrincipal: 500_00}},
		{"oldest unpaid due date decides", []Position{current, late, later}, BorrowerFacts{DPD: 40,
			OldestUnpaidDue: date.MustParse("2026-02-08"), DelinquentLoans: 2, OutstandingPrincipal: 3500_00,
			OverduePrincipal: 230_00, OverdueInterest: 30_00, PenaltyDue: 348, FeesDue: 90_00, AboveCap: 5,
			OverdueTotal: 230_00 + 30_00 + 348 + 90_00}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Borrower(tt.in); got != tt.want {
				t.Errorf("Borrower() = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
