package scoring

import (
	"context"
	"fmt"
	"slices"

	"accord/internal/features"
	"accord/internal/model"
	"accord/internal/sqlstore"
)

// planTrainingRows builds the rows of the plan model (features.PlanKept)
// from the database: one per repayment plan started in the snapshot
// windows — the plans started in (d−Every, d] belong to snapshot d, the
// latest d being AsOf less 90 days, so every plan's 90 days have passed —
// with the borrower's features the day before the plan started, the
// plan's largest payment over income, and whether it was kept. The latest
// window's plans are held out (Train false) unless there is only one
// snapshot, where one borrower in five is. It reads every plan's terms in
// one query, then the facts of the borrowers with a plan only, by lists in
// parallel (readSlices); rows come by slices, in borrower id order.
func (s *Service) planTrainingRows(ctx context.Context, r TrainRequest) ([][]features.Row, error) {
	dates := r.dates()
	from := dates[0].AddDays(-r.Every)
	last := dates[len(dates)-1]
	validateAfter := last.AddDays(-r.Every)
	var terms map[int64][]features.PlanTerms
	if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		terms, err = tx.AllScoringPlanTerms(ctx)
		return err
	}); err != nil {
		return nil, fmt.Errorf("plan training rows: %w", err)
	}
	ids := make([]int64, 0, len(terms))
	for id := range terms {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	parts, err := readSlices(ctx, s, listScopes(ids), func(ctx context.Context, tx *sqlstore.Tx, sc sqlstore.FactsScope) ([]features.Row, error) {
		facts, _, err := tx.ScoringFactsIn(ctx, sc, s.zone)
		if err != nil {
			return nil, err
		}
		var rows []features.Row
		for _, f := range facts {
			f.Policy = s.opts.Policy
			for _, row := range features.PlanRows(f, terms[f.BorrowerID], from, last, r.AsOf) {
				row.Train = !row.AsOf.AddDays(1).After(validateAfter)
				if len(dates) == 1 {
					row.Train = !model.HoldOut(int(f.BorrowerID))
				}
				rows = append(rows, row)
			}
		}
		return rows, nil
	})
	if err != nil {
		return nil, fmt.Errorf("plan training rows: %w", err)
	}
	return parts, nil
}
