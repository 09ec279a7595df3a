package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/money"
)

// ScoringPlanTerms returns the repayment plans of borrowers ids, oldest
// first, as the plan model (features.PlanKept) learns from them: start,
// largest instalment and the day the plan broke. Plans without a schedule
// are left out.
func (tx *Tx) ScoringPlanTerms(ctx context.Context, ids []int64) (map[int64][]features.PlanTerms, error) {
	out := map[int64][]features.PlanTerms{}
	for start := 0; start < len(ids); start += 1000 {
		part := int64Args(ids[start:min(start+1000, len(ids))])
		rows, err := tx.query(ctx, `SELECT p.borrower_id, p.start_on, p.broken_on, MAX(i.amount_minor) FROM plans p
			JOIN plan_installments i ON i.plan_id = p.id AND i.borrower_id = p.borrower_id
			WHERE p.borrower_id IN (`+placeholders(len(part))+`)
			GROUP BY p.id, p.borrower_id, p.start_on, p.broken_on ORDER BY p.borrower_id, p.id`, part...)
		if err != nil {
			return nil, fmt.Errorf("scoring plan terms: %w", err)
		}
		for rows.Next() {
			var id int64
			var start, broken date.Date
			var most money.Amount
			if err := rows.Scan(num(&id), &start, &broken, num(&most)); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan plan terms: %w", err)
			}
			out[id] = append(out[id], features.PlanTerms{Start: start, MaxPayment: most, BrokenOn: broken})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
	}
	return out, nil
}
