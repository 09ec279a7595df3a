package negotiation_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/negotiation"
	"accord/internal/plan"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// The rules a lender adds for plans: while a plan runs, a light
// priority-9 call in the on_plan queue; once it broke, a priority-1 call
// in the plan_rescue queue.
const (
	onPlanRule = "on_plan_hold"
	brokenRule = "plan_broken_rescue"
)

func publishPlanRules(t *testing.T, e *env) {
	t.Helper()
	d := strategy.DefaultDefinition()
	at := slices.IndexFunc(d.Rules, func(r strategy.Rule) bool { return r.Name == "with_agency" }) + 1
	d.Rules = slices.Insert(d.Rules, at,
		strategy.Rule{Name: brokenRule, When: `"plan_broken" in flags`,
			Treatments: []strategy.Treatment{{Kind: strategy.Call, Queue: "plan_rescue", Priority: 1}}},
		strategy.Rule{Name: onPlanRule, When: `"on_plan" in flags`,
			Treatments: []strategy.Treatment{{Kind: strategy.Call, Queue: "on_plan", Priority: 9}}})
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

// openCaseOf returns the borrower's open case, if any.
func (e *env) openCaseOf(t *testing.T, borrowerID int64) (sqlstore.Case, bool) {
	t.Helper()
	open := casework.Open
	var list []sqlstore.Case
	e.read(t, func(tx *sqlstore.Tx) (err error) {
		list, _, err = tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, BorrowerID: &borrowerID})
		return err
	})
	if len(list) == 0 {
		return sqlstore.Case{}, false
	}
	return list[0], true
}

// TestPlanBreak_OwnerToldAndStrategy: a broken plan tells the owner of the
// borrower's open case and the case re-enters the strategy, which sees the
// plan flags, in the night of the break, on both engines.
//
//   - Plan A runs on its open case (frozen DPD): while it runs the
//     strategy's on_plan rule decides the case; its first instalment is
//     missed, and the night after the grace period the plan breaks, the
//     case's owner gets the plan_broken task and the strategy's
//     plan_broken rule decides the case (its priority-1 call task).
//   - Plan B is kept long enough to reset its DPD (reset after 1), so its
//     case closes as cured; its next instalment is missed and the plan
//     breaks: that night's casework opens a new case for the borrower,
//     the plan_broken rule decides it, and the new case's owner gets the
//     plan_broken task on it — not on the closed case, where nobody works.
func TestPlanBreak_OwnerToldAndStrategy(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 400)
		e.run(t, start)
		publishPlanRules(t, e)
		var cs []sqlstore.Case
		for _, c := range delinquentCases(t, e, 12) {
			if len(c.Flags) == 0 && c.Owner.Kind == casework.ToCollector && c.BucketRank <= 2 {
				cs = append(cs, c)
			}
		}
		if len(cs) < 2 {
			t.Fatalf("only %d suitable cases", len(cs))
		}
		ca, cb := cs[0], cs[1]
		for i, c := range []sqlstore.Case{ca, cb} {
			if err := e.activate(t, negotiation.Agreement{ID: int64(8001 + i), CaseID: c.ID, BorrowerID: c.BorrowerID, LoanIDs: c.LoanIDs,
				Offer: e.offerFor(t, c.LoanIDs, false), AcceptedAt: e.clock(), ActivatedBy: "lin",
				Rules: plan.Rules{GraceDays: 3, ResetAfter: 1}}); err != nil {
				t.Fatalf("Activate on case %d: %v", c.ID, err)
			}
		}
		pa, pb := e.planOf(t, ca.LoanIDs[0]), e.planOf(t, cb.LoanIDs[0])
		if pa.PreDPD == 0 {
			t.Fatalf("plan A has no frozen DPD")
		}
		e.run(t, start.AddDays(1))
		if c := e.caseOf(t, ca.ID); c.Status != casework.Open || c.Rule != onPlanRule {
			t.Errorf("case A on its plan: %s, rule %q; want open, %s", c.Status, c.Rule, onPlanRule)
		}

		// B pays its first instalment on time: DPD reset, case cured.
		e.setDay(pb.Schedule[0].Due)
		e.pay(t, "B-1", cb.LoanIDs[0], pb.Schedule[0].Amount)
		nights := map[date.Date]bool{}
		for _, due := range []date.Date{pa.Schedule[0].Due, pb.Schedule[1].Due} {
			for g := 0; g <= 3+1; g++ {
				nights[due.AddDays(g)] = true
			}
		}
		breakA, breakB := pa.Schedule[0].Due.AddDays(4), pb.Schedule[1].Due.AddDays(4)
		for _, d := range slices.Sorted(maps.Keys(nights)) {
			e.run(t, d)
			if d == pa.Schedule[0].Due {
				if c := e.caseOf(t, cb.ID); c.Status != casework.Closed {
					t.Errorf("case B after its DPD reset: %s (dpd %d), want closed", c.Status, c.DPD)
				}
			}
			if d == breakA {
				c := e.caseOf(t, ca.ID)
				if e.planOf(t, ca.LoanIDs[0]).Status != plan.Broken || c.Status != casework.Open || c.Rule != brokenRule {
					t.Errorf("night %s: plan A %s, case A %s rule %q; want broken, open, %s", d, e.planOf(t, ca.LoanIDs[0]).Status, c.Status, c.Rule, brokenRule)
				}
				e.wantBreakTasks(t, "A", c)
			}
			if d == breakB {
				if st := e.planOf(t, cb.LoanIDs[0]).Status; st != plan.Broken {
					t.Fatalf("night %s: plan B %s, want broken", d, st)
				}
				nc, ok := e.openCaseOf(t, cb.BorrowerID)
				if !ok || nc.ID == cb.ID || nc.Rule != brokenRule {
					t.Fatalf("night %s: borrower B's open case %d (found %v, closed case %d), rule %q; want a new case decided by %s",
						d, nc.ID, ok, cb.ID, nc.Rule, brokenRule)
				}
				e.wantBreakTasks(t, "B", nc)
				if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND status = 'open'", cb.ID); n != 0 {
					t.Errorf("the closed case B holds %d open tasks", n)
				}
			}
		}
		// A re-run of the break night adds nothing (but its own record).
		fp := func() string {
			return fmt.Sprint(e.count(t, "SELECT COUNT(*) FROM tasks"), e.count(t, "SELECT COUNT(*) FROM case_events"),
				e.count(t, "SELECT COUNT(*) FROM plan_events"), e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action <> 'cycle.run'"))
		}
		before := fp()
		e.run(t, breakB)
		if after := fp(); after != before {
			t.Errorf("re-running %s: %s → %s", breakB, before, after)
		}
		// A new agreement after A's break supersedes the broken plan; the
		// plan-kept counts still count that plan as broken.
		e.setDay(breakB.AddDays(1))
		if err := e.activate(t, negotiation.Agreement{ID: 8011, CaseID: ca.ID, BorrowerID: ca.BorrowerID, LoanIDs: ca.LoanIDs,
			Offer: e.offerFor(t, ca.LoanIDs, false), AcceptedAt: e.clock(), ActivatedBy: "lin"}); err != nil {
			t.Fatalf("Activate after A's break: %v", err)
		}
		e.read(t, func(tx *sqlstore.Tx) error {
			counts, err := tx.PlanCountsByOwner(ctx)
			all := map[plan.Status]int{}
			for _, x := range counts {
				all[x.Status] += x.Plans
			}
			if all[plan.Broken] != 2 || all[plan.Active] != 1 || len(all) != 2 {
				t.Errorf("plan counts %v, want 2 broken (A's first plan, superseded after its break, and B's) and 1 active", all)
			}
			return err
		})

	})
}

// wantBreakTasks checks that case c's owner holds, open on c, the plan
// monitoring's plan_broken task and the strategy's priority-1 call.
func (e *env) wantBreakTasks(t *testing.T, name string, c sqlstore.Case) {
	t.Helper()
	for _, q := range []struct{ what, where string }{
		{"plan_broken task", "kind = 'negotiation' AND rule = 'plan_broken'"},
		{"strategy call", "kind = 'call' AND queue = 'plan_rescue' AND priority = 1 AND rule = '" + brokenRule + "'"},
	} {
		if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND status = 'open' AND assignee_kind = ? AND assignee_id = ? AND "+q.where,
			c.ID, string(c.Owner.Kind), c.Owner.ID); n != 1 {
			var all []string
			e.read(t, func(tx *sqlstore.Tx) error {
				rows, err := tx.InspectRows(ctx, "SELECT kind || '/' || queue || '/' || rule || '/' || status || '/' || outcome FROM tasks WHERE case_id = ? OR borrower_id = ?", c.ID, c.BorrowerID)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var s string
					if err := rows.Scan(&s); err != nil {
						return err
					}
					all = append(all, s)
				}
				return rows.Err()
			})
			t.Errorf("case %s (%d, owner %v): %d open %s for the owner, want 1 %v", name, c.ID, c.Owner, n, q.what, all)
		}
	}
}
