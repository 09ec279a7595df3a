package collect

import (
	"context"
	"errors"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/sqlstore"
)

// countingStep is a nightly step that records the dates it ran for and
// can be told to fail.
type countingStep struct {
	name string
	ran  []date.Date
	fail bool
}

func (c *countingStep) Name() string { return c.name }

func (c *countingStep) RunNightly(_ context.Context, asOf date.Date) (map[string]int, error) {
	if c.fail {
		return nil, errors.New("step store unavailable")
	}
	c.ran = append(c.ran, asOf)
	return map[string]int{"runs": len(c.ran)}, nil
}

// TestRunCycle_NightlySteps: wired steps run in order on the run's date,
// their counts land in the summary, and a failing step fails the run (and
// the runs table records it) rather than being skipped silently.
func TestRunCycle_NightlySteps(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 40)
		a, b := &countingStep{name: "a"}, &countingStep{name: "b"}
		e.svc.UseNightly(a)
		e.svc.UseNightly(b)
		sum := e.run(t, cwStart)
		if len(a.ran) != 1 || a.ran[0] != cwStart || len(b.ran) != 1 {
			t.Fatalf("steps ran %v and %v, want once each on %s", a.ran, b.ran, cwStart)
		}
		if got := sum.Steps["a"].Counts["runs"]; got != 1 {
			t.Errorf("summary step a runs = %d, want 1 (%+v)", got, sum.Steps)
		}
		if _, ok := sum.Steps["b"]; !ok {
			t.Errorf("summary has no step b: %+v", sum.Steps)
		}

		e.setDay(cwStart.AddDays(1))
		b.fail = true
		if _, err := e.svc.RunCycle(cwCtx, cwStart.AddDays(1), nil); err == nil {
			t.Fatal("a failing nightly step did not fail the run")
		}
		runs, err := e.svc.Runs(cwCtx, e.as(auth.Supervisor), 10)
		if err != nil || len(runs) != 2 {
			t.Fatalf("Runs = %+v, %v; want 2", runs, err)
		}
		if runs[0].Status != sqlstore.RunFailed || !strings.Contains(runs[0].Error, "nightly step b") {
			t.Errorf("failed night recorded as %+v", runs[0])
		}
	})
}
