package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/compliance"
)

// This file holds the borrower facts the contact governor reads beyond the
// borrower row: email addresses, recorded consents, opt-outs, and flags on
// registered contacts.

// BorrowerEmails returns borrower id's email addresses, decrypted, in
// order.
func (tx *Tx) BorrowerEmails(ctx context.Context, borrowerID int64) ([]string, error) {
	rows, err := tx.query(ctx, "SELECT address_enc FROM borrower_emails WHERE borrower_id = ? ORDER BY pos", borrowerID)
	if err != nil {
		return nil, fmt.Errorf("list emails: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var enc []byte
		if err := rows.Scan(&enc); err != nil {
			return nil, fmt.Errorf("scan email: %w", err)
		}
		addr, err := tx.decrypt(enc)
		if err != nil {
			return nil, fmt.Errorf("borrower %d email: %w", borrowerID, err)
		}
		out = append(out, addr)
	}
	return out, interpretError(rows.Err())
}

// SetBorrowerEmails replaces borrower id's email addresses.
func (tx *Tx) SetBorrowerEmails(ctx context.Context, borrowerID int64, emails []string) error {
	if _, err := tx.exec(ctx, "DELETE FROM borrower_emails WHERE borrower_id = ?", borrowerID); err != nil {
		return fmt.Errorf("replace emails: %w", err)
	}
	if len(emails) == 0 {
		return nil
	}
	args := make([]any, 0, 5*len(emails))
	for i, e := range emails {
		enc, err := tx.encrypt(e)
		if err != nil {
			return err
		}
		args = append(args, borrowerID, i+1, enc, tx.hash(e), maskAddress("email", e))
	}
	_, err := tx.exec(ctx, "INSERT INTO borrower_emails (borrower_id, pos, address_enc, address_hash, address_masked) VALUES "+
		rowsOf(len(emails), 5), args...)
	if err != nil {
		return fmt.Errorf("replace emails: %w", err)
	}
	return nil
}

// Consent is a structured consent a borrower recorded (R17), with the
// evidence it rests on (a call recording, a signed form).
type Consent struct {
	ID         int64 `json:"id"`
	BorrowerID int64 `json:"borrower_id"`
	compliance.Consent
	Evidence  string    `json:"evidence"`
	CreatedAt time.Time `json:"created_at"`
}

// CreateConsent records c and sets its ID and CreatedAt.
func (tx *Tx) CreateConsent(ctx context.Context, c *Consent) error {
	c.CreatedAt = tx.now
	err := tx.get(ctx, "Consent", `INSERT INTO borrower_consents (borrower_id, kind, contact_window, attempt_limit, channel,
		given_at, expires_at, revoked_at, evidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{c.BorrowerID, c.Kind, c.Window, c.Limit, string(c.Channel), ts(c.GivenAt), ts(c.Expires), ts(c.RevokedAt),
			c.Evidence, ts(c.CreatedAt)}, &c.ID)
	if err != nil {
		return fmt.Errorf("create consent: %w", err)
	}
	return nil
}

// RevokeConsent records that consent id was withdrawn at at. It returns a
// NotFound error if there is none.
func (tx *Tx) RevokeConsent(ctx context.Context, id int64, at time.Time) error {
	res, err := tx.exec(ctx, "UPDATE borrower_consents SET revoked_at = ? WHERE id = ?", ts(at), id)
	if err != nil {
		return fmt.Errorf("revoke consent %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Consent %d", id))
}

// BorrowerConsents returns every consent of borrower id, revoked and
// expired ones included (the governor ignores those), oldest first.
func (tx *Tx) BorrowerConsents(ctx context.Context, borrowerID int64) ([]Consent, error) {
	rows, err := tx.query(ctx, `SELECT id, borrower_id, kind, contact_window, attempt_limit, channel, given_at, expires_at,
		revoked_at, evidence, created_at FROM borrower_consents WHERE borrower_id = ? ORDER BY id`, borrowerID)
	if err != nil {
		return nil, fmt.Errorf("list consents: %w", err)
	}
	defer rows.Close()
	var out []Consent
	for rows.Next() {
		var (
			c       Consent
			channel string
		)
		if err := rows.Scan(&c.ID, &c.BorrowerID, &c.Kind, &c.Window, &c.Limit, &channel, instant{&c.GivenAt},
			instant{&c.Expires}, instant{&c.RevokedAt}, &c.Evidence, instant{&c.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan consent: %w", err)
		}
		c.Channel = compliance.Channel(channel)
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}

// CreateOptOut records that borrower id asked not to be contacted on o's
// channel (at o's address only, when it is set).
func (tx *Tx) CreateOptOut(ctx context.Context, borrowerID int64, o compliance.OptOut) error {
	enc, err := tx.encrypt(o.Address)
	if err != nil {
		return err
	}
	masked := ""
	if o.Address != "" {
		masked = maskAddress(string(o.Channel), o.Address)
	}
	_, err = tx.exec(ctx, `INSERT INTO borrower_opt_outs (borrower_id, channel, address_enc, address_masked, created_at)
		VALUES (?, ?, ?, ?, ?)`, borrowerID, string(o.Channel), enc, masked, ts(tx.now))
	if err != nil {
		return fmt.Errorf("create opt-out: %w", err)
	}
	return nil
}

// BorrowerOptOuts returns borrower id's opt-outs with addresses decrypted.
func (tx *Tx) BorrowerOptOuts(ctx context.Context, borrowerID int64) ([]compliance.OptOut, error) {
	rows, err := tx.query(ctx, "SELECT channel, address_enc FROM borrower_opt_outs WHERE borrower_id = ? ORDER BY id", borrowerID)
	if err != nil {
		return nil, fmt.Errorf("list opt-outs: %w", err)
	}
	defer rows.Close()
	var out []compliance.OptOut
	for rows.Next() {
		var (
			o       compliance.OptOut
			channel string
			enc     []byte
		)
		if err := rows.Scan(&channel, &enc); err != nil {
			return nil, fmt.Errorf("scan opt-out: %w", err)
		}
		o.Channel = compliance.Channel(channel)
		if o.Address, err = tx.decrypt(enc); err != nil {
			return nil, fmt.Errorf("opt-out address: %w", err)
		}
		out = append(out, o)
	}
	return out, interpretError(rows.Err())
}

// SetContactFlags replaces the flags of registered contact id (such as
// compliance.FlagDebtRelatedApproved). It returns an Invalid error if
// there is no such contact.
func (tx *Tx) SetContactFlags(ctx context.Context, contactID int64, flags []string) error {
	j, err := toJSON(nonNilStrings(flags))
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO contact_flags (contact_id, flags, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (contact_id) DO UPDATE SET flags = excluded.flags, updated_at = excluded.updated_at`,
		contactID, j, ts(tx.now))
	if err != nil {
		return fmt.Errorf("set contact %d flags: %w", contactID, err)
	}
	return nil
}

// ContactFlags returns the flags of borrower id's registered contacts, by
// contact id; contacts without flags are absent.
func (tx *Tx) ContactFlags(ctx context.Context, borrowerID int64) (map[int64][]string, error) {
	rows, err := tx.query(ctx, `SELECT f.contact_id, f.flags FROM contact_flags f JOIN contacts c ON c.id = f.contact_id
		WHERE c.borrower_id = ?`, borrowerID)
	if err != nil {
		return nil, fmt.Errorf("list contact flags: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var (
			id    int64
			flags string
			list  []string
		)
		if err := rows.Scan(&id, &flags); err != nil {
			return nil, fmt.Errorf("scan contact flags: %w", err)
		}
		if err := fromJSON(flags, &list); err != nil {
			return nil, fmt.Errorf("contact %d flags: %w", id, err)
		}
		out[id] = list
	}
	return out, interpretError(rows.Err())
}
