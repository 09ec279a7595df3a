package plan

import (
	"math/big"

	"accord/internal/ledger"
	"accord/internal/money"
)

// Position is the ledger position of loan loanID under the plan, as the
// nightly run and payment posting store it for a restructured loan. The
// restructured balance is the plan's amount financed; every plan amount is
// principal and plan interest in the proportion Financed : Total (rounded
// half-up to the fen), so OutstandingPrincipal is Financed on the day of
// activation and 0 once the plan is paid; OverduePrincipal and
// OverdueInterest split Overdue the same way; the plan charges no penalty
// or late fee; Credit is Surplus; DPD is the LoanDPD rule. A plan over several loans is carried on its first loan
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
		p.OutstandingPrincipal = st.principalOf(st.Remaining)
		p.OverduePrincipal = st.principalOf(st.Overdue)
		p.OverdueInterest = st.Overdue - p.OverduePrincipal
		p.Credit = st.Surplus
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

// principalOf returns the principal in plan amount a: a × Financed ÷ Total,
// rounded half-up to the fen (exactly, in big integers).
func (st State) principalOf(a money.Amount) money.Amount {
	if st.Total <= 0 || a <= 0 {
		return 0
	}
	if st.Financed >= st.Total {
		return a
	}
	n := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(int64(st.Financed)))
	n.Mul(n, big.NewInt(2)).Add(n, big.NewInt(int64(st.Total)))
	n.Quo(n, big.NewInt(2*int64(st.Total)))
	return money.Amount(n.Int64())
}
