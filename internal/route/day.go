package route

import (
	"fmt"

	"accord/internal/errs"
)

// Clock is a local time of day in seconds since midnight.
type Clock int32

// ParseClock reads "HH:MM" (00:00 to 24:00). It returns an Invalid error for
// anything else.
func ParseClock(s string) (Clock, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, errs.Errorf(errs.Invalid, "%q is not a time of day of the form HH:MM.", s)
	}
	fmt.Sscanf(s, "%d:%d", &h, &m)
	if m > 59 || h*60+m > 24*60 {
		return 0, errs.Errorf(errs.Invalid, "%q is not a time of day of the form HH:MM.", s)
	}
	return Clock(h*3600 + m*60), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// String returns c as HH:MM, rounded up to the minute: a planned arrival
// at 09:41:20 shows as 09:42, so that a time shown is never earlier than
// the plan and a time inside a window stays inside it when shown.
func (c Clock) String() string {
	m := (int(c) + 59) / 60
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// Window is the span of the day in which a visit must start, both ends
// included.
type Window struct {
	From  Clock
	Until Clock
}

// Visit is one place a pair may visit.
type Visit struct {
	ID       string
	At       Point
	Duration Clock   // time on site, in seconds
	Window   *Window // nil: any time of the working day
	Value    int64   // expected value in fen; the plan makes the most value (a visit worth 0 is not worth any travel)
	Region   string  // for PlanPairs: only pairs of this region (empty: any)
}

// Day is one pair's working day and the visits offered to it.
type Day struct {
	Start    Point // the pair's base: they leave it at From and are back by Until
	From     Clock
	Until    Clock
	SpeedKmh float64
	Visits   []Visit
}

// Stop is a visit in a plan.
type Stop struct {
	ID     string `json:"id"`
	Arrive Clock  `json:"arrive"` // at the door
	Start  Clock  `json:"start"`  // the visit begins (after waiting for its window)
	Leave  Clock  `json:"leave"`
}

// LeftOut is a visit the plan does not make, with the reason.
type LeftOut struct {
	ID     string `json:"id"`
	Reason Reason `json:"reason"`
}

// Reason says why a visit was left out of a plan.
type Reason string

// The reasons.
const (
	// ReasonUnreachable: even alone, the pair cannot arrive before its
	// window closes.
	ReasonUnreachable Reason = "unreachable_in_window"
	// ReasonTooLong: even alone, the pair cannot make it and be back by
	// the end of the day.
	ReasonTooLong Reason = "does_not_fit_day"
	// ReasonNoTime: it fits alone, but not together with the visits of
	// higher value (or the same value for less travel).
	ReasonNoTime Reason = "no_time_left"
	// ReasonCancelled: cancelled (Replan).
	ReasonCancelled Reason = "cancelled"
	// ReasonCapacity: PlanPairs found no pair with room for it.
	ReasonCapacity Reason = "no_pair_capacity"
	// ReasonNoPair: PlanPairs has no pair in its region.
	ReasonNoPair Reason = "no_pair_in_region"
)

// Plan is a planned day: the stops in order, the distance travelled
// (including the way back to the base), when the pair is back, and the
// visits left out.
type Plan struct {
	Stops    []Stop
	TravelKm float64
	BackAt   Clock
	Value    int64 // sum of the values of the stops
	LeftOut  []LeftOut
}

// Validate checks d. It returns an Invalid error naming each bad field
// (start, day_start, day_end, speed_kmh, visits[i].…), in the names of the
// file format (docs/VISITS.md).
func (d Day) Validate() error {
	var bad []errs.FieldError
	fail := func(field, format string, args ...any) {
		bad = append(bad, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if !d.Start.valid() {
		fail("start", "latitude must be within ±90 and longitude within ±180")
	}
	if d.Until <= d.From {
		fail("day_end", "must be after day_start")
	}
	if !(d.SpeedKmh > 0 && d.SpeedKmh <= 200) {
		fail("speed_kmh", "must be above 0 and at most 200")
	}
	seen := make(map[string]bool, len(d.Visits))
	for i, v := range d.Visits {
		at := fmt.Sprintf("visits[%d]", i)
		switch {
		case v.ID == "":
			fail(at+".id", "is required")
		case seen[v.ID]:
			fail(at+".id", "%q appears twice", v.ID)
		}
		seen[v.ID] = true
		if !v.At.valid() {
			fail(at+".lat", "latitude must be within ±90 and longitude within ±180")
		}
		if v.Duration < 0 || v.Duration > 24*3600 {
			fail(at+".duration_min", "must be between 0 and 1440")
		}
		if v.Window != nil && v.Window.Until < v.Window.From {
			fail(at+".window", "must end no earlier than it starts")
		}
		if v.Value < 0 {
			fail(at+".value", "must not be negative")
		}
	}
	if len(bad) > 0 {
		return errs.Fields("The day is not valid.", bad...)
	}
	return nil
}
