package plan

import (
	"cmp"
	"slices"

	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/offer"
)

// InstalmentState is one plan instalment as of a date.
type InstalmentState struct {
	Instalment
	Paid   money.Amount `json:"paid"`
	PaidOn date.Date    `json:"paid_on,omitzero"` // the day it was paid in full; zero until then
	// PaidByDue is what was paid of it by the end of its due date.
	PaidByDue money.Amount `json:"paid_by_due"`
	OnTime    bool         `json:"on_time"` // paid in full on or before its due date
	DPD       int          `json:"dpd"`     // days past its due date while unpaid
}

// Signal is an early warning raised by a plan payment.
type Signal struct {
	Seq  int       `json:"seq"`
	Kind string    `json:"kind"` // SignalLate or SignalPartial
	On   date.Date `json:"on"`   // the day it arose
}

// The early-warning kinds.
const (
	SignalLate    = "late"    // paid in full, but after its due date
	SignalPartial = "partial" // something but not all was paid by its due date
)

// WaiverState is a conditional waiver as of a date.
type WaiverState struct {
	offer.Waiver
	MetOn     date.Date `json:"met_on,omitzero"` // the day its condition was met; zero if not (yet)
	Forfeited bool      `json:"forfeited"`       // the plan broke before it was met
}

// State is a plan applied to its payments as of a date.
type State struct {
	AsOf        date.Date         `json:"as_of"`
	Status      Status            `json:"status"`
	Instalments []InstalmentState `json:"instalments"`
	Total       money.Amount      `json:"total"`                // the plan's schedule
	Financed    money.Amount      `json:"financed"`             // the plan's amount financed (its principal)
	Paid        money.Amount      `json:"paid"`                 // everything paid under the plan, surplus included
	Remaining   money.Amount      `json:"remaining"`            // plan amounts not yet paid
	Overdue     money.Amount      `json:"overdue"`              // unpaid amounts due before AsOf
	Surplus     money.Amount      `json:"surplus"`              // paid beyond the whole schedule
	Reinstated  money.Amount      `json:"reinstated,omitempty"` // payments the plan's debt counted, reversed since: owed beside the schedule
	OnTimeRun   int               `json:"on_time_run"`          // consecutive on-time instalments from the first
	GraceFrom   date.Date         `json:"grace_from,omitzero"`  // the first day of the current (or breaking) grace period
	BrokenOn    date.Date         `json:"broken_on,omitzero"`
	CompletedOn date.Date         `json:"completed_on,omitzero"`
	ResetOn     date.Date         `json:"reset_on,omitzero"` // when the pre-restructure DPD was reset; zero if not yet
	DPD         int               `json:"dpd"`               // plan DPD: days past the oldest unpaid plan instalment
	LoanDPD     int               `json:"loan_dpd"`          // the restructured loans' DPD (the reset rule)
	OldestDue   date.Date         `json:"oldest_unpaid_due,omitzero"`
	NextDue     date.Date         `json:"next_due,omitzero"`
	Waivers     []WaiverState     `json:"waivers,omitempty"`
	Signals     []Signal          `json:"signals,omitempty"`

	surplusOn []surplusAt // when the surplus grew, for the completion date
}

// surplusAt is the surplus paid by the end of day on.
type surplusAt struct {
	on    date.Date
	total money.Amount
}

// Evaluate applies pays to the plan's schedule as of asOf.
//
// Payments count when dated from the plan's start to asOf with a positive
// amount, in (date, id) order. Each pays the oldest unpaid instalment first,
// in full, then the next, whether due yet or not: paying ahead is allowed
// and counts as on time. What is left after the last instalment is Surplus.
//
// An instalment is on time when it is paid in full on or before its due
// date. Its DPD is asOf − due while unpaid after its due date; the plan's
// DPD is that of the oldest unpaid instalment.
//
// Status: Completed when every instalment is paid in full; Broken from the
// day after an instalment's grace period (due + GraceDays) ended with it
// not paid in full, and for good: a later payment does not mend it (only
// paying the whole plan does: Completed; BrokenOn stays set);
// InGrace while an instalment is unpaid past its due date within the grace
// days; Active otherwise.
//
// The loans' DPD (LoanDPD) follows the plan: until ResetAfter consecutive
// plan instalments (any run of them) are paid on time it is the larger of
// the plan's DPD and PreDPD (the pre-restructure delinquency, frozen,
// neither growing nor cured while the plan is kept); from then on (ResetOn,
// the day the run's last one was paid), and once the plan is completed, it
// is the plan's DPD alone.
//
// A conditional waiver is met on the day its OnTimePayments-th consecutive
// on-time instalment is paid in full (as for ResetAfter), and forfeited when
// the plan broke first.
//
// Signals: a late plan payment (paid in full after its due date) on the day
// it was paid; a partial one (less than the amount paid by the due date,
// something paid) on the day after the due date.
func Evaluate(p Plan, pays []Payment, asOf date.Date) State {
	r := p.Rules.WithDefaults()
	st := State{AsOf: asOf, Instalments: make([]InstalmentState, len(p.Schedule)), Total: p.Total(), Financed: p.Financed}
	for i, in := range p.Schedule {
		st.Instalments[i].Instalment = in
	}
	applyPayments(&st, p.Start, pays, asOf)
	for i := range st.Instalments {
		s := &st.Instalments[i]
		s.OnTime = !s.PaidOn.IsZero() && !s.PaidOn.After(s.Due)
		st.Remaining += s.Amount - s.Paid
		if s.PaidOn.IsZero() && s.Due.Before(asOf) {
			s.DPD = asOf.Sub(s.Due)
			st.Overdue += s.Amount - s.Paid
			if st.OldestDue.IsZero() {
				st.OldestDue, st.DPD = s.Due, s.DPD
			}
		}
		if s.PaidOn.IsZero() && st.NextDue.IsZero() {
			st.NextDue = s.Due
		}
		graceEnd := s.Due.AddDays(r.GraceDays)
		if st.BrokenOn.IsZero() && graceEnd.Before(asOf) && (s.PaidOn.IsZero() || s.PaidOn.After(graceEnd)) {
			st.BrokenOn, st.GraceFrom = graceEnd.AddDays(1), s.Due.AddDays(1)
		}
	}
	st.signals()
	st.onTimeRun()
	st.waivers(p)
	beside := st.Reinstated + st.forfeited().Total()
	switch {
	case len(st.Instalments) > 0 && st.Remaining == 0 && st.Surplus >= beside:
		st.Status = Completed
		st.CompletedOn = st.Instalments[len(st.Instalments)-1].PaidOn
		for _, s := range st.Instalments {
			st.CompletedOn = max(st.CompletedOn, s.PaidOn)
		}
		for _, x := range st.surplusOn {
			if beside > 0 && x.total >= beside {
				st.CompletedOn = max(st.CompletedOn, x.on)
				break
			}
		}
	case !st.BrokenOn.IsZero():
		st.Status = Broken
	case st.DPD > 0:
		st.Status, st.GraceFrom = InGrace, st.OldestDue.AddDays(1)
	default:
		st.Status = Active
	}
	streak := 0
	for _, s := range st.Instalments {
		if !s.OnTime {
			streak = 0
			continue
		}
		if streak++; streak == r.ResetAfter {
			st.ResetOn = s.PaidOn
			break
		}
	}
	st.LoanDPD = st.DPD
	if st.ResetOn.IsZero() && st.Status != Completed {
		st.LoanDPD = max(st.DPD, p.PreDPD)
	}
	return st
}

// waivers sets the state of each conditional waiver of p: met, forfeited
// by a break first, or neither yet.
func (st *State) waivers(p Plan) {
	for _, w := range p.Conditional {
		ws := WaiverState{Waiver: w}
		n := 0
		if w.Condition != nil {
			n = w.Condition.OnTimePayments
		}
		switch {
		case n <= st.OnTimeRun && n > 0 && (st.BrokenOn.IsZero() || st.Instalments[n-1].PaidOn.Before(st.BrokenOn)):
			ws.MetOn = st.Instalments[n-1].PaidOn
		case n <= 0:
			ws.MetOn = p.Start
		case !st.BrokenOn.IsZero():
			ws.Forfeited = true
		}
		st.Waivers = append(st.Waivers, ws)
	}
}

// applyPayments pays the instalments oldest first with the payments that
// count, recording when each was paid in full and what was paid by its due
// date.
func applyPayments(st *State, start date.Date, pays []Payment, asOf date.Date) {
	ps := make([]Payment, 0, len(pays))
	for _, x := range pays {
		if x.Amount < 0 && !x.On.After(asOf) {
			st.Reinstated -= x.Amount
		}
		if x.Amount > 0 && !x.On.Before(start) && !x.On.After(asOf) {
			ps = append(ps, x)
		}
	}
	slices.SortStableFunc(ps, func(a, b Payment) int { return cmp.Or(cmp.Compare(a.On, b.On), cmp.Compare(a.ID, b.ID)) })
	i := 0
	for _, x := range ps {
		st.Paid += x.Amount
		left := x.Amount
		for left > 0 && i < len(st.Instalments) {
			s := &st.Instalments[i]
			take := min(left, s.Amount-s.Paid)
			s.Paid += take
			left -= take
			if !x.On.After(s.Due) {
				s.PaidByDue += take
			}
			if s.Paid == s.Amount {
				s.PaidOn = x.On
				i++
			}
		}
		if left > 0 {
			st.Surplus += left
			st.surplusOn = append(st.surplusOn, surplusAt{x.On, st.Surplus})
		}
	}
}

// signals lists the late and partial plan payments.
func (st *State) signals() {
	for _, s := range st.Instalments {
		switch {
		case !s.Due.Before(st.AsOf):
			// not past its due date yet
		case s.PaidByDue > 0 && s.PaidByDue < s.Amount:
			st.Signals = append(st.Signals, Signal{Seq: s.Seq, Kind: SignalPartial, On: s.Due.AddDays(1)})
		case !s.PaidOn.IsZero() && s.PaidOn.After(s.Due):
			st.Signals = append(st.Signals, Signal{Seq: s.Seq, Kind: SignalLate, On: s.PaidOn})
		}
	}
}

// onTimeRun counts the instalments paid on time from the first.
func (st *State) onTimeRun() {
	for _, s := range st.Instalments {
		if !s.OnTime {
			return
		}
		st.OnTimeRun++
	}
}
