package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/pii"
)

const contactCols = `id, external_id, borrower_id, name, relationship, phone_enc, consent_basis, consent_at, created_at`

// Contact returns the registered contact with id, phone decrypted. It
// returns a NotFound error if there is none.
func (tx *Tx) Contact(ctx context.Context, id int64) (borrower.Contact, error) {
	list, err := tx.contacts(ctx, "WHERE id = ?", id)
	if err != nil {
		return borrower.Contact{}, err
	}
	if len(list) == 0 {
		return borrower.Contact{}, notFound(fmt.Sprintf("Contact %d", id))
	}
	return list[0], nil
}

// ContactsByBorrower returns the contacts borrower id registered, in the
// order they were added.
func (tx *Tx) ContactsByBorrower(ctx context.Context, borrowerID int64) ([]borrower.Contact, error) {
	return tx.contacts(ctx, "WHERE borrower_id = ? ORDER BY id", borrowerID)
}

// ContactsByPhone returns the contacts with the exact phone number, matched
// through its hash (who else gave this number?).
func (tx *Tx) ContactsByPhone(ctx context.Context, phone string) ([]borrower.Contact, error) {
	return tx.contacts(ctx, "WHERE phone_hash = ? ORDER BY id", tx.hash(phone))
}

func (tx *Tx) contacts(ctx context.Context, where string, args ...any) ([]borrower.Contact, error) {
	rows, err := tx.query(ctx, "SELECT "+contactCols+" FROM contacts "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	defer rows.Close()
	var list []borrower.Contact
	for rows.Next() {
		var (
			c   borrower.Contact
			enc []byte
		)
		err := rows.Scan(&c.ID, text{&c.ExternalID}, &c.BorrowerID, &c.Name, &c.Relationship, &enc, &c.ConsentBasis,
			instant{&c.ConsentAt}, instant{&c.CreatedAt})
		if err != nil {
			return nil, fmt.Errorf("scan contact: %w", err)
		}
		if c.Phone, err = tx.decrypt(enc); err != nil {
			return nil, fmt.Errorf("contact %d phone: %w", c.ID, err)
		}
		list = append(list, c)
	}
	return list, interpretError(rows.Err())
}

// CreateContact inserts c and sets its ID and CreatedAt. It returns a
// Conflict error if a contact with the same non-empty ExternalID exists and
// an Invalid error if the borrower does not.
func (tx *Tx) CreateContact(ctx context.Context, c *borrower.Contact) error {
	enc, err := tx.encrypt(c.Phone)
	if err != nil {
		return err
	}
	c.CreatedAt = tx.now
	err = tx.get(ctx, "Contact", `INSERT INTO contacts (external_id, borrower_id, name, relationship, phone_enc,
		phone_hash, phone_masked, consent_basis, consent_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{nullString(c.ExternalID), c.BorrowerID, c.Name, c.Relationship, enc, tx.hash(c.Phone),
			pii.MaskPhone(c.Phone), c.ConsentBasis, ts(c.ConsentAt), ts(c.CreatedAt)}, &c.ID)
	if err != nil {
		return fmt.Errorf("create contact: %w", conflict(err, "Contact %q already exists.", c.ExternalID))
	}
	c.ConsentAt = truncated(c.ConsentAt)
	return nil
}

// UpsertContact creates c, or, when a contact with c.ExternalID exists,
// updates it to match c, and reports whether anything changed. c.ExternalID
// must not be empty.
func (tx *Tx) UpsertContact(ctx context.Context, c *borrower.Contact) (changed bool, err error) {
	if c.ExternalID == "" {
		return false, errs.Field("external_id", "is required to upsert a contact")
	}
	var cur borrower.Contact
	var phoneHash string
	err = tx.get(ctx, "Contact", `SELECT id, borrower_id, name, relationship, phone_hash, consent_basis, consent_at,
		created_at FROM contacts WHERE external_id = ?`, []any{c.ExternalID},
		&cur.ID, &cur.BorrowerID, &cur.Name, &cur.Relationship, &phoneHash, &cur.ConsentBasis,
		instant{&cur.ConsentAt}, instant{&cur.CreatedAt})
	if errs.CodeOf(err) == errs.NotFound {
		return true, tx.CreateContact(ctx, c)
	}
	if err != nil {
		return false, fmt.Errorf("upsert contact %q: %w", c.ExternalID, err)
	}
	c.ID, c.CreatedAt, c.ConsentAt = cur.ID, cur.CreatedAt, truncated(c.ConsentAt)
	if cur.BorrowerID == c.BorrowerID && cur.Name == c.Name && cur.Relationship == c.Relationship &&
		phoneHash == tx.hash(c.Phone) && cur.ConsentBasis == c.ConsentBasis && cur.ConsentAt.Equal(c.ConsentAt) {
		return false, nil
	}
	enc, err := tx.encrypt(c.Phone)
	if err != nil {
		return false, err
	}
	_, err = tx.exec(ctx, `UPDATE contacts SET borrower_id = ?, name = ?, relationship = ?, phone_enc = ?, phone_hash = ?,
		phone_masked = ?, consent_basis = ?, consent_at = ? WHERE id = ?`,
		c.BorrowerID, c.Name, c.Relationship, enc, tx.hash(c.Phone), pii.MaskPhone(c.Phone), c.ConsentBasis,
		ts(c.ConsentAt), c.ID)
	if err != nil {
		return false, fmt.Errorf("update contact %d: %w", c.ID, err)
	}
	return true, nil
}

// DeleteContact removes contact id (the borrower withdrew it). It returns a
// NotFound error if there is none.
func (tx *Tx) DeleteContact(ctx context.Context, id int64) error {
	res, err := tx.exec(ctx, "DELETE FROM contacts WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("delete contact %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Contact %d", id))
}
