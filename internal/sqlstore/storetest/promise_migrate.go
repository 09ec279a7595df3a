package storetest

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"accord/internal/casework"
	"accord/internal/ledger"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// testMigratedSlot replays the data step of 00005_promise.sql — the single
// promise slot of an open case becomes a promise record — on a case set up
// as version 4 left it, and checks the record: amount, dates, the
// collector credited, and what the case's loans received between the day
// it was made and its date. It reads the migration from the source tree,
// so it runs from the sqlstore package directory (go test ./internal/sqlstore).
func testMigratedSlot(t *testing.T, db *sqlstore.DB) {
	team := cwTeam(t, db, "一组")
	col := cwCollector(t, db, team.ID, "林", 0)
	bid := mustBorrower(t, db, 1)
	l := newLoan(bid, 1)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateLoan(ctx, &l) })
	c := cwNewCase(bid)
	c.Owner = casework.Owner{Kind: casework.ToCollector, ID: col.ID}
	c.PromiseMadeOn, c.PromiseDue, c.PromiseAmount = cwDay, cwDay.AddDays(5), 500_00
	closed := cwNewCase(bid + 1000)
	closed.Status, closed.PromiseDue, closed.PromiseAmount = casework.Closed, cwDay.AddDays(5), 100_00
	cwInsert(t, db, &c, &closed)
	pays := []ledger.Payment{
		{ExternalID: "M-1", LoanID: l.ID, Amount: 100_00, PaidOn: cwDay.AddDays(-1)}, // before it was made
		{ExternalID: "M-2", LoanID: l.ID, Amount: 150_00, PaidOn: cwDay},
		{ExternalID: "M-3", LoanID: l.ID, Amount: 120_00, PaidOn: cwDay.AddDays(5)},
		{ExternalID: "M-4", LoanID: l.ID, Amount: 900_00, PaidOn: cwDay.AddDays(3)}, // reversed
		{ExternalID: "M-5", LoanID: l.ID, Amount: 700_00, PaidOn: cwDay.AddDays(6)}, // after its date
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.AddCaseLoans(ctx, []sqlstore.CaseLoanRow{{CaseID: c.ID, LoanID: l.ID, AddedOn: cwDay}}); err != nil {
			return err
		}
		for i := range pays {
			if err := tx.CreatePayment(ctx, &pays[i]); err != nil {
				return err
			}
		}
		_, err := tx.ReversePayment(ctx, pays[3].ID, "bounced", t0)
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		raw, err := os.ReadFile(filepath.Join("migrations", tx.Engine(), "00005_promise.sql"))
		if err != nil {
			return err
		}
		s := string(raw)
		i := strings.Index(s, "INSERT INTO promises")
		j := strings.Index(s[i:], ";")
		if i < 0 || j < 0 {
			t.Fatal("no INSERT INTO promises in the migration")
		}
		if err := tx.Inspect(ctx, s[i:i+j]).Scan(); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		list, err := tx.Promises(ctx, sqlstore.PromiseFilter{BorrowerID: bid})
		if err != nil {
			return err
		}
		if len(list) != 1 {
			t.Fatalf("migrated promises = %d, want 1", len(list))
		}
		p := list[0]
		if p.CaseID != c.ID || p.Amount != 500_00 || p.Due != cwDay.AddDays(5) || p.MadeOn != cwDay || p.Status != promise.Open ||
			p.Paid != 270_00 || p.CollectorID != col.ID || p.TeamID != team.ID || p.Channel != "call" {
			t.Errorf("migrated promise: %+v", p)
		}
		others, err := tx.Promises(ctx, sqlstore.PromiseFilter{CaseID: closed.ID})
		if err != nil || len(others) != 0 {
			t.Errorf("closed case's slot migrated: %d, %v", len(others), err)
		}
		return nil
	})
}
