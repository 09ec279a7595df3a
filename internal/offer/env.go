package offer

import (
	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

// env is one case as the offer builders see it.
type env struct {
	asOf        date.Date
	debt        Debt
	a           Assessment
	pol         Policy
	bal         money.Amount
	sustainable money.Amount
	liquid      money.Amount
	c           decimal.Decimal // contract rate
	dates       []date.Date     // the MaxTermMonths monthly due dates
	days        []int           // days from asOf to each
	vc          []float64       // discount factors at the contract rate
}

func newEnv(asOf date.Date, d Debt, a Assessment, pol Policy, aff Affordability) *env {
	e := &env{asOf: asOf, debt: d, a: a, pol: pol, bal: d.Balance(), sustainable: aff.Sustainable,
		liquid: a.LiquidAssets, c: d.AnnualRate, dates: dueDates(asOf, pol.MaxTermMonths)}
	e.days = make([]int, len(e.dates))
	for k, dd := range e.dates {
		e.days[k] = dd.Sub(asOf)
	}
	e.vc = e.factors(fl(e.c), len(e.dates))
	return e
}

func fl(d decimal.Decimal) float64 {
	f, _ := d.Float64()
	return f
}

// bp returns k basis points (k ÷ 10 000) as a decimal.
func bp(k int64) decimal.Decimal { return decimal.MustNew(k, 4) }

// toBp returns d in whole basis points, rounded down.
func toBp(d decimal.Decimal) int64 {
	w, f, _ := d.Floor(4).Int64(4)
	return w*10000 + f
}

// minTerm is the fewest payments a plan may have: the contract's remaining
// months (at least 1, at most MaxTermMonths), so that a plan never asks a
// borrower to pay faster than the contract did.
func (e *env) minTerm() int { return min(max(e.debt.RemainingMonths, 1), len(e.dates)) }

// amortised is a schedule found by shortest.
type amortised struct {
	amounts    []money.Amount
	affordable bool
}

// shortest returns the shortest plan of minN … MaxTermMonths payments at
// rate r (factors v) that is affordable, or the plan over MaxTermMonths when
// none is (amounts nil when even that cannot be built).
func (e *env) shortest(financed money.Amount, r decimal.Decimal, v []float64, prefix []money.Amount, weight func(k, m int) int64, minN int, up bool) amortised {
	m := len(e.dates)
	for n := max(minN, 1); n <= m; n++ {
		a, ok := build(financed, v, n, prefix, weight, up, r.IsZero())
		if ok && e.affordable(a) {
			return amortised{a, true}
		}
	}
	a, _ := build(financed, v, m, prefix, weight, up, r.IsZero())
	return amortised{amounts: a}
}

// monthly pairs amounts with the monthly due dates.
func (e *env) monthly(a []money.Amount) []Payment {
	s := make([]Payment, len(a))
	for k, x := range a {
		s[k] = Payment{Due: e.dates[k], Amount: x}
	}
	return s
}
