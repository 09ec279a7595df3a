package ledger

import (
	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

var defaultCostCap = decimal.MustNew(24, 2)

// budget returns what the cost cap (综合年化成本) allows a loan to have
// charged by the end of day d:
//
//	round(CostCap ÷ 365 × Σ outstanding principal over each day from the
//	disbursement date + 1 to d)
//
// where a day's outstanding principal is what was unpaid before that day's
// payments (so a payment on d counts from d + 1, as with penalty). The sum is
// kept by stretches of constant principal in fenDays.
func (r *replayer) budget(d date.Date) money.Amount {
	return mulRate(r.fenDays+int64(r.outstanding)*int64(max(d.Sub(r.last), 0)), r.costCap, 365)
}

// repay records that principal p was repaid on day d: the current stretch
// of outstanding principal ends on d.
func (r *replayer) repay(d date.Date, p money.Amount) {
	if d > r.last {
		r.fenDays += int64(r.outstanding) * int64(d.Sub(r.last))
		r.last = d
	}
	r.outstanding -= p
}

// room returns how much of the still unpaid penalty and late fees may be
// demanded on day d. The charges counted against the budget are the contract
// interest of installments due on or before d plus penalty accrued plus late
// fees charged; demandable penalty and fees together are at most
// budget(d) − contract interest due, so what may still be demanded is that
// less the penalty and fees already paid, and never less than zero (money
// already collected is never given back when the room shrinks, as it can in
// February or at a due date).
func (r *replayer) room(d date.Date) money.Amount {
	return max(r.budget(d)-r.interestDue-r.paidCharges, 0)
}

// split divides room between unpaid late fees and unpaid penalty. The cap
// cuts penalty first: fees are demandable up to the room, penalty only out of
// what the fees leave. It returns the demandable fees and penalty.
func split(room, unpaidFees, unpaidPenalty money.Amount) (fees, penalty money.Amount) {
	fees = min(unpaidFees, room)
	return fees, min(unpaidPenalty, room-fees)
}
