package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestDisputeOutcome_Console: the borrower page offers the outcome form,
// in the user's language, only to those who may record it and only while a
// dispute is open; the JSON API refuses a borrower without an open dispute
// and bad input by field, writing nothing, and a collector.
func TestDisputeOutcome_Console(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, s *ctSite) {
		ctx := context.Background()
		page := fmt.Sprintf("/borrowers/%d", s.b.ID)
		api := fmt.Sprintf("/api/v1/borrowers/%d/dispute-outcome", s.b.ID)
		written := func() (n int) {
			t.Helper()
			err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
				return tx.Inspect(ctx, "SELECT (SELECT COUNT(*) FROM audit_events) + (SELECT COUNT(*) FROM case_events)").Scan(&n)
			})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		flags := func() []string {
			t.Helper()
			var b []string
			err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
				x, err := tx.Borrower(ctx, s.b.ID)
				b = x.Flags
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}

		// No dispute: no form, and the API says why (409) writing nothing.
		if r := s.do(t, auth.Compliance, "GET", page, nil); r.Status != 200 || strings.Contains(r.Body, `id="dispute-outcome"`) {
			t.Fatalf("page without a dispute: %d", r.Status)
		}
		before := written()
		r := s.do(t, auth.Compliance, "POST", api, map[string]any{"outcome": "rejected", "note": "核实无误"})
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, "no open dispute") || written() != before {
			t.Errorf("no dispute: %d %s", r.Status, r.Body)
		}

		err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			f := []string{compliance.FlagDisputed}
			_, err := tx.UpdateBorrower(ctx, s.b.ID, sqlstore.BorrowerUpdate{Flags: &f})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// The form: for the supervisor and compliance, in Chinese and in
		// English; not for the collector.
		for _, c := range []struct {
			role       auth.Role
			lang, want string
		}{{auth.Compliance, "zh-CN", "记录异议核实结果"}, {auth.Supervisor, "en", "Record dispute outcome"}} {
			r := s.do(t, c.role, "GET", page, nil, "Cookie", "accord_lang="+c.lang)
			if r.Status != 200 || !strings.Contains(r.Body, `id="dispute-outcome"`) || !strings.Contains(r.Body, c.want) ||
				!strings.Contains(r.Body, `action="/borrowers/`) || !strings.Contains(r.Body, `name="csrf_token"`) ||
				!strings.Contains(r.Body, `value="upheld"`) || strings.Contains(r.Body, "<script>") {
				t.Errorf("form for %s in %s: %d", c.role, c.lang, r.Status)
			}
		}
		if r := s.do(t, auth.Collector, "GET", page, nil); r.Status != 200 || strings.Contains(r.Body, `id="dispute-outcome"`) {
			t.Errorf("the collector sees the form: %d", r.Status)
		}

		// Refusals write nothing.
		before = written()
		if r := s.do(t, auth.Collector, "POST", api, map[string]any{"outcome": "rejected", "note": "x"}); r.Status != http.StatusForbidden {
			t.Errorf("collector: %d", r.Status)
		}
		if r := s.do(t, auth.Supervisor, "POST", api, map[string]any{"outcome": "maybe", "note": "x"}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "outcome") {
			t.Errorf("bad outcome: %d %s", r.Status, r.Body)
		}
		if r := s.do(t, auth.Supervisor, "POST", page+"/dispute-outcome", url.Values{"outcome": {"upheld"}, "note": {" "}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "note") {
			t.Errorf("console without a note: %d", r.Status)
		}
		if written() != before || slices.Contains(flags(), compliance.FlagDisputeResolved) {
			t.Fatal("a refused outcome wrote something")
		}

		// Recorded: the flags, the masked note; the page shows it resolved and no form.
		r = s.do(t, auth.Supervisor, "POST", api, map[string]any{"outcome": "corrected", "note": "金额已更正，借款人电话13800138000"})
		if r.Status != 200 || !strings.Contains(r.Body, `"dispute_resolved"`) || strings.Contains(r.Body, "13800138000") ||
			!slices.Contains(flags(), compliance.FlagDisputeResolved) {
			t.Errorf("record: %d %s", r.Status, r.Body)
		}
		if r := s.do(t, auth.Supervisor, "GET", page, nil); strings.Contains(r.Body, `id="dispute-outcome"`) || !strings.Contains(r.Body, "异议已核实") {
			t.Errorf("page after the outcome: %d", r.Status)
		}
	})
}

// TestDisputeOutcome_Permissions pins who may record a dispute's outcome:
// supervisors, compliance officers and admins, on both routes.
func TestDisputeOutcome_Permissions(t *testing.T) {
	t.Parallel()
	s := newCtSite(t, storetest.OpenSQLite(t))
	got := map[string]auth.Permission{}
	for _, r := range s.srv.Routes() {
		got[r.Method+" "+r.Pattern] = r.Perm
	}
	for _, route := range []string{"POST /borrowers/{id}/dispute-outcome", "POST /api/v1/borrowers/{id}/dispute-outcome"} {
		if got[route] != auth.PermDisputeResolve {
			t.Errorf("%s: permission %q, want dispute:resolve", route, got[route])
		}
	}
	for _, role := range auth.Roles {
		want := role == auth.Supervisor || role == auth.Compliance || role == auth.Admin
		if auth.RoleCan(role, auth.PermDisputeResolve) != want {
			t.Errorf("%s may record dispute outcomes: %v, want %v", role, !want, want)
		}
		r := s.do(t, role, "POST", fmt.Sprintf("/api/v1/borrowers/%d/dispute-outcome", s.b.ID), map[string]any{"outcome": "rejected", "note": "x"})
		if want && r.Status != http.StatusConflict || !want && r.Status != http.StatusForbidden {
			t.Errorf("%s: %d (may: %v)", role, r.Status, want)
		}
	}
	if !slices.Contains(auth.AllPermissions, auth.PermDisputeResolve) {
		t.Error("dispute:resolve is not a permission")
	}
}
