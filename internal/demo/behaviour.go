package demo

import (
	"math"

	"accord/internal/date"
	"accord/internal/money"
)

// Kind names a borrower's repayment behaviour.
type Kind string

// The behaviours. Their share of borrowers is set by kindMix.
const (
	AlwaysOnTime       Kind = "always_on_time"      // pays on or before the due date
	OccasionallyLate   Kind = "occasionally_late"   // now and then pays 1–20 days late, with penalty
	Hardship           Kind = "hardship"            // pays, then from TroubleOn pays part or nothing
	StrategicDefaulter Kind = "strategic_defaulter" // stops a few installments into the last loan, for good
	Unreachable        Kind = "unreachable"         // stops at TroubleOn and cannot be reached
)

// Kinds returns every behaviour, in a fixed order.
func Kinds() []Kind {
	return []Kind{AlwaysOnTime, OccasionallyLate, Hardship, StrategicDefaulter, Unreachable}
}

// kindMix is the share of borrowers per behaviour, in Kinds order, in
// tenths of a percent.
var kindMix = newWeighted(5, func(i int) int { return [...]int{590, 250, 75, 45, 40}[i] })

// Behaviour is how one borrower pays and responds. It drives the payment
// history Generate writes and, through Respond, a simulation that carries
// the book forward from the as-of date.
type Behaviour struct {
	Kind Kind `json:"kind"`
	// Seed makes Respond's draws the borrower's own. It has at most 53
	// bits, so it survives JSON and signed SQL integer columns.
	Seed uint64 `json:"seed"`
	// LateRate is the chance that an installment falling due while the
	// borrower is in good standing is paid 1–20 days late.
	LateRate float64 `json:"late_rate"`
	// TroubleOn is when a hardship, strategic_defaulter or unreachable
	// borrower stops paying in full: installments due on or after it go
	// unpaid (or, with Partial, partly paid). It may lie after the as-of
	// date, and is zero for the other behaviours.
	TroubleOn date.Date `json:"trouble_on,omitzero"`
	// Partial is set for hardship borrowers who keep paying part of what
	// is due rather than nothing.
	Partial bool `json:"partial,omitempty"`
}

// State is what a borrower faces on a day of the simulation.
type State struct {
	DPD     int          // days past due of the borrower's loan
	Overdue money.Amount // what is demandable now (ledger.Position.OverdueTotal)
}

// Response is what a borrower does on a day.
type Response struct {
	Pays         bool         // pays without a promise falling due
	Amount       money.Amount // how much, when Pays or KeepsPromise
	AnswersCall  bool         // picks up if called today
	KeepsPromise bool         // pays a promise-to-pay that falls due today
}

// Respond returns what the borrower does on day in state s. The draws
// depend only on the borrower's Seed and the day, so a simulation replayed
// from the same seed behaves the same.
func (b Behaviour) Respond(day date.Date, s State) Response {
	p := b.profile(day, s.DPD)
	d := uint64(day)
	resp := Response{
		AnswersCall:  unit(b.Seed, d, 1) < p.answer,
		KeepsPromise: s.Overdue > 0 && unit(b.Seed, d, 2) < p.keep,
		Pays:         s.Overdue > 0 && unit(b.Seed, d, 3) < p.pay,
	}
	if resp.Pays || resp.KeepsPromise {
		resp.Amount = s.Overdue
		if p.part < 1 {
			share := p.part + (1-p.part)*0.5*unit(b.Seed, d, 4)
			resp.Amount = min(max(wholeYuan(float64(s.Overdue)*share), money.Yuan(1)), s.Overdue)
		}
	}
	return resp
}

// profile is a day's chances: to answer a call, to keep a promise, to pay
// unprompted, and the least share of the overdue amount a payment covers.
type profile struct{ answer, keep, pay, part float64 }

func (b Behaviour) profile(day date.Date, dpd int) profile {
	troubled := !b.TroubleOn.IsZero() && !day.Before(b.TroubleOn)
	fade := 1 / (1 + float64(dpd)/60) // long arrears make everyone harder to reach
	switch {
	case b.Kind == AlwaysOnTime:
		return profile{answer: 0.85, keep: 0.97, pay: 0.5, part: 1}
	case b.Kind == OccasionallyLate || !troubled:
		return profile{answer: 0.7 * (0.5 + 0.5*fade), keep: 0.8, pay: 0.12 * fade, part: 1}
	case b.Kind == Hardship && b.Partial:
		return profile{answer: 0.6 * (0.4 + 0.6*fade), keep: 0.5, pay: 0.03, part: 0.3}
	case b.Kind == Hardship:
		return profile{answer: 0.5 * fade, keep: 0.3, pay: 0.003, part: 0.5}
	case b.Kind == StrategicDefaulter:
		return profile{answer: 0.3 * fade, keep: 0.05, pay: 0, part: 1}
	}
	return profile{} // unreachable: no answer, no payment
}

// wholeYuan rounds fen to whole yuan, as people round what they pay.
func wholeYuan(fen float64) money.Amount { return money.Yuan(int64(math.Round(fen / 100))) }
