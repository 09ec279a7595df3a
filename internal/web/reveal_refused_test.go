package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/sqlstore/storetest"
)

// TestRevealRefusedIsAudited: a role without pii:reveal that asks for a
// borrower's personal data, on the console or through the API, is refused
// with 403, sees nothing, and the attempt is in the audit log as
// pii.reveal_refused, refused "permission" — the route guard must not turn
// it away before the use case can record it.
func TestRevealRefusedIsAudited(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{})
	type try struct {
		role      auth.Role
		url, body string
	}
	tries := []try{
		{auth.Compliance, "/borrowers/{borrower}/reveal", form("reason", "console look")},
		{auth.Auditor, "/api/v1/borrowers/{borrower}/reveal", `{"reason":"api look"}`},
		{auth.AgencyAgent, "/api/v1/borrowers/1000000/reveal", `{"reason":"probe"}`},
	}
	for _, tr := range tries {
		if auth.RoleCan(tr.role, auth.PermPIIReveal) {
			t.Fatalf("%s holds pii:reveal; pick a role without it", tr.role)
		}
		rec := e.do(t, request{role: tr.role, method: http.MethodPost, url: e.expand(tr.url), body: tr.body})
		body := rec.Body.String()
		if rec.Code != http.StatusForbidden || strings.Contains(body, "+86") || strings.Contains(body, "revealed-id") {
			t.Errorf("%s POST %s: %d %.300s, want 403 revealing nothing", tr.role, tr.url, rec.Code, body)
		}
		if strings.Contains(body, "(pii:reveal)") {
			t.Errorf("%s POST %s: refused by the route guard, which audits nothing: %.300s", tr.role, tr.url, body)
		}
	}
	var got []string
	err := e.db.AuditEvents(ctx, func(ev audit.Event) error {
		if ev.Action != "pii.reveal_refused" {
			return nil
		}
		var sum struct {
			Refused, Reason string
		}
		if err := json.Unmarshal(ev.Summary, &sum); err != nil {
			return err
		}
		got = append(got, ev.Actor.Username+" "+ev.EntityID+" "+sum.Refused+" "+sum.Reason)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b := itoa(e.borrowerID)
	want := []string{"compliance " + b + " permission console look", "auditor " + b + " permission api look", "agency_agent 1000000 permission probe"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audited refusals:\n got %q\nwant %q", got, want)
	}
}
