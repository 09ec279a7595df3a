package collect

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// failingPlans is a plan book whose monitoring fails: a fault injected in
// the middle of the nightly run, after aging.
type failingPlans struct{}

func (failingPlans) Reposition(context.Context, *sqlstore.Tx, ledger.Loan, date.Date) (bool, error) {
	return false, nil
}

func (failingPlans) MonitorPlans(context.Context, date.Date, func(PlanState)) (PlanRun, error) {
	return PlanRun{}, errors.New("plan store unavailable")
}

func (failingPlans) PlanStates(context.Context, *sqlstore.Tx, []int64, date.Date, func(PlanState)) error {
	return nil
}

// TestRunCycle_RecordsRuns: every nightly run leaves a row in runs, ok with
// its summary, or failed with the error and what it did before; a re-run
// of a failed date that succeeds turns it ok.
func TestRunCycle_RecordsRuns(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 120)
		first := e.run(t, cwStart)
		e.run(t, cwStart.AddDays(1))

		e.setDay(cwStart.AddDays(2))
		e.svc.UsePlans(failingPlans{})
		if _, err := e.svc.RunCycle(cwCtx, cwStart.AddDays(2), nil); err == nil {
			t.Fatal("RunCycle with a failing plan book succeeded")
		}
		runs, err := e.svc.Runs(cwCtx, e.as(auth.Supervisor), 10)
		if err != nil || len(runs) != 3 {
			t.Fatalf("Runs = %+v, %v; want 3", runs, err)
		}
		failed, ok := runs[0], runs[2]
		if failed.AsOf != cwStart.AddDays(2) || failed.Status != sqlstore.RunFailed || failed.FinishedAt.IsZero() {
			t.Errorf("failed run = %+v", failed)
		}
		if want := "monitor plans as of " + cwStart.AddDays(2).String() + ": plan store unavailable"; failed.Error != want {
			t.Errorf("failed run error %q, want %q", failed.Error, want)
		}
		if ok.AsOf != cwStart || ok.Status != sqlstore.RunOK || ok.Error != "" || ok.FinishedAt.Before(ok.StartedAt) {
			t.Errorf("first run = %+v", ok)
		}
		var sum RunSummary
		if err := json.Unmarshal(ok.Summary, &sum); err != nil || sum.CasesOpen != first.CasesOpen || sum.Loans != first.Loans {
			t.Errorf("first run summary %s (%v), want the run's: %d open cases, %d loans", ok.Summary, err, first.CasesOpen, first.Loans)
		}

		e.svc.UsePlans(nil)
		e.run(t, cwStart.AddDays(2))
		runs, _ = e.svc.Runs(cwCtx, e.as(auth.Supervisor), 10)
		if len(runs) != 3 || runs[0].Status != sqlstore.RunOK || runs[0].Error != "" {
			t.Errorf("re-run of the failed date: %+v", runs[0])
		}
		if _, err := e.svc.Runs(cwCtx, e.as(auth.Collector), 10); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("collector reading runs: %v, want Forbidden", err)
		}
	})
}
