package collect

import (
	"cmp"
	"slices"
	"sync"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

// loanSignal is what one loan's replay contributes to its borrower's
// segment: its latest installments that fell due before the run date, each
// with whether it was paid in full by its due date, and the amount of its
// next unpaid installment (its part of the monthly burden).
type loanSignal struct {
	due     []dueMark // oldest first, at most CycleConfig.SignalInstallments
	monthly money.Amount
}

type dueMark struct {
	on     date.Date
	onTime bool
}

// signalOf reads a loan's signal from its replayed position as of asOf,
// keeping the latest n installments due.
func signalOf(pos ledger.Position, asOf date.Date, n int) loanSignal {
	var s loanSignal
	for _, in := range pos.Installments {
		if in.PaidOffOn.IsZero() && s.monthly == 0 {
			s.monthly = in.Total()
		}
		if !in.DueDate.Before(asOf) {
			continue
		}
		s.due = append(s.due, dueMark{on: in.DueDate, onTime: !in.PaidOffOn.IsZero() && !in.PaidOffOn.After(in.DueDate)})
	}
	if len(s.due) > n {
		s.due = slices.Clone(s.due[len(s.due)-n:])
	}
	return s
}

// planSignals returns the signals of a plan's loans: a loan under a plan
// is paid by the plan's schedule, not its original one, so its history is
// the plan's instalments that fell due before asOf (on time when paid in
// full by their due date) and its burden the next unpaid plan instalment.
// The plan's primary loan carries them; its other loans, which the same
// schedule pays, carry nothing.
func planSignals(ps PlanState, asOf date.Date, n int) map[int64]loanSignal {
	var s loanSignal
	for _, in := range ps.State.Instalments {
		if in.PaidOn.IsZero() && s.monthly == 0 {
			s.monthly = in.Amount
		}
		if in.Due.Before(asOf) {
			s.due = append(s.due, dueMark{on: in.Due, onTime: in.OnTime})
		}
	}
	if len(s.due) > n {
		s.due = slices.Clone(s.due[len(s.due)-n:])
	}
	out := make(map[int64]loanSignal, len(ps.LoanIDs))
	for i, id := range ps.LoanIDs {
		if i == 0 {
			out[id] = s
		} else {
			out[id] = loanSignal{}
		}
	}
	return out
}

// onTime merges the due marks of a borrower's loans and counts, among the
// latest n, how many were paid on time.
func onTime(sigs []loanSignal, n int) (due, onTime int) {
	var all []dueMark
	for _, s := range sigs {
		all = append(all, s.due...)
	}
	slices.SortStableFunc(all, func(a, b dueMark) int { return cmp.Compare(a.on, b.on) })
	if len(all) > n {
		all = all[len(all)-n:]
	}
	for _, m := range all {
		if m.onTime {
			onTime++
		}
	}
	return len(all), onTime
}

// signalCache holds the signals of the loans the aging step replayed and
// of the loans under a plan the plan monitoring evaluated, so that the
// casework step reads only the loans neither touched. Both give the same
// signal for a loan: it is a pure function of the loan, its schedule (or
// its plan), its payments and the date.
type signalCache struct {
	mu sync.Mutex
	m  map[int64]loanSignal
}

func newSignalCache() *signalCache { return &signalCache{m: map[int64]loanSignal{}} }

func (c *signalCache) put(id int64, s loanSignal) {
	c.mu.Lock()
	c.m[id] = s
	c.mu.Unlock()
}

// putPlan adds the signals of a plan's loans.
func (c *signalCache) putPlan(ps PlanState, asOf date.Date, n int) {
	for id, s := range planSignals(ps, asOf, n) {
		c.put(id, s)
	}
}

func (c *signalCache) get(id int64) (loanSignal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[id]
	return s, ok
}
