package compliance

// Limits are the numbers and switches in force under one profile once a
// tenant's policy is applied, for the "policy in force" page. Zero counts
// mean the profile has no such limit.
type Limits struct {
	Jurisdiction           Jurisdiction `json:"jurisdiction"`
	WindowStart            string       `json:"window_start"` // local HH:MM:SS: contact allowed from …
	WindowEnd              string       `json:"window_end"`   // … until (exclusive)
	MaxConnectedPerDay     int          `json:"max_connected_calls_per_day,omitempty"`
	MaxUnansweredPerNumber int          `json:"max_unanswered_per_number_per_day,omitempty"`
	MaxCallsPer7Days       int          `json:"max_calls_per_7_days,omitempty"`
	LostContactAttempts    int          `json:"lost_contact_attempts,omitempty"`
	VisitNoticeHours       int          `json:"visit_notice_hours,omitempty"`
	UKVisitNoticeDays      int          `json:"uk_visit_notice_days,omitempty"`
	NoHolidayContact       bool         `json:"no_holiday_contact"`
	HolidayAction          Action       `json:"holiday_action"`
	VisitAdvanceNotice     bool         `json:"visit_advance_notice"`
}

// Limits returns what the governor applies under profile j with policy p:
// the legal defaults, tightened where p is stricter (a looser value is
// ignored, as in Check).
func (p Policy) Limits(j Jurisdiction) Limits {
	j = j.orDefault()
	l := p.effective(j)
	return Limits{
		Jurisdiction: j, WindowStart: l.from.String(), WindowEnd: l.until.String(),
		MaxConnectedPerDay: l.maxConnected, MaxUnansweredPerNumber: l.maxUnanswered, MaxCallsPer7Days: l.maxCalls7,
		LostContactAttempts: l.lostContact, VisitNoticeHours: l.visitNoticeHours, UKVisitNoticeDays: l.ukNoticeDay,
		NoHolidayContact: l.noHoliday, HolidayAction: l.holidayAction, VisitAdvanceNotice: l.visitNotice,
	}
}

// Profiles lists the jurisdiction profiles, the default first.
var Profiles = []Jurisdiction{CN, US, UK}
