package negotiation_test

import (
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/negotiation"
	"accord/internal/plan"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// BenchmarkMonitorPlans runs the nightly plan-monitoring step over a book
// of plans on SQLite (ACCORD_BENCH_PLANS, default 50,000: the issue's
// "50,000 active plans among 1M loans"; the other loans are not read by
// this step). Each plan has six monthly instalments from 2026-05-01; on the
// as-of date 2026-06-05 two have fallen due: nine plans in ten paid the
// first on time and are in the grace period of the second; the others
// missed the first and break (after the default 7 grace days). The first
// loop runs the date for the first time (grace periods start, plans break,
// borrowers are flagged); later loops are re-runs of the same date, which
// write only positions.
//
//	go test -run '^$' -bench MonitorPlans -benchtime 3x ./internal/negotiation/
func BenchmarkMonitorPlans(b *testing.B) {
	n := 50_000
	if s := os.Getenv("ACCORD_BENCH_PLANS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	db := storetest.OpenSQLite(b)
	t0 := time.Now()
	loadPlans(b, db, n)
	b.Logf("loaded %d plans in %s", n, time.Since(t0).Round(time.Millisecond))
	svc := collect.New(db, collect.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	neg := negotiation.New(db, svc, negotiation.Options{})
	asOf := date.MustParse("2026-06-05")
	first := true
	for b.Loop() {
		t1 := time.Now()
		run, err := neg.MonitorPlans(ctx, asOf, nil)
		if err != nil {
			b.Fatal(err)
		}
		if run.Checked != n {
			b.Fatalf("checked %d plans, want %d", run.Checked, n)
		}
		if first {
			b.Logf("first run: %s, %+v", time.Since(t1).Round(time.Millisecond), run)
			first = false
		}
	}
	b.ReportMetric(float64(n)/(b.Elapsed().Seconds()/float64(b.N)), "plans/s")
}

// loadPlans bulk-loads n borrowers with one loan each, a plan over each
// loan and the first plan payment on nine in ten.
func loadPlans(b *testing.B, db *sqlstore.DB, n int) {
	b.Helper()
	start := date.MustParse("2026-04-01")
	for firstID := 1; firstID <= n; firstID += 10_000 {
		bk := storetest.NewBook(int64(firstID), min(10_000, n-firstID+1), 0)
		err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
			if err := tx.BulkInsertBorrowers(ctx, bk.Borrowers); err != nil {
				return err
			}
			for i := range bk.Loans {
				bk.Loans[i].Status = ledger.Restructured
			}
			if err := tx.BulkInsertLoans(ctx, bk.Loans); err != nil {
				return err
			}
			var pays []ledger.Payment
			for _, l := range bk.Loans {
				r := sqlstore.PlanRow{Plan: plan.Plan{AgreementID: l.ID, BorrowerID: l.BorrowerID, LoanIDs: []int64{l.ID},
					Start: start, Financed: 6000_00, PreDPD: 40}, ActivatedBy: "bench"}
				for k := range 6 {
					r.Schedule = append(r.Schedule, plan.Instalment{Seq: k + 1, Due: date.MustParse("2026-05-01").AddMonthsClamped(k), Amount: 1000_00})
				}
				if err := tx.CreatePlan(ctx, &r); err != nil {
					return err
				}
				if l.ID%10 != 0 {
					pays = append(pays, ledger.Payment{ID: l.ID, ExternalID: "BP-" + strconv.FormatInt(l.ID, 10), LoanID: l.ID,
						Amount: 1000_00, PaidOn: date.MustParse("2026-05-01"), Channel: "app", ReceivedAt: time.Now()})
				}
			}
			return tx.BulkInsertPayments(ctx, pays)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
