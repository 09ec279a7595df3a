package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// RunPromise runs the contract tests of the promise store methods.
func RunPromise(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"Promises", testPromises},
		{"PromiseMatches", testPromiseMatches},
		{"SyncCasePromise", testSyncCasePromise},
		{"PromiseOutcomes", testPromiseOutcomes},
		{"UnmatchedPayments", testUnmatchedPayments},
		{"NextCaseCandidates", testNextCaseCandidates}, // Get next case, which skips who may not be called now
		{"MigratedSlot", testMigratedSlot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

func newPromise(caseID, borrowerID int64, amount int64, dueIn int) promise.Promise {
	return promise.Promise{CaseID: caseID, BorrowerID: borrowerID, Amount: moneyOf(amount), Due: cwDay.AddDays(dueIn),
		Channel: "call", TakenBy: "lin", CollectorID: 4, TeamID: 2, MadeOn: cwDay,
		MadeAt: time.Date(2026, 3, 10, 2, 30, 0, 123456789, time.UTC), Note: "发工资后还"}
}

func testPromises(t *testing.T, db *sqlstore.DB) {
	late := newPromise(1, 10, 300_00, 9)
	early := newPromise(1, 10, 200_00, 3)
	other := newPromise(2, 20, 100_00, 1)
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, p := range []*promise.Promise{&late, &early, &other} {
			if err := tx.CreatePromise(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if late.ID == 0 || early.ID == 0 || late.Status != promise.Open {
		t.Fatalf("CreatePromise: ids %d %d status %q", late.ID, early.ID, late.Status)
	}
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Promise(ctx, late.ID)
		if err != nil {
			return err
		}
		want := late
		want.MadeAt = want.MadeAt.Truncate(time.Microsecond)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Promise() mismatch (-want +got):\n%s", diff)
		}
		_, err = tx.Promise(ctx, 999_999)
		wantCode(t, err, errs.NotFound)
		list, err := tx.Promises(ctx, sqlstore.PromiseFilter{CaseID: 1})
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].ID != early.ID || list[1].ID != late.ID {
			t.Errorf("Promises(case 1) = %v, want early then late", ids(list))
		}
		due, err := tx.Promises(ctx, sqlstore.PromiseFilter{Statuses: []promise.Status{promise.Open}, DueBefore: cwDay.AddDays(4)})
		if err != nil {
			return err
		}
		if len(due) != 2 || due[0].ID != other.ID || due[1].ID != early.ID {
			t.Errorf("Promises(open, due before +4) = %v, want other, early", ids(due))
		}
		bs, err := tx.DuePromiseBorrowers(ctx, cwDay.AddDays(4), 0, 10)
		if err != nil {
			return err
		}
		if !cmp.Equal(bs, []int64{10, 20}) {
			t.Errorf("DuePromiseBorrowers = %v, want [10 20]", bs)
		}
		if bs, _ = tx.DuePromiseBorrowers(ctx, cwDay.AddDays(4), 10, 10); !cmp.Equal(bs, []int64{20}) {
			t.Errorf("DuePromiseBorrowers after 10 = %v, want [20]", bs)
		}
		return nil
	})
	early.Status, early.Paid, early.JudgedOn, early.CancelReason = promise.Cancelled, 50_00, cwDay.AddDays(1), "借款人改口"
	write(t, db, func(tx *sqlstore.Tx) error { return tx.UpdatePromise(ctx, early) })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Promise(ctx, early.ID)
		if err != nil {
			return err
		}
		if got.Status != promise.Cancelled || got.Paid != 50_00 || got.JudgedOn != cwDay.AddDays(1) || got.CancelReason != "借款人改口" {
			t.Errorf("after UpdatePromise: %+v", got)
		}
		open, err := tx.Promises(ctx, sqlstore.PromiseFilter{BorrowerID: 10, Statuses: []promise.Status{promise.Open}})
		if err != nil {
			return err
		}
		if len(open) != 1 || open[0].ID != late.ID {
			t.Errorf("open promises of borrower 10 = %v, want only the late one", ids(open))
		}
		return nil
	})
	missing := early
	missing.ID = 999_999
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.UpdatePromise(ctx, missing) })
	wantCode(t, err, errs.NotFound)
}

func testPromiseMatches(t *testing.T, db *sqlstore.DB) {
	ms := []sqlstore.PromiseMatch{{BorrowerID: 10, PaymentID: 7, PromiseID: 2, Amount: 100_00, PaidOn: cwDay},
		{BorrowerID: 10, PaymentID: 7, PromiseID: 1, Amount: 50_00, PaidOn: cwDay},
		{BorrowerID: 10, PaymentID: 8, PromiseID: 1, Amount: 20_00, PaidOn: cwDay.AddDays(1)}}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.AddPromiseMatches(ctx, ms) })
	// Recording the same matches again adds nothing and changes nothing.
	again := []sqlstore.PromiseMatch{ms[0]}
	again[0].Amount = 1
	write(t, db, func(tx *sqlstore.Tx) error { return tx.AddPromiseMatches(ctx, again) })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.PromiseMatches(ctx, 10, 7)
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]sqlstore.PromiseMatch{ms[1], ms[0]}, got); diff != "" {
			t.Errorf("PromiseMatches(7) mismatch (-want +got):\n%s", diff)
		}
		return nil
	})
	var n int
	write(t, db, func(tx *sqlstore.Tx) error {
		var err error
		n, err = tx.DeletePromiseMatches(ctx, 10, 7)
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		left7, err := tx.PromiseMatches(ctx, 10, 7)
		if err != nil {
			return err
		}
		left8, err := tx.PromiseMatches(ctx, 10, 8)
		if n != 2 || len(left7) != 0 || len(left8) != 1 {
			t.Errorf("DeletePromiseMatches: deleted %d, left %d of payment 7 and %d of 8", n, len(left7), len(left8))
		}
		return err
	})
}

func testSyncCasePromise(t *testing.T, db *sqlstore.DB) {
	c := cwNewCase(30)
	c.PromisesKept, c.PromisesBroken = 2, 1
	cwInsert(t, db, &c)
	first, second := newPromise(c.ID, 30, 300_00, 2), newPromise(c.ID, 30, 500_00, 6)
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreatePromise(ctx, &second); err != nil {
			return err
		}
		if err := tx.CreatePromise(ctx, &first); err != nil {
			return err
		}
		return tx.SyncCasePromise(ctx, c.ID, 0, 1, cwDay.AddDays(1))
	})
	check := func(name string, kept, broken int, due, made int, amount int64, brokenOn int) {
		t.Helper()
		read(t, db, func(tx *sqlstore.Tx) error {
			got, err := tx.Case(ctx, c.ID)
			if err != nil {
				return err
			}
			wantDue, wantMade := cwDay.AddDays(due), cwDay.AddDays(made)
			if due < 0 {
				wantDue, wantMade = 0, 0
			}
			if got.PromisesKept != kept || got.PromisesBroken != broken || got.PromiseDue != wantDue ||
				got.PromiseMadeOn != wantMade || got.PromiseAmount != moneyOf(amount) {
				t.Errorf("%s: kept %d broken %d due %s made %s amount %s; want %d %d %s %s %s", name, got.PromisesKept,
					got.PromisesBroken, got.PromiseDue, got.PromiseMadeOn, got.PromiseAmount, kept, broken, wantDue, wantMade, moneyOf(amount))
			}
			if got.PromiseBrokenOn != cwDay.AddDays(brokenOn) {
				t.Errorf("%s: broken on %s, want %s", name, got.PromiseBrokenOn, cwDay.AddDays(brokenOn))
			}
			return nil
		})
	}
	check("two open", 2, 2, 2, 0, 300_00, 1)
	first.Status = promise.Kept
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.UpdatePromise(ctx, first); err != nil {
			return err
		}
		return tx.SyncCasePromise(ctx, c.ID, 1, 0, cwDay.AddDays(2))
	})
	check("first kept", 3, 2, 6, 0, 500_00, 1)
	second.Status = promise.Broken
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.UpdatePromise(ctx, second); err != nil {
			return err
		}
		return tx.SyncCasePromise(ctx, c.ID, 0, 1, cwDay.AddDays(7))
	})
	check("none open", 3, 3, -1, -1, 0, 7)
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.SyncCasePromise(ctx, 999_999, 0, 0, 0) })
	wantCode(t, err, errs.NotFound)
}

func ids(ps []promise.Promise) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func moneyOf(fen int64) money.Amount { return money.Amount(fen) }

func testPromiseOutcomes(t *testing.T, db *sqlstore.DB) {
	mk := func(collector, team int64, dueIn int, st promise.Status) {
		p := newPromise(1, 10, 100_00, dueIn)
		p.CollectorID, p.TeamID, p.Status = collector, team, st
		write(t, db, func(tx *sqlstore.Tx) error { return tx.CreatePromise(ctx, &p) })
	}
	mk(4, 2, 1, promise.Kept)
	mk(4, 2, 2, promise.Broken)
	mk(4, 2, 3, promise.PartlyKept)
	mk(4, 2, 3, promise.Open)      // not judged
	mk(4, 2, 3, promise.Cancelled) // not counted
	mk(4, 2, 20, promise.Kept)     // outside the period
	mk(5, 2, 5, promise.Kept)
	mk(0, 0, 5, promise.Broken)
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.PromiseOutcomes(ctx, cwDay, cwDay.AddDays(10))
		if err != nil {
			return err
		}
		want := []sqlstore.PromiseOutcome{{CollectorID: 0, TeamID: 0, Broken: 1},
			{CollectorID: 4, TeamID: 2, Kept: 1, Partly: 1, Broken: 1}, {CollectorID: 5, TeamID: 2, Kept: 1}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("PromiseOutcomes mismatch (-want +got):\n%s", diff)
		}
		return nil
	})
}

func testUnmatchedPayments(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrower(t, db, 1)
	l := newLoan(bid, 1)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateLoan(ctx, &l) })
	pays := []ledger.Payment{
		{ExternalID: "U-1", LoanID: l.ID, Amount: 100_00, PaidOn: cwDay.AddDays(-1)}, // before since
		{ExternalID: "U-2", LoanID: l.ID, Amount: 200_00, PaidOn: cwDay.AddDays(2)},
		{ExternalID: "U-3", LoanID: l.ID, Amount: 300_00, PaidOn: cwDay},            // matched below
		{ExternalID: "U-4", LoanID: l.ID, Amount: 400_00, PaidOn: cwDay.AddDays(1)}, // reversed below
		{ExternalID: "U-5", LoanID: l.ID, Amount: 500_00, PaidOn: cwDay},
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		for i := range pays {
			if err := tx.CreatePayment(ctx, &pays[i]); err != nil {
				return err
			}
		}
		if _, err := tx.ReversePayment(ctx, pays[3].ID, "bounced", time.Time{}); err != nil {
			return err
		}
		return tx.AddPromiseMatches(ctx, []sqlstore.PromiseMatch{{BorrowerID: bid, PaymentID: pays[2].ID, PromiseID: 1, Amount: 1, PaidOn: cwDay}})
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.UnmatchedPayments(ctx, bid, cwDay)
		if err != nil {
			return err
		}
		var exts []string
		for _, p := range got {
			exts = append(exts, p.ExternalID)
		}
		if !cmp.Equal(exts, []string{"U-5", "U-2"}) {
			t.Errorf("UnmatchedPayments = %v, want [U-5 U-2]", exts)
		}
		if other, err := tx.UnmatchedPayments(ctx, bid+1, cwDay); err != nil || len(other) != 0 {
			t.Errorf("another borrower's unmatched payments = %d, %v", len(other), err)
		}
		return nil
	})
}
