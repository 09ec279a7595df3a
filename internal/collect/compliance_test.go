package collect

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"accord/internal/calendar"
	"accord/internal/compliance"
	"accord/internal/errs"
)

func TestService_SavePolicy(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		looser := PolicySettings{QuietStart: "23:00", MaxConnected: 5}
		err := e.svc.SavePolicy(ctBG, ctOfficer, compliance.CN, looser)
		if errs.CodeOf(err) != errs.Invalid || len(errs.FieldsOf(err)) != 2 {
			t.Errorf("looser policy: %v (%v), want Invalid naming both fields", err, errs.FieldsOf(err))
		}
		stricter := PolicySettings{QuietStart: "21:00", MaxConnected: 2}
		if err := e.svc.SavePolicy(ctBG, ctAuditor, compliance.CN, stricter); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("auditor saving: %v, want Forbidden", err)
		}
		if err := e.svc.SavePolicy(ctBG, ctOfficer, compliance.CN, stricter); err != nil {
			t.Fatal(err)
		}
		e.set(ctMorning.Add(11*time.Hour + 30*time.Minute)) // 21:30
		_, err = e.svc.LogContact(ctBG, ctCollector, e.call("phone:1", compliance.Connected))
		wantRefused(t, err, errs.Forbidden, compliance.RuleCNTimeQuiet)
		ps, err := e.svc.Policies(ctBG, ctAuditor)
		if err != nil || len(ps) != 3 || !ps[0].Active || ps[0].Limits.WindowEnd != "21:00:00" || ps[0].Limits.MaxConnectedPerDay != 2 ||
			ps[1].Limits.MaxCallsPer7Days != 7 || len(ps[0].Rules) == 0 {
			t.Errorf("Policies = %+v, %v", ps, err)
		}
		if err := e.svc.ActivateProfile(ctBG, ctAdmin, "XX"); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("unknown profile: %v", err)
		}
		if err := e.svc.ActivateProfile(ctBG, ctAdmin, compliance.US); err != nil {
			t.Fatal(err)
		}
		// Under US rules 21:30 in Shanghai is after 21:00 as well.
		_, err = e.svc.LogContact(ctBG, ctCollector, e.call("phone:1", compliance.Connected))
		wantRefused(t, err, errs.Forbidden, compliance.RuleUSTime)
		if !slices.Contains(e.auditActions(t), "compliance.policy.update") {
			t.Error("no policy audit event")
		}
	})
}

func TestService_ReplaceCalendarYear(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		cal, edited, err := e.svc.HolidayCalendar(ctBG)
		if err != nil || len(edited) != 0 || !cal.IsHoliday(mustParseDate("2026-02-16")) {
			t.Fatalf("built-in calendar: %v, %v", edited, err)
		}
		entries := []calendar.Entry{}
		for _, d := range cal.Year(2026) {
			entries = append(entries, calendar.Entry{Date: d.Date.String(), Kind: string(d.Kind), NameZH: d.Name.ZH, NameEN: d.Name.EN})
		}
		// An extra holiday decreed for 2026-03-10.
		entries = append(entries, calendar.Entry{Date: "2026-03-10", Kind: "holiday", NameZH: "特别假日", NameEN: "Special holiday"})
		bad := append(slices.Clone(entries), calendar.Entry{Date: "2027-01-01", Kind: "holiday", NameZH: "元旦", NameEN: "New Year"},
			calendar.Entry{Date: "2026-03-11", Kind: "adjusted_workday", NameZH: "x", NameEN: "x"})
		err = e.svc.ReplaceCalendarYear(ctBG, ctAdmin, 2026, bad)
		if errs.CodeOf(err) != errs.Invalid || len(errs.FieldsOf(err)) != 1 {
			t.Errorf("bad calendar: %v %v, want the weekday adjusted working day reported", err, errs.FieldsOf(err))
		}
		err = e.svc.ReplaceCalendarYear(ctBG, ctAdmin, 2026, bad[:len(bad)-1])
		if errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a 2027 date in 2026: %v", err)
		}
		if err := e.svc.ReplaceCalendarYear(ctBG, ctCollector, 2026, entries); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("collector editing the calendar: %v", err)
		}
		if err := e.svc.ReplaceCalendarYear(ctBG, ctOfficer, 2026, entries); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.LogContact(ctBG, ctCollector, e.call("phone:1", compliance.Connected))
		wantRefused(t, err, errs.Forbidden, compliance.RuleCNHoliday)
		cal, edited, _ = e.svc.HolidayCalendar(ctBG)
		if !slices.Equal(edited, []int{2026}) || !cal.IsHoliday(mustParseDate("2026-03-10")) || !cal.Covers(2025) {
			t.Errorf("edited calendar: %v", edited)
		}
		if err := e.svc.ReplaceCalendarYear(ctBG, ctOfficer, 2026, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.LogContact(ctBG, ctCollector, e.call("phone:1", compliance.Connected)); err != nil {
			t.Errorf("after restoring the built-in 2026: %v", err)
		}
	})
}

// ctPopulate logs an allowed call, a refused one and a warned one.
func ctPopulate(t *testing.T, e *ctEnv) {
	t.Helper()
	e.placeWithAgent(t) // the agent's attempt reaches the governor only on its placement
	if _, err := e.svc.LogContact(ctBG, ctCollector, e.call("phone:1", compliance.Connected)); err != nil {
		t.Fatal(err)
	}
	mom := e.call("contact:"+itoa64(e.mom.ID), compliance.Connected)
	mom.Purpose = compliance.PurposeLocate
	if _, err := e.svc.LogContact(ctBG, ctAgent, mom); err == nil {
		t.Fatal("calling the mother was allowed")
	}
	tr := e.call("phone:2", compliance.Connected)
	tr.Text, tr.TextSource = "你不还就让你好看", "transcript"
	if _, err := e.svc.LogContact(ctBG, ctCollector2, tr); err != nil {
		t.Fatal(err)
	}
}

func TestService_ComplianceOverview(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		ctPopulate(t, e)
		from, to := ctMorning.Add(-time.Hour), ctMorning.Add(time.Hour)
		if _, err := e.svc.ComplianceOverview(ctBG, ctCollector, from, to, 50, 0); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("collector: %v", err)
		}
		o, err := e.svc.ComplianceOverview(ctBG, ctAuditor, from, to, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		if o.FlaggedTotal != 2 || o.Flagged[0].Address != "" {
			t.Errorf("flagged = %+v (%d), want the refusal and the warning, masked", o.Flagged, o.FlaggedTotal)
		}
		if len(o.ByAgency) != 2 || o.ByAgency[1].Key != 7 || o.ByAgency[1].Rules[compliance.RuleCNThirdParty] != 1 {
			t.Errorf("by agency = %+v", o.ByAgency)
		}
		if len(o.ByCollector) != 3 || o.ByTeam[1].Attempts != 2 || o.ByTeam[1].Rules[compliance.RuleCNAbuse] != 1 {
			t.Errorf("by collector %+v, by team %+v", o.ByCollector, o.ByTeam)
		}
		s, err := e.svc.ScreenText(ctAuditor, "再不还钱就打断你的腿，我们是法院的")
		if err != nil || len(s.Abuse) == 0 || len(s.Impersonation)+len(s.Legal) == 0 {
			t.Errorf("ScreenText = %+v, %v", s, err)
		}
		if s, _ := e.svc.ScreenText(ctAuditor, "可免除部分罚息"); len(s.Abuse)+len(s.Pressure)+len(s.Impersonation) != 0 {
			t.Errorf("ordinary words flagged: %+v", s)
		}
	})
}

func TestService_ExportContacts(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		ctPopulate(t, e)
		from, to := ctMorning.Add(-time.Hour), ctMorning.Add(time.Hour)
		var buf bytes.Buffer
		if err := e.svc.ExportContacts(ctBG, ctAuditor, from, to, "csv", &buf); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
		if err != nil || len(rows) != 4 || len(rows[0]) != len(exportColumns) {
			t.Fatalf("csv: %d rows, %v", len(rows), err)
		}
		if rows[1][1] != "2026-03-10 10:00:00" || rows[2][20] != "block" || rows[2][21] != compliance.RuleCNThirdParty ||
			rows[2][10] != "137****7000" || strings.Contains(buf.String(), "13700137000") {
			t.Errorf("csv rows: %q", rows[1:])
		}
		buf.Reset()
		if err := e.svc.ExportContacts(ctBG, ctOfficer, from, to, "xlsx", &buf); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		xrows, err := f.GetRows("contacts")
		if err != nil || len(xrows) != 4 || xrows[3][20] != "warn" {
			t.Errorf("xlsx rows: %q, %v", xrows, err)
		}
		for _, bad := range []struct {
			by     Actor
			format string
			code   errs.Code
		}{{ctCollector, "csv", errs.Forbidden}, {ctAuditor, "pdf", errs.Invalid}} {
			if err := e.svc.ExportContacts(ctBG, bad.by, from, to, bad.format, &buf); errs.CodeOf(err) != bad.code {
				t.Errorf("export %s by %s: %v, want %s", bad.format, bad.by.User.Username, err, bad.code)
			}
		}
		if !slices.Contains(e.auditActions(t), "compliance.export") {
			t.Error("export not audited")
		}
	})
}
