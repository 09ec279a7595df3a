package offer

import (
	"math"

	"accord/internal/date"
	"accord/internal/money"
)

// dueDates returns the monthly due dates of a plan: on asOf's day of the
// month, clamped to the month's end, the first one month after asOf.
func dueDates(asOf date.Date, n int) []date.Date {
	ds := make([]date.Date, n)
	for k := range n {
		ds[k] = asOf.AddMonthsClamped(k + 1)
	}
	return ds
}

// factors returns the discount factors (1 + r)^(−days/365) of the first n
// monthly due dates.
func (e *env) factors(r float64, n int) []float64 {
	v := make([]float64, n)
	for k := range n {
		v[k] = discount(r, e.days[k])
	}
	return v
}

// level weighs every payment the same.
func level(int, int) int64 { return 1 }

// graduated weighs a plan in three stages of about a third each: 6, 8, 10
// (the first payments are 60% and 80% of the last).
func graduated(k, n int) int64 { return 6 + 2*int64(3*k/n) }

// build amortises financed over n monthly payments at the annual rate r
// (actual/365): the first payments are the fixed amounts of prefix, the
// others proportional to weight(k, m) for k = 0 … m−1 (m = n − len(prefix)).
//
// With r = 0 the weighted payments are financed − Σ prefix shared in
// proportion to the weights, rounded down, with the fen left over added one
// each to the last payments: the schedule sums to financed exactly.
//
// With r > 0, X = (financed − PV(prefix)) ÷ Σ weight × v, each weighted
// payment but the last is X × weight rounded half-up to the fen, and the
// last is what makes the schedule's value on asOf equal financed, rounded
// down (up = false: the plan's internal rate is at most r) or up (up =
// true: at least r). v are the discount factors at r (e.factors).
//
// ok is false when no such schedule has every payment ≥ 0.
func build(financed money.Amount, v []float64, n int, prefix []money.Amount, weight func(k, m int) int64, up bool, zeroRate bool) ([]money.Amount, bool) {
	h := len(prefix)
	if n <= h || (!zeroRate && n > len(v)) {
		return nil, false
	}
	m := n - h
	a := make([]money.Amount, n)
	copy(a, prefix)
	if zeroRate {
		rest := financed
		for _, p := range prefix {
			rest -= p
		}
		if rest < 0 {
			return nil, false
		}
		var w int64
		for k := range m {
			w += weight(k, m)
		}
		left := rest
		for k := range m {
			a[h+k] = money.Amount(int64(rest) * weight(k, m) / w)
			left -= a[h+k]
		}
		for k := n - 1; left > 0; k-- {
			a[k]++
			left--
		}
		return a, true
	}
	pv := 0.0
	for k, p := range prefix {
		pv += float64(p) * v[k]
	}
	var sw float64
	for k := range m {
		sw += float64(weight(k, m)) * v[h+k]
	}
	x := (float64(financed) - pv) / sw
	if x <= 0 {
		return nil, false
	}
	for k := range m - 1 {
		a[h+k] = money.Amount(math.Floor(x*float64(weight(k, m)) + 0.5))
		pv += float64(a[h+k]) * v[h+k]
	}
	last := (float64(financed) - pv) / v[n-1]
	if up {
		a[n-1] = money.Amount(math.Ceil(last))
	} else {
		a[n-1] = money.Amount(math.Floor(last))
	}
	if a[n-1] < 0 {
		return nil, false
	}
	return a, true
}

// affordable reports whether every payment is at most the sustainable
// payment, the first one at most the sustainable payment plus liquid assets.
func (e *env) affordable(a []money.Amount) bool {
	for k, p := range a {
		limit := e.sustainable
		if k == 0 {
			limit += e.liquid
		}
		if p > limit {
			return false
		}
	}
	return len(a) > 0
}
