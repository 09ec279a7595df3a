package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/errs"
	"accord/internal/money"
)

// AddCaseCost adds amount (at least 0) to the running cost of case id.
// The nightly run carries a case's cost into its experiment record (the
// cost since the case entered), so a field visit's cost counts against the
// strategy arm the case is in, like its calls and messages. It returns
// NotFound if there is no such case.
func (tx *Tx) AddCaseCost(ctx context.Context, id int64, amount money.Amount) error {
	if amount < 0 {
		return errs.Errorf(errs.Invalid, "A cost cannot be negative.")
	}
	res, err := tx.exec(ctx, "UPDATE cases SET cost_minor = cost_minor + ?, updated_at = ? WHERE id = ?", int64(amount), ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("add cost to case %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Case %d", id))
}
