package sqlstore_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// A scoring pass caches the facts of the borrowers its workers read from
// the ledger tables from the workers' own copies, each only where the
// borrower's row still has the version read before them: a borrower whose
// payments changed after the read is left uncached (its copy may be older
// than the ledger), and the next read sees the change. A new loan, a loan's
// terms and the borrower's income take a cached copy out as well, and a
// cached copy reads back as the ledger tables do.
func TestCacheScoringFacts_OnlyWhatDidNotChangeSinceTheRead(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, e storetest.Engine) {
		db := e.Open(t)
		b1, l1, _ := vCase(t, db, 1, "M1")
		b2, l2, _ := vCase(t, db, 2, "M1")
		pay := func(l ledger.Loan, on string, yuan int64) {
			t.Helper()
			vWrite(t, db, func(tx *sqlstore.Tx) error {
				return tx.CreatePayment(vctx, &ledger.Payment{LoanID: l.ID, Amount: money.Yuan(yuan), PaidOn: date.MustParse(on), Channel: "app"})
			})
		}
		type read struct {
			f   *features.Facts
			row sqlstore.FactsRow
		}
		scope := sqlstore.FactsScope{IDs: []int64{b1.ID, b2.ID}}
		readAll := func(sc sqlstore.FactsScope) (map[int64]read, int) {
			t.Helper()
			got := map[int64]read{}
			var p sqlstore.FactsPass
			if err := db.Read(vctx, func(tx *sqlstore.Tx) (err error) {
				p, err = tx.ScoringFactsPass(vctx, sc, time.UTC)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			for i, f := range p.Facts {
				got[f.BorrowerID] = read{f, p.Rows[i]}
			}
			return got, p.Skipped
		}
		cache := func(want int, list ...read) {
			t.Helper()
			var packed []sqlstore.PackedFacts
			for _, r := range list {
				pf, ok := sqlstore.PackFacts(r.f, r.row, 0)
				if !ok {
					t.Fatalf("borrower %d: not packed", r.f.BorrowerID)
				}
				packed = append(packed, pf)
			}
			var stored int
			vWrite(t, db, func(tx *sqlstore.Tx) (err error) {
				stored, err = tx.CacheScoringFacts(vctx, packed, 0)
				return err
			})
			if stored != want {
				t.Errorf("stored %d borrowers' facts, want %d", stored, want)
			}
		}
		fromLedger := func(got map[int64]read, want ...int64) {
			t.Helper()
			for _, id := range []int64{b1.ID, b2.ID} {
				if r := got[id]; r.row.Ledger != slices.Contains(want, id) {
					t.Errorf("borrower %d read from the ledger tables: %v, want %v", id, r.row.Ledger, !r.row.Ledger)
				}
			}
		}

		pay(l1, "2026-02-15", 100)
		first, _ := readAll(scope)
		fromLedger(first, b1.ID, b2.ID)
		// Borrower 1 pays again after the workers read: only borrower 2's
		// copy is stored.
		pay(l1, "2026-03-09", 200)
		cache(1, first[b1.ID], first[b2.ID])
		again, _ := readAll(scope)
		fromLedger(again, b1.ID)
		if n := len(again[b1.ID].f.Loans[0].Payments); n != 2 {
			t.Errorf("borrower %d read with %d payments after the change, want 2", b1.ID, n)
		}
		if !reflect.DeepEqual(again[b2.ID].f, first[b2.ID].f) {
			t.Errorf("borrower %d from the cache:\n%+v\nfrom the ledger tables:\n%+v", b2.ID, again[b2.ID].f, first[b2.ID].f)
		}
		cache(1, again[b1.ID])
		if got, _ := readAll(scope); !reflect.DeepEqual(got[b1.ID].f, again[b1.ID].f) || got[b1.ID].row.Ledger {
			t.Errorf("borrower %d from the cache: %+v, want %+v", b1.ID, got[b1.ID].f, again[b1.ID].f)
		}

		// A payment of a cached borrower, then a reversal: the cached loans
		// and schedules are kept, only the payments are read again, as the
		// ledger tables hold them; a payment after that read keeps the
		// copy out of the cache again.
		pay(l1, "2026-03-20", 50)
		paid, _ := readAll(scope)
		fromLedger(paid, b1.ID)
		if r := paid[b1.ID].row; !r.Payments {
			t.Errorf("borrower %d after a payment: read %+v, want only the payments from the ledger tables", b1.ID, r)
		}
		samePayments(t, db, paid[b1.ID].f, 3)
		if !reflect.DeepEqual(paid[b1.ID].f.Loans[0].Schedule, again[b1.ID].f.Loans[0].Schedule) {
			t.Errorf("borrower %d: schedule changed with a payment", b1.ID)
		}
		vWrite(t, db, func(tx *sqlstore.Tx) error {
			_, err := tx.ReversePayment(vctx, paid[b1.ID].f.Loans[0].Payments[0].ID, "bounced", time.Date(2026, 3, 21, 2, 0, 0, 0, time.UTC))
			return err
		})
		cache(0, paid[b1.ID])
		reversed, _ := readAll(scope)
		fromLedger(reversed, b1.ID)
		samePayments(t, db, reversed[b1.ID].f, 3)
		if !reversed[b1.ID].f.Loans[0].Payments[0].Reversed {
			t.Errorf("borrower %d: the reversal not read", b1.ID)
		}
		cache(1, reversed[b1.ID])
		if got, _ := readAll(scope); !reflect.DeepEqual(got[b1.ID].f, reversed[b1.ID].f) || got[b1.ID].row.Ledger {
			t.Errorf("borrower %d from the cache: %+v, want %+v", b1.ID, got[b1.ID].f, reversed[b1.ID].f)
		}

		// A payment moved to borrower 2's loan and another deleted (no
		// store method does either; a lender's own tooling might): both
		// borrowers' copies follow.
		moved, deleted := reversed[b1.ID].f.Loans[0].Payments[1].ID, reversed[b1.ID].f.Loans[0].Payments[2].ID
		vWrite(t, db, func(tx *sqlstore.Tx) error {
			if err := tx.ExecForTest(vctx, "UPDATE payments SET loan_id = ? WHERE id = ?", l2.ID, moved); err != nil {
				return err
			}
			return tx.ExecForTest(vctx, "DELETE FROM payments WHERE id = ?", deleted)
		})
		shuffled, _ := readAll(scope)
		fromLedger(shuffled, b1.ID, b2.ID)
		if !shuffled[b1.ID].row.Payments || !shuffled[b2.ID].row.Payments {
			t.Errorf("after a payment moved and one deleted: rows %+v and %+v, want only the payments read again",
				shuffled[b1.ID].row, shuffled[b2.ID].row)
		}
		samePayments(t, db, shuffled[b1.ID].f, 1)
		samePayments(t, db, shuffled[b2.ID].f, 1)
		notes := func() int {
			t.Helper()
			var n int
			if err := db.Read(vctx, func(tx *sqlstore.Tx) (err error) {
				n, err = tx.CountForTest(vctx, "SELECT COUNT(*) FROM score_payment_changes")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := notes(); n != 3 {
			t.Errorf("%d payment notes, want 3 (a payment moved: under both borrowers; one deleted)", n)
		}
		cache(2, shuffled[b1.ID], shuffled[b2.ID])
		if n := notes(); n != 0 {
			t.Errorf("%d payment notes left once both copies were cached", n)
		}
		if got, _ := readAll(scope); got[b1.ID].row.Ledger || got[b2.ID].row.Ledger ||
			!reflect.DeepEqual(got[b2.ID].f, shuffled[b2.ID].f) {
			t.Errorf("after caching them again: rows %+v and %+v", got[b1.ID].row, got[b2.ID].row)
		}

		// A second loan of borrower 1, a new income of borrower 2.
		l3 := l1
		l3.ID, l3.ExternalID, l3.Principal = 0, "VL-3", money.Yuan(2000)
		income := money.Yuan(8000)
		vWrite(t, db, func(tx *sqlstore.Tx) error {
			if err := tx.CreateLoan(vctx, &l3); err != nil {
				return err
			}
			_, err := tx.UpdateBorrower(vctx, b2.ID, sqlstore.BorrowerUpdate{MonthlyIncome: &income})
			return err
		})
		got, _ := readAll(scope)
		fromLedger(got, b1.ID, b2.ID)
		if n := len(got[b1.ID].f.Loans); n != 2 {
			t.Errorf("borrower %d read with %d loans, want 2", b1.ID, n)
		}
		if got[b2.ID].f.MonthlyIncome != income {
			t.Errorf("borrower %d read with income %v, want %v", b2.ID, got[b2.ID].f.MonthlyIncome, income)
		}
		cache(2, got[b1.ID], got[b2.ID])

		// A loan's penalty rate changed.
		m := l2
		m.PenaltyRateDaily = decimal.MustParse("0.0006")
		vWrite(t, db, func(tx *sqlstore.Tx) error { _, err := tx.UpsertLoan(vctx, &m); return err })
		got, _ = readAll(scope)
		fromLedger(got, b2.ID)
		if r := got[b2.ID].f.Loans[0].Loan.PenaltyRateDaily; r.Cmp(m.PenaltyRateDaily) != 0 {
			t.Errorf("borrower %d read with penalty rate %v, want %v", b2.ID, r, m.PenaltyRateDaily)
		}
		cache(1, got[b2.ID])

		// A copy packed in an earlier format is read as none: the borrower
		// is read from the ledger tables, the same as before.
		got, _ = readAll(scope)
		vWrite(t, db, func(tx *sqlstore.Tx) error {
			return tx.ExecForTest(vctx, "UPDATE score_borrower_facts SET body = ? WHERE borrower_id = ?", []byte{2, 0, 0}, b2.ID)
		})
		if again, _ := readAll(scope); !again[b2.ID].row.Ledger || !reflect.DeepEqual(again[b2.ID].f, got[b2.ID].f) {
			t.Errorf("borrower %d with a copy of format 2: read %+v", b2.ID, again[b2.ID].row)
		}

		// Marked paid off under a policy: left out of a pass by that date
		// under that policy only; a mark with a stale version is not made.
		got, _ = readAll(scope)
		on := date.MustParse("2026-04-01")
		stale := sqlstore.Done{BorrowerID: b1.ID, Version: got[b1.ID].row.Version - 1, On: on}
		vWrite(t, db, func(tx *sqlstore.Tx) error {
			return tx.MarkDone(vctx, []sqlstore.Done{stale, {BorrowerID: b2.ID, Version: got[b2.ID].row.Version, On: on}}, 7)
		})
		for _, c := range []struct {
			by      string
			key     int64
			skipped int
		}{{"2026-04-01", 7, 1}, {"2026-03-31", 7, 0}, {"2026-04-01", 8, 0}} {
			sc := scope
			sc.PaidOffBy, sc.PolicyKey = date.MustParse(c.by), c.key
			if got, skipped := readAll(sc); skipped != c.skipped || len(got) != 2-c.skipped {
				t.Errorf("paid off by %s under policy %d: %d left out, %d read; want %d left out", c.by, c.key, skipped, len(got), c.skipped)
			}
		}
	})
}

// samePayments checks that f's loans hold n payments in all, each as the
// ledger tables hold it (ScoringFacts), as far as the cache keeps them.
func samePayments(t *testing.T, db *sqlstore.DB, f *features.Facts, n int) {
	t.Helper()
	var want map[int64]*features.Facts
	if err := db.Read(vctx, func(tx *sqlstore.Tx) (err error) {
		want, err = tx.ScoringFacts(vctx, []int64{f.BorrowerID}, time.UTC)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	lean := func(ps []ledger.Payment) []ledger.Payment {
		var out []ledger.Payment
		for _, p := range ps {
			out = append(out, ledger.Payment{ID: p.ID, LoanID: p.LoanID, Amount: p.Amount, PaidOn: p.PaidOn,
				Reversed: p.Reversed, ReversedAt: p.ReversedAt})
		}
		return out
	}
	w := want[f.BorrowerID]
	if w == nil || len(w.Loans) != len(f.Loans) {
		t.Fatalf("borrower %d: %d loans read, ScoringFacts %+v", f.BorrowerID, len(f.Loans), w)
	}
	got := 0
	for i, l := range f.Loans {
		got += len(l.Payments)
		if a, b := lean(l.Payments), lean(w.Loans[i].Payments); !reflect.DeepEqual(a, b) {
			t.Errorf("loan %d payments:\n%+v\nin the ledger tables:\n%+v", l.Loan.ID, a, b)
		}
	}
	if got != n {
		t.Errorf("borrower %d: %d payments read, want %d", f.BorrowerID, got, n)
	}
}
