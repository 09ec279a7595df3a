package sqlstore_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// These benchmarks measure the nightly run's and the demo loader's paths on
// SQLite (and PostgreSQL when ACCORD_TEST_POSTGRES is set):
//
//	go test -run '^$' -bench . -benchtime 1x ./internal/sqlstore/
//
// BenchmarkAgeBook ages a whole generated book; its size comes from
// ACCORD_BENCH_LOANS (default 100,000; the target is 1,000,000 loans, 15%
// delinquent, in 20 s on SQLite).

var bctx = context.Background()

func engines(b *testing.B, fn func(b *testing.B, open func(testing.TB) *sqlstore.DB)) {
	storetest.BenchEngines(b, func(b *testing.B, e storetest.Engine) { fn(b, e.Open) })
}

// BenchmarkBulkInsertInstallments inserts 1,000,000 installments (83,334
// loans × 12) in batches of 100,000 rows per transaction.
func BenchmarkBulkInsertInstallments(b *testing.B) {
	engines(b, func(b *testing.B, open func(testing.TB) *sqlstore.DB) {
		rows := 0
		for b.Loop() {
			b.StopTimer()
			db := open(b)
			bk := storetest.NewBook(1, 83_334, 0)
			err := db.InTx(bctx, func(tx *sqlstore.Tx) error {
				if err := tx.BulkInsertBorrowers(bctx, bk.Borrowers); err != nil {
					return err
				}
				return tx.BulkInsertLoans(bctx, bk.Loans)
			})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			for start := 0; start < len(bk.Installments); start += 100_000 {
				part := bk.Installments[start:min(start+100_000, len(bk.Installments))]
				if err := db.InTx(bctx, func(tx *sqlstore.Tx) error { return tx.BulkInsertInstallments(bctx, part) }); err != nil {
					b.Fatal(err)
				}
			}
			rows += len(bk.Installments)
		}
		b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkAgingChunk reads one chunk of 2,000 delinquent loans with their
// schedules and payments.
func BenchmarkAgingChunk(b *testing.B) {
	engines(b, func(b *testing.B, open func(testing.TB) *sqlstore.DB) {
		db := open(b)
		insertBook(b, db, 20_000)
		asOf := date.MustParse("2026-04-11")
		for b.Loop() {
			err := db.Read(bctx, func(tx *sqlstore.Tx) error {
				chunk, err := tx.AgingChunk(bctx, asOf, 0, 2000)
				if len(chunk) != 2000 {
					b.Fatalf("chunk of %d", len(chunk))
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAgeBook ages a whole book the way the nightly run does, with a
// stand-in for ledger.Replay: chunks of loans are read on a reader, their
// positions computed by two workers and saved in one write transaction per
// chunk. Every seventh loan (14%) is delinquent and, on the as-of date,
// about 1/30 of the others reach a due date.
func BenchmarkAgeBook(b *testing.B) {
	n := 100_000
	if s := os.Getenv("ACCORD_BENCH_LOANS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	engines(b, func(b *testing.B, open func(testing.TB) *sqlstore.DB) {
		db := open(b)
		start := time.Now()
		insertBook(b, db, n)
		b.Logf("loaded %d loans in %s", n, time.Since(start).Round(time.Millisecond))
		asOf := date.MustParse("2026-04-11")
		for b.Loop() {
			aged := ageBook(b, db, asOf)
			b.ReportMetric(float64(aged), "loans_aged")
		}
	})
}

// insertBook bulk-loads n loans in transactions of 20,000 loans. On the as-of
// 2026-04-11 the delinquent ones and every 30th current one are due.
func insertBook(b *testing.B, db *sqlstore.DB, n int) {
	b.Helper()
	for first := 1; first <= n; first += 20_000 {
		bk := storetest.NewBook(int64(first), min(20_000, n-first+1), 3)
		for i := range bk.Loans {
			if bk.Loans[i].ID%30 != 0 && bk.Loans[i].Status != ledger.Delinquent {
				bk.Loans[i].NextDue = bk.Loans[i].NextDue.AddDays(5) // paid ahead
			}
		}
		bk.Insert(b, db)
	}
}

func ageBook(b *testing.B, db *sqlstore.DB, asOf date.Date) int {
	jobs := make(chan []sqlstore.LoanBundle, 2)
	results := make(chan []sqlstore.PositionRow, 2)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chunk := range jobs {
				rows := make([]sqlstore.PositionRow, len(chunk))
				for i, lb := range chunk {
					rows[i] = fakeReplay(lb, asOf)
				}
				results <- rows
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	go func() {
		defer close(jobs)
		err := db.Read(bctx, func(tx *sqlstore.Tx) error {
			for after := int64(0); ; {
				chunk, err := tx.AgingChunk(bctx, asOf, after, 2000)
				if err != nil || len(chunk) == 0 {
					return err
				}
				jobs <- chunk
				after = chunk[len(chunk)-1].Loan.ID
			}
		})
		if err != nil {
			b.Error(err)
		}
	}()
	aged := 0
	for rows := range results {
		if err := db.InTx(bctx, func(tx *sqlstore.Tx) error { return tx.SavePositions(bctx, rows) }); err != nil {
			b.Fatal(err)
		}
		aged += len(rows)
	}
	return aged
}

// fakeReplay stands in for ledger.Replay: it walks the schedule against the
// payments, as the real one must, and fills a position.
func fakeReplay(lb sqlstore.LoanBundle, asOf date.Date) sqlstore.PositionRow {
	var paid int64
	for _, p := range lb.Payments {
		if !p.Reversed {
			paid += int64(p.Amount)
		}
	}
	p := ledger.Position{LoanID: lb.Loan.ID, AsOf: asOf}
	for _, in := range lb.Schedule {
		t := int64(in.Total())
		if paid >= t {
			paid -= t
			p.PaidInstallments++
			continue
		}
		if p.NextDue.IsZero() {
			p.NextDue = in.DueDate
		}
		p.OutstandingPrincipal += in.Principal
		if in.DueDate.Before(asOf) {
			if p.OldestUnpaidDue.IsZero() {
				p.OldestUnpaidDue = in.DueDate
			}
			p.OverduePrincipal += in.Principal
			p.OverdueInterest += in.Interest
			p.OverdueInstallments++
		}
	}
	bucket, status := "C", ledger.Active
	if !p.OldestUnpaidDue.IsZero() {
		p.DPD = asOf.Sub(p.OldestUnpaidDue)
		bucket, status = "M"+strconv.Itoa(min(7, 1+(p.DPD-1)/30)), ledger.Delinquent
	}
	return sqlstore.PositionRow{Position: p, BorrowerID: lb.Loan.BorrowerID, Bucket: bucket, Status: status}
}
