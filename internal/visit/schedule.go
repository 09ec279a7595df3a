package visit

import (
	"slices"
	"time"

	"accord/internal/calendar"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/route"
)

// Preference is a time the borrower said suits them for a visit, in their
// local time.
type Preference struct {
	From     compliance.Clock
	Until    compliance.Clock // the visit should be over by then
	Weekdays []time.Weekday   // empty: any day
}

// SlotRequest is what scheduling needs to know about one visit.
type SlotRequest struct {
	Duration   time.Duration  // expected time on site
	Preference *Preference    // nil when the borrower named no time
	NoticeSent time.Time      // zero when notice has not been sent yet
	Location   *time.Location // the borrower's zone (nil: Asia/Shanghai)
}

// Slot is the window on a date in which a visit may start, in the
// borrower's local time, both ends included.
type Slot struct {
	Date      date.Date
	From      compliance.Clock
	Until     compliance.Clock
	Preferred bool      // inside the time the borrower said suits them
	NoticeBy  time.Time // notice must be sent by then for the earliest start (zero: sent, or not required)
	Warnings  []string  // see the Warn… constants
}

// Warnings a slot may carry.
const (
	WarnHoliday           = "statutory_holiday"        // a holiday, and the policy only warns
	WarnCalendarMissing   = "calendar_missing_year"    // no holiday data for the year
	WarnPreferenceHours   = "preference_outside_hours" // the borrower's time is outside what is allowed or left
	WarnPreferenceWeekday = "preference_other_weekday" // the borrower named other days of the week
)

// Errors of Schedule.
var (
	ErrHoliday = errs.Errorf(errs.Conflict, "No visits on a statutory holiday (policy no_holiday_contact).")
	ErrNoTime  = errs.Errorf(errs.Conflict, "No time is left that day for the visit within the allowed hours and the notice period.")
)

// Window returns s as a route window for the day's planner.
func (s Slot) Window() route.Window {
	return route.Window{From: route.Clock(s.From), Until: route.Clock(s.Until)}
}

// Schedule returns the window on date on in which a visit may start. The
// visit takes place within the governor's allowed hours (08:00–22:00 under
// the China profile, narrowed by the tenant's quiet hours) and is over by
// their end; on a statutory holiday it is refused (ErrHoliday) when the
// no_holiday_contact policy is on, or only warned of when the policy's
// holiday action is warn. When notice has been sent the visit starts no
// earlier than the notice period after it; when it has not, NoticeBy says
// when it must be sent. Within that, the window is the time the borrower
// said suits them when they named one and it fits; otherwise the whole
// allowed window, with a warning. It returns ErrNoTime when nothing is
// left.
func Schedule(on date.Date, r SlotRequest, cal *calendar.Calendar, p Policy) (Slot, error) {
	loc := r.Location
	if loc == nil {
		loc, _ = time.LoadLocation("Asia/Shanghai")
	}
	lim := p.limits()
	from, until := p.hours()
	s := Slot{Date: on, From: from, Until: until - compliance.Clock(r.Duration/time.Second)}
	if lim.NoHolidayContact {
		if y, _, _ := on.Parts(); !cal.Covers(y) {
			s.Warnings = append(s.Warnings, WarnCalendarMissing)
		}
		if cal.IsHoliday(on) {
			if lim.HolidayAction != compliance.Warn {
				return Slot{}, ErrHoliday
			}
			s.Warnings = append(s.Warnings, WarnHoliday)
		}
	}
	midnight := on.In(loc)
	if need, wait := p.NoticeRequired(); need && !r.NoticeSent.IsZero() {
		earliest := r.NoticeSent.Add(wait).In(loc)
		switch d := date.FromTime(earliest); {
		case d > on:
			return Slot{}, ErrNoTime
		case d == on:
			secs := earliest.Sub(midnight)
			s.From = max(s.From, compliance.Clock((secs+59*time.Second)/time.Minute*60))
		}
	} else if need {
		s.NoticeBy = midnight.Add(time.Duration(s.From) * time.Second).Add(-wait)
	}
	if pr := r.Preference; pr != nil {
		f, u := max(s.From, pr.From), min(s.Until, pr.Until-compliance.Clock(r.Duration/time.Second))
		switch {
		case len(pr.Weekdays) > 0 && !slices.Contains(pr.Weekdays, on.Weekday()):
			s.Warnings = append(s.Warnings, WarnPreferenceWeekday)
		case f > u:
			s.Warnings = append(s.Warnings, WarnPreferenceHours)
		default:
			s.From, s.Until, s.Preferred = f, u, true
		}
	}
	if s.From > s.Until {
		return Slot{}, ErrNoTime
	}
	return s, nil
}

// FirstSlot returns the first slot in the days dates from from on: the
// first that meets the borrower's preference when they named one, else the
// first that is allowed at all. It returns ErrNoTime when no day has one.
func FirstSlot(from date.Date, days int, r SlotRequest, cal *calendar.Calendar, p Policy) (Slot, error) {
	var fallback *Slot
	for d := from; d < from.AddDays(days); d++ {
		s, err := Schedule(d, r, cal, p)
		if err != nil {
			continue
		}
		if s.Preferred || r.Preference == nil {
			return s, nil
		}
		if fallback == nil {
			fallback = &s
		}
	}
	if fallback != nil {
		return *fallback, nil
	}
	return Slot{}, ErrNoTime
}
