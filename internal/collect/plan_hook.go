package collect

import (
	"context"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// Plans is the repayment-plan book: package negotiation activates
// agreements as plans over restructured loans and monitors them; cmd/accord
// wires it with UsePlans (negotiation.Wire does). A loan ever put under a
// plan is aged by its plan, never by its original schedule: payment posting
// hands it to Reposition and the nightly run to MonitorPlans.
type Plans interface {
	// Reposition stores the position of loan l under its plan as of asOf,
	// in tx, and reports whether l has a plan (false: l is the ledger's
	// to replay).
	Reposition(ctx context.Context, tx *sqlstore.Tx, l ledger.Loan, asOf date.Date) (bool, error)
	// MonitorPlans evaluates every plan not completed as of asOf: it ages
	// the plans' loans, starts grace periods, breaks plans, applies
	// conditional waivers whose condition is met and creates the revisits
	// due. It hands each plan's state to seen (when not nil) once its
	// chunk has committed. A re-run of the date changes nothing.
	MonitorPlans(ctx context.Context, asOf date.Date, seen func(PlanState)) (PlanRun, error)
	// PlanStates hands to seen, in tx, the state as of asOf of the latest
	// plan of each of loanIDs that has one (each plan once).
	PlanStates(ctx context.Context, tx *sqlstore.Tx, loanIDs []int64, asOf date.Date, seen func(PlanState)) error
}

// PlanState is a plan's loans (the first is the plan's primary loan) and
// its state as of a date: what casework grades a borrower under a plan by.
type PlanState struct {
	LoanIDs []int64
	State   plan.State
}

// PlanRun is what one plan-monitoring step did.
type PlanRun struct {
	Checked         int `json:"plans_checked"`
	GraceStarted    int `json:"plans_in_grace"`
	Broken          int `json:"plans_broken"`
	Completed       int `json:"plans_completed"`
	WaiversApplied  int `json:"waivers_applied"`
	Warnings        int `json:"plan_warnings"`
	RevisitsCreated int `json:"revisits_created"`
}

// UsePlans wires the plan book. Call it once, before the service is used.
func (s *Service) UsePlans(p Plans) { s.plans = p }

// Bucket returns the delinquency bucket of dpd on the ladder in force, as
// the nightly run stores it.
func (s *Service) Bucket(dpd int) string { return s.bucket(dpd) }

// repositionPlan hands loan l to the plan book when it has a plan; handled
// is false when there is no plan book or l has no plan.
func (s *Service) repositionPlan(ctx context.Context, tx *sqlstore.Tx, l ledger.Loan, asOf date.Date) (bool, error) {
	if s.plans == nil {
		return false, nil
	}
	return s.plans.Reposition(ctx, tx, l, asOf)
}
