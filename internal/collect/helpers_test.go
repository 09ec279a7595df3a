package collect_test

import (
	"context"
	"testing"
	"time"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
	"accord/internal/testkit"
)

var ctx = context.Background()

// t0 is the fixed clock of every test (testkit.T0): 10:00 on 2026-03-20
// in Shanghai, so Service.Today() is 2026-03-20.
var t0 = testkit.T0

var today = testkit.Today

// engines runs fn once on a fresh SQLite database and once on a fresh
// PostgreSQL one (storetest.Engines: skipped without ACCORD_TEST_POSTGRES
// unless CI is set, where it fails), as parallel subtests named after the
// engine.
func engines(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, e storetest.Engine) { fn(t, newFixture(t, e.Open(t))) })
}

// eachEngine runs fn as a parallel subtest per engine with a function that
// opens fresh databases of it, for tests that need several.
func eachEngine(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, e storetest.Engine) { fn(t, e.Open) })
}

// fixture is a service over a real database with a clock tests can move.
type fixture struct {
	db  *sqlstore.DB
	svc *collect.Service
	clk *testkit.Clock
}

func newFixture(tb testing.TB, db *sqlstore.DB) *fixture {
	tb.Helper()
	f := &fixture{db: db, clk: testkit.NewClock(t0)}
	f.svc = collect.New(db, collect.Options{Now: f.clock, SessionTTL: time.Hour})
	return f
}

func (f *fixture) clock() time.Time { return f.clk.Now() }

// advance moves the fixture's clock forward by d.
func (f *fixture) advance(d time.Duration) { f.clk.Advance(d) }

// admin acts for the back office in use cases that need a user.
var admin = testkit.Admin

func actorWith(role auth.Role) collect.Actor { return testkit.Actor(role) }

// loanOpts are the terms of a test loan (testkit.LoanOpts); zero fields
// take the defaults: 10,000.00 at 12% over 12 months, equal installments,
// disbursed 2026-01-15, no penalty and no late fee.
type loanOpts = testkit.LoanOpts

// newLoan books a borrower (with a national id and a phone) and one loan
// for them, through the use cases, and returns the loan.
func (f *fixture) newLoan(t *testing.T, ext string, o *loanOpts) ledger.Loan {
	t.Helper()
	_, loans := testkit.BorrowerWithLoans(t, f.svc, ext, 1, o)
	return loans[0]
}

// count returns the single integer a query (written with ? placeholders)
// selects, e.g. "SELECT COUNT(*) FROM payments".
func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	err := f.db.Read(ctx, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, query, args...).Scan(&n) })
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// events returns the whole audit log in seq order.
func (f *fixture) events(t *testing.T) []audit.Event {
	t.Helper()
	var out []audit.Event
	if err := f.db.AuditEvents(ctx, func(e audit.Event) error {
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// actions returns the actions of the audit events after the first skip.
func (f *fixture) actions(t *testing.T, skip int) []string {
	t.Helper()
	var out []string
	for _, e := range f.events(t)[skip:] {
		out = append(out, e.Action)
	}
	return out
}

// mustVerify fails the test unless the audit chain is intact.
func (f *fixture) mustVerify(t *testing.T) collect.AuditCheck {
	t.Helper()
	res, err := f.svc.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK {
		t.Fatalf("VerifyAudit = %+v, want OK", res)
	}
	return res
}

// read runs fn in a read transaction and fails the test on error.
func (f *fixture) read(t *testing.T, fn func(tx *sqlstore.Tx) error) {
	t.Helper()
	if err := f.db.Read(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// position returns the stored facts and the status of loan id.
func (f *fixture) position(t *testing.T, id int64) (sqlstore.PositionRow, ledger.Status) {
	t.Helper()
	var row sqlstore.PositionRow
	var st ledger.Status
	f.read(t, func(tx *sqlstore.Tx) error {
		var err error
		if row, err = tx.Position(ctx, id); err != nil {
			return err
		}
		l, err := tx.Loan(ctx, id)
		st = l.Status
		return err
	})
	return row, st
}

func yuan(s string) money.Amount {
	a, err := money.Parse(s)
	if err != nil {
		panic(err)
	}
	return a
}
