package compliance

import (
	"fmt"

	"accord/internal/errs"
)

// Clock is a local time of day in seconds since midnight.
type Clock int32

// ParseClock reads "HH:MM" or "HH:MM:SS" (00:00 to 24:00). It returns an
// Invalid error for anything else.
func ParseClock(s string) (Clock, error) {
	c, ok := parseClock(s)
	if !ok {
		return 0, errs.Errorf(errs.Invalid, "%q is not a time of day of the form HH:MM.", s)
	}
	return c, nil
}

// parseClock is ParseClock without the error, for the hot path.
func parseClock(s string) (Clock, bool) {
	if len(s) != 5 && len(s) != 8 {
		return 0, false
	}
	var v [3]int
	for i := 0; i*3 < len(s); i++ {
		a, b := s[i*3], s[i*3+1]
		if a < '0' || a > '9' || b < '0' || b > '9' || (i*3+2 < len(s) && s[i*3+2] != ':') {
			return 0, false
		}
		v[i] = int(a-'0')*10 + int(b-'0')
	}
	c := Clock(v[0]*3600 + v[1]*60 + v[2])
	if v[1] > 59 || v[2] > 59 || c > 24*3600 {
		return 0, false
	}
	return c, true
}

// String returns c as HH:MM:SS.
func (c Clock) String() string {
	return fmt.Sprintf("%02d:%02d:%02d", c/3600, c/60%60, c%60)
}

// Policy is a tenant's settings. The zero Policy is the profile's defaults.
// A limit can only be made stricter: the governor ignores a value that would
// loosen the law (Validate reports it, for the admin screen). The two
// switches, NoHolidayContact and VisitAdvanceNotice, are lender policy
// rather than law and may be turned off.
type Policy struct {
	NoHolidayContact   *bool  // no outbound human contact or visit on a Chinese statutory holiday; default on
	HolidayAction      Action // Block (default) or Warn
	VisitAdvanceNotice *bool  // CN: notice before a home visit; default on
	VisitNoticeHours   int    // CN: at least 24
	UKVisitNoticeDays  int    // UK: written notice before an initial visit; at least 7

	QuietStart *Clock // quiet hours begin earlier, e.g. 21:00 (window ends then)
	QuietEnd   *Clock // quiet hours end later, e.g. 08:30 (window opens then)

	MaxConnectedPerDay     int // CN: at most 3
	MaxUnansweredPerNumber int // CN: at most 6 per number per day
	MaxCallsPer7Days       int // US: at most 7
	LostContactAttempts    int // CN: consecutive failures that mean lost contact; at least 3
}

// profile holds the legal defaults of a jurisdiction.
type profile struct {
	from, until                   Clock
	maxConnected, maxUnanswered   int
	maxCalls7, lostContact        int
	visitNoticeHours, ukNoticeDay int
}

var profiles = map[Jurisdiction]profile{
	CN: {from: 8 * 3600, until: 22 * 3600, maxConnected: 3, maxUnanswered: 6, lostContact: 3, visitNoticeHours: 24},
	US: {from: 8 * 3600, until: 21 * 3600, maxCalls7: 7},
	UK: {from: 8 * 3600, until: 21 * 3600, ukNoticeDay: 7},
}

// limits is a profile with the tenant's stricter settings applied.
type limits struct {
	profile
	noHoliday, visitNotice bool
	holidayAction          Action
}

// effective merges p into the defaults of j, keeping only the stricter
// values.
func (p Policy) effective(j Jurisdiction) limits {
	l := limits{profile: profiles[j], noHoliday: true, visitNotice: true, holidayAction: Block}
	if p.NoHolidayContact != nil {
		l.noHoliday = *p.NoHolidayContact
	}
	if p.HolidayAction == Warn {
		l.holidayAction = Warn
	}
	if p.VisitAdvanceNotice != nil {
		l.visitNotice = *p.VisitAdvanceNotice
	}
	// Quiet hours may start earlier or end later, never the reverse. A value
	// outside the allowed window would widen it, so it is ignored.
	from, until := l.from, l.until
	if p.QuietStart != nil && *p.QuietStart > from && *p.QuietStart < until {
		l.until = *p.QuietStart
	}
	if p.QuietEnd != nil && *p.QuietEnd > from && *p.QuietEnd < until {
		l.from = *p.QuietEnd
	}
	l.maxConnected = lower(l.maxConnected, p.MaxConnectedPerDay)
	l.maxUnanswered = lower(l.maxUnanswered, p.MaxUnansweredPerNumber)
	l.maxCalls7 = lower(l.maxCalls7, p.MaxCallsPer7Days)
	l.lostContact = max(l.lostContact, p.LostContactAttempts)
	l.visitNoticeHours = max(l.visitNoticeHours, p.VisitNoticeHours)
	l.ukNoticeDay = max(l.ukNoticeDay, p.UKVisitNoticeDays)
	return l
}

func lower(def, v int) int {
	if v > 0 && v < def {
		return v
	}
	return def
}

// Validate reports settings that would loosen the law of profile j, so that
// an admin cannot save them. It returns an Invalid error naming each field.
func (p Policy) Validate(j Jurisdiction) error {
	def, ok := profiles[j]
	if !ok {
		return errs.Field("jurisdiction", "%q is not a profile; use CN, US or UK", j)
	}
	var bad []errs.FieldError
	fail := func(field, format string, args ...any) {
		bad = append(bad, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if p.QuietStart != nil && (*p.QuietStart <= def.from || *p.QuietStart > def.until) {
		fail("quiet_start", "must be after %s and no later than %s", def.from, def.until)
	}
	if p.QuietEnd != nil && (*p.QuietEnd < def.from || *p.QuietEnd >= def.until) {
		fail("quiet_end", "must be no earlier than %s and before %s", def.from, def.until)
	}
	if p.QuietStart != nil && p.QuietEnd != nil && *p.QuietEnd >= *p.QuietStart {
		fail("quiet_end", "leaves no hours for contact")
	}
	atMost := func(field string, v, limit int) {
		if v < 0 || (limit > 0 && v > limit) {
			fail(field, "must be between 1 and %d", limit)
		}
	}
	atMost("max_connected_calls_per_day", p.MaxConnectedPerDay, def.maxConnected)
	atMost("max_unanswered_per_number_per_day", p.MaxUnansweredPerNumber, def.maxUnanswered)
	atMost("max_calls_per_7_days", p.MaxCallsPer7Days, def.maxCalls7)
	atLeast := func(field string, v, limit int) {
		if v != 0 && v < limit {
			fail(field, "must be at least %d", limit)
		}
	}
	atLeast("lost_contact_attempts", p.LostContactAttempts, def.lostContact)
	atLeast("visit_notice_hours", p.VisitNoticeHours, def.visitNoticeHours)
	atLeast("uk_visit_notice_days", p.UKVisitNoticeDays, def.ukNoticeDay)
	if p.HolidayAction != "" && p.HolidayAction != Block && p.HolidayAction != Warn {
		fail("holiday_action", "must be block or warn")
	}
	if len(bad) > 0 {
		return errs.Fields("The policy would loosen a legal limit.", bad...)
	}
	return nil
}
