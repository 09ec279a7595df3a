package collect

import (
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestRecordPayment_UpdatesCaseAtOnce: a payment brings the borrower's
// open case up to date in the same transaction, before any nightly run: a
// part payment lowers its overdue amount and adds to what was recovered; a
// payment of everything overdue cures it, closes it and cancels its tasks,
// and takes it off the collector's workbench.
func TestRecordPayment_UpdatesCaseAtOnce(t *testing.T) {
	t.Parallel()
	e := newCW(t, storetest.OpenSQLite(t), 600)
	e.run(t, cwStart)
	var single []sqlstore.Case
	for _, oc := range e.openCases(t) {
		var c sqlstore.Case
		e.read(t, func(tx *sqlstore.Tx) error {
			var err error
			c, err = tx.Case(cwCtx, oc.ID)
			return err
		})
		if len(c.LoanIDs) == 1 && c.Overdue > money.Yuan(100) && c.Owner.Kind == casework.ToCollector {
			single = append(single, c)
		}
	}
	if len(single) < 2 {
		t.Fatalf("%d single-loan cases", len(single))
	}
	part, cure := single[0], single[1]
	sup := e.as(auth.Supervisor)
	if _, _, err := e.svc.RecordPayment(cwCtx, sup, ledger.Payment{ExternalID: "PART-1", LoanID: part.LoanIDs[0],
		Amount: money.Yuan(50), PaidOn: cwStart, Channel: "app"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.RecordPayment(cwCtx, sup, ledger.Payment{ExternalID: "CURE-1", LoanID: cure.LoanIDs[0],
		Amount: cure.Overdue, PaidOn: cwStart, Channel: "app"}); err != nil {
		t.Fatal(err)
	}
	var p, c sqlstore.Case
	e.read(t, func(tx *sqlstore.Tx) error {
		var err error
		if p, err = tx.Case(cwCtx, part.ID); err != nil {
			return err
		}
		c, err = tx.Case(cwCtx, cure.ID)
		return err
	})
	if p.Status != casework.Open || p.Overdue != part.Overdue-money.Yuan(50) || p.Recovered != part.Recovered+money.Yuan(50) ||
		p.Paid30d != part.Paid30d+money.Yuan(50) {
		t.Errorf("part-paid case: %s overdue %s (was %s), recovered %s (was %s)", p.Status, p.Overdue, part.Overdue, p.Recovered, part.Recovered)
	}
	if c.Status != casework.Closed || c.CloseReason != casework.Cured || c.ClosedOn != cwStart {
		t.Errorf("cured case: %s (%s) closed on %s", c.Status, c.CloseReason, c.ClosedOn)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND status = 'open'", cure.ID); n != 0 {
		t.Errorf("cured case has %d open tasks", n)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM case_payments WHERE case_id IN (?, ?)", part.ID, cure.ID); n != 2 {
		t.Errorf("payments attributed = %d, want 2", n)
	}
	// The nightly run of the day then finds nothing more to do for them.
	e.run(t, cwStart)
	if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind = 'closed'", cure.ID); n != 1 {
		t.Errorf("closed events for the cured case after the run = %d, want 1", n)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE borrower_id = ? AND status = 'open'", cure.BorrowerID); n != 0 {
		t.Errorf("the run reopened a case for the cured borrower")
	}
}
