package compliance

import (
	"testing"

	"accord/internal/errs"
)

func clock(s string) *Clock {
	c, err := ParseClock(s)
	if err != nil {
		panic(err)
	}
	return &c
}

func TestPolicy_Effective(t *testing.T) {
	t.Parallel()
	off := false
	tests := []struct {
		name string
		p    Policy
		j    Jurisdiction
		want func(l limits) bool
	}{
		{"defaults", Policy{}, CN, func(l limits) bool {
			return l.from == 8*3600 && l.until == 22*3600 && l.maxConnected == 3 && l.maxUnanswered == 6 && l.noHoliday && l.visitNotice
		}},
		{"stricter window", Policy{QuietStart: clock("21:00"), QuietEnd: clock("08:30")}, CN, func(l limits) bool {
			return l.from == 8*3600+1800 && l.until == 21*3600
		}},
		{"looser window ignored", Policy{QuietStart: clock("23:00"), QuietEnd: clock("07:00")}, CN, func(l limits) bool {
			return l.from == 8*3600 && l.until == 22*3600
		}},
		{"start after midnight ignored", Policy{QuietStart: clock("01:00")}, CN, func(l limits) bool { return l.until == 22*3600 }},
		{"caps only lower", Policy{MaxConnectedPerDay: 2, MaxUnansweredPerNumber: 9, MaxCallsPer7Days: 9}, CN, func(l limits) bool {
			return l.maxConnected == 2 && l.maxUnanswered == 6
		}},
		{"US cap lower", Policy{MaxCallsPer7Days: 5}, US, func(l limits) bool { return l.maxCalls7 == 5 && l.until == 21*3600 }},
		{"lost contact only higher", Policy{LostContactAttempts: 2}, CN, func(l limits) bool { return l.lostContact == 3 }},
		{"switches off", Policy{NoHolidayContact: &off, VisitAdvanceNotice: &off}, CN, func(l limits) bool { return !l.noHoliday && !l.visitNotice }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if l := tt.p.effective(tt.j); !tt.want(l) {
				t.Errorf("effective() = %+v", l)
			}
		})
	}
}

func TestPolicy_Validate(t *testing.T) {
	t.Parallel()
	if err := (Policy{QuietStart: clock("21:00"), MaxConnectedPerDay: 2}).Validate(CN); err != nil {
		t.Errorf("stricter policy: %v", err)
	}
	err := Policy{QuietStart: clock("23:00"), MaxConnectedPerDay: 4, LostContactAttempts: 2}.Validate(CN)
	fields := errs.FieldsOf(err)
	if len(fields) != 3 || fields[0].Field != "quiet_start" || fields[1].Field != "max_connected_calls_per_day" || fields[2].Field != "lost_contact_attempts" {
		t.Errorf("Validate() = %v", err)
	}
	if err := (Policy{}).Validate("FR"); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("unknown profile: %v", err)
	}
}

func TestParseClock(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]Clock{"00:00": 0, "08:00": 8 * 3600, "21:59:59": 22*3600 - 1, "24:00": 24 * 3600} {
		if got, err := ParseClock(s); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "8:00", "24:01", "12:60", "9pm", "12:00:60", "12-00"} {
		if _, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%q) accepted", s)
		}
	}
}
