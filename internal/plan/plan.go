// Package plan is the monitoring of a repayment plan (还款计划) agreed in a
// second negotiation (二次协商): the accepted offer's schedule applied to
// the payments made under it, as of a date. It says which plan instalments
// are paid, on time, late or partly; whether the plan is active, in its
// grace period, broken or completed; the plan's days past due and the
// restructured loan's (the DPD-reset rule); whether a conditional waiver's
// condition is met; the early-warning signals; and when the next revisit
// (回访) is due.
//
// Everything here is pure: the as-of date is an argument, no clock, no I/O.
// docs/NEGOTIATION.md ("Plans, monitoring, revisits") states the rules.
package plan

import (
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/offer"
)

// Status is where a plan is as of a date.
type Status string

// The plan statuses.
const (
	Active    Status = "active"    // nothing unpaid past its due date
	InGrace   Status = "in_grace"  // a plan instalment is unpaid past its due date, within the grace days
	Broken    Status = "broken"    // an instalment was still unpaid after its grace period; final
	Completed Status = "completed" // every instalment is paid in full
	// Superseded is set by activation, not by Evaluate: a new agreement
	// (an adjusted plan after a revisit, or a new one after a break)
	// replaced the plan; it is no longer monitored.
	Superseded Status = "superseded"
)

// Rules are the lender's plan settings. Zero fields take DefaultRules'.
type Rules struct {
	// GraceDays is how many days after its due date a plan instalment may
	// stay unpaid before the plan is broken (宽限期).
	GraceDays int `json:"grace_days"`
	// ResetAfter is how many consecutive on-time plan payments, counted
	// from the first, reset the pre-restructure delinquency (see LoanDPD).
	ResetAfter int `json:"dpd_reset_after"`
	// RevisitMonths is the revisit interval (回访), RevisitMonthsGood the
	// interval for a borrower paying well (see GoodPayer).
	RevisitMonths     int `json:"revisit_months"`
	RevisitMonthsGood int `json:"revisit_months_good"`
}

// DefaultRules are 7 grace days, a reset after 3 on-time payments, and a
// revisit every 3 months, every 6 for good payers.
func DefaultRules() Rules {
	return Rules{GraceDays: 7, ResetAfter: 3, RevisitMonths: 3, RevisitMonthsGood: 6}
}

// WithDefaults fills the zero fields of r from DefaultRules.
func (r Rules) WithDefaults() Rules {
	d := DefaultRules()
	if r.GraceDays == 0 {
		r.GraceDays = d.GraceDays
	}
	if r.ResetAfter == 0 {
		r.ResetAfter = d.ResetAfter
	}
	if r.RevisitMonths == 0 {
		r.RevisitMonths = d.RevisitMonths
	}
	if r.RevisitMonthsGood == 0 {
		r.RevisitMonthsGood = d.RevisitMonthsGood
	}
	return r
}

// Validate returns an Invalid error naming the fields out of range.
func (r Rules) Validate() error {
	var fe []errs.FieldError
	check := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			fe = append(fe, errs.FieldError{Field: name, Message: "out of range"})
		}
	}
	check("grace_days", r.GraceDays, 0, 90)
	check("dpd_reset_after", r.ResetAfter, 0, 60)
	check("revisit_months", r.RevisitMonths, 0, 24)
	check("revisit_months_good", r.RevisitMonthsGood, 0, 24)
	if len(fe) > 0 {
		return errs.Fields("The plan rules are not valid.", fe...)
	}
	return nil
}

// Instalment is one plan payment due.
type Instalment struct {
	Seq    int          `json:"seq"` // 1, 2, …
	Due    date.Date    `json:"due"`
	Amount money.Amount `json:"amount"`
}

// Payment is money received under the plan: a payment on one of its loans
// dated on or after the plan's start, not reversed. A negative Amount is a
// payment reinstated as owed: one the plan's debt counted as paid (made
// before the offer was proposed) and reversed since; the plan did not
// finance it, so it is owed beside the schedule (State.Reinstated).
type Payment struct {
	ID     int64        `json:"id"`
	On     date.Date    `json:"on"`
	Amount money.Amount `json:"amount"`
}

// Plan is an activated agreement as monitoring sees it.
type Plan struct {
	ID          int64        `json:"id"`
	AgreementID int64        `json:"agreement_id"`
	BorrowerID  int64        `json:"borrower_id"`
	CaseID      int64        `json:"case_id"`
	LoanIDs     []int64      `json:"loan_ids"`
	Start       date.Date    `json:"start"` // the activation date
	Schedule    []Instalment `json:"schedule"`
	Financed    money.Amount `json:"financed"` // the restructured balance: the offer's amount financed
	// Waived is what was waived at activation, by component.
	Waived offer.Components `json:"waived"`
	// Conditional are the waivers that take effect once their condition
	// is met; their amounts are parked (挂账), not in the schedule.
	Conditional []offer.Waiver `json:"conditional,omitempty"`
	PreDPD      int            `json:"pre_dpd"` // the loans' DPD on the day before activation
	Rules       Rules          `json:"rules"`
}

// FromOffer builds the plan of accepted offer o activated on start: the
// offer's schedule numbered from 1, the immediate waivers in Waived and the
// conditional ones in Conditional.
func FromOffer(o offer.Offer, start date.Date, preDPD int, r Rules) Plan {
	p := Plan{Start: start, Financed: o.Financed, PreDPD: preDPD, Rules: r}
	for k, x := range o.Schedule {
		p.Schedule = append(p.Schedule, Instalment{Seq: k + 1, Due: x.Due, Amount: x.Amount})
	}
	for _, w := range o.Waivers {
		if w.Condition == nil || w.Condition.OnTimePayments <= 0 {
			p.Waived = p.Waived.Add(w.Amount)
		} else {
			p.Conditional = append(p.Conditional, w)
		}
	}
	return p
}

// Validate checks that the plan has a schedule in due-date order after its
// start with positive amounts, and valid rules.
func (p Plan) Validate() error {
	var fe []errs.FieldError
	if p.Start.IsZero() {
		fe = append(fe, errs.FieldError{Field: "start", Message: "is required"})
	}
	if len(p.Schedule) == 0 {
		fe = append(fe, errs.FieldError{Field: "schedule", Message: "is empty"})
	}
	prev := p.Start
	for _, in := range p.Schedule {
		if in.Amount <= 0 {
			fe = append(fe, errs.FieldError{Field: "schedule", Message: "every amount must be positive"})
			break
		}
		if in.Due.Before(prev) || in.Due == p.Start {
			fe = append(fe, errs.FieldError{Field: "schedule", Message: "due dates must be after the start and in order"})
			break
		}
		prev = in.Due
	}
	fe = append(fe, errs.FieldsOf(p.Rules.Validate())...)
	if len(fe) > 0 {
		return errs.Fields("The plan is not valid.", fe...)
	}
	return nil
}

// Total returns the sum of the schedule.
func (p Plan) Total() money.Amount {
	var t money.Amount
	for _, in := range p.Schedule {
		t += in.Amount
	}
	return t
}
