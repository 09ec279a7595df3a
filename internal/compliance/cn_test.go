package compliance

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/calendar"
)

func TestCheck_CNTimeQuiet(t *testing.T) {
	t.Parallel()
	consent := func(window, expires string) func(*Input) {
		return func(in *Input) {
			in.Borrower.Consents = []Consent{{Kind: ConsentContactWindow, Window: window, Expires: ts(expires)}}
		}
	}
	runCases(t, []checkCase{
		{"21:59:59 allowed", cnAt("2026-03-10T21:59:59+08:00"), Allow, nil},
		{"22:00:00 blocked", cnAt("2026-03-10T22:00:00+08:00"), Block, []string{RuleCNTimeQuiet}},
		{"07:59:59 blocked", cnAt("2026-03-10T07:59:59+08:00"), Block, []string{RuleCNTimeQuiet}},
		{"08:00:00 allowed", cnAt("2026-03-10T08:00:00+08:00"), Allow, nil},
		{"sub-second before 22:00 allowed", cnAt("2026-03-10T21:59:59.999+08:00"), Allow, nil},
		{"consent widens", cnAt("2026-03-10T22:30:00+08:00", consent("21:00-23:00", "2026-12-31T00:00:00Z")), Allow, nil},
		{"expired consent ignored", cnAt("2026-03-10T22:30:00+08:00", consent("21:00-23:00", "2026-03-10T14:00:00Z")), Block, []string{RuleCNTimeQuiet}},
		{"consent not for third parties", cnAt("2026-03-10T22:30:00+08:00", consent("21:00-23:00", "2026-12-31T00:00:00Z"), withFlags(FlagLostContact),
			withProposed(func(p *Proposed) { p.Party, p.To, p.Purpose = ToContact, mother, PurposeLocate })), Block, []string{RuleCNTimeQuiet}},
		{"every candidate zone", newInput(CN, "Asia/Shanghai", "2026-03-10T08:30:00+08:00", func(in *Input) {
			in.Borrower.TimeZones = []string{"Asia/Shanghai", "Asia/Urumqi"}
		}), Block, []string{RuleCNTimeQuiet}},
		{"tenant 21:00", cnAt("2026-03-10T21:00:00+08:00", withPolicy(func(p *Policy) { c := Clock(21 * 3600); p.QuietStart = &c })), Block, []string{RuleCNTimeQuiet}},
		{"tenant cannot loosen", cnAt("2026-03-10T22:00:00+08:00", withPolicy(func(p *Policy) { c := Clock(23 * 3600); p.QuietStart = &c })), Block, []string{RuleCNTimeQuiet}},
		{"letters are not timed", cnAt("2026-03-10T23:00:00+08:00", withProposed(func(p *Proposed) { p.Channel, p.To = Letter, "上海" })), Allow, nil},
	})

	d := gov.Check(cnAt("2026-03-10T22:00:00+08:00"))
	got := detail(t, d, RuleCNTimeQuiet)
	if got.WindowStart != "2026-03-10T08:00:00+08:00" || got.WindowEnd != "2026-03-10T22:00:00+08:00" ||
		got.LocalTime != "2026-03-10T22:00:00+08:00" || got.TimeZone != "Asia/Shanghai" || got.Source == "" {
		t.Errorf("detail = %+v", got)
	}
}

func TestCheck_CNFreqConnected(t *testing.T) {
	t.Parallel()
	three := withHistory(
		attempt("h1", "2026-03-09T16:30:00Z", bPhone1, Connected), // 00:30 on the 10th in Shanghai
		Attempt{ID: "h2", At: ts("2026-03-10T11:00:00+08:00"), Channel: Call, To: bPhone2, Party: ToBorrower, By: "agency-a", Outcome: Connected},
		Attempt{ID: "h3", At: ts("2026-03-10T13:00:00+08:00"), Channel: Call, To: bPhone1, Party: ToBorrower, By: "agency-b", Outcome: Connected},
	)
	runCases(t, []checkCase{
		{"three across numbers and agencies", cnAt("2026-03-10T15:00:00+08:00", three, withProposed(func(p *Proposed) { p.To = bPhone2 })), Block, []string{RuleCNFreqConnected}},
		{"next local day", cnAt("2026-03-11T08:00:00+08:00", three), Allow, nil},
		{"later calls do not count", cnAt("2026-03-10T12:00:00+08:00", three), Allow, nil},
		{"sms is not a call", cnAt("2026-03-10T15:00:00+08:00", three, withProposed(func(p *Proposed) { p.Channel = SMS })), Allow, nil},
	})

	d := gov.Check(cnAt("2026-03-10T15:00:00+08:00", three))
	got := detail(t, d, RuleCNFreqConnected)
	if got.Count != 3 || got.Limit != 3 || got.WindowStart != "2026-03-10T00:00:00+08:00" ||
		got.WindowEnd != "2026-03-11T00:00:00+08:00" || !slices.Equal(got.Evidence, []string{"h1", "h2", "h3"}) {
		t.Errorf("detail = %+v", got)
	}
}

func TestCheck_CNFreqUnanswered(t *testing.T) {
	t.Parallel()
	var six []Attempt
	for i := range 6 {
		six = append(six, attempt(fmt.Sprint("u", i), fmt.Sprintf("2026-03-10T%02d:00:00+08:00", 8+i), bPhone1, []Outcome{NoAnswer, Busy, Refused}[i%3]))
	}
	runCases(t, []checkCase{
		{"five allowed", cnAt("2026-03-10T15:00:00+08:00", withHistory(six[:5]...)), Allow, nil},
		{"seventh blocked", cnAt("2026-03-10T15:00:00+08:00", withHistory(six...)), Block, []string{RuleCNFreqUnanswered}},
		{"other number", cnAt("2026-03-10T15:00:00+08:00", withHistory(six...), withProposed(func(p *Proposed) { p.To = bPhone2 })), Allow, nil},
		{"tenant limit 4", cnAt("2026-03-10T15:00:00+08:00", withHistory(six[:4]...), withPolicy(func(p *Policy) { p.MaxUnansweredPerNumber = 4 })), Block, []string{RuleCNFreqUnanswered}},
		{"consent 10", cnAt("2026-03-10T15:00:00+08:00", withHistory(six...), func(in *Input) {
			in.Borrower.Consents = []Consent{{Kind: ConsentUnansweredAttempts, Limit: 10, Expires: ts("2026-12-31T00:00:00Z")}}
		}), Allow, nil},
	})
}

func TestCheck_CNHoliday(t *testing.T) {
	t.Parallel()
	runCases(t, []checkCase{
		{"2026-02-21 holiday", cnAt("2026-02-21T10:00:00+08:00"), Block, []string{RuleCNHoliday}},
		{"2026-02-14 working Saturday", cnAt("2026-02-14T10:00:00+08:00"), Allow, nil},
		{"2026-02-28 working Saturday", cnAt("2026-02-28T10:00:00+08:00"), Allow, nil},
		{"visit by automation is still a visit", cnAt("2026-02-21T10:00:00+08:00", withProposed(func(p *Proposed) {
			p.Channel, p.Automated, p.Collectors, p.RecordingDevice, p.NoticeSentAt = Visit, true, []string{"a", "b"}, "r1", ts("2026-02-18T10:00:00+08:00")
		})), Block, []string{RuleCNHoliday, RuleCNVisit}},
		{"automated sms", cnAt("2026-02-21T10:00:00+08:00", withProposed(func(p *Proposed) { p.Channel, p.By = SMS, "system" })), Allow, nil},
	})
	for day, want := range map[string]calendar.DayKind{
		"2026-02-21T10:00:00+08:00": calendar.Holiday, "2026-02-14T10:00:00+08:00": calendar.AdjustedWorkday,
		"2026-03-07T10:00:00+08:00": calendar.Weekend, "2026-03-10T10:00:00+08:00": calendar.WorkingDay,
	} {
		if got := gov.Check(cnAt(day)).DayKind; got != want {
			t.Errorf("%s: day_kind = %s, want %s", day, got, want)
		}
	}
}

func TestCheck_CNThirdParty(t *testing.T) {
	t.Parallel()
	toMother := withProposed(func(p *Proposed) { p.Party, p.To, p.Contact, p.Purpose = ToContact, mother, "c1", PurposeLocate })
	failures := withHistory(
		attempt("s", "2026-03-08T10:00:00+08:00", bPhone1, Connected),
		attempt("f1", "2026-03-09T10:00:00+08:00", bPhone1, NoAnswer),
		attempt("f2", "2026-03-09T11:00:00+08:00", bPhone2, Busy),
		attempt("f3", "2026-03-09T12:00:00+08:00", bPhone1, NoAnswer),
	)
	runCases(t, []checkCase{
		{"not lost contact", cnAt("2026-03-10T10:00:00+08:00", toMother), Block, []string{RuleCNThirdParty}},
		{"three failures", cnAt("2026-03-10T10:00:00+08:00", toMother, failures), Allow, nil},
		{"collection purpose", cnAt("2026-03-10T10:00:00+08:00", toMother, failures, withProposed(func(p *Proposed) { p.Purpose = PurposeCollection })), Block, []string{RuleCNThirdParty}},
		{"debt-related spouse", cnAt("2026-03-10T10:00:00+08:00", withProposed(func(p *Proposed) { p.Party, p.Contact = ToContact, "c2"; p.To = "+8613600136000" })), Approval, []string{RuleCNThirdParty}},
		{"debt facts to mother", cnAt("2026-03-10T10:00:00+08:00", toMother, failures, withProposed(func(p *Proposed) {
			p.Channel, p.Purpose, p.Text = SMS, PurposeMessage, "他的贷款已逾期"
		})), Block, []string{RuleCNDisclosure}},
	})
	d := gov.Check(cnAt("2026-03-10T10:00:00+08:00", toMother))
	if got := detail(t, d, RuleCNThirdParty); !slices.Equal(got.Failed, []string{"borrower_not_lost_contact"}) || got.Limit != 3 {
		t.Errorf("detail = %+v", got)
	}
	d = gov.Check(cnAt("2026-03-10T10:00:00+08:00", withProposed(func(p *Proposed) { p.Party, p.Contact = ToContact, "c2"; p.To = "" })))
	if !slices.Equal(d.RequiredRoles, []auth.Role{auth.Compliance}) {
		t.Errorf("required roles = %v", d.RequiredRoles)
	}
}

func TestCheck_CNVisit(t *testing.T) {
	t.Parallel()
	visit := func(fn func(p *Proposed)) func(*Input) {
		return withProposed(func(p *Proposed) {
			p.Channel, p.To, p.Collectors, p.RecordingDevice = Visit, "地址", []string{"u1", "u2"}, "rec-1"
			p.NoticeSentAt = p.At.Add(-24 * time.Hour)
			if fn != nil {
				fn(p)
			}
		})
	}
	runCases(t, []checkCase{
		{"ready: approval", cnAt("2026-03-10T10:00:00+08:00", visit(nil)), Approval, []string{RuleCNVisit}},
		{"approved", cnAt("2026-03-10T10:00:00+08:00", visit(func(p *Proposed) { p.ApprovedRoles = []string{"supervisor"} })), Allow, nil},
		{"one collector", cnAt("2026-03-10T10:00:00+08:00", visit(func(p *Proposed) { p.Collectors = p.Collectors[:1] })), Block, []string{RuleCNVisit}},
		{"notice a second late", cnAt("2026-03-10T10:00:00+08:00", visit(func(p *Proposed) { p.NoticeSentAt = p.NoticeSentAt.Add(time.Second) })), Block, []string{RuleCNVisit}},
		{"tenant 48 hours", cnAt("2026-03-10T10:00:00+08:00", visit(nil), withPolicy(func(p *Policy) { p.VisitNoticeHours = 48 })), Block, []string{RuleCNVisit}},
		{"lost contact", cnAt("2026-03-10T10:00:00+08:00", visit(nil), withFlags(FlagLostContact)), Block, []string{RuleCNVisit}},
	})
}

func TestCheck_CNOutsourcing(t *testing.T) {
	t.Parallel()
	placement := func(fn func(p *Proposed)) func(*Input) {
		return withProposed(func(p *Proposed) {
			p.Channel, p.Party, p.To, p.By = Placement, "", "", "agency-x"
			p.AgencyWhitelisted, p.AgentTrainedAt = true, p.At.AddDate(0, -6, 0)
			if fn != nil {
				fn(p)
			}
		})
	}
	runCases(t, []checkCase{
		{"ready: approval", cnAt("2026-03-10T10:00:00+08:00", placement(nil), withFlags(FlagOutsourcingNotified)), Approval, []string{RuleCNOutsourcing}},
		{"placement ignores quiet hours", cnAt("2026-03-10T23:00:00+08:00", placement(nil), withFlags(FlagOutsourcingNotified)), Approval, []string{RuleCNOutsourcing}},
		{"not notified", cnAt("2026-03-10T10:00:00+08:00", placement(nil)), Block, []string{RuleCNOutsourcing}},
		{"no training record", cnAt("2026-03-10T10:00:00+08:00", placement(func(p *Proposed) { p.AgentTrainedAt = time.Time{} }), withFlags(FlagOutsourcingNotified)), Block, []string{RuleCNOutsourcing}},
		{"lender is not an agency", cnAt("2026-03-10T10:00:00+08:00", placement(func(p *Proposed) { p.By = "lender" }), withFlags(FlagOutsourcingNotified)), Block, []string{RuleCNOutsourcing}},
	})
}
