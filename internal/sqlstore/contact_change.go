package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// recordPhoneChange compares the phone numbers borrower id has with the
// ones about to replace them and, when a number is added or removed,
// stores a contact_changes row (kind phone) with the counts: the history
// the contact_changed early warning reads. The numbers are compared by
// their keyed hash; the kind of a number changing alone is no change.
func (tx *Tx) recordPhoneChange(ctx context.Context, id int64, phones []sealedPhone) error {
	before, err := tx.phoneHashesOf(ctx, id)
	if err != nil {
		return err
	}
	had := map[string]bool{}
	for _, h := range before {
		hash, _, _ := strings.Cut(h, "/")
		had[hash] = true
	}
	has := map[string]bool{}
	added := 0
	for _, p := range phones {
		if !has[p.hash] && !had[p.hash] {
			added++
		}
		has[p.hash] = true
	}
	removed := 0
	for h := range had {
		if !has[h] {
			removed++
		}
	}
	if added == 0 && removed == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, "INSERT INTO contact_changes (borrower_id, kind, added, removed, changed_at) VALUES (?, ?, ?, ?, ?)",
		id, "phone", added, removed, ts(tx.now)); err != nil {
		return fmt.Errorf("record phone change of borrower %d: %w", id, interpretError(err))
	}
	return nil
}
