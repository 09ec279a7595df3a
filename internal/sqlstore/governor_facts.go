package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"accord/internal/borrower"
	"accord/internal/compliance"
)

// GovernorFacts is what the contact governor reads about one borrower: the
// borrower with their phones decrypted, their email addresses, registered
// contacts and those contacts' flags, consents, opt-outs, and the contacts
// that happened since a given time. Each field holds exactly what the
// method of the same data returns for that borrower alone (Borrower,
// BorrowerEmails, ContactsByBorrower, ContactFlags, BorrowerConsents,
// BorrowerOptOuts, ContactHistory).
type GovernorFacts struct {
	Borrower     borrower.Borrower
	Emails       []string
	Contacts     []borrower.Contact
	ContactFlags map[int64][]string // by contact id; never nil
	Consents     []Consent
	OptOuts      []compliance.OptOut
	History      []ContactAttempt
}

// GovernorFactsOf returns the GovernorFacts of every borrower of ids that
// exists, by id, with their contact history since since, reading each table
// once for all of them rather than once a borrower: "Get next case" asks
// the governor about the cases of up to 64 presses in one transaction
// (issue 11). Ids missing from the result do not exist.
func (tx *Tx) GovernorFactsOf(ctx context.Context, ids []int64, since time.Time) (map[int64]*GovernorFacts, error) {
	out := make(map[int64]*GovernorFacts, len(ids))
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for len(ids) > 0 {
		n := min(len(ids), maxFactsChunk)
		if err := tx.governorFacts(ctx, ids[:n], since, out); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// maxFactsChunk bounds the borrowers one query of GovernorFactsOf names.
const maxFactsChunk = 128

// paddedIDs returns ids as query arguments, padded to the next power of
// two by repeating the last id (ids is not empty), so that the statements
// GovernorFactsOf prepares come in a few sizes instead of one per count.
func paddedIDs(ids []int64) []any {
	n := 1
	for n < len(ids) {
		n *= 2
	}
	args := make([]any, n)
	for i := range args {
		args[i] = ids[min(i, len(ids)-1)]
	}
	return args
}

func (tx *Tx) governorFacts(ctx context.Context, ids []int64, since time.Time, out map[int64]*GovernorFacts) error {
	args := paddedIDs(ids)
	in := "(" + placeholders(len(args)) + ")"
	rows, err := tx.query(ctx, "SELECT "+borrowerCols+" FROM borrowers b WHERE b.id IN "+in, args...)
	if err != nil {
		return fmt.Errorf("list borrowers: %w", err)
	}
	found := 0
	for rows.Next() {
		b, err := tx.scanBorrower(rows, false)
		if err != nil {
			rows.Close()
			return err
		}
		out[b.ID] = &GovernorFacts{Borrower: b, ContactFlags: map[int64][]string{}}
		found++
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("list borrowers: %w", err)
	}
	if found == 0 {
		return nil
	}
	// Only the borrowers just read: out may hold others' from an earlier chunk.
	of := func(id int64) *GovernorFacts {
		if _, ok := slices.BinarySearch(ids, id); ok && out[id] != nil {
			return out[id]
		}
		return &GovernorFacts{ContactFlags: map[int64][]string{}} // a row added since (PostgreSQL): dropped
	}

	rows, err = tx.query(ctx, "SELECT borrower_id, number_enc, kind FROM borrower_phones WHERE borrower_id IN "+in+
		" ORDER BY borrower_id, pos", args...)
	if err != nil {
		return fmt.Errorf("load phones: %w", err)
	}
	for rows.Next() {
		var (
			id   int64
			enc  []byte
			kind string
		)
		if err := rows.Scan(&id, &enc, &kind); err != nil {
			rows.Close()
			return fmt.Errorf("scan phone: %w", err)
		}
		number, err := tx.decrypt(enc)
		if err != nil {
			rows.Close()
			return fmt.Errorf("borrower %d phone: %w", id, err)
		}
		b := &of(id).Borrower
		b.Phones = append(b.Phones, borrower.Phone{Number: number, Kind: kind})
	}
	if err := closeRows(rows); err != nil {
		return err
	}

	rows, err = tx.query(ctx, "SELECT borrower_id, address_enc FROM borrower_emails WHERE borrower_id IN "+in+
		" ORDER BY borrower_id, pos", args...)
	if err != nil {
		return fmt.Errorf("list emails: %w", err)
	}
	for rows.Next() {
		var (
			id  int64
			enc []byte
		)
		if err := rows.Scan(&id, &enc); err != nil {
			rows.Close()
			return fmt.Errorf("scan email: %w", err)
		}
		addr, err := tx.decrypt(enc)
		if err != nil {
			rows.Close()
			return fmt.Errorf("borrower %d email: %w", id, err)
		}
		f := of(id)
		f.Emails = append(f.Emails, addr)
	}
	if err := closeRows(rows); err != nil {
		return err
	}

	contacts, err := tx.contacts(ctx, "WHERE borrower_id IN "+in+" ORDER BY borrower_id, id", args...)
	if err != nil {
		return err
	}
	for _, c := range contacts {
		f := of(c.BorrowerID)
		f.Contacts = append(f.Contacts, c)
	}

	rows, err = tx.query(ctx, `SELECT c.borrower_id, f.contact_id, f.flags FROM contact_flags f JOIN contacts c ON c.id = f.contact_id
		WHERE c.borrower_id IN `+in, args...)
	if err != nil {
		return fmt.Errorf("list contact flags: %w", err)
	}
	for rows.Next() {
		var (
			borrowerID, id int64
			flags          string
			list           []string
		)
		if err := rows.Scan(&borrowerID, &id, &flags); err != nil {
			rows.Close()
			return fmt.Errorf("scan contact flags: %w", err)
		}
		if err := fromJSON(flags, &list); err != nil {
			rows.Close()
			return fmt.Errorf("contact %d flags: %w", id, err)
		}
		of(borrowerID).ContactFlags[id] = list
	}
	if err := closeRows(rows); err != nil {
		return err
	}

	rows, err = tx.query(ctx, `SELECT id, borrower_id, kind, contact_window, attempt_limit, channel, given_at, expires_at,
		revoked_at, evidence, created_at FROM borrower_consents WHERE borrower_id IN `+in+` ORDER BY borrower_id, id`, args...)
	if err != nil {
		return fmt.Errorf("list consents: %w", err)
	}
	for rows.Next() {
		var (
			c       Consent
			channel string
		)
		if err := rows.Scan(&c.ID, &c.BorrowerID, &c.Kind, &c.Window, &c.Limit, &channel, instant{&c.GivenAt},
			instant{&c.Expires}, instant{&c.RevokedAt}, &c.Evidence, instant{&c.CreatedAt}); err != nil {
			rows.Close()
			return fmt.Errorf("scan consent: %w", err)
		}
		c.Channel = compliance.Channel(channel)
		f := of(c.BorrowerID)
		f.Consents = append(f.Consents, c)
	}
	if err := closeRows(rows); err != nil {
		return err
	}

	rows, err = tx.query(ctx, "SELECT borrower_id, channel, address_enc FROM borrower_opt_outs WHERE borrower_id IN "+in+
		" ORDER BY borrower_id, id", args...)
	if err != nil {
		return fmt.Errorf("list opt-outs: %w", err)
	}
	for rows.Next() {
		var (
			id      int64
			o       compliance.OptOut
			channel string
			enc     []byte
		)
		if err := rows.Scan(&id, &channel, &enc); err != nil {
			rows.Close()
			return fmt.Errorf("scan opt-out: %w", err)
		}
		o.Channel = compliance.Channel(channel)
		if o.Address, err = tx.decrypt(enc); err != nil {
			rows.Close()
			return fmt.Errorf("opt-out address: %w", err)
		}
		f := of(id)
		f.OptOuts = append(f.OptOuts, o)
	}
	if err := closeRows(rows); err != nil {
		return err
	}

	history, err := tx.contactAttempts(ctx, " WHERE borrower_id IN "+in+
		" AND started_at >= ? AND performed = ? ORDER BY borrower_id, started_at, id",
		append(args, ts(since), true), false)
	if err != nil {
		return err
	}
	for _, a := range history {
		f := of(a.BorrowerID)
		f.History = append(f.History, a)
	}
	return nil
}

// closeRows closes rows and returns the error that ended their iteration.
func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	rows.Close()
	return interpretError(err)
}
