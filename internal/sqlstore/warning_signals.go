package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/features"
)

// WarningSignals returns, for borrowers ids, the payment attempts made on
// or after since and the phone changes from since on (dated in zone), as
// features.Signals without plan instalments (the caller evaluates the
// plans, see RunningPlansOf). Every id has an entry.
func (tx *Tx) WarningSignals(ctx context.Context, ids []int64, since date.Date, zone *time.Location) (map[int64]*features.Signals, error) {
	out := make(map[int64]*features.Signals, len(ids))
	for _, id := range ids {
		out[id] = &features.Signals{}
	}
	for start := 0; start < len(ids); start += 1000 {
		part := int64Args(ids[start:min(start+1000, len(ids))])
		in := "(" + placeholders(len(part)) + ")"
		rows, err := tx.query(ctx, `SELECT borrower_id, attempted_on, channel, status, amount_minor, reason FROM payment_attempts
			WHERE attempted_on >= ? AND borrower_id IN `+in+` ORDER BY borrower_id, attempted_on, id`, append([]any{since}, part...)...)
		if err != nil {
			return nil, fmt.Errorf("warning attempts: %w", err)
		}
		for rows.Next() {
			var id int64
			var a features.Attempt
			var status string
			if err := rows.Scan(num(&id), &a.On, &a.Channel, &status, num(&a.Amount), &a.Reason); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan attempt: %w", err)
			}
			a.Failed = status == "failed"
			out[id].Attempts = append(out[id].Attempts, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
		rows, err = tx.query(ctx, `SELECT borrower_id, changed_at, added, removed FROM contact_changes
			WHERE changed_at >= ? AND borrower_id IN `+in+` ORDER BY borrower_id, changed_at, id`,
			append([]any{ts(since.In(zone))}, part...)...)
		if err != nil {
			return nil, fmt.Errorf("warning contact changes: %w", err)
		}
		for rows.Next() {
			var id int64
			var at time.Time
			var c features.ContactChange
			if err := rows.Scan(num(&id), instant{&at}, num(&c.Added), num(&c.Removed)); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan contact change: %w", err)
			}
			c.On, c.Kind = date.FromTime(at.In(zone)), "phone"
			out[id].ContactChanges = append(out[id].ContactChanges, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
		if err := tx.addressChanges(ctx, in, part, since, zone, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// addressChanges adds the borrowers' address changes (field visits that
// found the borrower moved, borrower_address_changes) from since on: a
// replaced address counts as removed and added, a new one as added.
func (tx *Tx) addressChanges(ctx context.Context, in string, part []any, since date.Date, zone *time.Location, out map[int64]*features.Signals) error {
	rows, err := tx.query(ctx, `SELECT borrower_id, created_at, previous FROM borrower_address_changes
		WHERE created_at >= ? AND borrower_id IN `+in+` ORDER BY borrower_id, id`, append([]any{ts(since.In(zone))}, part...)...)
	if err != nil {
		return fmt.Errorf("warning address changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at time.Time
		var previous string
		if err := rows.Scan(num(&id), instant{&at}, &previous); err != nil {
			return fmt.Errorf("scan address change: %w", err)
		}
		c := features.ContactChange{On: date.FromTime(at.In(zone)), Kind: "address", Added: 1}
		if previous != "" {
			c.Removed = 1
		}
		out[id].ContactChanges = append(out[id].ContactChanges, c)
	}
	return interpretError(rows.Err())
}

// RunningPlansOf returns the running plans (active or in grace) of
// borrowers ids, with their loans and schedules, in id order.
func (tx *Tx) RunningPlansOf(ctx context.Context, ids []int64) ([]PlanRow, error) {
	var out []PlanRow
	for start := 0; start < len(ids); start += 1000 {
		part := int64Args(ids[start:min(start+1000, len(ids))])
		got, err := tx.plansWhere(ctx, "status IN ('active', 'in_grace') AND borrower_id IN ("+placeholders(len(part))+")", part...)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}
