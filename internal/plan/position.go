package plan

import (
	"accord/internal/ledger"
)

// Position is the ledger position of loan loanID under the plan, as the
// nightly run and payment posting store it for a restructured loan. The
// plan's balance is carried as principal (the schedule is what is owed;
// the plan charges no penalty or late fee): OutstandingPrincipal is
// Remaining, OverduePrincipal is Overdue, Credit is Surplus; DPD is the
// LoanDPD rule. A plan over several loans is carried on its first loan
// (primary true); the others show the same DPD and dates with no amounts.
func (st State) Position(loanID int64, primary bool) ledger.Position {
	p := ledger.Position{LoanID: loanID, AsOf: st.AsOf, DPD: st.LoanDPD, NextDue: st.NextDue, OldestUnpaidDue: st.OldestDue}
	if p.DPD > 0 && p.OldestUnpaidDue.IsZero() {
		// the frozen pre-restructure DPD: the date it points back to
		p.OldestUnpaidDue = st.AsOf.AddDays(-p.DPD)
	}
	for _, s := range st.Instalments {
		switch {
		case !s.PaidOn.IsZero():
			p.PaidInstallments++
		case s.Due.Before(st.AsOf):
			p.OverdueInstallments++
		}
	}
	if st.Status == Completed {
		p.PaidOffOn = st.CompletedOn
	}
	if primary {
		p.OutstandingPrincipal, p.OverduePrincipal, p.Credit = st.Remaining, st.Overdue, st.Surplus
	}
	return p
}

// LoanStatus is the status of the plan's loans: restructured while the plan
// runs (broken included: the case works it again, the plan's schedule stays
// the debt), paid off once completed, settled when a settlement offer is
// completed.
func (st State) LoanStatus(settlement bool) ledger.Status {
	if st.Status == Completed {
		if settlement {
			return ledger.Settled
		}
		return ledger.PaidOff
	}
	return ledger.Restructured
}

