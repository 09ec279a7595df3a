package collect_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// exec runs a statement written with ? placeholders and RETURNING one
// integer column, in a write transaction: how tests tamper with the log.
func (f *fixture) exec(t *testing.T, stmt string, args ...any) {
	t.Helper()
	if err := f.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var n int64
		return tx.Inspect(ctx, stmt, args...).Scan(&n)
	}); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// sixEvents writes six audit events through the use cases.
func (f *fixture) sixEvents(t *testing.T) {
	t.Helper()
	for i := range 6 {
		if _, err := f.svc.CreateBorrower(ctx, admin, borrower.Borrower{ExternalID: fmt.Sprintf("B-A%d", i), Name: "王五"}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestService_VerifyAudit(t *testing.T) {
	tests := []struct {
		name       string
		tamper     []string // statements, each RETURNING one integer
		wantBad    int64
		wantReason string
	}{
		{"intact", nil, 0, ""},
		{"summary of event 3 changed",
			[]string{`UPDATE audit_events SET summary = '{"external_id":"B-X"}' WHERE seq = 3 RETURNING seq`}, 3, "altered"},
		{"actor of event 2 changed",
			[]string{`UPDATE audit_events SET actor_username = 'someone-else' WHERE seq = 2 RETURNING seq`}, 2, "altered"},
		{"entity of the last event changed",
			[]string{`UPDATE audit_events SET entity_id = '999' WHERE seq = 6 RETURNING seq`}, 6, "altered"},
		{"event 4 removed", []string{`DELETE FROM audit_events WHERE seq = 4 RETURNING seq`}, 4, "missing"},
		{"first event removed", []string{`DELETE FROM audit_events WHERE seq = 1 RETURNING seq`}, 1, "missing"},
		{"last event removed", []string{`DELETE FROM audit_events WHERE seq = 6 RETURNING seq`}, 6, "missing"},
		{"events 3 and 4 swapped", []string{
			`UPDATE audit_events SET seq = -3 WHERE seq = 3 RETURNING seq`,
			`UPDATE audit_events SET seq = 3 WHERE seq = 4 RETURNING seq`,
			`UPDATE audit_events SET seq = 4 WHERE seq = -3 RETURNING seq`,
		}, 3, "does not follow"},
	}
	eachEngine(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, open(t))
				f.sixEvents(t)
				for _, stmt := range tt.tamper {
					f.exec(t, stmt)
				}
				got, err := f.svc.VerifyAudit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if got.OK != (tt.wantBad == 0) || got.FirstBad != tt.wantBad || !strings.Contains(got.Reason, tt.wantReason) {
					t.Errorf("VerifyAudit = %+v, want first bad %d (%q)", got, tt.wantBad, tt.wantReason)
				}
				if tt.wantBad == 0 && got.Events != 6 {
					t.Errorf("VerifyAudit counted %d events, want 6", got.Events)
				}
			})
		}
	})
}

// TestService_AuditTrail checks that every state-changing use case writes
// exactly its audit event, with the actor and request id, and that reads
// and refused requests write none.
func TestService_AuditTrail(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		l := f.newLoan(t, "trail", nil)
		steps := []struct {
			name string
			run  func() error
			want []string
		}{
			{"record payment", func() error {
				_, _, err := f.svc.RecordPayment(ctx, admin, pay("P-T1", l.ID, "100.00", "2026-03-01"))
				return err
			}, []string{"payment.record"}},
			{"replay payment", func() error {
				_, _, err := f.svc.RecordPayment(ctx, admin, pay("P-T1", l.ID, "100.00", "2026-03-01"))
				return err
			}, nil},
			{"reverse payment", func() error {
				var id int64
				f.read(t, func(tx *sqlstore.Tx) error {
					p, err := tx.PaymentByExternalID(ctx, "P-T1")
					id = p.ID
					return err
				})
				_, err := f.svc.ReversePayment(ctx, admin, id, "wrong loan")
				return err
			}, []string{"payment.reverse"}},
			{"read borrower and loan", func() error {
				if _, err := f.svc.Borrower(ctx, admin, l.BorrowerID); err != nil {
					return err
				}
				_, err := f.svc.Loan(ctx, admin, l.ID, 0)
				return err
			}, nil},
			{"reveal", func() error {
				_, err := f.svc.RevealPII(ctx, admin, l.BorrowerID, "dispute")
				return err
			}, []string{"pii.reveal"}},
			{"refused reveal", func() error {
				if _, err := f.svc.RevealPII(ctx, actorWith(auth.Compliance), l.BorrowerID, "x"); errs.CodeOf(err) != errs.Forbidden {
					return fmt.Errorf("refused reveal: %v", err)
				}
				return nil
			}, []string{"pii.reveal_refused"}}, // refused reveals are audited too
			{"import", func() error {
				_, err := f.svc.Import(ctx, admin, "borrowers", "b.csv", strings.NewReader("external_id,name\nB-T9,赵六\n"), false)
				return err
			}, []string{"import.apply"}},
			{"dry-run import", func() error {
				_, err := f.svc.Import(ctx, admin, "borrowers", "b.csv", strings.NewReader("external_id,name\nB-T10,赵六\n"), true)
				return err
			}, nil},
			{"create user", func() error {
				_, err := f.svc.CreateUser(ctx, admin, auth.User{Username: "zhao", Roles: []auth.Role{auth.Negotiator}}, password)
				return err
			}, []string{"user.create"}},
			{"login", func() error {
				_, _, err := f.svc.Login(ctx, "zhao", password, "req-9")
				return err
			}, []string{"user.login"}},
			{"token", func() error {
				_, err := f.svc.CreateToken(ctx, admin, "zhao", "script")
				return err
			}, []string{"token.create"}},
		}
		for _, s := range steps {
			before := len(f.events(t))
			if err := s.run(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if diff := cmp.Diff(s.want, f.actions(t, before)); diff != "" {
				t.Errorf("%s: audit actions (-want +got):\n%s", s.name, diff)
			}
		}
		events := f.events(t)
		for _, e := range events {
			if e.Actor.Username == "" || e.At.IsZero() || e.Hash == "" {
				t.Errorf("incomplete audit event %+v", e)
			}
		}
		if got := f.mustVerify(t); got.Events != int64(len(events)) {
			t.Errorf("VerifyAudit counted %d events, the log has %d", got.Events, len(events))
		}
	})
}
