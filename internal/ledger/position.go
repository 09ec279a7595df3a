package ledger

import (
	"accord/internal/date"
	"accord/internal/money"
)

// InstallmentState is one installment as of a date: what was scheduled, what
// has been charged on it, what has been paid, and how late it is.
type InstallmentState struct {
	Installment
	PaidPrincipal  money.Amount `json:"paid_principal"`
	PaidInterest   money.Amount `json:"paid_interest"`
	PenaltyAccrued money.Amount `json:"penalty_accrued"` // all penalty interest accrued, capped or not
	PenaltyPaid    money.Amount `json:"penalty_paid"`
	FeeCharged     money.Amount `json:"fee_charged"` // late fee charged, capped or not
	FeePaid        money.Amount `json:"fee_paid"`
	PaidOffOn      date.Date    `json:"paid_off_on,omitzero"` // when principal and interest were fully paid
	DPD            int          `json:"dpd"`                  // days past the due date while principal or interest is unpaid; 0 otherwise
	State          string       `json:"state"`                // StatePaid, StateOverdue, StateDue (today), StateUpcoming
}

// Position is the delinquency facts of one loan as of a date (AsOf): days
// past due, the overdue components, penalty accrued, and what lies above the
// cost cap. It is computed by Replay from the schedule and the payments and
// is what the nightly run stores for every loan it touches.
type Position struct {
	LoanID          int64     `json:"loan_id"`
	AsOf            date.Date `json:"as_of"`
	DPD             int       `json:"dpd"`                        // days since OldestUnpaidDue; 0 when current
	OldestUnpaidDue date.Date `json:"oldest_unpaid_due,omitzero"` // zero when nothing is overdue
	NextDue         date.Date `json:"next_due,omitzero"`          // earliest due date with principal or interest unpaid, due or not
	PaidOffOn       date.Date `json:"paid_off_on,omitzero"`       // when the last installment's principal and interest were paid; zero until all are

	OutstandingPrincipal money.Amount `json:"outstanding_principal"` // all unpaid principal, due or not
	OverduePrincipal     money.Amount `json:"overdue_principal"`
	OverdueInterest      money.Amount `json:"overdue_interest"`
	PenaltyDue           money.Amount `json:"penalty_due"` // demandable: accrued − paid − above cap
	FeesDue              money.Amount `json:"fees_due"`    // demandable late fees
	AboveCap             money.Amount `json:"above_cap"`   // penalty and fees tracked but never demanded
	PenaltyAccrued       money.Amount `json:"penalty_accrued"`
	Credit               money.Amount `json:"credit"` // overpayment held on the loan, applied as installments fall due
	OverdueInstallments  int          `json:"overdue_installments"`
	PaidInstallments     int          `json:"paid_installments"`

	Installments []InstallmentState `json:"installments,omitempty"`
}

// OverdueTotal returns everything demandable now: overdue principal and
// interest, penalty and fees within the cap.
func (p Position) OverdueTotal() money.Amount {
	return p.OverduePrincipal + p.OverdueInterest + p.PenaltyDue + p.FeesDue
}

// Delinquent reports whether anything is past due.
func (p Position) Delinquent() bool { return p.DPD > 0 }
