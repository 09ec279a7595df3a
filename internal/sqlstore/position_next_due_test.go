package sqlstore_test

import (
	"testing"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// The nightly run finds the loans to age by their next due date, which
// SavePositions keeps in line with the position it stores; it writes only
// the loans whose date moved, and a date that stays must stay.
func TestSavePositions_KeepsNextDueInLine(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, e storetest.Engine) {
		db := e.Open(t)
		_, l1, _ := vCase(t, db, 1, "M1")
		_, l2, _ := vCase(t, db, 2, "M1")
		save := func(on date.Date, next1, next2 string) {
			t.Helper()
			rows := []sqlstore.PositionRow{
				{Position: ledger.Position{LoanID: l1.ID, AsOf: on, NextDue: date.MustParse(next1)}, BorrowerID: l1.BorrowerID, Bucket: "M0"},
				{Position: ledger.Position{LoanID: l2.ID, AsOf: on, NextDue: date.MustParse(next2)}, BorrowerID: l2.BorrowerID, Bucket: "M0"},
			}
			vWrite(t, db, func(tx *sqlstore.Tx) error { return tx.SavePositions(vctx, rows) })
		}
		due := func(asOf string) map[int64]bool {
			t.Helper()
			out := map[int64]bool{}
			if err := db.Read(vctx, func(tx *sqlstore.Tx) error {
				list, err := tx.AgingChunk(vctx, date.MustParse(asOf), 0, 100)
				for _, b := range list {
					out[b.Loan.ID] = true
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		save(date.MustParse("2026-03-01"), "2026-03-15", "2026-04-15")
		if got := due("2026-03-20"); !got[l1.ID] || got[l2.ID] {
			t.Fatalf("on 03-20 due to age: %v, want loan %d only", got, l1.ID)
		}
		// Loan 1 paid: its next due date moves; loan 2's stays.
		save(date.MustParse("2026-03-16"), "2026-04-15", "2026-04-15")
		if got := due("2026-03-20"); len(got) != 0 {
			t.Fatalf("on 03-20 after loan %d moved on: %v, want none", l1.ID, got)
		}
		if got := due("2026-04-20"); !got[l1.ID] || !got[l2.ID] {
			t.Fatalf("on 04-20 due to age: %v, want both", got)
		}
	})
}
