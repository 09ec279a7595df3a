package visit_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/borrower"
	"accord/internal/calendar"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/route"
	"accord/internal/visit"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func home() *borrower.Address {
	return &borrower.Address{Kind: "home", Line: "浦东新区世纪大道 100 号", City: "上海", Region: "上海市", Lat: 31.235, Lon: 121.506}
}

func TestEligible(t *testing.T) {
	t.Parallel()
	p := visit.DefaultPolicy()
	ok := visit.Candidate{Recommended: true, Address: home(), DPD: 45, Overdue: money.Yuan(5000)}
	with := func(f func(*visit.Candidate)) visit.Candidate { c := ok; f(&c); return c }
	tests := []struct {
		name string
		c    visit.Candidate
		want []string
	}{
		{"recommended by the strategy", ok, nil},
		{"requested with a purpose", with(func(c *visit.Candidate) { c.Recommended, c.Purpose = false, "核实居住地址" }), nil},
		{"requested without a purpose", with(func(c *visit.Candidate) { c.Recommended, c.Purpose = false, "  " }), []string{visit.NoPurpose}},
		{"no address", with(func(c *visit.Candidate) { c.Address = nil }), []string{visit.NoAddress}},
		{"address without coordinates", with(func(c *visit.Candidate) { a := home(); a.Lat, a.Lon = 0, 0; c.Address = a }), []string{visit.NoCoordinates}},
		{"vulnerable (serious illness)", with(func(c *visit.Candidate) { c.Flags = []string{compliance.FlagSeriousIllness} }), []string{visit.Vulnerable}},
		{"two causes of vulnerability, one reason", with(func(c *visit.Candidate) { c.Flags = []string{compliance.FlagOldAge, compliance.FlagVulnerable} }), []string{visit.Vulnerable}},
		{"disputed in writing", with(func(c *visit.Candidate) { c.Flags = []string{compliance.FlagDisputeWritten} }), []string{visit.Disputed}},
		{"ceased", with(func(c *visit.Candidate) { c.Flags = []string{compliance.FlagCease} }), []string{visit.Ceased}},
		{"lost contact (CN-VISIT)", with(func(c *visit.Candidate) { c.Flags = []string{compliance.FlagLostContact} }), []string{visit.LostContact}},
		{"other flags do not bar", with(func(c *visit.Candidate) { c.Flags = []string{compliance.FlagOutsourcingNotified} }), nil},
		{"below the DPD threshold", with(func(c *visit.Candidate) { c.DPD = 30 }), []string{visit.BelowMinDPD}},
		{"at the thresholds", with(func(c *visit.Candidate) { c.DPD, c.Overdue = 31, money.Yuan(1000) }), nil},
		{"below the amount threshold", with(func(c *visit.Candidate) { c.Overdue = money.Yuan(1000) - 1 }), []string{visit.BelowMinOverdue}},
		{"every reason listed", visit.Candidate{Flags: []string{compliance.FlagDisputed}}, []string{visit.NoPurpose, visit.NoAddress, visit.Disputed, visit.BelowMinDPD, visit.BelowMinOverdue}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := visit.Eligible(tt.c, p)
			if got.OK != (len(tt.want) == 0) || !slices.Equal(got.Reasons, tt.want) {
				t.Fatalf("Eligible() = %+v, want reasons %v", got, tt.want)
			}
			if (got.Err() == nil) != got.OK || got.Err() != nil && errs.CodeOf(got.Err()) != errs.Conflict {
				t.Fatalf("Err() = %v", got.Err())
			}
		})
	}
}

func TestEstimate(t *testing.T) {
	t.Parallel()
	p := visit.DefaultPolicy()
	tests := []struct {
		name             string
		overdue          money.Amount
		rate             string
		km               float64
		wantEV, wantCost money.Amount
	}{
		{"policy rate", money.Yuan(8000), "0", 12.5, 1200_00, 120_00 + 37_50},
		{"own rate, half-up to the fen", 333_33, "0.125", 0, 41_67, 120_00},
		{"distance to the metre", money.Yuan(100), "0.5", 1.0004, 50_00, 120_00 + 3_00},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := visit.Estimate(tt.overdue, decimal.MustParse(tt.rate), tt.km, p)
			if e.ExpectedValue != tt.wantEV || e.Cost != tt.wantCost || e.Net != tt.wantEV-tt.wantCost {
				t.Fatalf("Estimate() = %+v, want value %s cost %s", e, tt.wantEV, tt.wantCost)
			}
		})
	}
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCheckNotice(t *testing.T) {
	t.Parallel()
	off, stricter := false, visit.DefaultPolicy()
	stricter.Compliance.VisitNoticeHours = 48
	noNotice := visit.DefaultPolicy()
	noNotice.Compliance.VisitAdvanceNotice = &off
	looser := visit.DefaultPolicy()
	looser.Compliance.VisitNoticeHours = 12 // below the legal 24: ignored, as by the governor
	tests := []struct {
		name    string
		p       visit.Policy
		visitAt time.Time
		sentAt  time.Time
		want    error
	}{
		{"24 hours before", visit.DefaultPolicy(), at("2026-03-10 10:00"), at("2026-03-09 10:00"), nil},
		{"a minute short", visit.DefaultPolicy(), at("2026-03-10 10:00"), at("2026-03-09 10:01"), visit.ErrNoticeLate},
		{"none sent", visit.DefaultPolicy(), at("2026-03-10 10:00"), time.Time{}, visit.ErrNoticeMissing},
		{"policy off", noNotice, at("2026-03-10 10:00"), time.Time{}, nil},
		{"stricter policy: 48 hours", stricter, at("2026-03-10 10:00"), at("2026-03-09 09:00"), visit.ErrNoticeLate},
		{"looser policy ignored", looser, at("2026-03-10 10:00"), at("2026-03-09 22:00"), visit.ErrNoticeLate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := visit.CheckNotice(tt.visitAt, tt.sentAt, tt.p); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("CheckNotice() = %v, want %v", err, tt.want)
			}
		})
	}
	by, ok := visit.NoticeBy(at("2026-03-10 10:00"), visit.DefaultPolicy())
	if !ok || !by.Equal(at("2026-03-09 10:00")) {
		t.Fatalf("NoticeBy() = %v, %v", by, ok)
	}
	if _, ok := visit.NoticeBy(at("2026-03-10 10:00"), noNotice); ok {
		t.Fatal("NoticeBy() requires notice with the policy off")
	}
	if got := visit.EarliestVisit(at("2026-03-09 15:30"), stricter); !got.Equal(at("2026-03-11 15:30")) {
		t.Fatalf("EarliestVisit() = %v", got)
	}
}

func clock(s string) compliance.Clock {
	c, err := compliance.ParseClock(s)
	if err != nil {
		panic(err)
	}
	return c
}

func TestSchedule(t *testing.T) {
	t.Parallel()
	cal := calendar.Default()
	def := visit.DefaultPolicy()
	quiet := visit.DefaultPolicy()
	qs, qe := clock("20:00"), clock("09:00")
	quiet.Compliance.QuietStart, quiet.Compliance.QuietEnd = &qs, &qe
	warnOnly := visit.DefaultPolicy()
	warnOnly.Compliance.HolidayAction = compliance.Warn
	off := false
	holidaysAllowed := visit.DefaultPolicy()
	holidaysAllowed.Compliance.NoHolidayContact = &off
	evening := &visit.Preference{From: clock("18:00"), Until: clock("21:00")}
	lateNight := &visit.Preference{From: clock("22:30"), Until: clock("23:30")}
	weekends := &visit.Preference{From: clock("10:00"), Until: clock("12:00"), Weekdays: []time.Weekday{time.Saturday, time.Sunday}}
	hour := time.Hour
	tests := []struct {
		name     string
		on       string
		r        visit.SlotRequest
		p        visit.Policy
		from     string
		until    string
		pref     bool
		warnings []string
		err      error
	}{
		{"allowed hours, over by 22:00", "2026-03-10", visit.SlotRequest{Duration: hour}, def, "08:00:00", "21:00:00", false, nil, nil},
		{"quiet hours narrow it", "2026-03-10", visit.SlotRequest{Duration: hour}, quiet, "09:00:00", "19:00:00", false, nil, nil},
		{"the borrower's evening", "2026-03-10", visit.SlotRequest{Duration: hour, Preference: evening}, def, "18:00:00", "20:00:00", true, nil, nil},
		{"preference at night is not followed", "2026-03-10", visit.SlotRequest{Duration: hour, Preference: lateNight}, def, "08:00:00", "21:00:00", false, []string{visit.WarnPreferenceHours}, nil},
		{"preference cut to quiet hours", "2026-03-10", visit.SlotRequest{Duration: hour, Preference: evening}, quiet, "18:00:00", "19:00:00", true, nil, nil},
		{"preferred weekday", "2026-03-14", visit.SlotRequest{Duration: hour, Preference: weekends}, def, "10:00:00", "11:00:00", true, nil, nil},
		{"other weekday", "2026-03-10", visit.SlotRequest{Duration: hour, Preference: weekends}, def, "08:00:00", "21:00:00", false, []string{visit.WarnPreferenceWeekday}, nil},
		{"notice sent: 24 hours later, rounded up to the minute", "2026-03-10", visit.SlotRequest{Duration: hour, NoticeSent: at("2026-03-09 13:20").Add(10 * time.Second)}, def, "13:21:00", "21:00:00", false, nil, nil},
		{"notice sent the day before yesterday", "2026-03-10", visit.SlotRequest{Duration: hour, NoticeSent: at("2026-03-08 13:20")}, def, "08:00:00", "21:00:00", false, nil, nil},
		{"notice too late for that day", "2026-03-10", visit.SlotRequest{Duration: hour, NoticeSent: at("2026-03-09 21:30")}, def, "", "", false, nil, visit.ErrNoTime},
		{"notice leaves only the preference's end", "2026-03-10", visit.SlotRequest{Duration: hour, NoticeSent: at("2026-03-09 19:30"), Preference: evening}, def, "19:30:00", "20:00:00", true, nil, nil},
		{"National Day", "2026-10-01", visit.SlotRequest{Duration: hour}, def, "", "", false, nil, visit.ErrHoliday},
		{"Spring Festival weekend inside the break", "2026-02-21", visit.SlotRequest{Duration: hour}, def, "", "", false, nil, visit.ErrHoliday},
		{"adjusted working Saturday", "2026-02-14", visit.SlotRequest{Duration: hour}, def, "08:00:00", "21:00:00", false, nil, nil},
		{"holiday, policy warns", "2026-10-01", visit.SlotRequest{Duration: hour}, warnOnly, "08:00:00", "21:00:00", false, []string{visit.WarnHoliday}, nil},
		{"holiday, policy off", "2026-10-01", visit.SlotRequest{Duration: hour}, holidaysAllowed, "08:00:00", "21:00:00", false, nil, nil},
		{"year without holiday data", "2031-10-01", visit.SlotRequest{Duration: hour}, def, "08:00:00", "21:00:00", false, []string{visit.WarnCalendarMissing}, nil},
		{"a visit longer than the day", "2026-03-10", visit.SlotRequest{Duration: 15 * hour}, def, "", "", false, nil, visit.ErrNoTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := visit.Schedule(date.MustParse(tt.on), tt.r, cal, tt.p)
			if tt.err != nil || err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Schedule() error = %v, want %v", err, tt.err)
				}
				return
			}
			if s.From.String() != tt.from || s.Until.String() != tt.until || s.Preferred != tt.pref || !slices.Equal(s.Warnings, tt.warnings) {
				t.Fatalf("Schedule() = %s–%s preferred %v warnings %v, want %s–%s %v %v", s.From, s.Until, s.Preferred, s.Warnings, tt.from, tt.until, tt.pref, tt.warnings)
			}
		})
	}
}

func TestSchedule_noticeBy(t *testing.T) {
	t.Parallel()
	s, err := visit.Schedule(date.MustParse("2026-03-10"), visit.SlotRequest{Duration: time.Hour, Location: shanghai}, calendar.Default(), visit.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if !s.NoticeBy.Equal(at("2026-03-09 08:00")) {
		t.Fatalf("NoticeBy = %v, want 2026-03-09 08:00 Shanghai", s.NoticeBy)
	}
}

func TestFirstSlot(t *testing.T) {
	t.Parallel()
	cal := calendar.Default()
	weekends := &visit.Preference{From: clock("10:00"), Until: clock("12:00"), Weekdays: []time.Weekday{time.Saturday}}
	tests := []struct {
		name string
		from string
		days int
		r    visit.SlotRequest
		want string
		pref bool
	}{
		{"skips the National Day break", "2026-09-30", 14, visit.SlotRequest{Duration: time.Hour, NoticeSent: at("2026-09-30 09:00")}, "2026-10-08", false},
		{"first preferred day", "2026-03-10", 7, visit.SlotRequest{Duration: time.Hour, Preference: weekends}, "2026-03-14", true},
		{"no preferred day in range: first allowed", "2026-03-10", 3, visit.SlotRequest{Duration: time.Hour, Preference: weekends}, "2026-03-10", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := visit.FirstSlot(date.MustParse(tt.from), tt.days, tt.r, cal, visit.DefaultPolicy())
			if err != nil || s.Date.String() != tt.want || s.Preferred != tt.pref {
				t.Fatalf("FirstSlot() = %v %v, %v; want %s %v", s.Date, s.Preferred, err, tt.want, tt.pref)
			}
		})
	}
	if _, err := visit.FirstSlot(date.MustParse("2026-10-01"), 3, visit.SlotRequest{Duration: time.Hour}, cal, visit.DefaultPolicy()); !errors.Is(err, visit.ErrNoTime) {
		t.Fatalf("FirstSlot() inside a holiday = %v, want ErrNoTime", err)
	}
}

func TestState_To(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to visit.State
		notice   bool
		want     error
	}{
		{visit.Requested, visit.Approved, true, nil},
		{visit.Requested, visit.Rejected, true, nil},
		{visit.Requested, visit.Planned, false, visit.ErrTransition},
		{visit.Approved, visit.Noticed, true, nil},
		{visit.Approved, visit.Planned, true, visit.ErrNoticeFirst},
		{visit.Approved, visit.Planned, false, nil},
		{visit.Noticed, visit.Planned, true, nil},
		{visit.Planned, visit.CheckedIn, true, nil},
		{visit.Planned, visit.Approved, true, nil}, // taken off the route: needs a new notice
		{visit.Planned, visit.Cancelled, true, nil},
		{visit.CheckedIn, visit.Done, true, nil},
		{visit.Done, visit.Cancelled, true, visit.ErrTransition},
		{visit.Rejected, visit.Approved, true, visit.ErrTransition},
		{visit.Cancelled, visit.Planned, true, visit.ErrTransition},
		{visit.Noticed, visit.Done, true, visit.ErrTransition},
	}
	for _, tt := range tests {
		err := tt.from.To(tt.to, tt.notice)
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("%s → %s (notice %v) = %v, want %v", tt.from, tt.to, tt.notice, err, tt.want)
		}
		if err != nil && errs.CodeOf(err) != errs.Conflict {
			t.Errorf("%s → %s: code %s, want conflict", tt.from, tt.to, errs.CodeOf(err))
		}
	}
	for _, s := range visit.States {
		if s.Final() {
			for _, t2 := range visit.States {
				if s.To(t2, false) == nil {
					t.Errorf("final state %s moves to %s", s, t2)
				}
			}
		}
	}
}

func TestCheckInAt(t *testing.T) {
	t.Parallel()
	p := visit.DefaultPolicy()
	a := *home()
	tests := []struct {
		name    string
		at      route.Point
		flagged bool
	}{
		{"at the door", route.Point{Lat: a.Lat, Lon: a.Lon}, false},
		{"across the street (~100 m)", route.Point{Lat: a.Lat + 0.0009, Lon: a.Lon}, false},
		{"a kilometre off", route.Point{Lat: a.Lat + 0.009, Lon: a.Lon}, true},
	}
	for _, tt := range tests {
		c := visit.CheckInAt(a, tt.at, p)
		if c.Flagged != tt.flagged {
			t.Errorf("%s: %+v", tt.name, c)
		}
	}
	c := visit.CheckInAt(a, route.Point{Lat: a.Lat + 0.009, Lon: a.Lon}, p)
	if c.DistanceM < 995 || c.DistanceM > 1005 {
		t.Errorf("0.009° of latitude = %.1f m, want about 1,000 m", c.DistanceM)
	}
	p.CheckInRadiusM = 2000
	if visit.CheckInAt(a, route.Point{Lat: a.Lat + 0.009, Lon: a.Lon}, p).Flagged {
		t.Error("the radius is not configurable")
	}
}

func TestOutcome_Validate(t *testing.T) {
	t.Parallel()
	on := date.MustParse("2026-03-10")
	tests := []struct {
		name   string
		o      visit.Outcome
		fields []string
	}{
		{"met borrower", visit.Outcome{Kind: visit.MetBorrower, Note: "说明了逾期情况，借款人表示月底还款"}, nil},
		{"met borrower, no note", visit.Outcome{Kind: visit.MetBorrower}, []string{"note"}},
		{"met other", visit.Outcome{Kind: visit.MetOther, Note: "请其转告借款人联系我们", MetWhom: "母亲"}, nil},
		{"met other, nothing said", visit.Outcome{Kind: visit.MetOther}, []string{"note", "met_whom"}},
		{"not home", visit.Outcome{Kind: visit.NotHome}, nil},
		{"moved, no address known", visit.Outcome{Kind: visit.Moved}, nil},
		{"moved to a new address", visit.Outcome{Kind: visit.Moved, NewAddress: &borrower.Address{Line: "闵行区 1 号", Lat: 31.1, Lon: 121.4}}, nil},
		{"moved, bad address", visit.Outcome{Kind: visit.Moved, NewAddress: &borrower.Address{Line: "", Lat: 95}}, []string{"new_address"}},
		{"moved to a work address", visit.Outcome{Kind: visit.Moved, NewAddress: &borrower.Address{Kind: "work", Line: "园区 2 号"}}, nil},
		{"moved, unknown address kind", visit.Outcome{Kind: visit.Moved, NewAddress: &borrower.Address{Kind: "office", Line: "园区 2 号"}},
			[]string{"new_address.kind"}},
		{"refused", visit.Outcome{Kind: visit.Refused}, nil},
		{"incident needs a report", visit.Outcome{Kind: visit.Incident}, []string{"note"}},
		{"paid officially", visit.Outcome{Kind: visit.PaidOfficial, Amount: 500_00, PaymentRef: "APP-20260310-001"}, nil},
		{"paid, no reference", visit.Outcome{Kind: visit.PaidOfficial, Amount: 500_00}, []string{"payment_ref"}},
		{"promise", visit.Outcome{Kind: visit.Promise, Amount: 1000_00, PromiseDate: on.AddDays(5)}, nil},
		{"promise in the past", visit.Outcome{Kind: visit.Promise, Amount: 1000_00, PromiseDate: on.AddDays(-1)}, []string{"promise_date"}},
		{"promise of nothing", visit.Outcome{Kind: visit.Promise, PromiseDate: on}, []string{"amount"}},
		{"negotiation", visit.Outcome{Kind: visit.Negotiation, Note: "申请分期 12 期"}, nil},
		{"unknown kind", visit.Outcome{Kind: "threatened"}, []string{"kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.o.Validate(on)
			var got []string
			for _, f := range errs.FieldsOf(err) {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tt.fields) || (err == nil) != (len(tt.fields) == 0) {
				t.Fatalf("Validate() = %v, want fields %v", err, tt.fields)
			}
		})
	}
}
