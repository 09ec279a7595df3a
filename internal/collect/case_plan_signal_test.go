package collect

import (
	"context"
	"testing"

	"accord/internal/auth"
	"accord/internal/classify"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// handingPlans is a plan book with one plan over one loan: its monitoring
// hands the plan's state over, and it counts how often casework asks for
// plan states itself.
type handingPlans struct {
	ps    PlanState
	asked int
}

func (*handingPlans) Reposition(context.Context, *sqlstore.Tx, ledger.Loan, date.Date) (bool, error) {
	return false, nil
}

func (h *handingPlans) MonitorPlans(_ context.Context, _ date.Date, seen func(PlanState)) (PlanRun, error) {
	seen(h.ps)
	return PlanRun{Checked: 1}, nil
}

func (h *handingPlans) PlanStates(_ context.Context, _ *sqlstore.Tx, ids []int64, _ date.Date, seen func(PlanState)) error {
	h.asked++
	for _, id := range ids {
		if id == h.ps.LoanIDs[0] {
			seen(h.ps)
		}
	}
	return nil
}

// TestRunCycle_GradesPlanLoansFromMonitoring: the nightly casework grades a
// loan under a plan from the state the plan monitoring handed over — it
// does not ask the plan book again, nor replay the loan — and the case
// page, which grades the case on its own, asks the plan book and reads
// the plan's history.
func TestRunCycle_GradesPlanLoansFromMonitoring(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 120)
		e.run(t, cwStart)
		var c sqlstore.Case
		for _, x := range e.openCases(t) {
			if err := e.db.Read(cwCtx, func(tx *sqlstore.Tx) (err error) { x, err = tx.Case(cwCtx, x.ID); return err }); err != nil {
				t.Fatal(err)
			}
			if len(x.LoanIDs) == 1 {
				c = x
				break
			}
		}
		if c.ID == 0 {
			t.Fatal("no open case with one loan")
		}
		loan := c.LoanIDs[0]
		// Restructured, and out of aging's reach (as a loan under a plan is):
		// only the plan book tells casework about it.
		if err := e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
			if err := tx.SetLoanStatus(cwCtx, loan, ledger.Restructured); err != nil {
				return err
			}
			var id int64
			return tx.Inspect(cwCtx, "UPDATE loans SET next_due = ? WHERE id = ? RETURNING id", date.MustParse("2099-01-01"), loan).Scan(&id)
		}); err != nil {
			t.Fatal(err)
		}
		night := cwStart.AddDays(1)
		due := func(k int) date.Date { return night.AddDays(-10 * (4 - k)) }
		st := plan.State{AsOf: night}
		for k := 1; k <= 3; k++ {
			st.Instalments = append(st.Instalments, plan.InstalmentState{
				Instalment: plan.Instalment{Seq: k, Due: due(k), Amount: money.Yuan(300)}, PaidOn: due(k), OnTime: true})
		}
		st.Instalments = append(st.Instalments, plan.InstalmentState{Instalment: plan.Instalment{Seq: 4, Due: night.AddDays(20),
			Amount: money.Yuan(300)}})
		book := &handingPlans{ps: PlanState{LoanIDs: []int64{loan}, State: st}}
		e.svc.UsePlans(book)
		e.run(t, night)
		if book.asked != 0 {
			t.Errorf("the nightly casework asked the plan book %d times for states the monitoring handed over", book.asked)
		}
		page, err := e.svc.Case(cwCtx, e.as(auth.Supervisor), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if book.asked != 1 {
			t.Errorf("the case page asked the plan book %d times, want 1", book.asked)
		}
		var onTime string
		for _, r := range page.Case.Reasons {
			if r.Signal == classify.SignalOnTime {
				onTime = r.Value
			}
		}
		if onTime != "3/3 (100%)" {
			t.Errorf("on-time history on the page %q, want the plan's 3/3 (100%%)", onTime)
		}
	})
}
