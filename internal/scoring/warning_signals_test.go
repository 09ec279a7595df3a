package scoring_test

import (
	"testing"

	"accord/internal/borrower"
	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/plan"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestEarlyWarnings_Signals: the nightly run warns a current borrower whose
// auto-debit failed that day (recorded through RecordPaymentAttempt), one
// whose phone number was replaced that day, and a borrower whose plan
// instalment is 3 days late; not one whose failed debit was collected by a
// retry the same day; on both engines.
func TestEarlyWarnings_Signals(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, eng storetest.Engine) {
		e := newEnv(t, eng.Open(t), 300, 1)
		day := start.AddDays(1)
		e.setDay(day)
		e.db.Now = e.clock
		var current []ledger.Loan // one open loan of each current borrower
		var other int64
		if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
			ids, err := tx.ScoringBorrowers(ctx, 0, 300)
			if err != nil {
				return err
			}
			facts, err := tx.ScoringFacts(ctx, ids, e.svc.Zone())
			for _, id := range ids {
				f := facts[id]
				f.Policy = e.svc.Policy()
				v := features.Compute(f, day)
				if v.Num[features.DPD] == 0 && v.Num[features.LoansOpen] > 0 && len(current) < 3 {
					current = append(current, f.Loans[len(f.Loans)-1].Loan)
				} else if other == 0 && len(current) == 3 {
					other = id
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(current) < 3 || other == 0 {
			t.Fatalf("%d current borrowers, other %d", len(current), other)
		}
		failed, retried, moved := current[0], current[1], current[2]
		attempt := func(ext string, l ledger.Loan, status string) {
			t.Helper()
			if _, _, err := e.svc.RecordPaymentAttempt(ctx, approver, ledger.PaymentAttempt{ExternalID: ext, LoanID: l.ID,
				Amount: money.Yuan(800), AttemptedOn: day, Channel: ledger.ChannelWithholding, Status: status, Reason: "余额不足"}); err != nil {
				t.Fatal(err)
			}
		}
		attempt("DD-A", failed, ledger.AttemptFailed)
		attempt("DD-B1", retried, ledger.AttemptFailed)
		attempt("DD-B2", retried, ledger.AttemptSucceeded)
		err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			phones := []borrower.Phone{{Number: "+8613912345678", Kind: "mobile"}}
			if _, err := tx.UpdateBorrower(ctx, moved.BorrowerID, sqlstore.BorrowerUpdate{Phones: &phones}); err != nil {
				return err
			}
			due := day.AddDays(-features.PlanLateDays)
			p := sqlstore.PlanRow{Plan: plan.Plan{BorrowerID: other, AgreementID: 7001, Start: due.AddDays(-30), Financed: money.Yuan(3000),
				Schedule: []plan.Instalment{{Seq: 1, Due: due, Amount: money.Yuan(1000)}, {Seq: 2, Due: due.AddMonthsClamped(1), Amount: money.Yuan(1000)},
					{Seq: 3, Due: due.AddMonthsClamped(2), Amount: money.Yuan(1000)}}}}
			return tx.CreatePlan(ctx, &p)
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.RunCycle(ctx, day, nil); err != nil {
			t.Fatal(err)
		}
		got := map[int64][]string{}
		if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
			ws, err := tx.WarningsBetween(ctx, nil, day, day)
			for _, w := range ws {
				got[w.BorrowerID] = append(got[w.BorrowerID], w.Code)
				if w.ZH == "" || w.EN == "" || len(w.Evidence) < 3 {
					t.Errorf("warning without its explanation: %+v", w)
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			id   int64
			code string
			want bool
		}{
			{"failed auto-debit", failed.BorrowerID, features.WarnFailedDebit, true},
			{"debit collected by a retry", retried.BorrowerID, features.WarnFailedDebit, false},
			{"phone replaced", moved.BorrowerID, features.WarnContactChange, true},
			{"plan instalment 3 days late", other, features.WarnPlanLate, true},
		} {
			if has := contains(got[c.id], c.code); has != c.want {
				t.Errorf("%s (borrower %d): warnings %v; want %s %v", c.name, c.id, got[c.id], c.code, c.want)
			}
		}
		// Measured afterwards: each new signal has its line in the precision
		// table (issued today, so none has matured yet).
		ps, err := e.score.Precision(ctx, approver, day, day)
		if err != nil {
			t.Fatal(err)
		}
		issued := map[string]int{}
		for _, p := range ps {
			issued[p.Code] = p.Issued
			if p.Matured != 0 {
				t.Errorf("%s: %d matured on the day issued", p.Code, p.Matured)
			}
		}
		for _, code := range []string{features.WarnFailedDebit, features.WarnContactChange, features.WarnPlanLate} {
			if issued[code] == 0 {
				t.Errorf("precision table lacks %s: %+v", code, ps)
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
