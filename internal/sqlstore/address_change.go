package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/borrower"
)

// AddressChange is an address learned about a borrower after the import
// (a field visit found they had moved), with the address it replaced on
// the borrower, if any. Changes are evidence: only ever added.
type AddressChange struct {
	ID         int64             `json:"id"`
	BorrowerID int64             `json:"borrower_id"`
	Address    borrower.Address  `json:"address"`
	Previous   *borrower.Address `json:"previous,omitempty"`
	Source     string            `json:"source"` // "visit"
	VisitID    int64             `json:"visit_id,omitempty"`
	EntryID    int64             `json:"entry_id,omitempty"`
	RecordedBy string            `json:"recorded_by"`
	CreatedAt  time.Time         `json:"created_at"`
}

// AddAddressChange stores c and sets its ID and CreatedAt.
func (tx *Tx) AddAddressChange(ctx context.Context, c *AddressChange) error {
	addr, err := toJSON(c.Address)
	if err != nil {
		return err
	}
	prev := ""
	if c.Previous != nil {
		if prev, err = toJSON(c.Previous); err != nil {
			return err
		}
	}
	c.CreatedAt = tx.at(c.CreatedAt)
	err = tx.get(ctx, "AddressChange", `INSERT INTO borrower_address_changes (borrower_id, kind, address, previous, source,
		visit_id, entry_id, recorded_by, created_at) VALUES (`+placeholders(9)+") RETURNING id",
		[]any{c.BorrowerID, c.Address.Kind, addr, prev, c.Source, c.VisitID, c.EntryID, c.RecordedBy, ts(c.CreatedAt)}, &c.ID)
	if err != nil {
		return fmt.Errorf("add address change of borrower %d: %w", c.BorrowerID, err)
	}
	return nil
}

// AddressChanges returns borrower borrowerID's address changes, newest
// first.
func (tx *Tx) AddressChanges(ctx context.Context, borrowerID int64) ([]AddressChange, error) {
	rows, err := tx.query(ctx, `SELECT id, borrower_id, address, previous, source, visit_id, entry_id, recorded_by, created_at
		FROM borrower_address_changes WHERE borrower_id = ? ORDER BY id DESC`, borrowerID)
	if err != nil {
		return nil, fmt.Errorf("address changes of borrower %d: %w", borrowerID, err)
	}
	defer rows.Close()
	out := []AddressChange{}
	for rows.Next() {
		var c AddressChange
		var addr, prev string
		if err := rows.Scan(num(&c.ID), num(&c.BorrowerID), &addr, &prev, &c.Source, num(&c.VisitID), num(&c.EntryID),
			&c.RecordedBy, instant{&c.CreatedAt}); err != nil {
			return nil, interpretError(err)
		}
		if err := fromJSON(addr, &c.Address); err != nil {
			return nil, err
		}
		if prev != "" {
			c.Previous = &borrower.Address{}
			if err := fromJSON(prev, c.Previous); err != nil {
				return nil, err
			}
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}
