package sqlstore

import (
	"context"
	"fmt"
)

// ContactRulesStamp returns the change stamp of the data the contact rules
// are built from (the holiday calendar and the contact policies): a value
// that changes, in the same transaction, whenever any of that data does
// (triggers of migration 00022). Callers cache what they built from the
// data beside the stamp and rebuild when it differs; two stamps are only
// ever compared for equality.
func (tx *Tx) ContactRulesStamp(ctx context.Context) (string, error) {
	var stamp string
	err := tx.get(ctx, "Contact rules stamp", "SELECT stamp FROM governor_stamps WHERE name = 'contact_rules'", nil, &stamp)
	if err != nil {
		return "", fmt.Errorf("read contact rules stamp: %w", err)
	}
	return stamp, nil
}
