package collect_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

var ctx = context.Background()

// t0 is the fixed clock of every test: 10:00 on 2026-03-20 in Shanghai, so
// Service.Today() is 2026-03-20.
var t0 = time.Date(2026, 3, 20, 2, 0, 0, 0, time.UTC)

var today = date.MustParse("2026-03-20")

// engines runs fn once on a fresh SQLite database and once on a fresh
// PostgreSQL one (skipped without ACCORD_TEST_POSTGRES unless CI is set,
// where it fails), as parallel subtests named after the engine.
func engines(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	eachEngine(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) { fn(t, newFixture(t, open(t))) })
}

// eachEngine runs fn as a parallel subtest per engine with a function that
// opens fresh databases of it, for tests that need several.
func eachEngine(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	t.Helper()
	for _, e := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			fn(t, e.open)
		})
	}
}

// fixture is a service over a real database with a clock tests can move.
type fixture struct {
	db  *sqlstore.DB
	svc *collect.Service

	mu  sync.Mutex
	now time.Time
}

func newFixture(tb testing.TB, db *sqlstore.DB) *fixture {
	tb.Helper()
	f := &fixture{db: db, now: t0}
	f.svc = collect.New(db, collect.Options{Now: f.clock, SessionTTL: time.Hour})
	return f
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// advance moves the fixture's clock forward by d.
func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// admin acts for the back office in use cases that need a user.
var admin = collect.Actor{User: auth.User{ID: 9001, Username: "ops-admin", Roles: []auth.Role{auth.Admin}}, RequestID: "req-admin"}

func actorWith(role auth.Role) collect.Actor {
	return collect.Actor{User: auth.User{ID: 9100, Username: "as-" + string(role), Roles: []auth.Role{role}}, RequestID: "req-" + string(role)}
}

// loanOpts are the terms of a test loan; zero fields take the defaults of
// newLoan: 10,000.00 at 12% over 12 months, equal installments, disbursed
// 2026-01-15, no penalty and no late fee (so waterfalls are easy to check
// by hand).
type loanOpts struct {
	Principal   money.Amount
	DisbursedOn date.Date
	Penalty     string
	LateFee     money.Amount
}

// newLoan books a borrower (with a national id and a phone) and one loan
// for them, through the use cases, and returns the loan.
func (f *fixture) newLoan(t *testing.T, ext string, o *loanOpts) ledger.Loan {
	t.Helper()
	if o == nil {
		o = &loanOpts{}
	}
	b, err := f.svc.CreateBorrower(ctx, admin, borrower.Borrower{
		ExternalID: "B-" + ext, Name: "张三", NationalID: "440305199001151232",
		Phones: []borrower.Phone{{Number: "+8613800138000", Kind: "mobile"}}, Language: "zh-CN",
	})
	if err != nil {
		t.Fatalf("CreateBorrower: %v", err)
	}
	l := ledger.Loan{ExternalID: "L-" + ext, BorrowerID: b.ID, ProductCode: "CASH12", Principal: money.Yuan(10_000),
		AnnualRate: decimal.MustParse("0.12"), TermMonths: 12, Method: ledger.EqualInstallment,
		DisbursedOn: date.MustParse("2026-01-15"), PenaltyRateDaily: decimal.Zero, LateFee: o.LateFee}
	if o.Principal != 0 {
		l.Principal = o.Principal
	}
	if !o.DisbursedOn.IsZero() {
		l.DisbursedOn = o.DisbursedOn
	}
	if o.Penalty != "" {
		l.PenaltyRateDaily = decimal.MustParse(o.Penalty)
	}
	l, err = f.svc.CreateLoan(ctx, admin, l)
	if err != nil {
		t.Fatalf("CreateLoan: %v", err)
	}
	return l
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
