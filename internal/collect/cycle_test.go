package collect_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// demoOpts is the small demo portfolio the cycle tests age: 200 borrowers
// with payment histories up to 2026-03-01, aged to today (2026-03-20).
var demoOpts = collect.DemoOptions{Borrowers: 200, Seed: 7, AsOf: date.MustParse("2026-03-01")}

func (f *fixture) loadDemo(t *testing.T) collect.DemoResult {
	t.Helper()
	res, err := f.svc.LoadDemo(ctx, demoOpts, nil)
	if err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	return res
}

func TestService_LoadDemo(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		res := f.loadDemo(t)
		got := map[string]int{"borrowers": f.count(t, "SELECT COUNT(*) FROM borrowers"),
			"loans": f.count(t, "SELECT COUNT(*) FROM loans"), "payments": f.count(t, "SELECT COUNT(*) FROM payments")}
		want := map[string]int{"borrowers": 200, "loans": res.Loans, "payments": res.Payments}
		if diff := cmp.Diff(want, got); diff != "" || res.Borrowers != 200 || res.Loans < 200 {
			t.Errorf("LoadDemo = %+v; rows (-want +got):\n%s", res, diff)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM loan_positions"); n != res.Loans {
			t.Errorf("%d loan positions stored, want one per loan (%d)", n, res.Loans)
		}
		if diff := cmp.Diff([]string{"demo.load"}, f.actions(t, 0)); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}
		before := f.counts(t)

		t.Run("RefusesNonEmptyDatabase", func(t *testing.T) {
			_, err := f.svc.LoadDemo(ctx, demoOpts, nil)
			if errs.CodeOf(err) != errs.Conflict || !strings.Contains(errs.MessageOf(err), "200 borrowers") {
				t.Errorf("err = %v, want Conflict naming the 200 borrowers", err)
			}
		})
		t.Run("InvalidSize", func(t *testing.T) {
			_, err := f.svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: 0, AsOf: demoOpts.AsOf}, nil)
			if fs := errs.FieldsOf(err); len(fs) != 1 || fs[0].Field != "borrowers" {
				t.Errorf("err = %v, want Invalid on borrowers", err)
			}
		})
		if diff := cmp.Diff(before, f.counts(t)); diff != "" {
			t.Errorf("refused demo loads wrote rows (-before +after):\n%s", diff)
		}
		f.mustVerify(t)
	})
}

// cycleState is everything the nightly run decides, read back from the
// database: every loan with its status and stored position, the bucket
// transitions, the latest snapshot, and the row count of every table but
// the audit log (whose events depend on how many runs there were).
type cycleState struct {
	Loans       []sqlstore.LoanRow
	Transitions []sqlstore.BucketTransition
	Snapshot    sqlstore.Snapshot
	Rows        map[string]int
}

var cycleStateOpts = cmp.Options{
	cmpopts.IgnoreFields(ledger.Loan{}, "CreatedAt", "UpdatedAt"),
	cmpopts.EquateEmpty(),
}

func (f *fixture) cycleState(t *testing.T) cycleState {
	t.Helper()
	var s cycleState
	f.read(t, func(tx *sqlstore.Tx) error {
		var err error
		if s.Loans, _, err = tx.Loans(ctx, sqlstore.LoanFilter{Limit: 100_000}); err != nil {
			return err
		}
		if s.Transitions, err = tx.BucketTransitions(ctx, date.MustParse("2000-01-01"), date.MustParse("2100-01-01")); err != nil {
			return err
		}
		s.Snapshot, err = tx.LatestSnapshot(ctx)
		if errs.CodeOf(err) == errs.NotFound {
			err = nil
		}
		return err
	})
	sort.Slice(s.Transitions, func(i, j int) bool { return s.Transitions[i].LoanID < s.Transitions[j].LoanID })
	s.Rows = map[string]int{}
	for _, tb := range f.tableNames(t) {
		switch tb {
		case "audit_events", "audit_head", "goose_db_version":
			continue
		}
		s.Rows[tb] = f.count(t, "SELECT COUNT(*) FROM "+tb)
	}
	return s
}

// tableNames lists the tables of the database, whatever later migrations add.
func (f *fixture) tableNames(t *testing.T) []string {
	t.Helper()
	q := "SELECT group_concat(name, ',') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if f.db.Engine() == sqlstore.Postgres {
		q = "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	var list string
	f.read(t, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, q).Scan(&list) })
	return strings.Split(list, ",")
}

// summaryMap is a run summary as JSON fields, without timings.
func summaryMap(t *testing.T, s collect.RunSummary) map[string]any {
	t.Helper()
	b, _ := json.Marshal(s)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for k := range m {
		if strings.HasSuffix(k, "_ms") {
			delete(m, k)
		}
	}
	return m
}

// madeByRun are the summary counts of what a run changed or created; a
// second run of the same date must report zero for each.
var madeByRun = []string{"status_changes", "cases_opened", "cases_closed", "tasks_created", "messages_queued"}

func TestService_RunCycle_Idempotent(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		f.loadDemo(t)
		first, err := f.svc.RunCycle(ctx, today, nil)
		if err != nil {
			t.Fatal(err)
		}
		if first.Loans == 0 || first.DelinquentLoans == 0 || first.StatusChanges == 0 || first.AsOf != today {
			t.Fatalf("first run = %+v; want loans, delinquent loans and status changes", first)
		}
		var inBuckets int
		for _, n := range first.ByBucket {
			inBuckets += n
		}
		if inBuckets != first.Loans || first.ByBucket["M0"] != first.Loans-first.DelinquentLoans {
			t.Errorf("by_bucket %v does not add up to %d loans, %d delinquent", first.ByBucket, first.Loans, first.DelinquentLoans)
		}
		state := f.cycleState(t)
		events := len(f.events(t))

		second, err := f.svc.RunCycle(ctx, today, nil)
		if err != nil {
			t.Fatal(err)
		}
		if second.Touched > first.Touched {
			t.Errorf("second run touched %d loans, the first %d", second.Touched, first.Touched)
		}
		want := summaryMap(t, first)
		want["touched"] = float64(second.Touched) // loans cured by the first run need no ageing
		for _, k := range madeByRun {
			if _, ok := want[k]; ok {
				want[k] = 0.0
			}
		}
		if diff := cmp.Diff(want, summaryMap(t, second)); diff != "" {
			t.Errorf("second run summary (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(state, f.cycleState(t), cycleStateOpts); diff != "" {
			t.Errorf("second run changed the database (-first +second):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"cycle.run"}, f.actions(t, events)); diff != "" {
			t.Errorf("second run audit actions (-want +got):\n%s", diff)
		}
		f.mustVerify(t)
	})
}

// crashCtx is a context that is cancelled at its n-th Done call: the
// database drivers ask for Done on every statement and transaction, so a
// run under it stops (and its open transaction rolls back) at about its
// n-th database operation, as if the process had died there.
type crashCtx struct {
	context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	left   int
}

func newCrashCtx(t *testing.T, n int) *crashCtx {
	c, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return &crashCtx{Context: c, cancel: cancel, left: n}
}

func (c *crashCtx) Done() <-chan struct{} {
	c.mu.Lock()
	if c.left--; c.left == 0 {
		c.cancel()
	}
	c.mu.Unlock()
	return c.Context.Done()
}

func TestService_RunCycle_CrashSafe(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		clean := newFixture(t, open(t))
		clean.loadDemo(t)
		if _, err := clean.svc.RunCycle(ctx, today, nil); err != nil {
			t.Fatal(err)
		}
		want := clean.cycleState(t)
		// Crash ever later until a run gets through; then run again and
		// compare with the run that never crashed.
		for n := 1; ; n *= 4 {
			f := newFixture(t, open(t))
			f.loadDemo(t)
			_, err := f.svc.RunCycle(newCrashCtx(t, n), today, nil)
			if _, err := f.svc.RunCycle(ctx, today, nil); err != nil {
				t.Fatalf("run after a crash at operation %d: %v", n, err)
			}
			if diff := cmp.Diff(want, f.cycleState(t), cycleStateOpts); diff != "" {
				t.Errorf("crash at operation %d, then a run: state differs from a clean run (-clean +recovered):\n%s", n, diff)
			}
			f.mustVerify(t)
			if err == nil {
				if n == 1 {
					t.Fatal("the crash context never crashed the run")
				}
				t.Logf("crashed at operations 1, 4 … %d; the run at %d got through", n/4, n)
				break
			}
		}
	})
}
