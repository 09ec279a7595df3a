package collect

import (
	"context"
	"fmt"
	"time"

	"accord/internal/date"
)

// NightlyStep is work another capability adds to the nightly run (field
// visits' notices and recommendations, scoring and its stability checks,
// support-programme messages, …) without collect knowing it. Steps run in
// the order they were wired, after casework and before the portfolio
// snapshot, so that they see tonight's cases. A step must be idempotent
// for a date, like the rest of the run: running the same date twice
// changes nothing the second time.
type NightlyStep interface {
	// Name identifies the step in the run summary, e.g. "visits".
	Name() string
	// RunNightly does the step's work for asOf and returns its counts for
	// the run summary (e.g. {"notices_queued": 12}).
	RunNightly(ctx context.Context, asOf date.Date) (map[string]int, error)
}

// UseNightly adds step to the nightly run. Call it before the service is
// used; steps run in the order added.
func (s *Service) UseNightly(step NightlyStep) { s.steps = append(s.steps, step) }

// runSteps runs the wired nightly steps for asOf and records their counts
// and durations in sum.Steps.
func (s *Service) runSteps(ctx context.Context, asOf date.Date, sum *RunSummary) error {
	for _, st := range s.steps {
		start := time.Now()
		counts, err := st.RunNightly(ctx, asOf)
		if err != nil {
			return fmt.Errorf("nightly step %s as of %s: %w", st.Name(), asOf, err)
		}
		if sum.Steps == nil {
			sum.Steps = map[string]StepSummary{}
		}
		sum.Steps[st.Name()] = StepSummary{Counts: counts, DurationMS: time.Since(start).Milliseconds()}
	}
	return nil
}

// StepSummary is what one nightly step did.
type StepSummary struct {
	Counts     map[string]int `json:"counts"`
	DurationMS int64          `json:"duration_ms"`
}
