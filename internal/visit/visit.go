package visit

import (
	"strings"
	"time"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/route"
)

// Visit is one field visit from request to outcome. Its methods apply the
// rules of each step and change it only when they succeed; the caller
// passes the time, stores the visit and writes the audit event. Who may
// take a step (a supervisor approves, a field agent checks in) is checked
// by the caller against auth.
type Visit struct {
	ID          int64
	BorrowerID  int64
	CaseID      int64
	State       State
	Recommended bool   // by the strategy
	Purpose     string // why it was asked for
	RequestedBy string
	RequestedAt time.Time
	Address     borrower.Address
	Economics   Economics

	DecidedBy    string // approved or rejected by
	DecidedAt    time.Time
	DecisionNote string

	NoticeSentAt time.Time

	Date  date.Date // planned for
	Slot  Slot
	Pair  string
	Start time.Time // planned start, from the route

	CheckedInAt time.Time
	CheckIn     CheckIn

	DoneAt  time.Time
	Outcome *Outcome

	CancelledAt  time.Time
	CancelReason string
}

// Errors of the steps.
var (
	ErrSelfApproval = errs.Errorf(errs.Forbidden, "A visit must be approved by someone other than the person who asked for it.")
	ErrNoteRequired = errs.Field("note", "give the reason")
	ErrOutsideSlot  = errs.Errorf(errs.Conflict, "The planned start is outside the visit's window.")
)

// Request returns a new visit in state requested for candidate c, or the
// eligibility error (Conflict) listing why c may not be visited.
func Request(c Candidate, by string, now time.Time, e Economics, p Policy) (Visit, error) {
	if err := Eligible(c, p).Err(); err != nil {
		return Visit{}, err
	}
	return Visit{State: Requested, Recommended: c.Recommended, Purpose: strings.TrimSpace(c.Purpose),
		RequestedBy: by, RequestedAt: now, Address: *c.Address, Economics: e}, nil
}

// move checks the change of state to t under p.
func (v *Visit) move(t State, p Policy) error {
	need, _ := p.NoticeRequired()
	return v.State.To(t, need)
}

// Approve approves a requested visit. The approver must not be the person
// who asked for it (ErrSelfApproval, Forbidden); a visit the strategy
// recommended has no such person.
func (v *Visit) Approve(by string, now time.Time, p Policy) error {
	if err := v.move(Approved, p); err != nil {
		return err
	}
	if by == v.RequestedBy && !v.Recommended {
		return ErrSelfApproval
	}
	v.State, v.DecidedBy, v.DecidedAt = Approved, by, now
	return nil
}

// Reject rejects a requested visit; note (required, else ErrNoteRequired)
// says why.
func (v *Visit) Reject(by, note string, now time.Time, p Policy) error {
	if err := v.move(Rejected, p); err != nil {
		return err
	}
	if strings.TrimSpace(note) == "" {
		return ErrNoteRequired
	}
	v.State, v.DecidedBy, v.DecidedAt, v.DecisionNote = Rejected, by, now, note
	return nil
}

// Notice records that the borrower was told of the visit at sentAt.
func (v *Visit) Notice(sentAt time.Time, p Policy) error {
	if err := v.move(Noticed, p); err != nil {
		return err
	}
	v.State, v.NoticeSentAt = Noticed, sentAt
	return nil
}

// Plan puts the visit on pair's route for the slot's date, starting at
// start (the route's planned start, in loc). start must fall inside the
// slot (ErrOutsideSlot) and, when the policy requires notice, at least the
// notice period after it was sent (ErrNoticeMissing, ErrNoticeLate).
func (v *Visit) Plan(s Slot, pair string, start time.Time, loc *time.Location, p Policy) error {
	if err := v.move(Planned, p); err != nil {
		return err
	}
	local := start.In(loc)
	clock := route.Clock(local.Sub(s.Date.In(loc)) / time.Second)
	if date.FromTime(local) != s.Date || clock < route.Clock(s.From) || clock > route.Clock(s.Until) {
		return ErrOutsideSlot
	}
	if err := CheckNotice(start, v.NoticeSentAt, p); err != nil {
		return err
	}
	v.State, v.Date, v.Slot, v.Pair, v.Start = Planned, s.Date, s, pair, start
	return nil
}

// Unplan takes a planned visit off its route (the day was re-planned
// without it). It goes back to approved; its notice named a time that no
// longer holds, so it is cleared and a new one is needed.
func (v *Visit) Unplan(p Policy) error {
	if err := v.move(Approved, p); err != nil {
		return err
	}
	v.State, v.NoticeSentAt, v.Date, v.Slot, v.Pair, v.Start = Approved, time.Time{}, 0, Slot{}, "", time.Time{}
	return nil
}

// Lapse takes a noticed visit back to approved when the day its notice
// named passed (or was planned) without it: the notice no longer holds, so
// it is cleared and a new one is needed.
func (v *Visit) Lapse(p Policy) error {
	if v.State != Noticed {
		return ErrTransition
	}
	v.State, v.NoticeSentAt = Approved, time.Time{}
	return nil
}

// CheckInNow records the pair's check-in at point at, flagged when too far
// from the address (see CheckInAt).
func (v *Visit) CheckInNow(at route.Point, now time.Time, p Policy) error {
	if err := v.move(CheckedIn, p); err != nil {
		return err
	}
	v.State, v.CheckedInAt, v.CheckIn = CheckedIn, now, CheckInAt(v.Address, at, p)
	return nil
}

// Finish records the outcome of a checked-in visit. The outcome must carry
// what its kind needs (Outcome.Validate, Invalid naming the fields).
func (v *Visit) Finish(o Outcome, now time.Time, loc *time.Location, p Policy) error {
	if err := v.move(Done, p); err != nil {
		return err
	}
	if err := o.Validate(date.FromTime(now.In(loc))); err != nil {
		return err
	}
	v.State, v.DoneAt, v.Outcome = Done, now, &o
	return nil
}

// Cancel calls the visit off; reason (required, else ErrNoteRequired) says
// why.
func (v *Visit) Cancel(reason string, now time.Time, p Policy) error {
	if err := v.move(Cancelled, p); err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return ErrNoteRequired
	}
	v.State, v.CancelledAt, v.CancelReason = Cancelled, now, reason
	return nil
}
