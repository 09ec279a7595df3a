package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/money"
)

const borrowerCols = `b.id, b.external_id, b.name, b.national_id_enc, b.national_id_masked, b.time_zone,
	b.language, b.employer, b.monthly_income_minor, b.addresses, b.flags, b.created_at, b.updated_at`

// BorrowerFilter selects borrowers. Pointer fields filter only when set: nil
// means "any", which a zero value could not say (an empty string may be a
// real value to match).
type BorrowerFilter struct {
	NamePrefix *string // names starting with this (ASCII case ignored)
	ExternalID *string
	Phone      *string // exact E.164 number, matched through its hash
	PhoneTail  *string // the last four digits of any of the borrower's phones (尾号)
	NationalID *string // exact, matched through its hash

	// Masked returns the stored masked copies of the national id and phone
	// numbers instead of decrypting them, for lists that only display them.
	Masked bool

	Scope *Scope // only borrowers in this scope (nil: every borrower, for unattended work)

	Limit, Offset int
}

// Borrower returns the borrower with id, with national id and phones
// decrypted. It returns a NotFound error if there is none.
func (tx *Tx) Borrower(ctx context.Context, id int64) (borrower.Borrower, error) {
	return tx.oneBorrower(ctx, "b.id = ?", id, fmt.Sprintf("Borrower %d", id))
}

// BorrowerByExternalID returns the borrower with the lender's id ext. It
// returns a NotFound error if there is none.
func (tx *Tx) BorrowerByExternalID(ctx context.Context, ext string) (borrower.Borrower, error) {
	return tx.oneBorrower(ctx, "b.external_id = ?", ext, fmt.Sprintf("Borrower %q", ext))
}

func (tx *Tx) oneBorrower(ctx context.Context, cond string, arg any, what string) (borrower.Borrower, error) {
	list, err := tx.borrowers(ctx, " WHERE "+cond, []any{arg}, " LIMIT 1", false)
	if err != nil {
		return borrower.Borrower{}, err
	}
	if len(list) == 0 {
		return borrower.Borrower{}, notFound(what)
	}
	return list[0], nil
}

// Borrowers returns a page of the borrowers f selects, ordered by id, and
// how many it selects in all.
func (tx *Tx) Borrowers(ctx context.Context, f BorrowerFilter) ([]borrower.Borrower, int, error) {
	var w where
	if f.NamePrefix != nil {
		w.add("b.name "+tx.db.d.ilike()+` ? ESCAPE '\'`, likePrefix(*f.NamePrefix))
	}
	if f.ExternalID != nil {
		w.add("b.external_id = ?", *f.ExternalID)
	}
	if f.NationalID != nil {
		w.add("b.national_id_hash = ?", tx.hash(*f.NationalID))
	}
	if f.Phone != nil {
		w.add("b.id IN (SELECT borrower_id FROM borrower_phones WHERE number_hash = ?)", tx.hash(*f.Phone))
	}
	if f.PhoneTail != nil {
		w.add("b.id IN (SELECT borrower_id FROM borrower_phones WHERE number_tail = ?)", *f.PhoneTail)
	}
	w.addScope(f.Scope, "b.id")
	var total int
	if err := tx.get(ctx, "Borrowers", "SELECT COUNT(*) FROM borrowers b"+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count borrowers: %w", err)
	}
	list, err := tx.borrowers(ctx, w.String(), w.args, " ORDER BY b.id"+page(f.Limit, f.Offset), f.Masked)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// borrowers runs one borrower query and loads the phones of what it finds.
func (tx *Tx) borrowers(ctx context.Context, where string, args []any, tail string, masked bool) ([]borrower.Borrower, error) {
	rows, err := tx.query(ctx, "SELECT "+borrowerCols+" FROM borrowers b"+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("list borrowers: %w", err)
	}
	defer rows.Close()
	var list []borrower.Borrower
	for rows.Next() {
		b, err := tx.scanBorrower(rows, masked)
		if err != nil {
			return nil, err
		}
		list = append(list, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list borrowers: %w", interpretError(err))
	}
	if err := tx.loadPhones(ctx, list, masked); err != nil {
		return nil, err
	}
	return list, nil
}

func (tx *Tx) scanBorrower(rows *sql.Rows, masked bool) (borrower.Borrower, error) {
	var (
		b                borrower.Borrower
		enc              []byte
		maskedID         string
		addresses, flags string
	)
	err := rows.Scan(&b.ID, &b.ExternalID, &b.Name, &enc, &maskedID, &b.TimeZone, &b.Language, &b.Employer,
		&b.MonthlyIncome, &addresses, &flags, instant{&b.CreatedAt}, instant{&b.UpdatedAt})
	if err != nil {
		return b, fmt.Errorf("scan borrower: %w", err)
	}
	if masked {
		b.NationalID = maskedID
	} else if b.NationalID, err = tx.decrypt(enc); err != nil {
		return b, fmt.Errorf("borrower %d national id: %w", b.ID, err)
	}
	if err := fromJSON(addresses, &b.Addresses); err != nil {
		return b, fmt.Errorf("borrower %d addresses: %w", b.ID, err)
	}
	if err := fromJSON(flags, &b.Flags); err != nil {
		return b, fmt.Errorf("borrower %d flags: %w", b.ID, err)
	}
	return b, nil
}

// loadPhones fills in the phones of list in one query.
func (tx *Tx) loadPhones(ctx context.Context, list []borrower.Borrower, masked bool) error {
	if len(list) == 0 {
		return nil
	}
	index := make(map[int64]int, len(list))
	ids := make([]int64, len(list))
	for i, b := range list {
		index[b.ID], ids[i] = i, b.ID
	}
	rows, err := tx.query(ctx, "SELECT borrower_id, number_enc, number_masked, kind FROM borrower_phones WHERE borrower_id IN ("+
		placeholders(len(ids))+") ORDER BY borrower_id, pos", int64Args(ids)...)
	if err != nil {
		return fmt.Errorf("load phones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id             int64
			enc            []byte
			maskedNo, kind string
		)
		if err := rows.Scan(&id, &enc, &maskedNo, &kind); err != nil {
			return fmt.Errorf("scan phone: %w", err)
		}
		number := maskedNo
		if !masked {
			if number, err = tx.decrypt(enc); err != nil {
				return fmt.Errorf("borrower %d phone: %w", id, err)
			}
		}
		b := &list[index[id]]
		b.Phones = append(b.Phones, borrower.Phone{Number: number, Kind: kind})
	}
	return interpretError(rows.Err())
}

// CreateBorrower inserts b and sets its ID, CreatedAt and UpdatedAt (and
// TimeZone and Language when empty). It returns a Conflict error if a
// borrower with the same ExternalID exists.
func (tx *Tx) CreateBorrower(ctx context.Context, b *borrower.Borrower) error {
	defaultBorrower(b)
	b.CreatedAt, b.UpdatedAt = tx.now, tx.now
	p, err := tx.sealBorrower(b)
	if err != nil {
		return err
	}
	err = tx.get(ctx, "Borrower", `INSERT INTO borrowers (external_id, name, national_id_enc, national_id_hash,
		national_id_masked, time_zone, language, employer, monthly_income_minor, addresses, flags, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{b.ExternalID, b.Name, p.idEnc, p.idHash, p.idMasked, b.TimeZone, b.Language, b.Employer,
			int64(b.MonthlyIncome), p.addresses, p.flags, ts(b.CreatedAt), ts(b.UpdatedAt)}, &b.ID)
	if err != nil {
		return fmt.Errorf("create borrower: %w", conflict(err, "Borrower %q already exists.", b.ExternalID))
	}
	return tx.writePhones(ctx, b.ID, p.phones)
}

func defaultBorrower(b *borrower.Borrower) {
	if b.TimeZone == "" {
		b.TimeZone = borrower.DefaultTimeZone
	}
	if b.Language == "" {
		b.Language = "zh-CN"
	}
}

// writePhones replaces the phones of borrower id.
func (tx *Tx) writePhones(ctx context.Context, id int64, phones []sealedPhone) error {
	if _, err := tx.exec(ctx, "DELETE FROM borrower_phones WHERE borrower_id = ?", id); err != nil {
		return fmt.Errorf("delete phones: %w", err)
	}
	if len(phones) == 0 {
		return nil
	}
	args := make([]any, 0, 6*len(phones))
	for i, p := range phones {
		args = append(args, id, i+1, p.enc, p.hash, p.masked, p.kind)
	}
	_, err := tx.exec(ctx, "INSERT INTO borrower_phones (borrower_id, pos, number_enc, number_hash, number_masked, kind) VALUES "+
		rowsOf(len(phones), 6), args...)
	if err != nil {
		return fmt.Errorf("insert phones: %w", err)
	}
	return nil
}

// UpsertBorrower creates b, or, when a borrower with b.ExternalID exists,
// updates it to match b, and reports whether anything changed: importing the
// same file twice changes nothing the second time. It sets b.ID, CreatedAt
// and UpdatedAt.
func (tx *Tx) UpsertBorrower(ctx context.Context, b *borrower.Borrower) (changed bool, err error) {
	defaultBorrower(b)
	var (
		cur                      borrower.Borrower
		idHash, addresses, flags string
	)
	err = tx.get(ctx, "Borrower", `SELECT id, name, national_id_hash, time_zone, language, employer,
		monthly_income_minor, addresses, flags, created_at, updated_at FROM borrowers WHERE external_id = ?`,
		[]any{b.ExternalID}, &cur.ID, &cur.Name, &idHash, &cur.TimeZone, &cur.Language, &cur.Employer,
		&cur.MonthlyIncome, &addresses, &flags, instant{&cur.CreatedAt}, instant{&cur.UpdatedAt})
	if errs.CodeOf(err) == errs.NotFound {
		return true, tx.CreateBorrower(ctx, b)
	}
	if err != nil {
		return false, fmt.Errorf("upsert borrower %q: %w", b.ExternalID, err)
	}
	p, err := tx.sealBorrower(b)
	if err != nil {
		return false, err
	}
	curPhones, err := tx.phoneHashesOf(ctx, cur.ID)
	if err != nil {
		return false, err
	}
	b.ID, b.CreatedAt, b.UpdatedAt = cur.ID, cur.CreatedAt, cur.UpdatedAt
	same := cur.Name == b.Name && idHash == p.idHash && cur.TimeZone == b.TimeZone && cur.Language == b.Language &&
		cur.Employer == b.Employer && cur.MonthlyIncome == b.MonthlyIncome && addresses == p.addresses &&
		flags == p.flags && slices.Equal(curPhones, phoneHashes(p.phones))
	if same {
		return false, nil
	}
	b.UpdatedAt = tx.now
	return true, tx.writeBorrower(ctx, b, p)
}

func (tx *Tx) phoneHashesOf(ctx context.Context, id int64) ([]string, error) {
	rows, err := tx.query(ctx, "SELECT number_hash, kind FROM borrower_phones WHERE borrower_id = ? ORDER BY pos", id)
	if err != nil {
		return nil, fmt.Errorf("load phone hashes: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var h, kind string
		if err := rows.Scan(&h, &kind); err != nil {
			return nil, fmt.Errorf("scan phone hash: %w", err)
		}
		out = append(out, h+"/"+kind)
	}
	return out, interpretError(rows.Err())
}

// writeBorrower stores every field of b over the row b.ID.
func (tx *Tx) writeBorrower(ctx context.Context, b *borrower.Borrower, p sealedBorrower) error {
	res, err := tx.exec(ctx, `UPDATE borrowers SET name = ?, national_id_enc = ?, national_id_hash = ?,
		national_id_masked = ?, time_zone = ?, language = ?, employer = ?, monthly_income_minor = ?, addresses = ?,
		flags = ?, updated_at = ? WHERE id = ?`,
		b.Name, p.idEnc, p.idHash, p.idMasked, b.TimeZone, b.Language, b.Employer, int64(b.MonthlyIncome),
		p.addresses, p.flags, ts(b.UpdatedAt), b.ID)
	if err != nil {
		return fmt.Errorf("update borrower %d: %w", b.ID, err)
	}
	if err := affected(res, fmt.Sprintf("Borrower %d", b.ID)); err != nil {
		return err
	}
	if err := tx.recordPhoneChange(ctx, b.ID, p.phones); err != nil { // the contact_changed warning's history
		return err
	}
	return tx.writePhones(ctx, b.ID, p.phones)
}

// BorrowerUpdate lists the fields UpdateBorrower changes. A nil field is
// left as it is, which a zero value could not say (an empty employer or no
// flags are real values).
type BorrowerUpdate struct {
	Name          *string
	NationalID    *string
	Phones        *[]borrower.Phone
	Addresses     *[]borrower.Address
	TimeZone      *string
	Language      *string
	Employer      *string
	MonthlyIncome *money.Amount
	Flags         *[]string
}

// UpdateBorrower changes the fields of borrower id that upd sets and returns
// the borrower as stored afterwards. It returns a NotFound error if there is
// no such borrower.
func (tx *Tx) UpdateBorrower(ctx context.Context, id int64, upd BorrowerUpdate) (borrower.Borrower, error) {
	b, err := tx.Borrower(ctx, id)
	if err != nil {
		return b, err
	}
	set(&b.Name, upd.Name)
	set(&b.NationalID, upd.NationalID)
	set(&b.Phones, upd.Phones)
	set(&b.Addresses, upd.Addresses)
	set(&b.TimeZone, upd.TimeZone)
	set(&b.Language, upd.Language)
	set(&b.Employer, upd.Employer)
	set(&b.Flags, upd.Flags)
	set(&b.MonthlyIncome, upd.MonthlyIncome)
	defaultBorrower(&b)
	p, err := tx.sealBorrower(&b)
	if err != nil {
		return b, err
	}
	b.UpdatedAt = tx.now
	return b, tx.writeBorrower(ctx, &b, p)
}

// set copies *v into *dst when v is not nil.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
