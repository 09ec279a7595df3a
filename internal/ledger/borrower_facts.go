package ledger

import (
	"accord/internal/date"
	"accord/internal/money"
)

// BorrowerFacts is the delinquency of a borrower across their loans: the
// oldest unpaid due date of any loan decides the borrower's DPD.
type BorrowerFacts struct {
	DPD                  int          `json:"dpd"`
	OldestUnpaidDue      date.Date    `json:"oldest_unpaid_due,omitzero"`
	DelinquentLoans      int          `json:"delinquent_loans"`
	OutstandingPrincipal money.Amount `json:"outstanding_principal"`
	OverduePrincipal     money.Amount `json:"overdue_principal"`
	OverdueInterest      money.Amount `json:"overdue_interest"`
	PenaltyDue           money.Amount `json:"penalty_due"`
	FeesDue              money.Amount `json:"fees_due"`
	AboveCap             money.Amount `json:"above_cap"`
	OverdueTotal         money.Amount `json:"overdue_total"`
}

// Borrower sums the positions of one borrower's loans. The borrower's DPD
// is that of their oldest unpaid installment on any loan, which is the
// largest loan DPD when the positions share an as-of date.
func Borrower(positions []Position) BorrowerFacts {
	var f BorrowerFacts
	for _, p := range positions {
		if p.Delinquent() {
			f.DelinquentLoans++
			if f.OldestUnpaidDue.IsZero() || p.OldestUnpaidDue.Before(f.OldestUnpaidDue) {
				f.OldestUnpaidDue = p.OldestUnpaidDue
			}
			f.DPD = max(f.DPD, p.DPD)
		}
		f.OutstandingPrincipal += p.OutstandingPrincipal
		f.OverduePrincipal += p.OverduePrincipal
		f.OverdueInterest += p.OverdueInterest
		f.PenaltyDue += p.PenaltyDue
		f.FeesDue += p.FeesDue
		f.AboveCap += p.AboveCap
		f.OverdueTotal += p.OverdueTotal()
	}
	return f
}
