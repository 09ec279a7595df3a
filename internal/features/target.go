package features

import (
	"accord/internal/classify"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
)

// Target is an outcome a model predicts.
type Target string

// The targets.
const (
	Cure30 Target = "cure30" // delinquent on D, back to 0 DPD within 30 days
	Roll30 Target = "roll30" // delinquent on D, in a later bucket within 30 days
	EW90   Target = "ew90"   // current on D, 30+ DPD within 90 days
	// PlanKept: a repayment plan started on D is not broken within its
	// first 90 days (plan_kept.go). It scores offers, not borrowers.
	PlanKept Target = "plan90"
)

// Targets lists the targets.
var Targets = []Target{Cure30, Roll30, EW90, PlanKept}

// ParseTarget returns the target named s. It returns an Invalid error
// naming field for anything else.
func ParseTarget(field, s string) (Target, error) {
	for _, t := range Targets {
		if string(t) == s {
			return t, nil
		}
	}
	return "", errs.Field(field, "%q is not cure30, roll30, ew90 or plan90", s)
}

// Horizon returns how many days after D the outcome of t is read.
func (t Target) Horizon() int {
	if t == EW90 || t == PlanKept {
		return 90
	}
	return 30
}

// Eligible reports whether a borrower with vector v on D belongs to t's
// population: delinquent for cure30 and roll30, current with an open loan
// for ew90. No borrower is in plan90's population: its rows are plans
// (PlanRows) and it scores offers (PlanVector).
func (t Target) Eligible(v Vector) bool {
	switch t {
	case PlanKept:
		return false
	case EW90:
		return v.Num[DPD] == 0 && v.Num[LoansOpen] > 0
	}
	return v.Num[DPD] > 0
}

// Label returns the outcome of t for f after D: whether it happened within
// the horizon (days D+1 to D+Horizon). It reads the ledger up to
// D+Horizon, so it serves training only, on dates at least a horizon old.
// buckets is the ladder roll30 reads (classify.DefaultBuckets when nil).
func Label(f *Facts, d date.Date, t Target, buckets classify.Buckets) bool {
	if buckets == nil {
		buckets = classify.DefaultBuckets()
	}
	end := d.AddDays(t.Horizon())
	loans := f.loansAsOf(d)
	ends := make([]ledger.Position, len(loans)) // each loan replayed once, to the horizon's end
	for i, l := range loans {
		ends[i] = f.position(l, end)
	}
	switch t {
	case Cure30:
		for _, day := range checkDays(loans, d, end, 0) {
			if borrowerDPD(ends, day) == 0 {
				return true
			}
		}
		return false
	case Roll30:
		from := 0
		for _, l := range loans {
			from = max(from, f.position(l, d).DPD)
		}
		return buckets.Rank(maxDPD(ends, loans, d, end)) > buckets.Rank(from)
	default:
		return maxDPD(ends, loans, d, end) >= 30
	}
}

// checkDays returns the days in (d, end] on which a borrower's DPD can
// reach an extreme: the days of payments shifted by shift (0: the payment
// day itself, where DPD can fall; −1: the eve of one, where it peaked),
// and end.
func checkDays(loans []Loan, d, end date.Date, shift int) []date.Date {
	var out []date.Date
	for _, l := range loans {
		for _, p := range l.Payments {
			if day := p.PaidOn.AddDays(shift); day.After(d) && day.Before(end) {
				out = append(out, day)
			}
		}
	}
	return append(out, end)
}

// borrowerDPD returns the borrower's DPD on day from the loans' positions
// at a later date (see dpdOn).
func borrowerDPD(ends []ledger.Position, day date.Date) int {
	dpd := 0
	for _, p := range ends {
		dpd = max(dpd, dpdOn(p, day))
	}
	return dpd
}

// maxDPD returns the largest DPD of the borrower on any day in (d, end]:
// DPD grows by a day each day until a payment lowers it, so it peaks on
// the eve of a payment or at end.
func maxDPD(ends []ledger.Position, loans []Loan, d, end date.Date) int {
	m := 0
	for _, day := range checkDays(loans, d, end, -1) {
		m = max(m, borrowerDPD(ends, day))
	}
	return m
}
