package collect_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// facts are the stored delinquency facts a payment test checks.
type facts struct {
	AsOf                                  date.Date
	DPD                                   int
	OldestUnpaidDue                       date.Date
	Outstanding, OverdueP, OverdueI, Cred money.Amount
	Paid, Overdue                         int
	Bucket                                string
	Status                                ledger.Status
}

func (f *fixture) facts(t *testing.T, loanID int64) facts {
	t.Helper()
	row, st := f.position(t, loanID)
	p := row.Position
	return facts{AsOf: p.AsOf, DPD: p.DPD, OldestUnpaidDue: p.OldestUnpaidDue, Outstanding: p.OutstandingPrincipal,
		OverdueP: p.OverduePrincipal, OverdueI: p.OverdueInterest, Cred: p.Credit, Paid: p.PaidInstallments,
		Overdue: p.OverdueInstallments, Bucket: row.Bucket, Status: st}
}

func (f *fixture) allocations(t *testing.T, loanID int64) []ledger.Allocation {
	t.Helper()
	var out []ledger.Allocation
	f.read(t, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.Allocations(ctx, loanID)
		return err
	})
	return out
}

func pay(ext string, loanID int64, amount, paidOn string) ledger.Payment {
	return ledger.Payment{ExternalID: ext, LoanID: loanID, Amount: yuan(amount), PaidOn: date.MustParse(paidOn), Channel: "bank_transfer"}
}

// The test loan: 10,000.00 at 12% over 12 months from 2026-01-15.
// Installment 1 is due 2026-02-15: principal 788.49 + interest 100.00.
// Installment 2 is due 2026-03-15: interest round(9211.51 × 1%) = 92.12,
// principal 888.49 − 92.12 = 796.37. Today is 2026-03-20: 33 days after
// 2026-02-15, 5 days after 2026-03-15.
func TestService_RecordPayment(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		tests := []struct {
			name      string
			payments  []ledger.Payment // all posted in order; the last one is checked
			wantFacts facts
			wantAlloc []ledger.Allocation // PaymentID 0 means the last payment's id
		}{
			{
				name:     "installment paid on its due date",
				payments: []ledger.Payment{pay("P-1", 0, "888.49", "2026-02-15")},
				wantFacts: facts{AsOf: today, DPD: 5, OldestUnpaidDue: date.MustParse("2026-03-15"), Outstanding: yuan("9211.51"),
					OverdueP: yuan("796.37"), OverdueI: yuan("92.12"), Paid: 1, Overdue: 1, Bucket: "M1", Status: ledger.Delinquent},
				wantAlloc: []ledger.Allocation{{Seq: 1, Component: ledger.Interest, Amount: yuan("100.00")}, {Seq: 1, Component: ledger.Principal, Amount: yuan("788.49")}},
			},
			{
				name:     "partial payment pays interest first and does not cure",
				payments: []ledger.Payment{pay("P-1", 0, "50.00", "2026-03-01")},
				wantFacts: facts{AsOf: today, DPD: 33, OldestUnpaidDue: date.MustParse("2026-02-15"), Outstanding: yuan("10000.00"),
					OverdueP: yuan("1584.86"), OverdueI: yuan("142.12"), Overdue: 2, Bucket: "M2", Status: ledger.Delinquent},
				wantAlloc: []ledger.Allocation{{Seq: 1, Component: ledger.Interest, Amount: yuan("50.00")}},
			},
			{
				name:      "overpayment cures and is kept as credit",
				payments:  []ledger.Payment{pay("P-1", 0, "2000.00", "2026-03-16")},
				wantFacts: facts{AsOf: today, Outstanding: yuan("8415.14"), Cred: yuan("223.02"), Paid: 2, Bucket: "M0", Status: ledger.Active},
				wantAlloc: []ledger.Allocation{
					{Seq: 1, Component: ledger.Interest, Amount: yuan("100.00")}, {Seq: 1, Component: ledger.Principal, Amount: yuan("788.49")},
					{Seq: 2, Component: ledger.Interest, Amount: yuan("92.12")}, {Seq: 2, Component: ledger.Principal, Amount: yuan("796.37")},
					{Seq: 0, Component: ledger.Credit, Amount: yuan("223.02")},
				},
			},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				l := f.newLoan(t, fmt.Sprintf("rp%d", i), nil)
				before := len(f.events(t))
				var got ledger.Payment
				for j, p := range tt.payments {
					p.LoanID = l.ID
					p.ExternalID = fmt.Sprintf("%s-%d-%d", p.ExternalID, i, j)
					var created bool
					var err error
					got, created, err = f.svc.RecordPayment(ctx, admin, p)
					if err != nil || !created || got.ID == 0 {
						t.Fatalf("RecordPayment(%s) = %+v, %v, %v; want created", p.ExternalID, got, created, err)
					}
				}
				if diff := cmp.Diff(tt.wantFacts, f.facts(t, l.ID)); diff != "" {
					t.Errorf("stored facts (-want +got):\n%s", diff)
				}
				for k := range tt.wantAlloc {
					tt.wantAlloc[k].PaymentID = got.ID
				}
				if diff := cmp.Diff(tt.wantAlloc, f.allocations(t, l.ID)); diff != "" {
					t.Errorf("allocations (-want +got):\n%s", diff)
				}
				evs := f.events(t)[before:]
				if len(evs) != len(tt.payments) {
					t.Fatalf("%d audit events, want %d", len(evs), len(tt.payments))
				}
				last := evs[len(evs)-1]
				if last.Action != "payment.record" || last.EntityType != "loan" || last.EntityID != fmt.Sprint(l.ID) ||
					last.Actor.Username != admin.User.Username || last.RequestID != admin.RequestID {
					t.Errorf("audit event = %+v", last)
				}
			})
		}
		f.mustVerify(t)
	})
}

func TestService_RecordPayment_Idempotent(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		l := f.newLoan(t, "idem", nil)
		first, created, err := f.svc.RecordPayment(ctx, admin, pay("P-IDEM", l.ID, "888.49", "2026-02-15"))
		if err != nil || !created {
			t.Fatalf("first RecordPayment: created=%v err=%v", created, err)
		}
		wantFacts, wantEvents := f.facts(t, l.ID), len(f.events(t))

		t.Run("SameDetails", func(t *testing.T) {
			got, created, err := f.svc.RecordPayment(ctx, admin, pay("P-IDEM", l.ID, "888.49", "2026-02-15"))
			if err != nil || created || got.ID != first.ID {
				t.Errorf("replay = id %d, created %v, %v; want id %d, created false", got.ID, created, err, first.ID)
			}
		})
		t.Run("DifferentAmountIsConflict", func(t *testing.T) {
			_, _, err := f.svc.RecordPayment(ctx, admin, pay("P-IDEM", l.ID, "888.50", "2026-02-15"))
			if errs.CodeOf(err) != errs.Conflict {
				t.Errorf("err = %v, want Conflict", err)
			}
		})
		t.Run("DifferentDateIsConflict", func(t *testing.T) {
			_, _, err := f.svc.RecordPayment(ctx, admin, pay("P-IDEM", l.ID, "888.49", "2026-02-16"))
			if errs.CodeOf(err) != errs.Conflict {
				t.Errorf("err = %v, want Conflict", err)
			}
		})
		if n := f.count(t, "SELECT COUNT(*) FROM payments WHERE loan_id = ?", l.ID); n != 1 {
			t.Errorf("%d payments stored, want 1", n)
		}
		if got := f.facts(t, l.ID); got != wantFacts {
			t.Errorf("facts changed by a replay: %+v, want %+v", got, wantFacts)
		}
		if n := len(f.events(t)); n != wantEvents {
			t.Errorf("replays wrote %d audit events", n-wantEvents)
		}
	})
}

func TestService_RecordPayment_Invalid(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		l := f.newLoan(t, "inv", nil)
		before := len(f.events(t))
		tests := []struct {
			name      string
			p         ledger.Payment
			wantCode  errs.Code
			wantField string
		}{
			{"no external id", pay("", l.ID, "1.00", "2026-03-01"), errs.Invalid, "external_id"},
			{"zero amount", pay("P-Z", l.ID, "0", "2026-03-01"), errs.Invalid, "amount"},
			{"no date", ledger.Payment{ExternalID: "P-D", LoanID: l.ID, Amount: 100}, errs.Invalid, "paid_on"},
			{"future date", pay("P-F", l.ID, "1.00", "2026-03-25"), errs.Invalid, "paid_on"},
			{"unknown loan", pay("P-U", 999_999, "1.00", "2026-03-01"), errs.Invalid, "loan_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, _, err := f.svc.RecordPayment(ctx, admin, tt.p)
				if errs.CodeOf(err) != tt.wantCode {
					t.Fatalf("err = %v, want code %s", err, tt.wantCode)
				}
				if fs := errs.FieldsOf(err); len(fs) == 0 || fs[0].Field != tt.wantField {
					t.Errorf("fields = %+v, want %s first", fs, tt.wantField)
				}
			})
		}
		if n := f.count(t, "SELECT COUNT(*) FROM payments"); n != 0 {
			t.Errorf("%d payments stored by invalid requests", n)
		}
		if n := len(f.events(t)); n != before {
			t.Errorf("invalid requests wrote %d audit events", n-before)
		}
	})
}

func TestService_RecordPaymentKeyed(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		l := f.newLoan(t, "keyed", nil)
		p := pay("P-K1", l.ID, "888.49", "2026-02-15")
		first, created, err := f.svc.RecordPaymentKeyed(ctx, admin, "key-1", p)
		if err != nil || !created {
			t.Fatalf("first = %v, %v", created, err)
		}
		events := len(f.events(t))
		tests := []struct {
			name        string
			by          collect.Actor
			key         string
			p           ledger.Payment
			wantCode    errs.Code
			wantCreated bool
			wantID      int64
		}{
			{"same key and body replays", admin, "key-1", p, "", false, first.ID},
			{"same key, different amount", admin, "key-1", pay("P-K1", l.ID, "1.00", "2026-02-15"), errs.Conflict, false, 0},
			{"same key, different payment", admin, "key-1", pay("P-K2", l.ID, "888.49", "2026-02-15"), errs.Conflict, false, 0},
			{"same key, other user: own scope, idempotent by external id", actorWith("supervisor"), "key-1", p, "", false, first.ID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, created, err := f.svc.RecordPaymentKeyed(ctx, tt.by, tt.key, tt.p)
				if errs.CodeOf(err) != tt.wantCode || created != tt.wantCreated || got.ID != tt.wantID {
					t.Errorf("= id %d, created %v, err %v; want id %d, created %v, code %q", got.ID, created, err, tt.wantID, tt.wantCreated, tt.wantCode)
				}
			})
		}
		if n := f.count(t, "SELECT COUNT(*) FROM payments"); n != 1 {
			t.Errorf("%d payments stored, want 1", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM idempotency_keys"); n != 2 {
			t.Errorf("%d idempotency keys stored, want 2 (one per user)", n)
		}
		if n := len(f.events(t)); n != events {
			t.Errorf("replays wrote %d audit events", n-events)
		}
		t.Run("a failed request stores no key", func(t *testing.T) {
			_, _, err := f.svc.RecordPaymentKeyed(ctx, admin, "key-bad", pay("P-K3", 999_999, "1.00", "2026-02-15"))
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("err = %v, want Invalid", err)
			}
			got, created, err := f.svc.RecordPaymentKeyed(ctx, admin, "key-bad", pay("P-K3", l.ID, "1.00", "2026-02-15"))
			if err != nil || !created || got.ID == 0 {
				t.Errorf("retry with a fixed body = %+v, %v, %v; want created", got, created, err)
			}
		})
	})
}

func TestService_ReversePayment(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		l := f.newLoan(t, "rev", nil)
		p1, _, err := f.svc.RecordPayment(ctx, admin, pay("P-R1", l.ID, "888.49", "2026-02-15"))
		if err != nil {
			t.Fatal(err)
		}
		p2, _, err := f.svc.RecordPayment(ctx, admin, pay("P-R2", l.ID, "888.49", "2026-03-15"))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.facts(t, l.ID); got.DPD != 0 || got.Paid != 2 || got.Status != ledger.Active {
			t.Fatalf("before reversal: %+v", got)
		}
		before := len(f.events(t))

		got, err := f.svc.ReversePayment(ctx, admin, p1.ID, "bounced cheque")
		if err != nil {
			t.Fatal(err)
		}
		if !got.Reversed || got.ReversalReason != "bounced cheque" || got.ReversedAt.IsZero() {
			t.Errorf("reversed payment = %+v", got)
		}
		// Without P-R1, P-R2 (dated 2026-03-15) pays installment 1 late;
		// installment 2 stays unpaid: 5 days past due.
		want := facts{AsOf: today, DPD: 5, OldestUnpaidDue: date.MustParse("2026-03-15"), Outstanding: yuan("9211.51"),
			OverdueP: yuan("796.37"), OverdueI: yuan("92.12"), Paid: 1, Overdue: 1, Bucket: "M1", Status: ledger.Delinquent}
		if diff := cmp.Diff(want, f.facts(t, l.ID)); diff != "" {
			t.Errorf("facts after reversal (-want +got):\n%s", diff)
		}
		for _, a := range f.allocations(t, l.ID) {
			if a.PaymentID == p1.ID {
				t.Errorf("reversed payment still allocated: %+v", a)
			}
		}
		var pays []ledger.Payment
		f.read(t, func(tx *sqlstore.Tx) error {
			pays, err = tx.Payments(ctx, l.ID)
			return err
		})
		if len(pays) != 2 || !pays[0].Reversed || pays[0].ID != p1.ID || pays[1].Reversed || pays[1].ID != p2.ID {
			t.Errorf("payment history = %+v, want both payments, the first reversed", pays)
		}
		if diff := cmp.Diff([]string{"payment.reverse"}, f.actions(t, before)); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}

		t.Run("ErrPaymentReversed", func(t *testing.T) {
			if _, err := f.svc.ReversePayment(ctx, admin, p1.ID, "again"); !errors.Is(err, collect.ErrPaymentReversed) {
				t.Errorf("err = %v, want ErrPaymentReversed", err)
			}
		})
		t.Run("ReasonRequired", func(t *testing.T) {
			if _, err := f.svc.ReversePayment(ctx, admin, p2.ID, " "); errs.CodeOf(err) != errs.Invalid {
				t.Errorf("err = %v, want Invalid", err)
			}
		})
		t.Run("NotFound", func(t *testing.T) {
			if _, err := f.svc.ReversePayment(ctx, admin, 999_999, "x"); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("err = %v, want NotFound", err)
			}
		})
		if n := len(f.events(t)); n != before+1 {
			t.Errorf("failed reversals wrote %d audit events", n-before-1)
		}
		f.mustVerify(t)
	})
}
