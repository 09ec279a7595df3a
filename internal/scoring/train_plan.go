package scoring

import (
	"context"
	"fmt"

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
// snapshot, where one borrower in five is.
func (s *Service) planTrainingRows(ctx context.Context, r TrainRequest) ([]features.Row, error) {
	dates := r.dates()
	from := dates[0].AddDays(-r.Every)
	last := dates[len(dates)-1]
	validateAfter := last.AddDays(-r.Every)
	var rows []features.Row
	for after := int64(0); ; {
		var ids []int64
		var facts map[int64]*features.Facts
		var terms map[int64][]features.PlanTerms
		err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
			var err error
			if ids, err = tx.ScoringBorrowers(ctx, after, s.opts.Chunk); err != nil || len(ids) == 0 {
				return err
			}
			if terms, err = tx.ScoringPlanTerms(ctx, ids); err != nil {
				return err
			}
			var with []int64 // only borrowers with a plan need their facts
			for _, id := range ids {
				if len(terms[id]) > 0 {
					with = append(with, id)
				}
			}
			facts, err = tx.ScoringFacts(ctx, with, s.zone)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("plan training rows: %w", err)
		}
		if len(ids) == 0 {
			return rows, nil
		}
		for _, id := range ids {
			f := facts[id]
			if f == nil {
				continue
			}
			f.Policy = s.opts.Policy
			for _, row := range features.PlanRows(f, terms[id], from, last, r.AsOf) {
				row.Train = !row.AsOf.AddDays(1).After(validateAfter)
				if len(dates) == 1 {
					row.Train = !model.HoldOut(int(id))
				}
				rows = append(rows, row)
			}
		}
		after = ids[len(ids)-1]
	}
}
