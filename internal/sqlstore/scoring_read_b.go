package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/money"
)

// Reads of training from the book and of the early-warning scan beside
// ScoringFactsIn: the plan terms of the whole book in one query, and the
// payment channels the lean facts leave out.

// AllScoringPlanTerms returns the repayment plans of every borrower, by
// borrower and oldest first, as ScoringPlanTerms returns them for a list:
// plans are few beside borrowers, so the plan model reads them in one
// query and then only the facts of the borrowers who have one.
func (tx *Tx) AllScoringPlanTerms(ctx context.Context) (map[int64][]features.PlanTerms, error) {
	rows, err := tx.query(ctx, `SELECT p.borrower_id, p.start_on, p.broken_on, MAX(i.amount_minor) FROM plans p
		JOIN plan_installments i ON i.plan_id = p.id AND i.borrower_id = p.borrower_id
		GROUP BY p.id, p.borrower_id, p.start_on, p.broken_on ORDER BY p.borrower_id, p.id`)
	if err != nil {
		return nil, fmt.Errorf("scoring plan terms: %w", err)
	}
	defer rows.Close()
	out := map[int64][]features.PlanTerms{}
	for rows.Next() {
		var id int64
		var start, broken date.Date
		var most money.Amount
		if err := rows.Scan(num(&id), &start, &broken, num(&most)); err != nil {
			return nil, fmt.Errorf("scan plan terms: %w", err)
		}
		out[id] = append(out[id], features.PlanTerms{Start: start, MaxPayment: most, BrokenOn: broken})
	}
	return out, interpretError(rows.Err())
}

// PaymentChannels returns the channel of every payment on loans ids, by
// payment id: ScoringFactsIn reads payments without it, and the
// early-warning signal channel_change reads it.
func (tx *Tx) PaymentChannels(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for start := 0; start < len(ids); start += 1000 {
		part := int64Args(ids[start:min(start+1000, len(ids))])
		rows, err := tx.query(ctx, "SELECT id, channel FROM payments WHERE loan_id IN ("+placeholders(len(part))+")", part...)
		if err != nil {
			return nil, fmt.Errorf("payment channels: %w", err)
		}
		for rows.Next() {
			var id int64
			var ch string
			if err := rows.Scan(num(&id), &ch); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan payment channel: %w", err)
			}
			out[id] = ch
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
	}
	return out, nil
}
