package negotiation_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/negotiation"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

var ctx = context.Background()

// start is the first nightly run; the demo book is generated as of the day
// before.
var start = date.MustParse("2026-03-02")

// env is the collect service over a demo book with the demo collections
// department, the negotiation service wired as its promise book, and a
// clock the test moves.
type env struct {
	db    *sqlstore.DB
	svc   *collect.Service
	neg   *negotiation.Service
	mu    sync.Mutex
	today date.Date
	users map[auth.Role]auth.User
}

// engines runs fn on SQLite and on PostgreSQL (storetest.Engines: skipped
// without ACCORD_TEST_POSTGRES unless CI is set), in parallel.
func engines(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, e storetest.Engine) { fn(t, e.Open) })
}

func newEnv(t *testing.T, db *sqlstore.DB, n int) *env {
	t.Helper()
	e := &env{db: db, today: start, users: map[auth.Role]auth.User{}}
	e.svc = collect.New(db, collect.Options{Now: e.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.neg = negotiation.Wire(e.svc, negotiation.Options{})
	if _, err := e.svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: n, Seed: 7, AsOf: start.AddDays(-1)}, nil); err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	for _, r := range auth.Roles {
		if _, err := e.svc.CreateUser(ctx, collect.System("test"), auth.User{Username: string(r), DisplayName: string(r),
			Roles: []auth.Role{r}}, "correct horse battery staple"); err != nil {
			t.Fatalf("CreateUser(%s): %v", r, err)
		}
	}
	if _, err := e.svc.LoadDemoCasework(ctx); err != nil {
		t.Fatalf("LoadDemoCasework: %v", err)
	}
	users, err := e.svc.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if len(u.Roles) == 1 && u.Username == string(u.Roles[0]) {
			e.users[u.Roles[0]] = u
		}
	}
	return e
}

// clock is 10:00 in Shanghai on the env's day.
func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.today.Time().Add(2 * time.Hour)
}

func (e *env) setDay(d date.Date) {
	e.mu.Lock()
	e.today = d
	e.mu.Unlock()
}

func (e *env) as(r auth.Role) collect.Actor {
	return collect.Actor{User: e.users[r], RequestID: "test"}
}

func (e *env) read(t *testing.T, fn func(tx *sqlstore.Tx) error) {
	t.Helper()
	if err := e.db.Read(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	e.read(t, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, query, args...).Scan(&n) })
	return n
}

// run runs the nightly cycle for d with the clock on d.
func (e *env) run(t *testing.T, d date.Date) collect.RunSummary {
	t.Helper()
	e.setDay(d)
	sum, err := e.svc.RunCycle(ctx, d, nil)
	if err != nil {
		t.Fatalf("RunCycle(%s): %v", d, err)
	}
	return sum
}

func (e *env) caseOf(t *testing.T, id int64) sqlstore.Case {
	t.Helper()
	var c sqlstore.Case
	e.read(t, func(tx *sqlstore.Tx) error {
		var err error
		c, err = tx.Case(ctx, id)
		return err
	})
	return c
}

func openSQLite(t *testing.T) *sqlstore.DB { return storetest.OpenSQLite(t) }
