package demo

import (
	"fmt"
	"math"
	"time"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

// loans draws p's 1–3 loans, oldest first, disbursed in the 36 months
// before the as-of date and skewed towards recent months, as in a growing
// book. A borrower's next loan follows the previous one by one to twelve
// months; loans that would fall after the as-of date are not made.
func (g *generator) loans(r rng, p person) []ledger.Loan {
	asOf := g.cfg.AsOf
	window := asOf.Sub(asOf.AddMonthsClamped(-36))
	n := [...]int{1, 1, 1, 1, 1, 1, 2, 2, 2, 3}[r.IntN(10)]
	on := asOf.AddDays(-int(float64(window) * math.Pow(r.Float64(), 1.4)))
	out := make([]ledger.Loan, 0, n)
	for k := 1; k <= n && !on.After(asOf); k++ {
		out = append(out, g.loan(r, p, k, on))
		on = on.AddDays(r.between(30, 360))
	}
	return out
}

// loan draws loan k of p, disbursed on day on.
func (g *generator) loan(r rng, p person, k int, on date.Date) ledger.Loan {
	i := productIndex.pick(r)
	pr, mix := g.products[i], productMix[i]
	x := r.uniform(mix.MinX, mix.MaxX) * float64(p.MonthlyIncome/100)
	yuan := min(max(int64(x)/mix.Step*mix.Step, mix.Floor), mix.Ceil)
	id := p.ID*10 + int64(k)
	at := on.In(p.loc).Add(r.localTime(9*time.Hour, 22*time.Hour)).UTC()
	return ledger.Loan{
		ID:               id,
		ExternalID:       fmt.Sprintf("L%010d", id),
		BorrowerID:       p.ID,
		ProductCode:      pr.Code,
		Principal:        money.Yuan(yuan),
		AnnualRate:       pr.AnnualRate,
		TermMonths:       pr.TermMonths,
		Method:           pr.Method,
		DisbursedOn:      on,
		PenaltyRateDaily: pr.PenaltyRateDaily,
		LateFee:          pr.LateFee,
		Status:           ledger.Active,
		CreatedAt:        at,
		UpdatedAt:        at,
	}
}

// trouble sets when a troubled borrower stops paying in full, and how late
// the others pay. Hardship and loss of contact strike at any time, mostly in
// the last year and a half (older arrears have largely been written off and
// sold), a third of them still to come after the as-of date; a strategic
// defaulter stops one to three installments into the last loan. Trouble
// always starts after the last loan was disbursed: nobody lends to a
// borrower in arrears.
func (g *generator) trouble(r rng, b *Behaviour, loans []ledger.Loan) {
	last := loans[len(loans)-1].DisbursedOn
	onset := func() date.Date {
		d := g.cfg.AsOf.AddDays(r.between(1, 365))
		if r.chance(0.65) {
			d = g.cfg.AsOf.AddDays(-int(540 * math.Pow(r.Float64(), 1.5)))
		}
		return max(d, last.AddDays(30))
	}
	switch b.Kind {
	case OccasionallyLate:
		b.LateRate = r.uniform(0.15, 0.45)
	case Hardship:
		b.LateRate = 0.05
		b.TroubleOn = onset()
		b.Partial = r.chance(0.6)
	case StrategicDefaulter:
		b.LateRate = 0.03
		b.TroubleOn = last.AddMonthsClamped(r.between(1, 3))
	case Unreachable:
		b.LateRate = 0.08
		b.TroubleOn = onset()
	}
}

// applicationLead returns how long before disbursement a borrower applied:
// ten minutes to two days.
func (r rng) applicationLead() time.Duration {
	return time.Duration(r.between(600, 2*86400)) * time.Second
}

// localTime returns a time of day between from and to, to the second.
func (r rng) localTime(from, to time.Duration) time.Duration {
	return from + time.Duration(r.Int64N(int64((to-from)/time.Second)))*time.Second
}
