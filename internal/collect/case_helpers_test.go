package collect

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// The casework tests run inside the package (the use-case tests of other
// areas run outside it), so their helpers carry a cw prefix.

var cwCtx = context.Background()

// cwStart is the first nightly run of the casework tests; the demo book is
// generated as of the day before.
var cwStart = date.MustParse("2026-03-02")

// cwEnv is a service over a demo book with the demo collections
// department, and a clock the test moves.
type cwEnv struct {
	db    *sqlstore.DB
	svc   *Service
	mu    sync.Mutex
	today date.Date
	late  time.Duration // added to the 10:00 clock
	users map[auth.Role]auth.User
}

// cwEngines runs fn on SQLite and on PostgreSQL (storetest.Engines), in
// parallel.
func cwEngines(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, e storetest.Engine) { fn(t, e.Open) })
}

// newCW loads a demo book of n borrowers as of the day before cwStart, one
// user per role, and the demo department with the default strategy.
func newCW(t *testing.T, db *sqlstore.DB, n int) *cwEnv {
	t.Helper()
	e := &cwEnv{db: db, today: cwStart, users: map[auth.Role]auth.User{}}
	e.svc = New(db, Options{Now: e.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if _, err := e.svc.LoadDemo(cwCtx, DemoOptions{Borrowers: n, Seed: 7, AsOf: cwStart.AddDays(-1)}, nil); err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	for _, r := range auth.Roles {
		u, err := e.svc.CreateUser(cwCtx, System("test"), auth.User{Username: string(r), DisplayName: string(r), Roles: []auth.Role{r}},
			"correct horse battery staple")
		if err != nil {
			t.Fatalf("CreateUser(%s): %v", r, err)
		}
		e.users[r] = u
	}
	if _, err := e.svc.LoadDemoCasework(cwCtx); err != nil {
		t.Fatalf("LoadDemoCasework: %v", err)
	}
	for _, r := range auth.Roles { // the demo department changed team and agency ids
		var u auth.User
		e.read(t, func(tx *sqlstore.Tx) error {
			var err error
			u, err = tx.User(cwCtx, e.users[r].ID)
			return err
		})
		e.users[r] = u
	}
	return e
}

// clock is 10:00 in Shanghai on the env's day.
func (e *cwEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.today.Time().Add(2*time.Hour + e.late)
}

func (e *cwEnv) setDay(d date.Date) {
	e.mu.Lock()
	e.today = d
	e.mu.Unlock()
}

func (e *cwEnv) as(r auth.Role) Actor { return Actor{User: e.users[r], RequestID: "test"} }

func (e *cwEnv) read(t *testing.T, fn func(tx *sqlstore.Tx) error) {
	t.Helper()
	if err := e.db.Read(cwCtx, fn); err != nil {
		t.Fatal(err)
	}
}

// count runs a COUNT query.
func (e *cwEnv) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	e.read(t, func(tx *sqlstore.Tx) error { return tx.Inspect(cwCtx, query, args...).Scan(&n) })
	return n
}

// run runs the nightly cycle for d with the clock on d.
func (e *cwEnv) run(t *testing.T, d date.Date) RunSummary {
	t.Helper()
	e.setDay(d)
	sum, err := e.svc.RunCycle(cwCtx, d, nil)
	if err != nil {
		t.Fatalf("RunCycle(%s): %v", d, err)
	}
	return sum
}

// openCases returns the open cases, by value.
func (e *cwEnv) openCases(t *testing.T) []sqlstore.Case {
	t.Helper()
	var list []sqlstore.Case
	e.read(t, func(tx *sqlstore.Tx) error {
		return tx.EachOpenCase(cwCtx, func(c sqlstore.Case) error {
			list = append(list, c)
			return nil
		})
	})
	return list
}
