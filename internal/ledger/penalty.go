package ledger

import (
	"accord/internal/date"
	"accord/internal/money"
)

// penaltyAt returns the penalty interest accrued on installment i through
// day d: its closed stretches plus the open one, round(unpaid principal ×
// daily rate × days) over the days after penFrom[i] up to and including d.
func (r *replayer) penaltyAt(i int, d date.Date) money.Amount {
	return r.st[i].PenaltyAccrued + r.openPenalty(i, d)
}

func (r *replayer) openPenalty(i int, d date.Date) money.Amount {
	s := &r.st[i]
	days := d.Sub(r.penFrom[i])
	unpaid := s.Principal - s.PaidPrincipal
	if days <= 0 || unpaid <= 0 {
		return 0
	}
	return mulRate(int64(unpaid)*int64(days), r.loan.PenaltyRateDaily, 1)
}

// closeStretch ends the open penalty stretch of installment i on day d,
// before its principal changes: day d accrues on the old principal.
func (r *replayer) closeStretch(i int, d date.Date) {
	if d > r.penFrom[i] {
		r.st[i].PenaltyAccrued += r.openPenalty(i, d)
		r.penFrom[i] = d
	}
}
