package plan

import (
	"math/big"

	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/offer"
)

// Position is the ledger position of loan loanID under the plan, as the
// nightly run and payment posting store it for a restructured loan. The
// restructured balance is the plan's amount financed; every plan amount is
// principal and plan interest in the proportion Financed : Total (rounded
// half-up to the fen), so OutstandingPrincipal is Financed on the day of
// activation and 0 once the plan is paid; OverduePrincipal and
// OverdueInterest split Overdue the same way; the plan charges no penalty
// or late fee, but once it broke the conditional waivers it forfeited are
// owed again and overdue (Forfeited: principal, interest, penalty due and
// fees due), and payments reinstated (reversed after the plan's debt
// counted them) are owed as outstanding principal, not overdue, both paid
// by the surplus first (Beside); Credit is the surplus left; DPD is the LoanDPD rule. A plan over several loans is carried on its first loan
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
		r, f, credit := st.Beside()
		p.OutstandingPrincipal += r + f.Principal
		p.OverduePrincipal += f.Principal
		p.OverdueInterest += f.Interest
		p.PenaltyDue, p.FeesDue = f.Penalty, f.Fees
		p.Credit = credit
	}
	return p
}

// Beside returns what is owed beside the plan's schedule, still unpaid
// after the surplus (what was paid beyond the whole schedule) went to it:
// the reinstated payments (reversed after the plan's debt counted them;
// the surplus pays them first), then what the conditional waivers
// forfeited by a break would have waived, by component (fees, penalty,
// interest, principal) — a plan not broken forfeits nothing: its parked
// waiver amounts are owed only when it breaks; and the surplus left as
// credit.
func (st State) Beside() (money.Amount, offer.Components, money.Amount) {
	f := st.forfeited()
	left := st.Surplus
	r := st.Reinstated
	for _, c := range []*money.Amount{&r, &f.Fees, &f.Penalty, &f.Interest, &f.Principal} {
		paid := min(left, *c)
		*c -= paid
		left -= paid
	}
	return r, f, left
}

// forfeited returns what the conditional waivers forfeited by a break would
// have waived, by component.
func (st State) forfeited() offer.Components {
	var f offer.Components
	for _, w := range st.Waivers {
		if w.Forfeited {
			f = f.Add(w.Amount)
		}
	}
	return f
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
