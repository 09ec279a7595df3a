package collect_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

func TestService_Borrower_Masked(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		l := f.newLoan(t, "mask", nil)
		page, err := f.svc.Borrower(ctx, actorWith(auth.Supervisor), l.BorrowerID)
		if err != nil {
			t.Fatal(err)
		}
		if !page.Masked || page.Borrower.NationalID != "440305********1232" || page.Borrower.Phones[0].Number != "138****8000" {
			t.Errorf("borrower page = masked %v, national id %q, phone %q; want 440305********1232 and 138****8000",
				page.Masked, page.Borrower.NationalID, page.Borrower.Phones[0].Number)
		}
		if len(page.Loans) != 1 || page.Loans[0].Loan.ID != l.ID {
			t.Errorf("loans = %+v, want loan %d", page.Loans, l.ID)
		}
		list, total, err := f.svc.Borrowers(ctx, actorWith(auth.Auditor), sqlstore.BorrowerFilter{Limit: 10})
		if err != nil || total != 1 || list[0].NationalID != "440305********1232" || list[0].Phones[0].Number != "138****8000" {
			t.Errorf("Borrowers = %+v, %d, %v; want one masked borrower", list, total, err)
		}
		if _, err := f.svc.Borrower(ctx, admin, 999_999); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("unknown borrower: err = %v, want NotFound", err)
		}
		// A collector with no case of this borrower does not reach them.
		if _, err := f.svc.Borrower(ctx, actorWith(auth.Collector), l.BorrowerID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("collector without a case: err = %v, want NotFound", err)
		}
		if _, total, err := f.svc.Borrowers(ctx, actorWith(auth.Collector), sqlstore.BorrowerFilter{}); err != nil || total != 0 {
			t.Errorf("collector without a case lists %d borrowers, %v", total, err)
		}
	})
}

func TestService_RevealPII(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		l := f.newLoan(t, "reveal", nil)
		tests := []struct {
			name     string
			role     auth.Role
			id       int64
			wantCode errs.Code
			wantLog  bool
		}{
			{"supervisor sees and is audited", auth.Supervisor, l.BorrowerID, "", true},
			{"admin sees and is audited", auth.Admin, l.BorrowerID, "", true},
			{"collector without a case of the borrower is NotFound", auth.Collector, l.BorrowerID, errs.NotFound, false},
			{"compliance is Forbidden", auth.Compliance, l.BorrowerID, errs.Forbidden, false},
			{"auditor is Forbidden", auth.Auditor, l.BorrowerID, errs.Forbidden, false},
			{"unknown borrower is NotFound", auth.Supervisor, 999_999, errs.NotFound, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(f.events(t))
				by := actorWith(tt.role)
				got, err := f.svc.RevealPII(ctx, by, tt.id, "borrower asked on the phone")
				if errs.CodeOf(err) != tt.wantCode {
					t.Fatalf("err = %v, want code %q", err, tt.wantCode)
				}
				evs := f.events(t)[before:]
				if !tt.wantLog {
					if len(evs) != 1 || evs[0].Action != "pii.reveal_refused" || evs[0].EntityID != fmt.Sprint(tt.id) || got.NationalID != "" {
						t.Errorf("refused reveal returned %+v and wrote %+v, want one pii.reveal_refused event", got, evs)
					}
					return
				}
				want := collect.Revealed{NationalID: "440305199001151232", Phones: []string{"+8613800138000"}}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("revealed (-want +got):\n%s", diff)
				}
				if len(evs) != 1 {
					t.Fatalf("%d audit events, want 1", len(evs))
				}
				e := evs[0]
				var sum struct {
					Fields []string `json:"fields"`
					Reason string   `json:"reason"`
				}
				_ = json.Unmarshal(e.Summary, &sum)
				if e.Action != "pii.reveal" || e.EntityType != "borrower" || e.EntityID != fmt.Sprint(tt.id) ||
					e.Actor.Username != by.User.Username || e.Actor.Role != string(tt.role) || e.RequestID != by.RequestID ||
					sum.Reason != "borrower asked on the phone" || len(sum.Fields) != 2 {
					t.Errorf("audit event = %+v (summary %s)", e, e.Summary)
				}
			})
		}
		f.mustVerify(t)
	})
}
