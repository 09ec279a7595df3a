package scoring_test

import (
	"fmt"
	"testing"
	"time"

	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestEarlyWarnings: the nightly run stores each borrower's new warnings
// once (not again the next night), and precision counts the matured
// warnings that were followed by 30+ DPD within 90 days.
func TestEarlyWarnings(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), 600, 3)
	day := start.AddDays(3)
	e.setDay(day)
	// Five current borrowers with a payment habit pay 1.00 today.
	var shrunk []int64
	var pays []ledger.Payment
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		ids, err := tx.ScoringBorrowers(ctx, 0, 600)
		if err != nil {
			return err
		}
		facts, err := tx.ScoringFacts(ctx, ids, time.UTC)
		for _, id := range ids {
			f := facts[id]
			if v := features.Compute(f, day); len(shrunk) < 5 && v.Num[features.DPD] == 0 && v.Num[features.LoansOpen] == 1 &&
				len(f.Loans) == 1 && len(f.Loans[0].Payments) >= 4 {
				shrunk = append(shrunk, id)
				pays = append(pays, ledger.Payment{ExternalID: fmt.Sprintf("EW-%d", id), LoanID: f.Loans[0].Loan.ID, Amount: 1_00,
					PaidOn: day, Channel: "app", ReceivedAt: e.clock()})
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(shrunk) < 5 {
		t.Fatalf("only %d current borrowers with a payment habit", len(shrunk))
	}
	for _, p := range pays {
		if _, _, err := e.svc.RecordPayment(ctx, approver, p); err != nil {
			t.Fatal(err)
		}
	}
	run, err := e.svc.RunCycle(ctx, day, nil)
	if err != nil {
		t.Fatal(err)
	}
	issued := 0
	for k, n := range run.Steps["scoring"].Counts {
		if len(k) > 9 && k[:9] == "warnings_" {
			issued += n
		}
	}
	var stored []sqlstore.EarlyWarning
	read := func() {
		if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
			var err error
			stored, err = tx.WarningsBetween(ctx, nil, day, day.AddDays(1))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	read()
	if issued == 0 || len(stored) != issued {
		t.Fatalf("the run counted %d warnings, %d stored", issued, len(stored))
	}
	warned := map[int64]bool{}
	for _, w := range stored {
		if w.ZH == "" || w.EN == "" || len(w.Evidence) < 3 {
			t.Errorf("warning without its explanation: %+v", w)
		}
		if w.Code == features.WarnShrinking {
			warned[w.BorrowerID] = true
		}
	}
	for _, id := range shrunk {
		if !warned[id] {
			t.Errorf("borrower %d paid 1.00 against a habit of full installments and got no %s warning", id, features.WarnShrinking)
		}
	}
	e.setDay(day.AddDays(1))
	if _, err := e.svc.RunCycle(ctx, day.AddDays(1), nil); err != nil {
		t.Fatal(err)
	}
	n := len(stored)
	read()
	again := 0
	for _, w := range stored {
		if w.AsOf == day.AddDays(1) {
			for _, x := range stored {
				if x.AsOf == day && x.BorrowerID == w.BorrowerID && x.Code == w.Code {
					again++
				}
			}
		}
	}
	if again != 0 || len(stored) < n {
		t.Errorf("%d warnings stored again the next night", again)
	}

	// Precision: warnings dated 100 days back have matured, today's have not.
	old := start.AddDays(-100)
	var ids []int64
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		ids, err = tx.ScoringBorrowers(ctx, 0, 40)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var ws []sqlstore.EarlyWarning
	for _, id := range ids {
		ws = append(ws, sqlstore.EarlyWarning{BorrowerID: id, AsOf: old, Code: "test_signal", ZH: "测试", EN: "test"})
	}
	ws = append(ws, sqlstore.EarlyWarning{BorrowerID: ids[0], AsOf: day, Code: "test_signal", ZH: "测试", EN: "test"})
	if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.SaveWarnings(ctx, ws) }); err != nil {
		t.Fatal(err)
	}
	want := 0
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		facts, err := tx.ScoringFacts(ctx, ids, time.UTC)
		for _, id := range ids {
			f := facts[id]
			f.Policy = e.svc.Policy()
			if features.Label(f, old, features.EW90, nil) {
				want++
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	ps, err := e.score.Precision(ctx, approver, old, day)
	if err != nil {
		t.Fatal(err)
	}
	var p *scoring.WarningPrecision
	for i := range ps {
		if ps[i].Code == "test_signal" {
			p = &ps[i]
		}
	}
	if p == nil || p.Issued != len(ids)+1 || p.Matured != len(ids) || p.Delinquent != want ||
		want > 0 && p.Precision != float64(want)/float64(len(ids)) {
		t.Errorf("precision = %+v, want %d issued, %d matured, %d delinquent", p, len(ids)+1, len(ids), want)
	}
	if want == 0 || want == len(ids) {
		t.Logf("all or none of %d borrowers went 30+ DPD (%d): the count is checked, not the mix", len(ids), want)
	}
	if _, err := e.score.Precision(ctx, worker, old, day); err == nil {
		t.Error("a collector read warning precision")
	}
}
