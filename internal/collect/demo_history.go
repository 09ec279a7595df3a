package collect

import (
	"context"
	"fmt"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// demoHistory ages the freshly loaded demo book (its positions stored as of
// from) one day at a time up to asOf, through the nightly run's own aging
// step, and stores each day's portfolio snapshot: the bucket transitions
// (roll rates) and daily snapshots the dashboard charts are made of, each a
// function of the ledger as it stood that day (replays see only the
// payments made by then). Casework is left to the first real run: opening
// cases and queueing messages for past days would put weeks of stale tasks
// in the queues and already-due messages in the outbox.
//
// The demo's payments are written up front, dated over the history; in
// production a payment refreshes its loan's position when it is recorded.
// So at the end the loans paid during the history (paidLater) get their
// position as of asOf, as if each payment had been recorded on its day:
// the aging step leaves a loan alone on days nothing can fall overdue.
func (s *Service) demoHistory(ctx context.Context, from, asOf date.Date, paidLater []int64) error {
	by := System("demo")
	for d := from; !d.After(asOf); d = d.AddDays(1) {
		if d != from {
			total, err := s.countAging(ctx, d)
			if err != nil {
				return err
			}
			var sum RunSummary
			if err := s.age(ctx, by, d, s.cycle, newSignalCache(), total, nil, &sum); err != nil {
				return fmt.Errorf("demo history %s: %w", d, err)
			}
		}
		if err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			_, err := tx.SnapshotPortfolio(ctx, d, s.buckets().Names())
			return err
		}); err != nil {
			return fmt.Errorf("demo history snapshot %s: %w", d, err)
		}
	}
	for start := 0; start < len(paidLater); start += chunkSize {
		ids := paidLater[start:min(start+chunkSize, len(paidLater))]
		if err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			bundles, err := tx.LoanHistories(ctx, ids)
			if err != nil {
				return err
			}
			rows := make([]sqlstore.PositionRow, 0, len(bundles))
			for _, b := range bundles {
				pos := ledger.ReplayPosition(b.Loan, b.Schedule, b.Payments, s.policy, asOf)
				rows = append(rows, sqlstore.PositionRow{Position: pos, BorrowerID: b.Loan.BorrowerID, Bucket: s.bucket(pos.DPD)})
			}
			return tx.SavePositions(ctx, rows)
		}); err != nil {
			return fmt.Errorf("demo history positions: %w", err)
		}
	}
	return nil
}
