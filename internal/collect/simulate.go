package collect

import (
	"context"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// SimulateOptions say how to step the portfolio forward.
type SimulateOptions struct {
	From   date.Date
	Days   int
	Config CycleConfig

	// CallsPerCollector and CallsPerAgency are how many calls each makes a
	// day, working their open call tasks in queue order.
	CallsPerCollector int
	CallsPerAgency    int
	// PromiseDays is how far ahead a borrower who answers dates a promise.
	PromiseDays int

	// Strategy, when set, publishes that version before the first day.
	Strategy int64
	// Challenger, when set, starts an experiment of the published version
	// against it with ChallengerShare before the first day.
	Challenger      int64
	ChallengerShare float64
}

func (o SimulateOptions) withDefaults() SimulateOptions {
	if o.CallsPerCollector <= 0 {
		o.CallsPerCollector = 60
	}
	if o.CallsPerAgency <= 0 {
		o.CallsPerAgency = 300
	}
	if o.PromiseDays <= 0 {
		o.PromiseDays = 3
	}
	if o.ChallengerShare <= 0 {
		o.ChallengerShare = 0.5
	}
	o.Config = o.Config.withDefaults()
	return o
}

// SimDay is what happened on one simulated day: the borrowers' side (calls
// answered, promises made, payments) and the nightly run's summary.
type SimDay struct {
	Day              date.Date    `json:"day"`
	InstallmentsPaid int          `json:"installments_paid"` // current borrowers paying on their due date
	Calls            int          `json:"calls"`
	Connected        int          `json:"connected"`
	Promises         int          `json:"promises"`
	Payments         int          `json:"payments"` // by borrowers with a case
	Collected        money.Amount `json:"collected"`
	CasesOpen        int          `json:"cases_open"`
	CasesOpened      int          `json:"cases_opened"`
	CasesClosed      int          `json:"cases_closed"`
	TasksCreated     int          `json:"tasks_created"`
	MessagesQueued   int          `json:"messages_queued"`
	RunMS            int64        `json:"run_ms"`
}

// SimSummary is the whole simulation: totals and, per strategy arm, the
// cases' outcomes over the simulated days (cure and roll-forward rates,
// recovery, contacts and cost, with confidence intervals).
type SimSummary struct {
	From         date.Date           `json:"from"`
	To           date.Date           `json:"to"`
	Days         int                 `json:"days"`
	Behaviours   string              `json:"behaviours"` // "demo" or "inferred"
	Calls        int                 `json:"calls"`
	Connected    int                 `json:"connected"`
	Promises     int                 `json:"promises"`
	Payments     int                 `json:"payments"`
	Collected    money.Amount        `json:"collected"`
	ExperimentID int64               `json:"experiment_id,omitempty"`
	Comparison   strategy.Comparison `json:"comparison"`
}

// Simulate steps the book day by day from opts.From for opts.Days days.
// Each day borrowers act first, by the demo behaviour model
// (demo.Behaviour.Respond): current borrowers pay installments falling due
// (or not, once in trouble), collectors and agencies make their calls and
// take promises to pay from those who answer, borrowers pay or keep their
// promises; then the nightly cycle runs for the day. emit gets each day.
//
// Simulate writes to the service's database: run it on a copy (accord
// simulate does) unless the simulated payments and contacts are meant to
// stay.
func (s *Service) Simulate(ctx context.Context, opts SimulateOptions, emit func(SimDay) error) (SimSummary, error) {
	opts = opts.withDefaults()
	if opts.From.IsZero() || opts.Days < 1 || opts.Days > 3660 {
		return SimSummary{}, errs.Field("days", "simulate 1 to 3660 days from a start date")
	}
	sum := SimSummary{From: opts.From, To: opts.From.AddDays(opts.Days - 1), Days: opts.Days}
	beh, kind, err := s.simBehaviours(ctx)
	if err != nil {
		return sum, err
	}
	sum.Behaviours = kind
	if sum.ExperimentID, err = s.simSetup(ctx, opts); err != nil {
		return sum, err
	}
	start, err := s.simMarks(ctx, opts.From.AddDays(36500))
	if err != nil {
		return sum, err
	}
	for i := range opts.Days {
		day := SimDay{Day: opts.From.AddDays(i)}
		if err := s.simDay(ctx, opts, beh, &day); err != nil {
			return sum, fmt.Errorf("simulate %s: %w", day.Day, err)
		}
		t0 := time.Now()
		run, err := s.RunCycleWith(ctx, day.Day, opts.Config, nil)
		if err != nil {
			return sum, fmt.Errorf("simulate %s: %w", day.Day, err)
		}
		day.RunMS = time.Since(t0).Milliseconds()
		day.CasesOpen, day.CasesOpened, day.CasesClosed = run.CasesOpen, run.CasesOpened, run.CasesClosed
		day.TasksCreated, day.MessagesQueued = run.TasksCreated, run.MessagesQueued
		sum.Calls += day.Calls
		sum.Connected += day.Connected
		sum.Promises += day.Promises
		sum.Payments += day.Payments
		sum.Collected += day.Collected
		if emit != nil {
			if err := emit(day); err != nil {
				return sum, err
			}
		}
	}
	end, err := s.simMarks(ctx, opts.From)
	if err != nil {
		return sum, err
	}
	sum.Comparison = strategy.Compare(simOutcomes(start, end, opts.From))
	return sum, nil
}

// simSetup publishes opts.Strategy and starts the experiment opts asks
// for, as the simulation's own actor; it returns the experiment's id.
func (s *Service) simSetup(ctx context.Context, opts SimulateOptions) (int64, error) {
	by := System("simulate")
	if opts.Strategy != 0 {
		if _, err := s.PublishStrategy(ctx, by, opts.Strategy); err != nil {
			return 0, err
		}
	}
	if opts.Challenger == 0 {
		return 0, nil
	}
	e, err := s.StartExperiment(ctx, by, ExperimentRequest{Name: "simulation", Challenger: opts.Challenger,
		Share: opts.ChallengerShare})
	return e.ID, err
}

// simMarks reads the cases open now or opened or closed since.
func (s *Service) simMarks(ctx context.Context, since date.Date) (map[int64]sqlstore.CaseMark, error) {
	out := map[int64]sqlstore.CaseMark{}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		return tx.CaseMarks(ctx, since, func(m sqlstore.CaseMark) error {
			out[m.ID] = m
			return nil
		})
	})
	return out, err
}

// simOutcomes is each case's result over the simulation: the cases open
// at its start, measured from their state then, and those it opened,
// measured from zero in M1.
func simOutcomes(start, end map[int64]sqlstore.CaseMark, from date.Date) []strategy.Outcome {
	var out []strategy.Outcome
	for _, id := range sortedIDs(end) {
		e := end[id]
		b, existed := start[id]
		if !existed {
			if e.OpenedOn.Before(from) {
				continue
			}
			b = sqlstore.CaseMark{BucketRank: 1, MaxBucketRank: 1}
		}
		arm := e.Arm
		if arm == "" {
			arm = strategy.Champion
		}
		out = append(out, strategy.Outcome{Arm: arm,
			Cured:         e.Status == "closed" && e.CloseReason == "cured" && !e.ClosedOn.Before(from),
			RolledForward: e.MaxBucketRank > b.MaxBucketRank || e.BucketRank > b.BucketRank,
			Recovered:     e.Recovered - b.Recovered, Contacts: e.Attempts - b.Attempts, Cost: e.Cost - b.Cost})
	}
	return out
}
