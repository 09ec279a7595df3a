package negotiation_test

import (
	"encoding/json"
	"slices"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/promise"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// escalationRule is the rule a lender adds to escalate a broken promise:
// a priority-1 call in a dedicated queue for three days after it.
const escalationRule = "promise_broken_escalate"

// publishEscalation publishes the default strategy with escalationRule
// after its flag rules (vulnerable, disputed, agency), written by a
// supervisor and published by an admin (four eyes).
func publishEscalation(t *testing.T, e *env) {
	t.Helper()
	d := strategy.DefaultDefinition()
	at := slices.IndexFunc(d.Rules, func(r strategy.Rule) bool { return r.Name == "with_agency" }) + 1
	d.Rules = slices.Insert(d.Rules, at, strategy.Rule{Name: escalationRule, When: "days_since_broken_promise <= 3",
		Treatments: []strategy.Treatment{{Kind: strategy.Call, Queue: "promise_broken", Priority: 1}},
		Note:       "承诺未兑现：三天内由专组优先跟进"})
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.CreateStrategyVersion(ctx, e.as(auth.Supervisor), raw)
	if err != nil {
		t.Fatalf("CreateStrategyVersion: %v", err)
	}
	if _, err := e.svc.PublishStrategy(ctx, e.as(auth.Admin), v.ID); err != nil {
		t.Fatalf("PublishStrategy: %v", err)
	}
}

// TestBrokenPromise_EscalatesPerStrategy: promises to pay recorded on
// three cases through the service, and the nightly runs (collect's
// RunCycle, nothing stubbed) with a published strategy that escalates a
// broken promise (days_since_broken_promise <= 3: a priority-1 call in
// the promise_broken queue).
//
//   - Case A pays nothing: up to and including the night of the promise's
//     date it stays open and the rule does not fire; the next night judges
//     it broken and, in the same run (promises are judged before casework),
//     the rule decides the case and its escalation task is created, once,
//     for the case's owner. It stays for the three days the rule covers
//     and is cancelled the night the rule stops matching.
//   - Case B pays part of its promise: the same night the promise is
//     judged partly kept, which counts as broken (promises_broken, the
//     last-broken date), so it escalates the same way; what was paid stays
//     credited to it.
//   - Case C pays its promise in full before the date: kept at once, never
//     escalated.
func TestBrokenPromise_EscalatesPerStrategy(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 400)
		e.run(t, start)
		publishEscalation(t, e)
		sup := e.as(auth.Supervisor)
		var cs []sqlstore.Case
		for _, c := range owingCases(t, e, 30, money.Yuan(300)) {
			// held by a collector and early (later buckets go to agencies,
			// whose rule comes first)
			if len(c.Flags) == 0 && c.Owner.Kind == casework.ToCollector && c.BucketRank <= 2 {
				cs = append(cs, c)
			}
		}
		if len(cs) < 3 {
			t.Fatalf("only %d unflagged cases held by collectors", len(cs))
		}
		a, b, k := cs[0], cs[1], cs[2]
		due := start.AddDays(3)
		for _, c := range []sqlstore.Case{a, b, k} {
			if _, err := e.neg.RecordPromise(ctx, sup, c.ID, negotiation.NewPromise{Amount: money.Yuan(300), Due: due, Channel: "call"}); err != nil {
				t.Fatalf("RecordPromise on case %d: %v", c.ID, err)
			}
		}
		e.setDay(start.AddDays(1))
		e.pay(t, "PTP-B", b.LoanIDs[0], money.Yuan(120))
		e.pay(t, "PTP-K", k.LoanIDs[0], money.Yuan(300))

		escalations := func(c sqlstore.Case, status string) int {
			return e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND rule = ? AND queue = 'promise_broken' AND kind = 'call' AND status = ?",
				c.ID, escalationRule, status)
		}
		broken := due.AddDays(1) // the first night after the promise's date
		for d := start.AddDays(1); !d.After(broken.AddDays(4)); d = d.AddDays(1) {
			e.run(t, d)
			escalated := !d.Before(broken) && !d.After(broken.AddDays(3))
			for _, x := range []struct {
				c      sqlstore.Case
				status promise.Status
				paid   money.Amount
				esc    bool
			}{
				{a, promise.Broken, 0, escalated},
				{b, promise.PartlyKept, money.Yuan(120), escalated},
				{k, promise.Kept, money.Yuan(300), false},
			} {
				st := x.status
				if d.Before(broken) && st != promise.Kept {
					st = promise.Open
				}
				checkPromises(t, e.promises(t, sup, x.c.ID), []want{{st, x.paid}})
				c := e.caseOf(t, x.c.ID)
				if got := c.Rule == escalationRule; got != x.esc {
					t.Errorf("%s, case %d (promise %s): rule %q, escalated %v, want %v", d, c.ID, st, c.Rule, got, x.esc)
				}
				open := 0
				if x.esc {
					open = 1
				}
				if n := escalations(x.c, "open"); n != open {
					t.Errorf("%s, case %d (promise %s): %d open escalation tasks, want %d", d, c.ID, st, n, open)
				}
				if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND rule = ? AND status = 'open' AND assignee_kind = ? AND assignee_id = ? AND priority = 1",
					c.ID, escalationRule, string(c.Owner.Kind), c.Owner.ID); n != open {
					t.Errorf("%s, case %d: %d open priority-1 escalation tasks for the case's owner %v, want %d", d, c.ID, n, c.Owner, open)
				}
				if st != promise.Broken && st != promise.PartlyKept {
					continue
				}
				if c.PromisesBroken != x.c.PromisesBroken+1 || c.PromiseBrokenOn != broken {
					t.Errorf("%s, case %d: promises broken %d (was %d), last broken %s; want one more, %s",
						d, c.ID, c.PromisesBroken, x.c.PromisesBroken, c.PromiseBrokenOn, broken)
				}
			}
		}
		for _, c := range []sqlstore.Case{a, b} {
			// One task across the rule's nights, cancelled once the rule
			// stopped matching.
			if n := escalations(c, "cancelled"); n != 1 {
				t.Errorf("case %d: %d cancelled escalation tasks after the rule's three days, want 1", c.ID, n)
			}
		}
		if n := escalations(k, "open") + escalations(k, "cancelled"); n != 0 {
			t.Errorf("the kept promise's case got %d escalation tasks", n)
		}
		var judged []date.Date
		for _, c := range []sqlstore.Case{a, b} {
			judged = append(judged, e.promises(t, sup, c.ID)[0].JudgedOn)
		}
		if judged[0] != broken || judged[1] != broken {
			t.Errorf("promises judged on %v, want %s", judged, broken)
		}
	})
}
