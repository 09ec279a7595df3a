package negotiation_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// delinquentCases returns up to n open cases whose loans all owe late fees
// or penalty (so the waiver offers exist), with their loan ids.
func delinquentCases(t *testing.T, e *env, n int) []sqlstore.Case {
	t.Helper()
	var out, list []sqlstore.Case
	open := casework.Open
	e.read(t, func(tx *sqlstore.Tx) (err error) {
		list, _, err = tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, Limit: 200})
		return err
	})
	for _, c := range list {
		pos := e.positions(t, c.LoanIDs)
		ok := len(c.LoanIDs) > 0
		for _, l := range c.LoanIDs {
			ok = ok && pos[l].FeesDue+pos[l].PenaltyDue > 0 && pos[l].DPD > 0
		}
		if ok {
			out = append(out, c)
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("only %d delinquent cases with fees", len(out))
	return nil
}

func (e *env) caseLoans(t *testing.T, caseID int64) []int64 { return e.caseOf(t, caseID).LoanIDs }

func (e *env) positions(t *testing.T, loans []int64) map[int64]sqlstore.PositionRow {
	t.Helper()
	var m map[int64]sqlstore.PositionRow
	e.read(t, func(tx *sqlstore.Tx) (err error) {
		m, err = tx.PositionsOf(ctx, loans)
		return err
	})
	return m
}

// offerFor builds the case's offers with offer.Options from the stored
// positions of its loans and returns the first with a conditional waiver
// (the first offer when conditional is false).
func (e *env) offerFor(t *testing.T, loans []int64, conditional ...bool) offer.Offer {
	t.Helper()
	var d offer.Debt
	e.read(t, func(tx *sqlstore.Tx) error {
		for _, id := range loans {
			l, err := tx.Loan(ctx, id)
			if err != nil {
				return err
			}
			d.AnnualRate = l.AnnualRate
			d.RemainingMonths = max(d.RemainingMonths, 6)
		}
		return nil
	})
	for _, p := range e.positions(t, loans) {
		d.Principal += p.OutstandingPrincipal
		d.Interest += p.OverdueInterest
		d.Penalty += p.PenaltyDue
		d.Fees += p.FeesDue
	}
	res, err := offer.Options(e.today, d, offer.Assessment{MonthlyIncome: money.Yuan(9000), HouseholdSize: 1}, "willing_unable",
		offer.History{}, offer.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Offers {
		if len(conditional) > 0 && !conditional[0] || len(o.Waivers) == 1 && o.Waivers[0].Condition != nil {
			return o
		}
	}
	t.Fatalf("no conditional-waiver offer among %d for %+v", len(res.Offers), d)
	return offer.Offer{}
}

func (e *env) activate(t *testing.T, a negotiation.Agreement) error {
	t.Helper()
	return e.db.InTx(ctx, func(tx *sqlstore.Tx) error { return e.neg.Activate(ctx, tx, a) })
}

func (e *env) planOf(t *testing.T, loanID int64) sqlstore.PlanRow {
	t.Helper()
	var r sqlstore.PlanRow
	e.read(t, func(tx *sqlstore.Tx) (err error) {
		r, err = tx.PlanOfLoan(ctx, loanID)
		return err
	})
	return r
}

// footprint counts what plan monitoring writes, to check a re-run adds
// nothing.
func (e *env) footprint(t *testing.T) string {
	t.Helper()
	return fmt.Sprint(e.count(t, "SELECT COUNT(*) FROM plan_events"), e.count(t, "SELECT COUNT(*) FROM ledger_adjustments"),
		e.count(t, "SELECT COUNT(*) FROM tasks"), e.count(t, "SELECT COUNT(*) FROM case_events"),
		e.count(t, "SELECT COUNT(*) FROM audit_events"), e.count(t, "SELECT COUNT(*) FROM borrowers WHERE flags LIKE '%plan_broken%'"))
}

// monitorTwice runs plan monitoring for d twice and checks that the second
// run writes nothing.
func (e *env) monitorTwice(t *testing.T, d date.Date) {
	t.Helper()
	e.setDay(d)
	if _, err := e.neg.MonitorPlans(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
	before := e.footprint(t)
	var stamp1, stamp2 string
	e.read(t, func(tx *sqlstore.Tx) error {
		return tx.Inspect(ctx, "SELECT CAST(MAX(updated_at) AS TEXT) FROM plans").Scan(&stamp1)
	})
	run, err := e.neg.MonitorPlans(ctx, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.read(t, func(tx *sqlstore.Tx) error {
		return tx.Inspect(ctx, "SELECT CAST(MAX(updated_at) AS TEXT) FROM plans").Scan(&stamp2)
	})
	if after := e.footprint(t); after != before || stamp1 != stamp2 || run.Broken+run.WaiversApplied+run.RevisitsCreated+run.GraceStarted+run.Warnings != 0 {
		t.Errorf("second monitoring of %s: footprint %s → %s, run %+v", d, before, after, run)
	}
}

// TestPlans_EndToEnd: an accepted offer with a conditional waiver is
// activated on a delinquent case: the loans become restructured with their
// original schedule, payments and allocations untouched, and their DPD is
// the frozen pre-restructure DPD; plan payments made on time across
// nightly runs apply the conditional waiver after the required number and
// reset the DPD after ResetAfter. A second plan misses its first payment,
// goes through its grace period and breaks: the owner gets a task, the
// borrower the plan_broken flag and the case stays open for the strategy.
// A third plan, paid two days late every month, raises an early warning
// each time, is never broken, and gets its revisit (with what to ask)
// three months after activation. Every monitoring step re-run for its date
// writes nothing more.
func TestPlans_EndToEnd(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 40)
		e.run(t, start)
		cs := delinquentCases(t, e, 3)
		keptCase, missed, late := cs[0], cs[1], cs[2]
		loans := e.caseLoans(t, keptCase.ID)
		var sched []ledger.Installment
		var allocs []ledger.Allocation
		e.read(t, func(tx *sqlstore.Tx) (err error) {
			if sched, err = tx.Schedule(ctx, loans[0]); err != nil {
				return err
			}
			allocs, err = tx.Allocations(ctx, loans[0])
			return err
		})
		pre := 0
		for _, p := range e.positions(t, loans) {
			pre = max(pre, p.DPD)
		}
		o := e.offerFor(t, loans)
		rules := plan.Rules{GraceDays: 5, ResetAfter: 2}
		a := negotiation.Agreement{ID: 9001, CaseID: keptCase.ID, BorrowerID: keptCase.BorrowerID, LoanIDs: loans, Offer: o,
			AcceptedAt: e.clock(), ActivatedBy: "lin", Rules: rules}
		if err := e.activate(t, a); err != nil {
			t.Fatalf("Activate: %v", err)
		}
		if err := e.activate(t, a); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("activating twice: %v, want a Conflict", err)
		}
		bad := a
		bad.ID, bad.LoanIDs = 9003, nil
		if err := e.activate(t, bad); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("no loans: %v, want Invalid", err)
		}

		p := e.planOf(t, loans[0])
		if p.Financed != o.Financed || len(p.Schedule) != len(o.Schedule) || p.PreDPD != pre || p.Status != plan.Active {
			t.Fatalf("plan %+v", p)
		}
		e.read(t, func(tx *sqlstore.Tx) error {
			for _, id := range loans {
				l, err := tx.Loan(ctx, id)
				if err != nil || l.Status != ledger.Restructured {
					t.Errorf("loan %d status %s %v, want restructured", id, l.Status, err)
				}
			}
			s2, err := tx.Schedule(ctx, loans[0])
			if err != nil || !slices.Equal(s2, sched) {
				t.Errorf("original schedule changed: %v", err)
			}
			return nil
		})
		pos := e.positions(t, loans)
		if pos[loans[0]].DPD != pre || pos[loans[0]].OutstandingPrincipal != o.Financed {
			t.Errorf("position after activation: dpd %d outstanding %s, want %d %s", pos[loans[0]].DPD,
				pos[loans[0]].OutstandingPrincipal, pre, o.Financed)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'plan.activate'"); n != 1 {
			t.Errorf("plan.activate audit events = %d", n)
		}
		cond := o.Waivers[0].Condition.OnTimePayments
		t.Logf("offer %s: financed %s, %d payments, waived %+v, condition %d, pre-restructure DPD %d", o.ID, o.Financed, len(o.Schedule), o.Waived, cond, pre)

		// The missed plan.
		mloans := e.caseLoans(t, missed.ID)
		mo := e.offerFor(t, mloans)
		if err := e.activate(t, negotiation.Agreement{ID: 9010, CaseID: missed.ID, BorrowerID: missed.BorrowerID, LoanIDs: mloans,
			Offer: mo, AcceptedAt: e.clock(), ActivatedBy: "lin", Rules: rules}); err != nil {
			t.Fatalf("Activate second: %v", err)
		}
		mp := e.planOf(t, mloans[0])

		// A third plan is paid two days late every month.
		lloans := e.caseLoans(t, late.ID)
		if err := e.activate(t, negotiation.Agreement{ID: 9020, CaseID: late.ID, BorrowerID: late.BorrowerID, LoanIDs: lloans,
			Offer: e.offerFor(t, lloans), AcceptedAt: e.clock(), ActivatedBy: "lin", Rules: rules}); err != nil {
			t.Fatalf("Activate third: %v", err)
		}
		lp := e.planOf(t, lloans[0])

		// The nights that matter, in order: the kept plan's due dates, the
		// late payments two days after, each day of the missed plan's grace
		// period and the day after, and three months after activation.
		kept := max(cond, rules.ResetAfter) + 1
		due := mp.Schedule[0].Due
		nights := map[date.Date]bool{p.Start.AddMonthsClamped(3): true}
		for k := range kept {
			nights[p.Schedule[k].Due], nights[lp.Schedule[k].Due.AddDays(2)] = true, true
		}
		for g := 1; g <= rules.GraceDays+1; g++ {
			nights[due.AddDays(g)] = true
		}
		var broken, waivers, revisits int
		for _, d := range slices.Sorted(maps.Keys(nights)) {
			e.setDay(d)
			paidKept := -1
			for k := range kept {
				if p.Schedule[k].Due == d {
					e.pay(t, fmt.Sprintf("PLAN-%d", k), loans[0], p.Schedule[k].Amount)
					paidKept = k
					if got := e.positions(t, loans)[loans[0]]; got.AsOf != d || got.PaidInstallments != k+1 || got.NextDue != p.Schedule[k+1].Due {
						t.Errorf("posting plan payment %d: position as of %s, %d paid, next due %s", k+1, got.AsOf, got.PaidInstallments, got.NextDue)
					}
				}
				if lp.Schedule[k].Due.AddDays(2) == d {
					e.pay(t, fmt.Sprintf("LATE-%d", k), lloans[0], lp.Schedule[k].Amount)
				}
			}
			sum := e.run(t, d)
			if sum.PlansChecked != 3 {
				t.Errorf("run %s checked %d plans, want 3", d, sum.PlansChecked)
			}
			broken, waivers, revisits = broken+sum.PlansBroken, waivers+sum.WaiversApplied, revisits+sum.RevisitsCreated
			e.monitorTwice(t, d)
			if d > due && d <= due.AddDays(rules.GraceDays+1) {
				want := plan.InGrace
				if d == due.AddDays(rules.GraceDays+1) {
					want = plan.Broken
				}
				if got := e.planOf(t, mloans[0]).Status; got != want {
					t.Errorf("%s: second plan %s, want %s", d, got, want)
				}
			}
			if paidKept < 0 {
				continue
			}
			n := paidKept + 1
			wantDPD, wantWaivers := pre, 0
			if n >= rules.ResetAfter {
				wantDPD = 0
			}
			if n >= cond {
				wantWaivers = 1
			}
			if dpd := e.positions(t, loans)[loans[0]].DPD; dpd != wantDPD {
				t.Errorf("after plan payment %d: loan DPD %d, want %d", n, dpd, wantDPD)
			}
			if got := e.count(t, "SELECT COUNT(*) FROM ledger_adjustments WHERE plan_id = ? AND kind = 'waiver_conditional'", p.ID); got != wantWaivers {
				t.Errorf("after plan payment %d: %d conditional waivers applied, want %d", n, got, wantWaivers)
			}
		}
		if waivers != 1 || revisits != 1 || broken != 1 {
			t.Errorf("runs applied %d waivers, created %d revisits, broke %d plans; want 1 each", waivers, revisits, broken)
		}
		if got := e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND kind = 'revisit' AND due_on = ? AND detail LIKE '%收入%'",
			late.ID, p.Start.AddMonthsClamped(3)); got != 1 {
			t.Errorf("revisit tasks on the late payer's case = %d, want 1", got)
		}
		if got := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND code = 'plan.early_warning'", late.ID); got != kept {
			t.Errorf("early warnings on the late payer's case = %d, want %d", got, kept)
		}
		if got := e.planOf(t, lloans[0]).Status; got != plan.Active {
			t.Errorf("late payer's plan %s, want active", got)
		}
		e.read(t, func(tx *sqlstore.Tx) error {
			s2, err := tx.Schedule(ctx, loans[0])
			a2, err2 := tx.Allocations(ctx, loans[0])
			if err != nil || err2 != nil || !slices.Equal(s2, sched) || !slices.Equal(a2, allocs) {
				t.Errorf("original schedule or allocations changed by plan payments (%v %v)", err, err2)
			}
			adj, err := tx.Adjustments(ctx, loans[0])
			var got offer.Components
			for _, x := range adj {
				got = got.Add(x.Amount)
			}
			if got != o.Waived {
				t.Errorf("adjustments %+v total %+v, want the offer's waived %+v", adj, got, o.Waived)
			}
			return err
		})
		if st := e.planOf(t, loans[0]); st.Status != plan.Active {
			t.Errorf("kept plan status %s", st.Status)
		}

		if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND rule = 'plan_broken'", missed.ID); n != 1 {
			t.Errorf("plan_broken tasks = %d, want 1", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND code IN ('plan.grace', 'plan.broken')", missed.ID); n != 2 {
			t.Errorf("grace and broken case events = %d, want 2", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM borrowers WHERE id = ? AND flags LIKE '%plan_broken%'", missed.BorrowerID); n != 1 {
			t.Error("the borrower has no plan_broken flag")
		}
		if c := e.caseOf(t, missed.ID); c.Status != "open" || c.DPD <= 0 {
			t.Errorf("case after the break: %s dpd %d, want open and past due", c.Status, c.DPD)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM ledger_adjustments WHERE plan_id = ? AND kind = 'waiver_conditional'", mp.ID); n != 0 {
			t.Errorf("the broken plan's conditional waiver was applied")
		}

		// A new agreement after the break supersedes the broken plan.
		d := e.today.AddDays(1)
		e.setDay(d)
		if err := e.activate(t, negotiation.Agreement{ID: 9011, CaseID: missed.ID, BorrowerID: missed.BorrowerID, LoanIDs: mloans,
			Offer: e.offerFor(t, mloans, false), AcceptedAt: e.clock(), ActivatedBy: "lin", Rules: rules}); err != nil {
			t.Fatalf("Activate after the break: %v", err)
		}
		np := e.planOf(t, mloans[0])
		var old sqlstore.PlanRow
		e.read(t, func(tx *sqlstore.Tx) (err error) {
			old, err = tx.Plan(ctx, mp.ID)
			return err
		})
		if np.ID == mp.ID || np.Status != plan.Active || old.Status != plan.Superseded || old.BrokenOn.IsZero() {
			t.Errorf("after the new agreement: plan %d %s, old plan %d %s", np.ID, np.Status, old.ID, old.Status)
		}
		if pos := e.positions(t, mloans)[mloans[0]]; pos.OutstandingPrincipal != np.Financed {
			t.Errorf("position under the new plan: outstanding %s, want %s", pos.OutstandingPrincipal, np.Financed)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM borrowers WHERE id = ? AND flags LIKE '%plan_broken%'", missed.BorrowerID); n != 0 {
			t.Error("the plan_broken flag stayed after the new plan")
		}
		if sum := e.run(t, d); sum.PlansChecked != 3 || sum.PlansBroken != 0 {
			t.Errorf("run after the new agreement: %d plans checked, %d broken; want 3, 0", sum.PlansChecked, sum.PlansBroken)
		}
	})
}

// TestPlanPaymentReversal: a payment posted to a restructured loan is
// applied to its plan, and reversing it takes it back off the plan; the
// original allocations are not touched by either. The monitoring records a
// plan loan's bucket change (once, a re-run adds nothing).
func TestPlanPaymentReversal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite(t), 20)
	e.run(t, start)
	c := delinquentCases(t, e, 1)[0]
	o := e.offerFor(t, c.LoanIDs)
	if err := e.activate(t, negotiation.Agreement{ID: 1, CaseID: c.ID, BorrowerID: c.BorrowerID, LoanIDs: c.LoanIDs, Offer: o,
		AcceptedAt: e.clock(), ActivatedBy: "lin"}); err != nil {
		t.Fatal(err)
	}
	id := c.LoanIDs[0]
	allocs := func() []ledger.Allocation {
		var a []ledger.Allocation
		e.read(t, func(tx *sqlstore.Tx) (err error) {
			a, err = tx.Allocations(ctx, id)
			return err
		})
		return a
	}
	before, pos0 := allocs(), e.positions(t, c.LoanIDs)[id]
	e.setDay(start.AddDays(3))
	p := e.pay(t, "PLAN-R1", id, o.Schedule[0].Amount)
	pos1 := e.positions(t, c.LoanIDs)[id]
	if pos1.PaidInstallments != 1 || pos1.OutstandingPrincipal >= pos0.OutstandingPrincipal || pos1.NextDue != o.Schedule[1].Due {
		t.Errorf("after a plan payment: %+v (before %+v)", pos1.Position, pos0.Position)
	}
	if _, err := e.svc.ReversePayment(ctx, e.as(auth.Supervisor), p.ID, "bounced"); err != nil {
		t.Fatal(err)
	}
	pos2 := e.positions(t, c.LoanIDs)[id]
	if pos2.PaidInstallments != 0 || pos2.OutstandingPrincipal != pos0.OutstandingPrincipal || pos2.NextDue != o.Schedule[0].Due {
		t.Errorf("after the reversal: %+v, want as before the payment %+v", pos2.Position, pos0.Position)
	}
	if after := allocs(); !slices.Equal(after, before) {
		t.Errorf("original allocations changed: %d lines, were %d", len(after), len(before))
	}
	e.read(t, func(tx *sqlstore.Tx) error {
		l, err := tx.Loan(ctx, id)
		if l.Status != ledger.Restructured {
			t.Errorf("loan status %s", l.Status)
		}
		return err
	})

	// The monitoring records a bucket change of a plan loan once.
	stale := pos2
	stale.Bucket = "M9"
	if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.SavePositions(ctx, []sqlstore.PositionRow{stale}) }); err != nil {
		t.Fatal(err)
	}
	d := start.AddDays(4)
	for range 2 {
		if _, err := e.neg.MonitorPlans(ctx, d, nil); err != nil {
			t.Fatal(err)
		}
	}
	want := e.svc.Bucket(pos2.DPD)
	if n := e.count(t, "SELECT COUNT(*) FROM bucket_transitions WHERE loan_id = ? AND on_date = ? AND from_bucket = 'M9' AND to_bucket = ?",
		id, d, want); n != 1 || e.positions(t, c.LoanIDs)[id].Bucket != want {
		t.Errorf("bucket transitions M9 → %s on %s: %d, want 1", want, d, n)
	}
}
