package offer

import (
	"math"
	"strconv"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

// Payment is one due date and amount of an offer's schedule.
type Payment struct {
	Due    date.Date    `json:"due"`
	Amount money.Amount `json:"amount"`
}

// discount returns (1 + r)^(−days/365), the value on the as-of date of one
// unit due days later at the annual rate r (actual/365). It is float64
// math.Pow: the factors are not money, and every money result built from
// them is rounded to the fen once.
func discount(r float64, days int) float64 {
	if r == 0 || days == 0 {
		return 1
	}
	return math.Pow(1+r, -float64(days)/365)
}

// NPV returns the value on asOf of the schedule discounted at the annual
// rate r: Σ amount × (1 + r)^(−days/365), days from asOf to each due date,
// summed in float64 fen and rounded half-up to the fen once at the end.
func NPV(asOf date.Date, sched []Payment, r decimal.Decimal) money.Amount {
	rf, _ := r.Float64()
	sum := 0.0
	for _, p := range sched {
		sum += float64(p.Amount) * discount(rf, p.Due.Sub(asOf))
	}
	return money.Amount(math.Floor(sum + 0.5))
}

// InternalRate returns the annual rate x (actual/365) at which the schedule
// is worth exactly financed on asOf: Σ amount × (1 + x)^(−days/365) =
// financed. It is 0 when the schedule sums to financed, and is found by
// Newton's method kept inside a bisection bracket.
func InternalRate(asOf date.Date, financed money.Amount, sched []Payment) float64 {
	var total money.Amount
	for _, p := range sched {
		total += p.Amount
	}
	if total == financed || len(sched) == 0 || financed <= 0 {
		return 0
	}
	f := float64(financed)
	g := func(x float64) (v, dv float64) {
		for _, p := range sched {
			t := float64(p.Due.Sub(asOf)) / 365
			d := math.Pow(1+x, -t)
			v += float64(p.Amount) * d
			dv -= float64(p.Amount) * t * d / (1 + x)
		}
		return v - f, dv
	}
	lo, hi := 0.0, 1.0
	if total < financed {
		lo, hi = -0.999999, 0
	} else {
		for v, _ := g(hi); v > 0 && hi < 1e6; v, _ = g(hi) {
			lo, hi = hi, hi*2
		}
	}
	x := (lo + hi) / 2
	for range 200 {
		v, dv := g(x)
		if v > 0 {
			lo = x
		} else {
			hi = x
		}
		nx := x - v/dv
		if dv == 0 || !(nx > lo && nx < hi) {
			nx = (lo + hi) / 2
		}
		if math.Abs(nx-x) < 1e-13 {
			return nx
		}
		x = nx
	}
	return x
}

// rateString reports a computed rate to six places, rounded down after a
// tolerance of 1e-10 for float noise, so that a rate that is at most the
// contract's in exact arithmetic is never reported above it.
func rateString(x float64) decimal.Decimal {
	v := math.Floor(x*1e6 + 1e-4)
	d, err := decimal.Parse(strconv.FormatFloat(v/1e6, 'f', 6, 64))
	if err != nil {
		return decimal.Zero
	}
	return d
}
