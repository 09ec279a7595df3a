package sqlstore_test

import (
	"testing"
	"time"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// A scoring pass caches the loans its workers read from the ledger tables
// from the workers' own copies; a loan whose payments changed after the
// pass began is left uncached (its copy may be older than the ledger), and
// the next read sees the change.
func TestCacheScoringFacts_LeavesOutLoansChangedDuringThePass(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, e storetest.Engine) {
		db := e.Open(t)
		_, l1, _ := vCase(t, db, 1, "M1")
		_, l2, _ := vCase(t, db, 2, "M1")
		pay := func(l ledger.Loan, on string, yuan int64) {
			t.Helper()
			vWrite(t, db, func(tx *sqlstore.Tx) error {
				return tx.CreatePayment(vctx, &ledger.Payment{LoanID: l.ID, Amount: money.Yuan(yuan), PaidOn: date.MustParse(on), Channel: "app"})
			})
		}
		// A payment before the pass: outside a pass nothing is noted.
		pay(l1, "2026-02-15", 100)
		var pass int64
		vWrite(t, db, func(tx *sqlstore.Tx) (err error) { pass, err = tx.BeginLedgerWatch(vctx); return err })
		read := func() (map[int64]sqlstore.LoanFacts, []int64) {
			t.Helper()
			got := map[int64]sqlstore.LoanFacts{}
			var uncached []int64
			if err := db.Read(vctx, func(tx *sqlstore.Tx) error {
				facts, un, err := tx.ScoringFactsIn(vctx, sqlstore.FactsScope{IDs: []int64{l1.BorrowerID, l2.BorrowerID}}, time.UTC)
				for _, f := range facts {
					for _, l := range f.Loans {
						got[l.Loan.ID] = sqlstore.LoanFacts{LoanID: l.Loan.ID, Schedule: l.Schedule, Payments: l.Payments}
					}
				}
				uncached = un
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return got, uncached
		}
		facts, uncached := read()
		if len(uncached) != 2 {
			t.Fatalf("uncached before any pass: %v, want both loans", uncached)
		}
		// Loan 1 is paid again while the pass runs, after its workers read.
		pay(l1, "2026-03-09", 200)
		var stored int
		vWrite(t, db, func(tx *sqlstore.Tx) (err error) {
			stored, err = tx.CacheScoringFacts(vctx, []sqlstore.PackedFacts{facts[l1.ID].Pack(), facts[l2.ID].Pack()})
			return err
		})
		if stored != 1 {
			t.Errorf("stored %d loans' facts, want 1 (loan %d changed during the pass)", stored, l1.ID)
		}
		vWrite(t, db, func(tx *sqlstore.Tx) error { return tx.EndLedgerWatch(vctx, pass) })

		again, uncached := read()
		if len(uncached) != 1 || uncached[0] != l1.ID {
			t.Fatalf("uncached after the pass: %v, want loan %d only", uncached, l1.ID)
		}
		if n := len(again[l1.ID].Payments); n != 2 {
			t.Errorf("loan %d read with %d payments after the pass, want 2", l1.ID, n)
		}
		if n := len(again[l2.ID].Payments); n != 0 {
			t.Errorf("loan %d read from the cache with %d payments, want 0", l2.ID, n)
		}

		// The next pass forgets what was noted during the last one: loan 1
		// is cached by it.
		facts, _ = read()
		vWrite(t, db, func(tx *sqlstore.Tx) (err error) { pass, err = tx.BeginLedgerWatch(vctx); return err })
		vWrite(t, db, func(tx *sqlstore.Tx) (err error) {
			stored, err = tx.CacheScoringFacts(vctx, []sqlstore.PackedFacts{facts[l1.ID].Pack()})
			return err
		})
		vWrite(t, db, func(tx *sqlstore.Tx) error { return tx.EndLedgerWatch(vctx, pass) })
		if stored != 1 {
			t.Errorf("next pass stored %d, want 1", stored)
		}
		if _, uncached := read(); len(uncached) != 0 {
			t.Errorf("uncached after the next pass: %v, want none", uncached)
		}
	})
}
