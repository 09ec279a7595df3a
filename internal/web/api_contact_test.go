package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/notify/smsgw"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

type ctProblem struct {
	Status     int                 `json:"status"`
	Detail     string              `json:"detail"`
	Decision   compliance.Decision `json:"decision"`
	AttemptID  int64               `json:"attempt_id"`
	ApprovalID int64               `json:"approval_id"`
}

// TestContactAPI_CannotBypassGovernor tries the API's ways of making a
// contact the rules forbid: at night, past the daily cap (lender and
// agency together), to a third party that needs approval. Each is refused
// with the decision and recorded as refused; nothing counts as done.
func TestContactAPI_CannotBypassGovernor(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		call := map[string]any{"borrower_id": s.b.ID, "channel": "call", "to": "phone:1", "outcome": "connected"}

		s.set(ctMorning.Add(12*time.Hour + 30*time.Minute)) // 22:30
		r := s.do(t, auth.Collector, "POST", "/api/v1/contacts", call)
		var p ctProblem
		r.json(t, &p)
		if r.Status != http.StatusForbidden || !p.Decision.Fired(compliance.RuleCNTimeQuiet) || p.Decision.Reasons.ZH == "" ||
			!strings.Contains(r.Header.Get("Content-Type"), "problem+json") || p.AttemptID == 0 {
			t.Fatalf("call at 22:30: %d %s", r.Status, r.Body)
		}
		// A literal number that is not the borrower's fails closed.
		r = s.do(t, auth.Collector, "POST", "/api/v1/contacts/check",
			map[string]any{"borrower_id": s.b.ID, "channel": "call", "to": "+8613111111111"})
		var check struct{ Decision compliance.Decision }
		r.json(t, &check)
		if r.Status != 200 || !check.Decision.Fired(compliance.RuleFailClosed) {
			t.Errorf("unknown number: %d %s", r.Status, r.Body)
		}

		s.set(ctMorning)
		// An agency agent may not reach a borrower not placed with the
		// agency: to it the borrower does not exist.
		before := s.performed(t)
		r = s.do(t, auth.AgencyAgent, "POST", "/api/v1/contacts", call)
		p = ctProblem{}
		r.json(t, &p)
		if r.Status != http.StatusNotFound || p.Detail != fmt.Sprintf("Borrower %d not found.", s.b.ID) || len(p.Decision.Rules) != 0 {
			t.Fatalf("agency agent, borrower not placed with it: %d %s", r.Status, r.Body)
		}
		if r := s.do(t, auth.AgencyAgent, "POST", "/api/v1/contacts/check", call); r.Status != http.StatusNotFound {
			t.Errorf("agency agent checking a borrower not placed with it: %d %s", r.Status, r.Body)
		}
		if s.performed(t) != before {
			t.Fatal("a refused agency contact was recorded as made")
		}
		s.placeWithAgency(t) // from here the borrower is the agency's placement
		for i, role := range []auth.Role{auth.Collector, auth.AgencyAgent, auth.Supervisor} {
			if r := s.do(t, role, "POST", "/api/v1/contacts", call); r.Status != http.StatusCreated {
				t.Fatalf("call %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		r = s.do(t, auth.Collector, "POST", "/api/v1/contacts", call)
		r.json(t, &p)
		if r.Status != http.StatusForbidden || !p.Decision.Fired(compliance.RuleCNFreqConnected) {
			t.Fatalf("4th connected call: %d %s", r.Status, r.Body)
		}

		wife := map[string]any{"borrower_id": s.b.ID, "channel": "call", "to": fmt.Sprintf("contact:%d", s.wife.ID),
			"purpose": "collection", "outcome": "connected"}
		s.set(ctMorning.Add(24 * time.Hour))
		r = s.do(t, auth.Collector, "POST", "/api/v1/contacts", wife)
		r.json(t, &p)
		if r.Status != http.StatusConflict || p.ApprovalID == 0 || p.Decision.Action != compliance.Approval {
			t.Fatalf("debt-related third party: %d %s", r.Status, r.Body)
		}
		if r := s.do(t, auth.Collector, "POST", fmt.Sprintf("/api/v1/approvals/%d/decision", p.ApprovalID),
			map[string]any{"approve": true}); r.Status != http.StatusForbidden {
			t.Errorf("collector approving: %d %s", r.Status, r.Body)
		}
		r = s.do(t, auth.Compliance, "POST", fmt.Sprintf("/api/v1/approvals/%d/decision", p.ApprovalID),
			map[string]any{"approve": true, "note": "法律认定在案"})
		if r.Status != 200 || !strings.Contains(r.Body, `"status":"approved"`) || strings.Contains(r.Body, "13600136000") {
			t.Fatalf("compliance approving: %d %s", r.Status, r.Body)
		}
		if r := s.do(t, auth.Collector, "POST", "/api/v1/contacts", wife); r.Status != http.StatusCreated ||
			strings.Contains(r.Body, "13600136000") {
			t.Fatalf("after approval: %d %s", r.Status, r.Body)
		}
		if n := s.performed(t); n != 4 {
			t.Errorf("%d contacts happened, want 4 (3 calls and the approved one)", n)
		}
		r = s.do(t, auth.Auditor, "GET", fmt.Sprintf("/api/v1/contacts?borrower_id=%d&from=2026-03-10&to=2026-03-11&flagged=true", s.b.ID), nil)
		var list struct {
			Items []struct{ Rules []string }
			Total int
		}
		r.json(t, &list)
		if r.Status != 200 || list.Total != 3 {
			t.Errorf("flagged log: %d %s", r.Status, r.Body)
		}
	})
}

func TestContactAPI_Check(t *testing.T) {
	t.Parallel()
	s := newCtSite(t, storetest.OpenSQLite(t))
	s.set(ctMorning.Add(-4 * time.Hour)) // 06:00
	r := s.do(t, auth.Collector, "POST", "/api/v1/contacts/check", map[string]any{"borrower_id": s.b.ID, "channel": "sms", "to": "phone:2"})
	var res struct {
		Decision    compliance.Decision
		NextAllowed time.Time `json:"next_allowed"`
	}
	r.json(t, &res)
	if r.Status != 200 || res.Decision.Action != compliance.Block || !res.NextAllowed.Equal(ctMorning.Add(-2*time.Hour)) {
		t.Errorf("check at 06:00: %d %s", r.Status, r.Body)
	}
	if s.performed(t) != 0 {
		t.Error("the check recorded a contact")
	}
	for _, bad := range []string{`{"borrower_id": 0, "channel": "call"}`, `{"borrower_id": 1, "channel": "call", "to": "phone:7"}`} {
		if r := s.do(t, auth.Collector, "POST", "/api/v1/contacts/check", bad); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", bad, r.Status, r.Body)
		}
	}
	if r := s.do(t, auth.Auditor, "POST", "/api/v1/contacts", map[string]any{"borrower_id": s.b.ID, "channel": "call"}); r.Status != http.StatusForbidden {
		t.Errorf("auditor logging: %d", r.Status)
	}
	if r := s.do(t, "", "POST", "/api/v1/contacts/check", map[string]any{"borrower_id": s.b.ID}); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", r.Status)
	}
}

// TestMessageAPI sends an SMS through the API, delivers it by hand as the
// sender would, and posts the gateway's delivery report.
func TestMessageAPI(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		r := s.do(t, auth.Collector, "POST", "/api/v1/messages", map[string]any{"borrower_id": s.b.ID, "channel": "sms",
			"to": "phone:1", "body": "张先生您好，请回电。", "key": "k1"})
		var m outbox.Message
		r.json(t, &m)
		if r.Status != http.StatusAccepted || m.Status != outbox.Queued || m.To != "138****8000" {
			t.Fatalf("send: %d %s", r.Status, r.Body)
		}
		r = s.do(t, auth.Collector, "POST", "/api/v1/messages", map[string]any{"borrower_id": s.b.ID, "channel": "sms",
			"to": "phone:1", "body": "不还钱就弄死你", "key": "k2"})
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, compliance.RuleCNAbuse) {
			t.Errorf("abusive SMS: %d %s", r.Status, r.Body)
		}
		ctx := context.Background()
		ready, _, err := s.svc.ClaimMessages(ctx, 10, outbox.Lease)
		if err != nil || len(ready) != 1 {
			t.Fatal(ready, err)
		}
		if err := s.svc.MessageSent(ctx, ready[0], "gw1", s.clock()); err != nil {
			t.Fatal(err)
		}
		report := fmt.Sprintf(`[{"out_id":"%d","biz_id":"gw1","phone":"+8613800138000","status":"DELIVRD","report_time":"2026-03-10 10:00:05"},
			{"out_id":"x9","status":"UNDELIV"}]`, m.ID)
		// The gateway signs its push; a staff token is no substitute.
		if r := s.do(t, auth.Collector, "POST", "/api/v1/notify/sms-report", report); r.Status != http.StatusUnauthorized {
			t.Errorf("report with a collector's token and no signature: %d", r.Status)
		}
		sig := smsgw.SignReport([]byte(report), s.clock())
		r = s.do(t, "", "POST", "/api/v1/notify/sms-report", report, "X-Timestamp", sig.Get("X-Timestamp"), "X-Signature", sig.Get("X-Signature"))
		if r.Status != 200 || !strings.Contains(r.Body, `"matched":1`) || !strings.Contains(r.Body, `"received":2`) {
			t.Fatalf("report: %d %s", r.Status, r.Body)
		}
		r = s.do(t, auth.Collector, "GET", fmt.Sprintf("/api/v1/messages?borrower_id=%d", s.b.ID), nil)
		if r.Status != 200 || !strings.Contains(r.Body, `"delivery":"delivered"`) || strings.Contains(r.Body, "13800138000") {
			t.Errorf("messages: %d %s", r.Status, r.Body)
		}
		var got outbox.Message
		_ = s.db.Read(ctx, func(tx *sqlstore.Tx) error { got, err = tx.Message(ctx, m.ID); return err })
		if got.Delivery != outbox.DeliveryDelivered {
			t.Errorf("delivery %s", got.Delivery)
		}
	})
}

// TestComplianceRoutes_Permissions pins the permission of every contact
// and compliance route.
func TestComplianceRoutes_Permissions(t *testing.T) {
	t.Parallel()
	s := newCtSite(t, storetest.OpenSQLite(t))
	want := map[string]auth.Permission{
		"GET /borrowers/{id}/contact": auth.PermContactLog, "POST /borrowers/{id}/contacts": auth.PermContactLog,
		"GET /cases/{id}/contact": auth.PermContactLog, "POST /cases/{id}/messages": auth.PermContactLog,
		"GET /compliance": auth.PermComplianceRead, "POST /compliance/approvals/{id}/approve": auth.PermApprove,
		"POST /compliance/policy/{jurisdiction}": auth.PermComplianceEdit, "GET /compliance/export": auth.PermComplianceRead,
		"POST /api/v1/contacts": auth.PermContactLog, "POST /api/v1/contacts/check": auth.PermContactLog,
		"POST /api/v1/approvals/{id}/decision": auth.PermApprove, "POST /api/v1/notify/sms-report": "signed",
		"PUT /api/v1/compliance/calendar/{year}": auth.PermComplianceEdit, "GET /api/v1/contacts": auth.PermComplianceRead,
	}
	got := map[string]auth.Permission{}
	for _, r := range s.srv.Routes() {
		got[r.Method+" "+r.Pattern] = r.Perm
	}
	for route, perm := range want {
		if got[route] != perm {
			t.Errorf("%s: permission %q, want %q", route, got[route], perm)
		}
	}
	// Every role without the permission is refused, every role with it is
	// not; the borrower is placed with the agency agent's agency.
	s.placeWithAgency(t)
	paths := map[string]string{"GET /borrowers/{id}/contact": fmt.Sprintf("/borrowers/%d/contact", s.b.ID),
		"GET /compliance": "/compliance?from=2026-03-10&to=2026-03-10", "GET /compliance/approvals": "/compliance/approvals",
		"GET /api/v1/compliance/policies": "/api/v1/compliance/policies"}
	for route, path := range paths {
		method, _, _ := strings.Cut(route, " ")
		for _, role := range auth.Roles {
			r := s.do(t, role, method, path, nil)
			if can := auth.RoleCan(role, got[route]); can != (r.Status == 200) || (!can && r.Status != http.StatusForbidden) {
				t.Errorf("%s as %s: %d (may: %v)", route, role, r.Status, can)
			}
		}
	}
	if !slices.Contains(auth.AllPermissions, auth.PermApprove) {
		t.Error("contact:approve is not a permission")
	}
}
