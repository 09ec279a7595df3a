package ledger

// StatusFor returns the status loan l should have given its position p.
// Restructured, charged-off and settled loans keep their status: those are
// decisions people make, not facts a replay can derive. Otherwise the loan is
// PaidOff when every installment's principal and interest is paid (penalty or
// fees still unpaid do not keep it open), Delinquent when anything is past
// due (p.DPD > 0), and Active otherwise.
func StatusFor(l Loan, p Position) Status {
	switch {
	case l.Status == Restructured || l.Status == ChargedOff || l.Status == Settled:
		return l.Status
	case len(p.Installments) > 0 && p.PaidInstallments == len(p.Installments):
		return PaidOff
	case p.DPD > 0:
		return Delinquent
	}
	return Active
}
