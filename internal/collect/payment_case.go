package collect

import (
	"context"
	"fmt"

	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// afterPayment brings what hangs on loan l up to date after payment p was
// posted or reversed, in the same transaction: the borrower's promises to
// pay (matched, or un-matched for a reversal) and then their open case.
func (s *Service) afterPayment(ctx context.Context, tx *sqlstore.Tx, l ledger.Loan, p ledger.Payment) error {
	if s.promises != nil {
		var err error
		if p.Reversed {
			err = s.promises.UnmatchPayment(ctx, tx, l.BorrowerID, p)
		} else {
			err = s.promises.MatchPayment(ctx, tx, l.BorrowerID, p)
		}
		if err != nil {
			return fmt.Errorf("promises of payment %d: %w", p.ID, err)
		}
	}
	return s.refreshCase(ctx, tx, l.BorrowerID, s.Today())
}

// refreshCase runs the nightly casework step for borrower b alone, as of
// asOf, when b has an open case: a payment that cures their loans closes
// the case at once (and cancels its tasks), and otherwise its bucket, DPD,
// overdue and balance, amounts recovered since opening, grade, strategy
// rule and owner are those the nightly run would give it now. It reuses
// the run's code rather than repeating its rules; the run's keys (one open
// case per borrower, dedup keys on events, tasks and messages) make the
// night's own pass for the date add nothing more.
func (s *Service) refreshCase(ctx context.Context, tx *sqlstore.Tx, b int64, asOf date.Date) error {
	open := casework.Open
	cases, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, BorrowerID: &b, Limit: 1})
	if err != nil || len(cases) == 0 {
		return err
	}
	r := &caseRun{s: s, cfg: s.cycle, asOf: asOf, by: System("payment"), cache: newSignalCache(),
		sum: caseSummary{byTier: map[string]int{}, bySegment: map[string]int{}}}
	if r.st, err = loadStrategies(ctx, tx); err != nil {
		return err
	}
	if r.pool, err = loadAssignPool(ctx, tx, asOf); err != nil {
		return err
	}
	if r.products, err = productNames(ctx, tx); err != nil {
		return err
	}
	if err := r.chunk(ctx, tx, []int64{b}); err != nil {
		return fmt.Errorf("update case of borrower %d: %w", b, err)
	}
	return nil
}
