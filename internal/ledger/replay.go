package ledger

import (
	"cmp"
	"slices"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

// Replay computes the position of loan l at the end of day asOf from its
// schedule and payments, and returns how every payment was applied. It is the
// single source of truth for a loan's state: DPD, buckets and what a
// collector may ask for are all read from its result.
//
// Payments count when they are not reversed, have a positive amount and were
// paid on or before asOf; they are applied in order of (PaidOn, ID). sched is
// expected in due-date order (Schedule's order) and is sorted if not. Policy
// fields left zero take their defaults (DefaultPolicy).
//
// Each day, in this order:
//
//  1. On an installment's due date, credit held on the loan pays what is
//     then due, as a payment would (lines with PaymentID 0, see Allocation).
//  2. The day's payments are allocated. Only demandable amounts of
//     installments due on or before the day are paid, installment-major:
//     the oldest installment fully (by default penalty → late fee → interest
//     → principal, see Waterfall), then the next. Whatever is left is not a
//     prepayment: it is kept as Credit (one Credit line, Seq 0).
//  3. After the day, an installment due that day whose principal and interest
//     are not fully paid is overdue: its late fee (滞纳金, l.LateFee) is
//     charged once, and penalty interest (罚息) accrues on its unpaid
//     principal at l.PenaltyRateDaily for every later day up to and including
//     asOf or the day the principal is paid. A payment on the due date itself
//     is therefore on time. DPD is asOf − due date while unpaid; the loan's
//     DPD is that of its oldest unpaid installment.
//
// Penalty is computed by stretches, not day by day: for each run of days in
// which an installment's unpaid principal stays the same, penalty =
// round(principal × rate × days). A stretch ends on the day of a payment that
// changes that installment's principal (that day still accrues on the old
// principal), and the stretches' penalties are summed.
//
// Cost cap (综合年化成本): the charges of a day are the contract interest of
// installments due on or before it, plus penalty accrued, plus late fees
// charged. The budget is round(CostCap ÷ 365 × Σ outstanding principal over
// each day from disbursement + 1 to the day), where a day's outstanding
// principal is what was unpaid before its payments. Penalty and fees are
// demandable only up to budget − contract interest due, less what was already
// paid of them, and never below zero. The cap cuts penalty first: fees are
// demandable first, penalty from what they leave. The demandable amount is
// handed back to installments oldest first; the rest is AboveCap, tracked
// and never taken from a payment.
func Replay(l Loan, sched []Installment, pays []Payment, pol Policy, asOf date.Date) (Position, []Allocation) {
	r := replay(l, sched, pays, pol, asOf, true)
	return r.position(asOf), r.allocs
}

// ReplayPosition is Replay without the allocation lines: the position
// alone, for the nightly aging, the features and the other readers that
// drop the lines (they cost a third of a replay's allocations).
func ReplayPosition(l Loan, sched []Installment, pays []Payment, pol Policy, asOf date.Date) Position {
	return replay(l, sched, pays, pol, asOf, false).position(asOf)
}

// Replayer replays loans one after another in the same buffers, for a
// reader that replays many (the nightly scoring): Position is
// ReplayPosition, but the Position it returns, with its Installments, is
// only valid until the next call. A zero Replayer is ready to use; it is
// not safe for concurrent use.
type Replayer struct {
	r         replayer
	waterfall Waterfall    // of the last policy seen
	order     [4]Component // its order
}

// Position returns what ReplayPosition returns, in x's buffers.
func (x *Replayer) Position(l Loan, sched []Installment, pays []Payment, pol Policy, asOf date.Date) Position {
	if x.waterfall == nil || !slices.Equal(x.waterfall, pol.Waterfall) {
		x.waterfall, x.order = slices.Clip(append(Waterfall{}, pol.Waterfall...)), pol.order()
	}
	x.r.reset(l, sortedSchedule(sched), x.order, pol.CostCap, 0, false)
	x.r.run(pays, asOf)
	return x.r.position(asOf)
}

func replay(l Loan, sched []Installment, pays []Payment, pol Policy, asOf date.Date, lines bool) *replayer {
	r := &replayer{}
	r.reset(l, sortedSchedule(sched), pol.order(), pol.CostCap, len(pays), lines)
	r.run(pays, asOf)
	return r
}

// run applies the payments that count as of asOf and advances to it.
func (r *replayer) run(pays []Payment, asOf date.Date) {
	eachPayment(pays, asOf, func(p Payment) {
		r.advance(p.PaidOn)
		if left := r.allocate(p.ID, p.Amount, p.PaidOn); left > 0 {
			r.credit += left
			if r.lines {
				r.allocs = append(r.allocs, Allocation{PaymentID: p.ID, Component: Credit, Amount: left})
			}
		}
	})
	r.advance(asOf)
}

// replayer is the state of one Replay while it walks through time.
type replayer struct {
	loan    Loan
	sched   []Installment
	st      []InstallmentState // PenaltyAccrued holds closed stretches only until position
	penFrom []date.Date        // the open penalty stretch of st[i] starts the day after
	order   [4]Component
	costCap decimal.Decimal

	next        int          // sched[:next] are due
	settled     int          // st[:settled] are paid in full, charges included (allocate)
	feed        int          // sched[:feed] have had their late fee decided
	interestDue money.Amount // contract interest of sched[:next]
	paidCharges money.Amount // penalty and late fees paid so far
	credit      money.Amount

	outstanding money.Amount // unpaid principal of the whole loan
	fenDays     int64        // Σ outstanding over the days (start, last]
	last        date.Date

	allocs []Allocation
	lines  bool // record allocs (ReplayPosition does not)
}

// reset makes r a new replay of l with schedule sched (in due-date order),
// keeping the capacity of r's buffers.
func (r *replayer) reset(l Loan, sched []Installment, order [4]Component, costCap decimal.Decimal, npays int, lines bool) {
	st, penFrom, allocs := r.st[:0], r.penFrom[:0], r.allocs[:0]
	*r = replayer{loan: l, sched: sched, order: order, costCap: costCap, last: l.DisbursedOn, lines: lines}
	r.st = slices.Grow(st, len(sched))[:len(sched)]
	clear(r.st)
	r.penFrom = slices.Grow(penFrom, len(sched))[:len(sched)]
	if lines {
		r.allocs = slices.Grow(allocs, 4*npays+2)
	}
	if r.costCap.IsZero() {
		r.costCap = defaultCostCap
	}
	for i, in := range sched {
		r.st[i].Installment = in
		r.penFrom[i] = in.DueDate
		r.outstanding += in.Principal
	}
	if r.last.IsZero() && len(sched) > 0 {
		r.last = sched[0].DueDate.AddMonthsClamped(-1)
	}
}

// advance moves the replay to the start of day d, after the credit run of d:
// installments due on or before d become due (and credit pays them on their
// due date), and installments due before d get their late fee if unpaid.
func (r *replayer) advance(d date.Date) {
	for r.next < len(r.sched) && r.sched[r.next].DueDate <= d {
		due := r.sched[r.next].DueDate
		r.chargeFees(due)
		for r.next < len(r.sched) && r.sched[r.next].DueDate == due {
			if r.sched[r.next].Total() == 0 {
				r.st[r.next].PaidOffOn = due
			}
			r.interestDue += r.sched[r.next].Interest
			r.next++
		}
		if r.credit > 0 {
			r.credit = r.allocate(0, r.credit, due)
		}
	}
	r.chargeFees(d)
}

// chargeFees charges the late fee on every due installment whose due date is
// before d and that was not fully paid by the end of its due date.
func (r *replayer) chargeFees(d date.Date) {
	for ; r.feed < r.next && r.sched[r.feed].DueDate < d; r.feed++ {
		if r.st[r.feed].PaidOffOn.IsZero() {
			r.st[r.feed].FeeCharged = max(r.loan.LateFee, 0)
		}
	}
}

// eachPayment calls fn for every payment that counts as of asOf, in order of
// (PaidOn, ID). It copies and sorts only when pays is out of order.
func eachPayment(pays []Payment, asOf date.Date, fn func(Payment)) {
	counts := func(p Payment) bool { return !p.Reversed && p.Amount > 0 && p.PaidOn <= asOf }
	if !slices.IsSortedFunc(pays, ComparePayments) {
		sorted := make([]Payment, 0, len(pays))
		for _, p := range pays {
			if counts(p) {
				sorted = append(sorted, p)
			}
		}
		slices.SortStableFunc(sorted, ComparePayments)
		pays = sorted
	}
	for _, p := range pays {
		if counts(p) {
			fn(p)
		}
	}
}

// ComparePayments orders payments as Replay applies them: by (PaidOn, ID).
func ComparePayments(a, b Payment) int {
	return cmp.Or(cmp.Compare(a.PaidOn, b.PaidOn), cmp.Compare(a.ID, b.ID))
}

// sortedSchedule returns sched in due-date order, copying only if needed.
func sortedSchedule(sched []Installment) []Installment {
	byDue := func(a, b Installment) int {
		return cmp.Or(cmp.Compare(a.DueDate, b.DueDate), cmp.Compare(a.Seq, b.Seq))
	}
	if slices.IsSortedFunc(sched, byDue) {
		return sched
	}
	s := slices.Clone(sched)
	slices.SortFunc(s, byDue)
	return s
}
