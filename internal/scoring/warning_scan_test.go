package scoring_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/plan"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestEarlyWarnings_SameAsByIDs: the early-warning scan reading its
// borrowers by slices (ScoringFactsIn, payment channels added) finds and
// stores the warnings the scan found from ScoringFacts by lists of ids;
// so does warnSlice on the whole book read by ranges as the nightly pass
// reads it (also for a warned borrower the pass leaves out as paid off); with facts partly cached, payments through a new channel,
// shrinking payments, failed auto-debits and a late plan instalment; on
// two nights (the second stores nothing stored the night before); on
// both engines.
func TestEarlyWarnings_SameAsByIDs(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, eng storetest.Engine) {
		e := newEnv(t, eng.Open(t), 400, 3)
		day := start.AddDays(3)
		e.setDay(day)
		cacheAll(t, e.db)
		old := oldFacts(t, e.db, e.svc.Zone())
		var ids []int64
		for id := range old {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		var habit []features.Loan // the open loan of current borrowers with a payment habit
		for _, id := range ids {
			f := old[id]
			f.Policy = e.svc.Policy()
			if v := features.Compute(f, day); v.Num[features.DPD] == 0 && v.Num[features.LoansOpen] == 1 &&
				len(f.Loans) == 1 && len(f.Loans[0].Payments) >= 4 {
				habit = append(habit, f.Loans[0])
			}
		}
		if len(habit) < 14 {
			t.Fatalf("%d current borrowers with a payment habit", len(habit))
		}
		pay := func(night int, loans []features.Loan) {
			t.Helper()
			for i, l := range loans {
				amount := money.Amount(1_00) // shrinking, and through a channel never used
				if i%2 == 1 {
					amount = l.Payments[len(l.Payments)-1].Amount
				}
				if _, _, err := e.svc.RecordPayment(ctx, approver, ledger.Payment{ExternalID: fmt.Sprintf("EWS-%d-%d", night, i),
					LoanID: l.Loan.ID, Amount: amount, PaidOn: day.AddDays(night), Channel: "counter", ReceivedAt: e.clock()}); err != nil {
					t.Fatal(err)
				}
			}
		}
		pay(0, habit[:8])
		for i, l := range habit[8:11] {
			if _, _, err := e.svc.RecordPaymentAttempt(ctx, approver, ledger.PaymentAttempt{ExternalID: fmt.Sprintf("EWD-%d", i),
				LoanID: l.Loan.ID, Amount: money.Yuan(800), AttemptedOn: day, Channel: ledger.ChannelWithholding,
				Status: ledger.AttemptFailed, Reason: "余额不足"}); err != nil {
				t.Fatal(err)
			}
		}
		due := day.AddDays(-features.PlanLateDays)
		if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			p := sqlstore.PlanRow{Plan: plan.Plan{BorrowerID: habit[11].Loan.BorrowerID, AgreementID: 7101, Start: due.AddDays(-30),
				Financed: money.Yuan(2000), Schedule: []plan.Instalment{{Seq: 1, Due: due, Amount: money.Yuan(1000)},
					{Seq: 2, Due: due.AddMonthsClamped(1), Amount: money.Yuan(1000)}}}}
			return tx.CreatePlan(ctx, &p)
		}); err != nil {
			t.Fatal(err)
		}

		for night := range 2 {
			d := day.AddDays(night)
			e.setDay(d)
			if night == 1 { // warned yesterday (not stored again), and new ones
				pay(night, append(habit[:2:2], habit[12:14]...))
			}
			want, err := e.score.WarningsByIDs(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if night == 0 {
				for _, code := range []string{features.WarnChannelChange, features.WarnShrinking, features.WarnFailedDebit, features.WarnPlanLate} {
					if !slices.ContainsFunc(want, func(w sqlstore.EarlyWarning) bool { return w.Code == code }) {
						t.Errorf("the reference found no %s warning: the test does not cover it", code)
					}
				}
			}
			if len(want) == 0 {
				t.Errorf("night %d: the reference found no warning", night)
			}
			if night == 0 { // the pass leaves out a warned borrower whose loans are all marked paid off
				cacheAll(t, e.db)
				if err := e.score.MarkDone(ctx, []int64{habit[0].Loan.BorrowerID}, d); err != nil {
					t.Fatal(err)
				}
			}
			book, skipped, err := e.score.WarningsOfBook(ctx, d, 37)
			if err != nil {
				t.Fatal(err)
			}
			if night == 0 && skipped != 1 {
				t.Errorf("the pass's reads left out %d borrowers, want 1 (marked paid off)", skipped)
			}
			sameWarnings(t, fmt.Sprintf("night %d, warnSlice on the book", night), book, want)
			counts, err := e.score.RunNightly(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			var stored []sqlstore.EarlyWarning
			if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
				stored, err = tx.WarningsBetween(ctx, nil, d, d)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			sameWarnings(t, fmt.Sprintf("night %d, stored by the scan", night), stored, want)
			n := 0
			for k, v := range counts {
				if strings.HasPrefix(k, "warnings_") {
					n += v
				}
			}
			if n != len(want) || counts["ew_borrowers_scanned"] == 0 {
				t.Errorf("night %d counted %d warnings of %d borrowers scanned, want %d", night, n, counts["ew_borrowers_scanned"], len(want))
			}
		}
	})
}

// sameWarnings fails t unless got and want hold the same warnings (the
// evidence compared as JSON values: PostgreSQL's jsonb respaces it).
func sameWarnings(t *testing.T, what string, got, want []sqlstore.EarlyWarning) {
	t.Helper()
	key := func(ws []sqlstore.EarlyWarning) []string {
		var out []string
		for _, w := range ws {
			var ev any
			if err := json.Unmarshal(w.Evidence, &ev); err != nil {
				t.Fatalf("%s: evidence %s: %v", what, w.Evidence, err)
			}
			out = append(out, fmt.Sprintf("%d %s %s %s %s %v", w.BorrowerID, w.AsOf, w.Code, w.ZH, w.EN, ev))
		}
		slices.Sort(out)
		return out
	}
	if g, w := key(got), key(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s: %d warnings, want %d:\n got %q\nwant %q", what, len(g), len(w), g, w)
	}
}

// TestWarnScopes: the scan reads a range where at least half of the ids
// are active, and lists of the others, in id order, each active id once.
func TestWarnScopes(t *testing.T) {
	t.Parallel()
	var active []int64
	for id := int64(10); id < 4010; id += 2 { // dense: half of 4000 ids
		active = append(active, id)
	}
	for id := int64(5000); id < 30000; id += 7 { // sparse
		active = append(active, id)
	}
	active = append(active, 1_000_000)
	scopes := scoring.WarnScopes(active)
	if len(scopes) < 3 || scopes[0].IDs != nil || scopes[0].After != 9 || scopes[0].UpTo != 4008 {
		t.Fatalf("first scope %+v of %d, want the range (9, 4008]", scopes[0], len(scopes))
	}
	var covered []int64
	for _, sc := range scopes {
		if sc.IDs == nil {
			for _, id := range active {
				if id > sc.After && id <= sc.UpTo {
					covered = append(covered, id)
				}
			}
			continue
		}
		if len(sc.IDs) > 2000 {
			t.Errorf("a list of %d ids", len(sc.IDs))
		}
		covered = append(covered, sc.IDs...)
	}
	if !slices.Equal(covered, active) {
		t.Errorf("the scopes cover %d ids in this order, want the %d active ones", len(covered), len(active))
	}
}
