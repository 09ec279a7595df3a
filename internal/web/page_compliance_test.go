package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// ctTraffic logs an allowed call, a blocked one and a warned one.
func ctTraffic(t *testing.T, s *ctSite) {
	t.Helper()
	for _, c := range []map[string]any{
		{"borrower_id": s.b.ID, "channel": "call", "to": "phone:1", "outcome": "connected"},
		{"borrower_id": s.b.ID, "channel": "call", "to": fmt.Sprintf("contact:%d", s.mom.ID), "purpose": "locate"},
		{"borrower_id": s.b.ID, "channel": "call", "to": "phone:2", "outcome": "connected", "text": "你不还就让你好看", "text_source": "transcript"},
	} {
		s.do(t, auth.Collector, "POST", "/api/v1/contacts", c)
	}
}

func TestComplianceConsole(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		ctTraffic(t, s)
		r := s.do(t, auth.Auditor, "GET", "/compliance?from=2026-03-10&to=2026-03-10", nil)
		for _, want := range []string{`id="hits-team"`, `id="hits-collector"`, "collector1", "CN-THIRDPARTY", "CN-CONTENT-ABUSE",
			`data-decision="block"`, `data-decision="warn"`, "33.3%", "137****7000"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("console lacks %q", want)
			}
		}
		if r.Status != 200 || strings.Contains(r.Body, "13700137000") {
			t.Fatalf("console: %d", r.Status)
		}
		if r := s.do(t, auth.Collector, "GET", "/compliance", nil); r.Status != http.StatusForbidden {
			t.Errorf("collector: %d", r.Status)
		}

		r = s.do(t, auth.Auditor, "GET", "/compliance/export?from=2026-03-10&to=2026-03-10&format=csv", nil)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
			strings.Count(r.Body, "\n") != 4 || !strings.Contains(r.Body, "CN-THIRDPARTY") ||
			!strings.Contains(r.Header.Get("Content-Disposition"), "contacts_2026-03-10_2026-03-10.csv") {
			t.Errorf("csv export: %d %q %s", r.Status, r.Header, r.Body)
		}
		r = s.do(t, auth.Compliance, "GET", "/api/v1/compliance/export?from=2026-03-10&to=2026-03-10&format=xlsx", nil)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
		if r.Status != 200 || err != nil {
			t.Fatalf("xlsx export: %d %v", r.Status, err)
		}
		if rows, _ := f.GetRows("contacts"); len(rows) != 4 {
			t.Errorf("xlsx has %d rows, want a header and 3", len(rows))
		}
		if r := s.do(t, auth.Auditor, "GET", "/compliance/export?format=pdf", nil); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("pdf export: %d", r.Status)
		}

		r = s.do(t, auth.Compliance, "POST", "/compliance/screen", url.Values{"text": {"再不还钱就打断你的腿"}}, "HX-Request", "true")
		if r.Status != 200 || !strings.Contains(r.Body, "打断你的腿") || strings.Contains(r.Body, "<html") {
			t.Errorf("template checker: %d %s", r.Status, r.Body)
		}
		r = s.do(t, auth.Compliance, "POST", "/api/v1/compliance/screen", map[string]string{"text": "可免除部分罚息"})
		if r.Status != 200 || !strings.Contains(r.Body, `"clean":true`) {
			t.Errorf("screen API: %d %s", r.Status, r.Body)
		}
	})
}

func TestComplianceConsole_Approvals(t *testing.T) {
	t.Parallel()
	s := newCtSite(t, storetest.OpenSQLite(t))
	wife := map[string]any{"borrower_id": s.b.ID, "channel": "call", "to": fmt.Sprintf("contact:%d", s.wife.ID), "purpose": "collection"}
	var p ctProblem
	s.do(t, auth.Collector, "POST", "/api/v1/contacts", wife).json(t, &p)
	r := s.do(t, auth.Compliance, "GET", "/compliance/approvals", nil)
	if r.Status != 200 || !strings.Contains(r.Body, fmt.Sprintf(`data-approval="%d"`, p.ApprovalID)) || !strings.Contains(r.Body, "collector1") {
		t.Fatalf("approvals page: %d", r.Status)
	}
	if r := s.do(t, auth.Supervisor, "POST", fmt.Sprintf("/compliance/approvals/%d/approve", p.ApprovalID), url.Values{}); r.Status != http.StatusForbidden {
		t.Errorf("supervisor approving a compliance approval: %d", r.Status)
	}
	r = s.do(t, auth.Compliance, "POST", fmt.Sprintf("/compliance/approvals/%d/approve", p.ApprovalID), url.Values{"note": {"ok"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	if r := s.do(t, auth.Collector, "POST", "/api/v1/contacts", wife); r.Status != http.StatusCreated {
		t.Errorf("after approval: %d %s", r.Status, r.Body)
	}
}

func TestComplianceConsole_PolicyAndCalendar(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		r := s.do(t, auth.Auditor, "GET", "/compliance/policy", nil)
		if r.Status != 200 || !strings.Contains(r.Body, `id="profile-CN"`) || !strings.Contains(r.Body, "08:00:00 – 22:00:00") ||
			!strings.Contains(r.Body, "US-7IN7") {
			t.Fatalf("policy page: %d", r.Status)
		}
		looser := url.Values{"quiet_start": {"23:00"}, "max_connected_calls_per_day": {"4"}}
		r = s.do(t, auth.Compliance, "POST", "/compliance/policy/CN", looser)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="policy-error"`) ||
			!strings.Contains(r.Body, "max_connected_calls_per_day") {
			t.Errorf("looser policy: %d", r.Status)
		}
		if r := s.do(t, auth.Auditor, "POST", "/compliance/policy/CN", url.Values{"quiet_start": {"21:00"}}); r.Status != http.StatusForbidden {
			t.Errorf("auditor saving policy: %d", r.Status)
		}
		r = s.do(t, auth.Compliance, "POST", "/compliance/policy/CN", url.Values{"quiet_start": {"21:00"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("stricter policy: %d %s", r.Status, r.Body)
		}
		r = s.do(t, auth.Admin, "PUT", "/api/v1/compliance/policies/CN?activate=true", map[string]any{"quiet_start": "21:00", "max_connected_calls_per_day": 2})
		if r.Status != 200 || !strings.Contains(r.Body, `"max_connected_calls_per_day":2`) {
			t.Errorf("policy API: %d %s", r.Status, r.Body)
		}
		s.set(ctMorning.Add(11*time.Hour + 30*time.Minute)) // 21:30
		r = s.do(t, auth.Collector, "POST", "/api/v1/contacts/check", map[string]any{"borrower_id": s.b.ID, "channel": "call", "to": "phone:1"})
		if !strings.Contains(r.Body, "CN-TIME-QUIET") {
			t.Errorf("21:30 under a 21:00 policy: %s", r.Body)
		}
		s.set(ctMorning)

		r = s.do(t, auth.Auditor, "GET", "/compliance/calendar?year=2026", nil)
		if r.Status != 200 || !strings.Contains(r.Body, "2026-02-14 周六") || !strings.Contains(r.Body, "调休上班日") {
			t.Fatalf("calendar page: %d", r.Status)
		}
		bad := "2026-03-10,holiday,特别假日,\n2026-03-11,adjusted_workday,x,x\n"
		r = s.do(t, auth.Compliance, "POST", "/compliance/calendar/2026", url.Values{"days": {bad}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="calendar-error"`) || !strings.Contains(r.Body, "#2") {
			t.Errorf("bad calendar: %d", r.Status)
		}
		good := "date,kind,name_zh,name_en\n2026-03-10,holiday,特别假日,Special holiday\n"
		if r := s.do(t, auth.Collector, "POST", "/compliance/calendar/2026", url.Values{"days": {good}}); r.Status != http.StatusForbidden {
			t.Errorf("collector editing: %d", r.Status)
		}
		if r := s.do(t, auth.Compliance, "POST", "/compliance/calendar/2026", url.Values{"days": {good}}); r.Status != http.StatusSeeOther {
			t.Fatalf("edit calendar: %d %s", r.Status, r.Body)
		}
		r = s.do(t, auth.Collector, "POST", "/api/v1/contacts", map[string]any{"borrower_id": s.b.ID, "channel": "call", "to": "phone:1"})
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "CN-HOLIDAY") {
			t.Errorf("call on the new holiday: %d %s", r.Status, r.Body)
		}
		r = s.do(t, auth.Auditor, "GET", "/api/v1/compliance/calendar/2026", nil)
		if r.Status != 200 || !strings.Contains(r.Body, `"edited":true`) || strings.Contains(r.Body, "2026-02-14") {
			t.Errorf("calendar API after the edit: %d %s", r.Status, r.Body)
		}
		r = s.do(t, auth.Admin, "PUT", "/api/v1/compliance/calendar/2026", map[string]any{"days": []any{}})
		if r.Status != 200 || !strings.Contains(r.Body, `"edited":false`) || !strings.Contains(r.Body, "2026-02-14") {
			t.Errorf("restoring 2026: %d %s", r.Status, r.Body)
		}
	})
}

// TestComplianceConsole_WarnedQueued: messages waiting in the outbox that
// the governor warned about are listed for review, in both languages;
// allowed, sent-off or cancelled ones are not, and addresses are masked.
func TestComplianceConsole_WarnedQueued(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		warn := compliance.Decision{Action: compliance.Warn, Rules: []string{compliance.RuleVulnerableAutomation},
			Reasons: compliance.Text{ZH: "弱势借款人：由专门队列的专员联系", EN: "Vulnerable borrower: contact through the specialist queue"}}
		allow := compliance.Decision{Action: compliance.Allow, Rules: []string{}}
		msgs := []outbox.Message{
			{Body: "您好，请方便时回电。", Decision: warn},
			{Body: "明早提醒：本期账单已出。", Decision: warn, Status: outbox.Held, NotBefore: ctMorning.Add(22 * time.Hour)},
			{Body: "允许的消息", Decision: allow},
			{Body: "已撤回的消息", Decision: warn, Status: outbox.Cancelled},
		}
		var ids []int64
		err := s.db.InTx(context.Background(), func(tx *sqlstore.Tx) error {
			for i := range msgs {
				m := &msgs[i]
				m.BorrowerID, m.Channel, m.To, m.By = s.b.ID, outbox.SMS, "+8613800138000", "lender"
				m.DedupKey = fmt.Sprintf("warned-test:%d", i)
				if _, err := tx.EnqueueMessage(context.Background(), m); err != nil {
					return err
				}
				ids = append(ids, m.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r := s.do(t, auth.Auditor, "GET", "/compliance", nil)
		if r.Status != 200 {
			t.Fatalf("console: %d", r.Status)
		}
		_, table, _ := strings.Cut(r.Body, `id="warned-queued"`)
		table, _, _ = strings.Cut(table, "</table>")
		for _, want := range []string{"待发送的警示消息", fmt.Sprintf(`data-message="%d"`, ids[0]), fmt.Sprintf(`data-message="%d"`, ids[1]),
			"您好，请方便时回电。", "明早提醒", "暂缓至允许时段", "排队中", "VULNERABLE-AUTOMATION", "弱势借款人：由专门队列的专员联系", "138****8000"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("console lacks %q", want)
			}
		}
		for _, unwanted := range []string{"允许的消息", "已撤回的消息", fmt.Sprintf(`data-message="%d"`, ids[2]), "13800138000"} {
			if strings.Contains(table, unwanted) {
				t.Errorf("warned list shows %q", unwanted)
			}
		}
		// Oldest first: the queued one (due now) before the held one.
		if strings.Index(table, "您好，请方便时回电。") > strings.Index(table, "明早提醒") {
			t.Error("warned list is not in sending order")
		}
		r = s.do(t, auth.Compliance, "GET", "/compliance", nil, "Cookie", "accord_lang=en")
		for _, want := range []string{"Queued messages with a warning", "held for the allowed window", "Vulnerable borrower: contact through the specialist queue"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("English console lacks %q", want)
			}
		}
		// The template checker names the new categories.
		r = s.do(t, auth.Compliance, "POST", "/compliance/screen", url.Values{"text": {"再不还钱我们就通知你单位领导"}}, "HX-Request", "true")
		if !strings.Contains(r.Body, `data-category="implied_threat"`) || !strings.Contains(r.Body, "通知你单位") {
			t.Errorf("template checker: %s", r.Body)
		}
	})
}
