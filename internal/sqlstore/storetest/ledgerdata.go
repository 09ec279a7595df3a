package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

func testSchedule(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrower(t, db, 1)
	first := date.MustParse("2026-01-31") // month-end dates must survive both engines
	l := mustLoan(t, db, bid, 1, first)
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Schedule(ctx, l.ID)
		if d := diff(schedule(12, first), got); d != "" {
			t.Errorf("Schedule (-want +got):\n%s", d)
		}
		if got[1].DueDate.String() != "2026-02-28" {
			t.Errorf("second due date = %s", got[1].DueDate)
		}
		none, err2 := tx.Schedule(ctx, 999)
		if len(none) != 0 || err2 != nil {
			t.Errorf("Schedule(missing) = %v, %v", none, err2)
		}
		return err
	})
	restructured := schedule(6, date.MustParse("2026-06-10"))
	write(t, db, func(tx *sqlstore.Tx) error { return tx.ReplaceSchedule(ctx, l.ID, restructured) })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Schedule(ctx, l.ID)
		if d := diff(restructured, got); d != "" {
			t.Errorf("after ReplaceSchedule (-want +got):\n%s", d)
		}
		return err
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.ReplaceSchedule(ctx, 999, nil) })
	wantCode(t, err, errs.NotFound)
}

func testPayments(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrower(t, db, 1)
	l := mustLoan(t, db, bid, 1, date.MustParse("2026-02-15"))
	p1 := ledger.Payment{ExternalID: "P-1", LoanID: l.ID, Amount: 929_99, PaidOn: date.MustParse("2026-03-02"), Channel: "app", ReceivedAt: t0}
	p2 := ledger.Payment{LoanID: l.ID, Amount: 100_00, PaidOn: date.MustParse("2026-02-20"), Channel: "counter"}
	p3 := ledger.Payment{LoanID: l.ID, Amount: 1, PaidOn: date.MustParse("2026-02-20"), Channel: "counter"}
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, p := range []*ledger.Payment{&p1, &p2, &p3} {
			if err := tx.CreatePayment(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		list, err := tx.Payments(ctx, l.ID)
		if d := diff([]ledger.Payment{p2, p3, p1}, list); d != "" {
			t.Errorf("Payments (-want +got):\n%s", d)
		}
		got, err2 := tx.PaymentByExternalID(ctx, "P-1")
		if d := diff(p1, got); d != "" || err2 != nil {
			t.Errorf("PaymentByExternalID %v (-want +got):\n%s", err2, d)
		}
		_, err2 = tx.PaymentByExternalID(ctx, "P-404")
		wantCode(t, err2, errs.NotFound)
		return err
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		dup := ledger.Payment{ExternalID: "P-1", LoanID: l.ID, Amount: 1, PaidOn: p1.PaidOn}
		return tx.CreatePayment(ctx, &dup)
	})
	wantCode(t, err, errs.Conflict)
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		orphan := ledger.Payment{LoanID: 999, Amount: 1, PaidOn: p1.PaidOn}
		return tx.CreatePayment(ctx, &orphan)
	})
	wantCode(t, err, errs.Invalid)

	// Age the loan past its first due date, then reverse: next_due must move
	// back so the loan is aged again.
	asOf := date.MustParse("2026-03-20")
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.SavePositions(ctx, []sqlstore.PositionRow{{Position: ledger.Position{LoanID: l.ID, AsOf: asOf,
			NextDue: date.MustParse("2026-04-15")}, BorrowerID: bid, Bucket: "C"}})
	})
	if ids := agingIDs(t, db, asOf); len(ids) != 0 {
		t.Errorf("aging before reversal = %v, want none", ids)
	}
	var reversed ledger.Payment
	write(t, db, func(tx *sqlstore.Tx) (err error) {
		reversed, err = tx.ReversePayment(ctx, p1.ID, "bounced", t0)
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Payment(ctx, p1.ID)
		if !got.Reversed || got.ReversalReason != "bounced" || !got.ReversedAt.Equal(t0) {
			t.Errorf("reversed payment = %+v", got)
		}
		if d := diff(reversed, got); d != "" {
			t.Errorf("ReversePayment returned (-returned +stored):\n%s", d)
		}
		return err
	})
	if ids := agingIDs(t, db, asOf); len(ids) != 1 || ids[0] != l.ID {
		t.Errorf("aging after reversal = %v, want [%d]", ids, l.ID)
	}
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.ReversePayment(ctx, p1.ID, "again", time.Time{})
		return err
	})
	wantCode(t, err, errs.Conflict)
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.ReversePayment(ctx, 999, "x", time.Time{})
		return err
	})
	wantCode(t, err, errs.NotFound)
}

// agingIDs returns the ids of every loan AgingChunk selects on asOf.
func agingIDs(t *testing.T, db *sqlstore.DB, asOf date.Date) []int64 {
	t.Helper()
	var ids []int64
	read(t, db, func(tx *sqlstore.Tx) error {
		for after := int64(0); ; {
			chunk, err := tx.AgingChunk(ctx, asOf, after, 2)
			if err != nil || len(chunk) == 0 {
				return err
			}
			for _, b := range chunk {
				ids = append(ids, b.Loan.ID)
			}
			after = chunk[len(chunk)-1].Loan.ID
		}
	})
	return ids
}

func testAllocations(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrower(t, db, 1)
	l := mustLoan(t, db, bid, 1, date.MustParse("2026-02-15"))
	p := ledger.Payment{LoanID: l.ID, Amount: 1000_00, PaidOn: date.MustParse("2026-02-15")}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreatePayment(ctx, &p) })
	first := []ledger.Allocation{
		{PaymentID: p.ID, Seq: 1, Component: ledger.Interest, Amount: 130_00},
		{PaymentID: p.ID, Seq: 1, Component: ledger.Principal, Amount: 800_00},
		{PaymentID: p.ID, Seq: 0, Component: ledger.Credit, Amount: 70_00},
		{PaymentID: 0, Seq: 2, Component: ledger.Interest, Amount: 35_00}, // paid out of credit
		{PaymentID: 0, Seq: 2, Component: ledger.Interest, Amount: 35_00}, // and again, later
	}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.ReplaceAllocations(ctx, l.ID, first) })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Allocations(ctx, l.ID)
		if d := diff(first, got); d != "" {
			t.Errorf("Allocations (-want +got):\n%s", d)
		}
		return err
	})
	second := first[:2]
	write(t, db, func(tx *sqlstore.Tx) error { return tx.ReplaceAllocations(ctx, l.ID, second) })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Allocations(ctx, l.ID)
		if d := diff(second, got); d != "" {
			t.Errorf("after replace (-want +got):\n%s", d)
		}
		return err
	})
}

func testPositions(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrower(t, db, 1)
	l1 := mustLoan(t, db, bid, 1, date.MustParse("2026-02-15"))
	l2 := mustLoan(t, db, bid, 2, date.MustParse("2026-02-15"))
	asOf := date.MustParse("2026-03-20")
	row := sqlstore.PositionRow{
		Position: ledger.Position{LoanID: l1.ID, AsOf: asOf, DPD: 33, OldestUnpaidDue: date.MustParse("2026-02-15"),
			NextDue: date.MustParse("2026-02-15"), OutstandingPrincipal: 9_200_00, OverduePrincipal: 1_600_01,
			OverdueInterest: 259_99, PenaltyDue: 26_40, FeesDue: 100_00, AboveCap: 3, PenaltyAccrued: 26_43,
			Credit: 5, OverdueInstallments: 2, PaidInstallments: 0},
		BorrowerID: bid, Bucket: "M2", Status: ledger.Delinquent,
	}
	paid := sqlstore.PositionRow{Position: ledger.Position{LoanID: l2.ID, AsOf: asOf, PaidOffOn: date.MustParse("2026-03-01"),
		PaidInstallments: 12}, BorrowerID: bid, Bucket: "C", Status: ledger.PaidOff}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.SavePositions(ctx, []sqlstore.PositionRow{row, paid}) })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Position(ctx, l1.ID)
		want := row
		want.Status = ""
		if d := diff(want, got); d != "" {
			t.Errorf("Position (-want +got):\n%s", d)
		}
		loan, _ := tx.Loan(ctx, l1.ID)
		paidLoan, _ := tx.Loan(ctx, l2.ID)
		if loan.Status != ledger.Delinquent || paidLoan.Status != ledger.PaidOff {
			t.Errorf("statuses = %s, %s", loan.Status, paidLoan.Status)
		}
		_, err2 := tx.Position(ctx, 999)
		wantCode(t, err2, errs.NotFound)
		return err
	})
	// A paid-off loan has no next due date and is never aged again.
	if ids := agingIDs(t, db, asOf.AddDays(400)); len(ids) != 1 || ids[0] != l1.ID {
		t.Errorf("aging = %v, want only [%d]", ids, l1.ID)
	}

	// Saving again replaces; an empty status leaves the loan's alone.
	row.AsOf, row.DPD, row.Bucket, row.Status = asOf.AddDays(1), 34, "M2", ""
	write(t, db, func(tx *sqlstore.Tx) error { return tx.SavePositions(ctx, []sqlstore.PositionRow{row}) })
	read(t, db, func(tx *sqlstore.Tx) error {
		m, err := tx.PositionsOf(ctx, []int64{l1.ID, l2.ID, 999})
		if len(m) != 2 || m[l1.ID].DPD != 34 || m[l2.ID].PaidOffOn.String() != "2026-03-01" {
			t.Errorf("PositionsOf = %+v", m)
		}
		loan, _ := tx.Loan(ctx, l1.ID)
		if loan.Status != ledger.Delinquent {
			t.Errorf("status = %s, want it left delinquent", loan.Status)
		}
		return err
	})
}

func testPortfolio(t *testing.T, db *sqlstore.DB) {
	d1, d2 := date.MustParse("2026-03-01"), date.MustParse("2026-03-02")
	trans := []sqlstore.BucketTransition{
		{LoanID: 1, On: d1, From: "C", To: "M1", Outstanding: 9_000_00},
		{LoanID: 2, On: d2, From: "M1", To: "M2", Outstanding: 5_000_00},
	}
	snap := []sqlstore.SnapshotRow{
		{AsOf: d1, Bucket: "C", Loans: 90, Outstanding: money.Yuan(900_000), Overdue: 0},
		{AsOf: d1, Bucket: "M1", Loans: 10, Outstanding: money.Yuan(100_000), Overdue: money.Yuan(9_000)},
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.SaveBucketTransitions(ctx, trans); err != nil {
			return err
		}
		// A re-run of the night replaces rather than duplicates.
		if err := tx.SaveBucketTransitions(ctx, trans[:1]); err != nil {
			return err
		}
		if err := tx.SaveSnapshot(ctx, d1, snap); err != nil {
			return err
		}
		return tx.SaveSnapshot(ctx, d1, snap)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.BucketTransitions(ctx, d1, d2)
		if d := diff(trans, got); d != "" {
			t.Errorf("Transitions (-want +got):\n%s", d)
		}
		only, _ := tx.BucketTransitions(ctx, d2, d2)
		if len(only) != 1 || only[0].LoanID != 2 {
			t.Errorf("Transitions(d2) = %+v", only)
		}
		gotSnap, err2 := tx.Snapshots(ctx, d1, d2)
		if d := diff(snap, gotSnap); d != "" || err2 != nil {
			t.Errorf("Snapshots %v (-want +got):\n%s", err2, d)
		}
		return err
	})

	var prev sqlstore.Run
	write(t, db, func(tx *sqlstore.Tx) (err error) {
		prev, err = tx.StartRun(ctx, d1)
		return err
	})
	if !prev.AsOf.IsZero() {
		t.Errorf("first StartRun returned a previous run %+v", prev)
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.FinishRun(ctx, d1, json.RawMessage(`{"aged":100}`))
	})
	write(t, db, func(tx *sqlstore.Tx) (err error) {
		prev, err = tx.StartRun(ctx, d1)
		return err
	})
	if prev.FinishedAt.IsZero() || string(prev.Summary) != `{"aged":100}` {
		t.Errorf("re-run StartRun returned %+v", prev)
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.StartRun(ctx, d2); err != nil {
			return err
		}
		wantCode(t, tx.FinishRun(ctx, date.MustParse("2020-01-01"), nil), errs.NotFound)
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		r, err := tx.Run(ctx, d1)
		if !r.FinishedAt.IsZero() || r.StartedAt.IsZero() {
			t.Errorf("restarted run = %+v", r)
		}
		runs, err2 := tx.Runs(ctx, 10)
		if len(runs) != 2 || runs[0].AsOf != d2 {
			t.Errorf("Runs = %+v, %v", runs, err2)
		}
		_, err2 = tx.Run(ctx, date.MustParse("2020-01-01"))
		wantCode(t, err2, errs.NotFound)
		return err
	})
}

func testSnapshotPortfolio(t *testing.T, db *sqlstore.DB) {
	read(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.LatestSnapshot(ctx)
		wantCode(t, err, errs.NotFound)
		return nil
	})
	bid := mustBorrower(t, db, 1)
	first := date.MustParse("2026-02-15")
	l1, l2, l3, l4 := mustLoan(t, db, bid, 1, first), mustLoan(t, db, bid, 2, first), mustLoan(t, db, bid, 3, first), mustLoan(t, db, bid, 4, first)
	asOf := date.MustParse("2026-03-20")
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.SavePositions(ctx, []sqlstore.PositionRow{
			{Position: ledger.Position{LoanID: l1.ID, AsOf: asOf, DPD: 33, OutstandingPrincipal: 9_000_00, OverduePrincipal: 800_00,
				OverdueInterest: 130_00, PenaltyDue: 10_00, FeesDue: 50_00}, BorrowerID: bid, Bucket: "M2", Status: ledger.Delinquent},
			{Position: ledger.Position{LoanID: l2.ID, AsOf: asOf, OutstandingPrincipal: 8_000_00}, BorrowerID: bid, Bucket: "C"},
			{Position: ledger.Position{LoanID: l3.ID, AsOf: asOf}, BorrowerID: bid, Bucket: "C", Status: ledger.PaidOff},
			{Position: ledger.Position{LoanID: l4.ID, AsOf: asOf, DPD: 400, OutstandingPrincipal: 1}, BorrowerID: bid, Bucket: "W", Status: ledger.Delinquent},
		})
	})
	l5 := mustLoan(t, db, bid, 5, first) // never aged: counts in the first bucket at its principal
	var snap sqlstore.Snapshot
	write(t, db, func(tx *sqlstore.Tx) (err error) {
		snap, err = tx.SnapshotPortfolio(ctx, asOf, []string{"C", "M1", "M2"})
		return err
	})
	want := sqlstore.Snapshot{AsOf: asOf, Loans: 4, Outstanding: 9_000_00 + 8_000_00 + 1 + l5.Principal, Overdue: 990_00,
		Buckets: []sqlstore.SnapshotRow{
			{AsOf: asOf, Bucket: "C", Loans: 2, Outstanding: 8_000_00 + l5.Principal},
			{AsOf: asOf, Bucket: "M1"},
			{AsOf: asOf, Bucket: "M2", Loans: 1, Outstanding: 9_000_00, Overdue: 990_00},
			{AsOf: asOf, Bucket: "W", Loans: 1, Outstanding: 1},
		}}
	if d := diff(want, snap); d != "" {
		t.Errorf("SnapshotPortfolio (-want +got):\n%s", d)
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.SnapshotPortfolio(ctx, asOf.AddDays(-1), []string{"C"})
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		latest, err := tx.LatestSnapshot(ctx)
		if d := diff(want, latest); d != "" {
			t.Errorf("LatestSnapshot (-want +got):\n%s", d)
		}
		n, err2 := tx.CountAging(ctx, asOf)
		if n != 3 || err2 != nil { // l1, l4 delinquent; l5 due 2026-02-15; l2 and l3 have nothing due
			t.Errorf("CountAging = %d, %v; want 3", n, err2)
		}
		return err
	})
}
