package collect

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// settlePayments brings everything that hangs on payments ps up to date,
// in tx, after they were stored (or, for reversals, marked reversed) on
// their loans: each loan is re-allocated by the waterfall (or positioned by
// its plan), each payment is credited to its borrower's open promises first
// in first out (a reversal is taken back from them), in the order of
// payment date then id, and each borrower's open case is brought up to date
// once. Every path that posts payments goes through it: the console and the
// API (RecordPayment), reversals (ReversePayment) and file imports (Import),
// so that a payment is matched to promises the moment it is posted,
// whichever way it came.
func (s *Service) settlePayments(ctx context.Context, tx *sqlstore.Tx, loans map[int64]ledger.Loan, ps []ledger.Payment) error {
	today := s.Today()
	for _, id := range slices.Sorted(maps.Keys(loans)) {
		if err := s.reallocate(ctx, tx, loans[id], today); err != nil {
			return err
		}
	}
	ps = slices.Clone(ps)
	slices.SortStableFunc(ps, func(a, b ledger.Payment) int {
		return cmp.Or(cmp.Compare(a.PaidOn, b.PaidOn), cmp.Compare(a.ID, b.ID))
	})
	var borrowers []int64
	seen := make(map[int64]bool, len(loans))
	for _, p := range ps {
		b := loans[p.LoanID].BorrowerID
		if !seen[b] {
			seen[b] = true
			borrowers = append(borrowers, b)
		}
		if s.promises == nil {
			continue
		}
		var err error
		if p.Reversed {
			err = s.promises.UnmatchPayment(ctx, tx, b, p)
		} else {
			err = s.promises.MatchPayment(ctx, tx, b, p)
		}
		if err != nil {
			return fmt.Errorf("promises of payment %d: %w", p.ID, err)
		}
	}
	return s.refreshCases(ctx, tx, borrowers, today)
}

// refreshCases runs the nightly casework step, as of asOf, for those of
// borrowers bs who have an open case: a payment that cures their loans
// closes the case at once (and cancels its tasks), and otherwise its
// bucket, DPD, overdue and balance, amounts recovered since opening, grade,
// strategy rule and owner are those the nightly run would give it now. It
// reuses the run's code rather than repeating its rules; the run's keys
// (one open case per borrower, dedup keys on events, tasks and messages)
// make the night's own pass for the date add nothing more.
func (s *Service) refreshCases(ctx context.Context, tx *sqlstore.Tx, bs []int64, asOf date.Date) error {
	open := casework.Open
	var withCase []int64
	for _, b := range bs {
		cases, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, BorrowerID: &b, Limit: 1})
		if err != nil {
			return err
		}
		if len(cases) > 0 {
			withCase = append(withCase, b)
		}
	}
	if len(withCase) == 0 {
		return nil
	}
	r := &caseRun{s: s, cfg: s.cycle, asOf: asOf, by: System("payment"), cache: newSignalCache(),
		sum: caseSummary{byTier: map[string]int{}, bySegment: map[string]int{}}}
	var err error
	if r.st, err = loadStrategies(ctx, tx); err != nil {
		return err
	}
	if r.pool, err = loadAssignPool(ctx, tx, asOf); err != nil {
		return err
	}
	if r.products, err = productNames(ctx, tx); err != nil {
		return err
	}
	slices.Sort(withCase)
	for chunk := range slices.Chunk(withCase, max(1, r.cfg.ChunkBorrowers)) {
		if err := r.chunk(ctx, tx, chunk); err != nil {
			return fmt.Errorf("update cases of borrowers %d…%d: %w", chunk[0], chunk[len(chunk)-1], err)
		}
	}
	return nil
}
