package features

import (
	"accord/internal/date"
	"accord/internal/money"
)

// PlanTerms is a repayment plan as the plan model (PlanKept) learns from
// it: when it started, its largest payment, and when it broke (zero if it
// did not).
type PlanTerms struct {
	Start      date.Date
	MaxPayment money.Amount
	BrokenOn   date.Date
}

// KeptOn reports whether the plan counts as kept when read on day d: not
// broken within its first PlanKept.Horizon() days (start to start+89). It
// is false when d is before the 90 days have passed (not yet known).
func (p PlanTerms) KeptOn(d date.Date) (kept, known bool) {
	end := p.Start.AddDays(PlanKept.Horizon())
	if !p.BrokenOn.IsZero() && p.BrokenOn.Before(end) && !p.BrokenOn.After(d) {
		return false, true
	}
	return true, !end.After(d)
}

// PlanVector returns the vector the plan model reads for a plan with
// largest payment maxPayment, for borrower f as of day d: f's features as
// of d, except that inst_to_income is the plan's largest payment over
// income (income, or f's registered monthly income when income is not
// positive; missing without either). In a plan row d is the day before the
// plan starts; for an offer it is the day it is proposed, with the
// assessment's income: the burden the plan would put on the borrower.
func PlanVector(f *Facts, d date.Date, maxPayment, income money.Amount) Vector {
	v := Compute(f, d)
	if income <= 0 {
		income = f.MonthlyIncome
	}
	v.SetPlanBurden(maxPayment, income)
	return v
}

// SetPlanBurden sets v's inst_to_income to a plan's largest payment over
// monthly income (missing when income is not positive), as the plan model
// reads it.
func (v *Vector) SetPlanBurden(maxPayment, income money.Amount) {
	v.Num[InstToIncome] = ratio(maxPayment, income)
}

// PlanRows returns the plan model's rows of f: one per plan of plans
// started in (from, to] whose 90 days have passed by asOf, with the
// borrower's PlanVector the day before it started and whether it was kept.
// Train is left false for the caller to set.
func PlanRows(f *Facts, plans []PlanTerms, from, to, asOf date.Date) []Row {
	var out []Row
	for _, p := range plans {
		if !p.Start.After(from) || p.Start.After(to) {
			continue
		}
		kept, known := p.KeptOn(asOf)
		if !known {
			continue
		}
		d := p.Start.AddDays(-1)
		out = append(out, Row{BorrowerID: f.BorrowerID, AsOf: d, V: PlanVector(f, d, p.MaxPayment, 0), Y: kept})
	}
	return out
}
