package ledger

import (
	"slices"

	"accord/internal/date"
	"accord/internal/money"
)

// allocate applies amount, received on day d, to what is then demandable and
// returns what is left over. Lines are appended to r.allocs with paymentID
// (0 when the money is credit held on the loan).
//
// The waterfall is installment-major, as is usual in Chinese practice: the
// oldest installment due on or before d is paid completely before the next
// one gets anything, and within an installment the components are taken in
// the policy's order (by default penalty → late fee → interest → principal).
// Only demandable amounts are taken: penalty and late fees above the cost
// cap are not, and installments not yet due are not (no prepayment; the
// caller keeps what is left as credit).
//
// The demandable penalty and fees of the whole loan (see room and split) are
// handed to installments oldest first, in the same order the waterfall takes
// them, so which installment's penalty is within the cap is deterministic.
//
// Installments paid in full, charges included, are skipped (r.settled):
// nothing is ever due on them again, so a long history of payments does
// not walk its whole schedule for each one.
func (r *replayer) allocate(paymentID int64, amount money.Amount, d date.Date) money.Amount {
	for r.settled < r.next && r.paidInFull(r.settled, d) {
		r.settled++
	}
	var unpaidPen, unpaidFee money.Amount
	for i := r.settled; i < r.next; i++ {
		s := &r.st[i]
		unpaidPen += r.penaltyAt(i, d) - s.PenaltyPaid
		unpaidFee += s.FeeCharged - s.FeePaid
	}
	var demFee, demPen money.Amount
	if unpaidPen+unpaidFee > 0 {
		demFee, demPen = split(r.room(d), unpaidFee, unpaidPen)
	}
	for i := r.settled; i < r.next && amount > 0; i++ {
		s := &r.st[i]
		pen := min(r.penaltyAt(i, d)-s.PenaltyPaid, demPen)
		fee := min(s.FeeCharged-s.FeePaid, demFee)
		demPen -= pen
		demFee -= fee
		for _, c := range r.order {
			var owed money.Amount
			switch c {
			case Penalty:
				owed = pen
			case LateFee:
				owed = fee
			case Interest:
				owed = s.Interest - s.PaidInterest
			case Principal:
				owed = s.Principal - s.PaidPrincipal
			}
			if x := min(owed, amount); x > 0 {
				r.take(i, c, x, d)
				if r.lines {
					r.allocs = append(r.allocs, Allocation{PaymentID: paymentID, Seq: s.Seq, Component: c, Amount: x})
				}
				amount -= x
			}
		}
		if s.PaidOffOn.IsZero() && s.PaidPrincipal == s.Principal && s.PaidInterest == s.Interest {
			s.PaidOffOn = d
		}
	}
	return amount
}

// paidInFull reports whether installment i, due, has its principal,
// interest, late fee and penalty paid as of d. It stays so: a late fee is
// charged only to an installment not paid off, and penalty accrues only on
// unpaid principal.
func (r *replayer) paidInFull(i int, d date.Date) bool {
	s := &r.st[i]
	return !s.PaidOffOn.IsZero() && s.PaidPrincipal == s.Principal && s.PaidInterest == s.Interest &&
		s.FeePaid == s.FeeCharged && r.penaltyAt(i, d) == s.PenaltyPaid
}

// take records x paid on component c of installment i on day d.
func (r *replayer) take(i int, c Component, x money.Amount, d date.Date) {
	s := &r.st[i]
	switch c {
	case Penalty:
		s.PenaltyPaid += x
		r.paidCharges += x
	case LateFee:
		s.FeePaid += x
		r.paidCharges += x
	case Interest:
		s.PaidInterest += x
	case Principal:
		r.closeStretch(i, d)
		r.repay(d, x)
		s.PaidPrincipal += x
	}
}

// order returns the policy's waterfall as exactly the four payable
// components: the known ones it lists, first occurrence wins, then any it
// leaves out in DefaultWaterfall order, so that every demandable amount can
// be paid. Credit and unknown components are ignored; an empty waterfall is
// DefaultWaterfall.
func (p Policy) order() [4]Component {
	var out [4]Component
	n := 0
	add := func(c Component) {
		if slices.Contains(DefaultWaterfall, c) && !slices.Contains(out[:n], c) {
			out[n] = c
			n++
		}
	}
	for _, c := range p.Waterfall {
		add(c)
	}
	for _, c := range DefaultWaterfall {
		add(c)
	}
	return out
}
