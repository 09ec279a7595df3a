package collect

import (
	"context"
	"fmt"
	"time"

	"accord/internal/classify"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// RunSummary is what the nightly run reports (accord run --json).
type RunSummary struct {
	AsOf            date.Date      `json:"as_of"`
	Loans           int            `json:"loans"`
	DelinquentLoans int            `json:"delinquent_loans"`
	Touched         int            `json:"touched"`
	StatusChanges   int            `json:"status_changes"`
	ByBucket        map[string]int `json:"by_bucket"`
	Outstanding     string         `json:"outstanding"`
	Overdue         string         `json:"overdue"`
	DurationMS      int64          `json:"duration_ms"`
}

// chunkSize is how many loans one transaction of the nightly run ages.
const chunkSize = 2000

func (s *Service) bucket(dpd int) string { return s.buckets().Of(dpd) }

func (s *Service) buckets() classify.Buckets { return classify.DefaultBuckets() }

// RunCycle ages the portfolio to asOf: for every loan whose state can change
// that day (something unpaid fell due before asOf, or it is delinquent) it
// replays the ledger, stores the delinquency facts, status and any bucket
// transition; then it stores the day's portfolio snapshot.
//
// Each chunk of loans commits on its own. Every value written is a pure
// function of the ledger and asOf, so running the same date twice, or again
// after a crash at any point, ends in the same state.
func (s *Service) RunCycle(ctx context.Context, asOf date.Date, progress func(done, total int)) (RunSummary, error) {
	start := time.Now()
	by := System("nightly-run")
	total, err := s.countAging(ctx, asOf)
	if err != nil {
		return RunSummary{}, err
	}
	sum := RunSummary{AsOf: asOf}
	var after int64
	for {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		n, last, changed, err := s.ageChunk(ctx, by, asOf, after)
		if err != nil {
			return sum, fmt.Errorf("age loans after %d: %w", after, err)
		}
		sum.Touched += n
		sum.StatusChanges += changed
		if progress != nil {
			progress(sum.Touched, max(total, sum.Touched))
		}
		if n < chunkSize {
			break
		}
		after = last
	}
	if err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		snap, err := tx.SnapshotPortfolio(ctx, asOf, s.buckets().Names())
		if err != nil {
			return err
		}
		sum.ByBucket = map[string]int{}
		for _, b := range snap.Buckets {
			sum.ByBucket[b.Bucket] = b.Loans
			sum.Loans += b.Loans
			if b.Bucket != s.buckets().Of(0) {
				sum.DelinquentLoans += b.Loans
			}
		}
		sum.Outstanding, sum.Overdue = snap.Outstanding.String(), snap.Overdue.String()
		sum.DurationMS = time.Since(start).Milliseconds()
		return tx.AppendAudit(ctx, s.event(by, "cycle.run", "cycle", asOf.String(), map[string]any{
			"loans": sum.Loans, "delinquent_loans": sum.DelinquentLoans, "touched": sum.Touched, "status_changes": sum.StatusChanges}))
	}); err != nil {
		return sum, fmt.Errorf("snapshot portfolio %s: %w", asOf, err)
	}
	return sum, nil
}

func (s *Service) countAging(ctx context.Context, asOf date.Date) (int, error) {
	var n int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		n, err = tx.CountAging(ctx, asOf)
		return err
	})
	return n, err
}

// ageChunk ages up to chunkSize loans with ids above after, in one
// transaction, and returns how many it aged, the last id and how many
// changed status.
func (s *Service) ageChunk(ctx context.Context, by Actor, asOf date.Date, after int64) (n int, last int64, changed int, err error) {
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		bundles, err := tx.AgingChunk(ctx, asOf, after, chunkSize)
		if err != nil {
			return err
		}
		n = len(bundles)
		if n == 0 {
			return nil
		}
		last = bundles[n-1].Loan.ID
		rows := make([]sqlstore.PositionRow, 0, n)
		var moves []sqlstore.BucketTransition
		var statusChanged []int64
		for _, b := range bundles {
			pos, _ := ledger.Replay(b.Loan, b.Schedule, b.Payments, s.policy, asOf)
			status := ledger.StatusFor(b.Loan, pos)
			bucket := s.bucket(pos.DPD)
			rows = append(rows, sqlstore.PositionRow{BorrowerID: b.Loan.BorrowerID, Position: pos, Bucket: bucket, Status: status})
			if prev := b.PrevBucket; prev != bucket {
				if prev == "" {
					prev = s.bucket(0)
				}
				moves = append(moves, sqlstore.BucketTransition{LoanID: b.Loan.ID, On: asOf, From: prev, To: bucket, Outstanding: pos.OutstandingPrincipal})
			}
			if status != b.Loan.Status {
				statusChanged = append(statusChanged, b.Loan.ID)
			}
		}
		if err := tx.SavePositions(ctx, rows); err != nil {
			return err
		}
		if err := tx.SaveBucketTransitions(ctx, moves); err != nil {
			return err
		}
		changed = len(statusChanged)
		if changed == 0 {
			return nil
		}
		if len(statusChanged) > 50 {
			statusChanged = statusChanged[:50]
		}
		return tx.AppendAudit(ctx, s.event(by, "loan.age", "cycle", asOf.String(), map[string]any{
			"status_changes": changed, "loan_ids_first_50": statusChanged, "after_loan_id": after}))
	})
	return n, last, changed, err
}

// BucketNames lists the delinquency buckets in order, M0 first.
func (s *Service) BucketNames() []string { return s.buckets().Names() }
