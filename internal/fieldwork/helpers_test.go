package fieldwork_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/fieldwork"
	"accord/internal/negotiation"
	"accord/internal/route"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

var ctx = context.Background()

// start is the first nightly run; the demo book is generated as of the day
// before (a Monday, no holiday around it).
var start = date.MustParse("2026-03-02")

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// env is the collect, negotiation and fieldwork services over a demo book
// with the demo collections department, two field agents (fa1, fa2) with
// collector records, and a clock the test moves.
type env struct {
	db    *sqlstore.DB
	svc   *collect.Service
	neg   *negotiation.Service
	fw    *fieldwork.Service
	mu    sync.Mutex
	now   time.Time
	users map[string]auth.User
}

// engines runs fn on SQLite and on PostgreSQL (skipped without
// ACCORD_TEST_POSTGRES unless CI is set), in parallel.
func engines(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
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

func newEnv(t *testing.T, db *sqlstore.DB, n int) *env {
	t.Helper()
	return newEnvWith(t, db, n, fieldwork.Options{})
}

// newEnvWith is newEnv with the field-visit service built with opts.
func newEnvWith(t *testing.T, db *sqlstore.DB, n int, opts fieldwork.Options) *env {
	t.Helper()
	e := &env{db: db, users: map[string]auth.User{}}
	e.at(start, "10:00")
	e.svc = collect.New(db, collect.Options{Now: e.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.neg = negotiation.Wire(e.svc, negotiation.Options{})
	e.fw = fieldwork.Wire(e.svc, e.neg, opts)
	if _, err := e.svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: n, Seed: 7, AsOf: start.AddDays(-1)}, nil); err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	make := func(name string, r auth.Role) {
		if _, err := e.svc.CreateUser(ctx, collect.System("test"), auth.User{Username: name, DisplayName: name,
			Roles: []auth.Role{r}}, "correct horse battery staple"); err != nil {
			t.Fatalf("CreateUser(%s): %v", name, err)
		}
	}
	for _, r := range auth.Roles {
		make(string(r), r)
	}
	make("fa1", auth.FieldAgent)
	make("fa2", auth.FieldAgent)
	make("fa3", auth.FieldAgent)
	if _, err := e.svc.LoadDemoCasework(ctx); err != nil {
		t.Fatalf("LoadDemoCasework: %v", err)
	}
	users, err := e.svc.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		e.users[u.Username] = u
	}
	e.write(t, func(tx *sqlstore.Tx) error {
		var team int64
		if err := tx.Inspect(ctx, "SELECT id FROM teams ORDER BY id LIMIT 1").Scan(&team); err != nil {
			return err
		}
		for _, name := range []string{"fa1", "fa2", "fa3"} {
			c := sqlstore.Collector{Collector: casework.Collector{Name: name, Languages: []string{"zh"}, Regions: []string{},
				Buckets: []string{}, Queues: []string{}, Capacity: 0, Active: true}, UserID: e.users[name].ID, TeamID: team}
			if err := tx.CreateCollector(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	e.run(t, start)
	return e
}

// at sets the clock to local time hhmm in Shanghai on day d.
func (e *env) at(d date.Date, hhmm string) {
	tm, err := time.ParseInLocation("2006-01-02 15:04", d.String()+" "+hhmm, shanghai)
	if err != nil {
		panic(err)
	}
	e.set(tm)
}

func (e *env) set(t time.Time) {
	e.mu.Lock()
	e.now = t
	e.mu.Unlock()
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) as(name string) collect.Actor {
	return collect.Actor{User: e.users[name], RequestID: "test"}
}

func (e *env) write(t *testing.T, fn func(tx *sqlstore.Tx) error) {
	t.Helper()
	if err := e.db.InTx(ctx, fn); err != nil {
		t.Fatal(err)
	}
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

// run runs the nightly cycle for d with the clock at 02:00 the next day.
func (e *env) run(t *testing.T, d date.Date) collect.RunSummary {
	t.Helper()
	keep := e.clock()
	e.at(d.AddDays(1), "02:00")
	sum, err := e.svc.RunCycle(ctx, d, nil)
	if err != nil {
		t.Fatalf("RunCycle(%s): %v", d, err)
	}
	e.set(keep)
	return sum
}

// eligibleCases returns open cases whose borrower may be visited: at least
// M2 and ¥1,000 overdue, not flagged, with a located address and a phone,
// and no visit yet.
func (e *env) eligibleCases(t *testing.T, n int) []sqlstore.Case {
	t.Helper()
	var out []sqlstore.Case
	e.read(t, func(tx *sqlstore.Tx) error {
		list, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Limit: sqlstore.MaxLimit})
		if err != nil {
			return err
		}
		for _, c := range list {
			if c.Status != casework.Open || c.DPD < 31 || c.Overdue < 100000 || len(out) == n {
				continue
			}
			b, err := tx.Borrower(ctx, c.BorrowerID)
			if err != nil {
				return err
			}
			if len(b.Flags) > 0 || len(b.Phones) == 0 || len(b.Addresses) == 0 || b.Addresses[0].Lat == 0 {
				continue
			}
			if vs, _, err := tx.Visits(ctx, sqlstore.VisitFilter{CaseID: c.ID}); err != nil || len(vs) > 0 {
				continue
			}
			if len(out) > 0 { // near the first, for one pair's day
				first, err := tx.Borrower(ctx, out[0].BorrowerID)
				if err != nil {
					return err
				}
				a, f := b.Addresses[0], first.Addresses[0]
				if route.RoadKm(route.Point{Lat: a.Lat, Lon: a.Lon}, route.Point{Lat: f.Lat, Lon: f.Lon}) > 40 {
					continue
				}
			}
			out = append(out, c)
		}
		return nil
	})
	if len(out) < n {
		t.Fatalf("only %d eligible cases in the demo book, want %d", len(out), n)
	}
	return out
}

func openSQLite(t *testing.T) *sqlstore.DB { return storetest.OpenSQLite(t) }

func dateParse(s string) (date.Date, error) { return date.Parse(s) }
