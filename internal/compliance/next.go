package compliance

import (
	"slices"
	"time"
)

// waitable lists the rules that only time lifts: quiet hours, holidays and
// the daily and rolling call counts. A contact blocked by any other rule (a
// vulnerable borrower kept out of automation, a cease request, abusive
// text, a third party) stays blocked however long it waits.
var waitable = []string{
	RuleCNTimeQuiet, RuleCNHoliday, RuleCNFreqConnected, RuleCNFreqUnanswered,
	RuleUSTime, RuleUS7in7, RuleUSAfterConversation, RuleUKTime,
}

// Waitable reports whether every rule that stops d (severity block or
// approval) is one that time lifts, so that trying again later can succeed.
// An allowed decision is trivially waitable.
func Waitable(d Decision) bool {
	for _, dt := range d.Details {
		if (dt.Severity == Block || dt.Severity == Approval) && !slices.Contains(waitable, dt.Rule) {
			return false
		}
	}
	return true
}

// maxSteps bounds NextAllowed's search: two steps a day (midnight, then the
// window's opening) over the longest holiday and then some.
const maxSteps = 96

// NextAllowed returns the first instant, from in.Proposed.At until limit,
// at which Check allows the proposed contact with the same history, and the
// decision at that instant. It returns ok false when a rule that time does
// not lift blocks the contact, or the window does not open before limit.
//
// A reminder computed at 02:00 Beijing time waits for 08:00; one computed
// at 22:30 for 08:00 the next day; a human contact on the first day of the
// Spring Festival for 08:00 on the first working day after it.
//
// It steps candidate instants through Check: each rule that fired gives the
// earliest instant it could stop firing (the opening of the window it
// reports, the end of the day or rolling period it counted, or the next
// local midnight), and the latest of those is the next candidate, since no
// earlier instant can satisfy every rule. Each candidate is checked in
// full, so the answer is never earlier than the rules allow.
func (g *Governor) NextAllowed(in Input, limit time.Time) (at time.Time, d Decision, ok bool) {
	t := in.Proposed.At
	for range maxSteps {
		if t.After(limit) {
			return time.Time{}, d, false
		}
		in.Proposed.At = t
		d = g.Check(in)
		if d.Allowed() {
			return t, d, true
		}
		if !Waitable(d) {
			return time.Time{}, d, false
		}
		next := t
		for _, dt := range d.Details {
			if dt.Severity == Block || dt.Severity == Approval {
				if lb := g.liftAt(dt, t, in.Borrower.TimeZones); lb.After(next) {
					next = lb
				}
			}
		}
		if !next.After(t) {
			return time.Time{}, d, false
		}
		t = next
	}
	return time.Time{}, d, false
}

// liftAt returns the earliest instant after t at which the rule of dt
// could stop firing: the start of the window it reports when that is still
// ahead (the opening of the allowed hours), else its end (the end of the
// day or period counted), else the next local midnight.
func (g *Governor) liftAt(dt Detail, t time.Time, zones []string) time.Time {
	for _, s := range []string{dt.WindowStart, dt.WindowEnd} {
		if w, err := time.Parse(time.RFC3339, s); err == nil && w.After(t) {
			return w
		}
	}
	name := dt.TimeZone
	if name == "" && len(zones) > 0 {
		name = zones[0]
	}
	loc, ok := g.zones.Load(name)
	if !ok {
		loc = time.UTC
	}
	lt := t.In(loc)
	y, m, day := lt.Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, loc)
}
