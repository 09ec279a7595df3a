package ledger

import (
	"accord/internal/date"
	"accord/internal/money"
)

// The states of an installment in InstallmentState.State.
const (
	StatePaid     = "paid"     // principal and interest fully paid
	StateOverdue  = "overdue"  // due date passed, principal or interest unpaid
	StateDue      = "due"      // due today and not fully paid
	StateUpcoming = "upcoming" // not yet due
)

// position returns the loan's position at the end of day asOf; the replay
// must have been advanced to asOf.
func (r *replayer) position(asOf date.Date) Position {
	p := Position{LoanID: r.loan.ID, AsOf: asOf, Credit: r.credit, Installments: r.st}
	unpaidPen, unpaidFee := r.finishPenalty(asOf)
	p.FeesDue, p.PenaltyDue = split(r.room(asOf), unpaidFee, unpaidPen)
	p.AboveCap = unpaidPen + unpaidFee - p.FeesDue - p.PenaltyDue
	allPaid := len(r.st) > 0
	for i := range r.st {
		s := &r.st[i]
		p.PenaltyAccrued += s.PenaltyAccrued
		p.OutstandingPrincipal += s.Principal - s.PaidPrincipal
		switch {
		case !s.PaidOffOn.IsZero():
			s.State = StatePaid
			p.PaidInstallments++
			p.PaidOffOn = max(p.PaidOffOn, s.PaidOffOn)
			continue
		case s.DueDate < asOf:
			s.State = StateOverdue
			s.DPD = asOf.Sub(s.DueDate)
			p.OverdueInstallments++
			p.OverduePrincipal += s.Principal - s.PaidPrincipal
			p.OverdueInterest += s.Interest - s.PaidInterest
			if p.OldestUnpaidDue.IsZero() {
				p.OldestUnpaidDue, p.DPD = s.DueDate, s.DPD
			}
		case s.DueDate == asOf:
			s.State = StateDue
		default:
			s.State = StateUpcoming
		}
		allPaid = false
		if p.NextDue.IsZero() {
			p.NextDue = s.DueDate
		}
	}
	if !allPaid {
		p.PaidOffOn = 0
	}
	return p
}

// finishPenalty closes every installment's penalty as of asOf, so that
// PenaltyAccrued is final, and returns the unpaid penalty and late fees of
// the loan.
func (r *replayer) finishPenalty(asOf date.Date) (penalty, fees money.Amount) {
	for i := range r.st {
		s := &r.st[i]
		s.PenaltyAccrued = r.penaltyAt(i, asOf)
		penalty += s.PenaltyAccrued - s.PenaltyPaid
		fees += s.FeeCharged - s.FeePaid
	}
	return penalty, fees
}
