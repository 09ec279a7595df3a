package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/govalues/decimal"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/pii"
)

// The bulk inserts load a whole book at once (the demo loader, a first
// import): the caller supplies the ids, nothing is compared or upserted, and
// rows go in with multi-row INSERTs on SQLite and COPY on PostgreSQL, whose
// identity sequences are then moved past the largest id. Call them inside
// one InTx per batch of, say, 10,000 to 100,000 rows, parents first.

// BulkLoan is a loan with the next due date the loader computed, so that the
// first nightly run ages only the loans that need it.
type BulkLoan struct {
	ledger.Loan
	NextDue date.Date // zero when nothing is left to pay
}

// InstallmentRow is one installment of loan LoanID.
type InstallmentRow struct {
	LoanID int64
	ledger.Installment
}

// BulkInsertBorrowers inserts borrowers with their ids, encrypting, hashing
// and masking national ids and phones as CreateBorrower does. It returns an
// Invalid error if an id is missing and a Conflict error on a duplicate.
func (tx *Tx) BulkInsertBorrowers(ctx context.Context, list []borrower.Borrower) error {
	var phones [][]any
	rows := make([][]any, len(list))
	for i := range list {
		b := &list[i]
		if b.ID == 0 {
			return errs.Errorf(errs.Invalid, "Bulk borrower %q has no id.", b.ExternalID)
		}
		defaultBorrower(b)
		stamp(&b.CreatedAt, &b.UpdatedAt, tx.now)
		p, err := tx.sealBorrower(b)
		if err != nil {
			return err
		}
		rows[i] = []any{b.ID, b.ExternalID, b.Name, p.idEnc, p.idHash, p.idMasked, b.TimeZone, b.Language, b.Employer,
			int64(b.MonthlyIncome), p.addresses, p.flags, ts(b.CreatedAt), ts(b.UpdatedAt)}
		for j, ph := range p.phones {
			phones = append(phones, []any{b.ID, j + 1, ph.enc, ph.hash, ph.masked, ph.kind})
		}
	}
	err := tx.bulk(ctx, "borrowers", []string{"id", "external_id", "name", "national_id_enc", "national_id_hash",
		"national_id_masked", "time_zone", "language", "employer", "monthly_income_minor", "addresses", "flags",
		"created_at", "updated_at"}, rows)
	if err != nil {
		return fmt.Errorf("bulk insert borrowers: %w", err)
	}
	err = tx.bulk(ctx, "borrower_phones", []string{"borrower_id", "pos", "number_enc", "number_hash", "number_masked", "kind"}, phones)
	if err != nil {
		return fmt.Errorf("bulk insert phones: %w", err)
	}
	return tx.resetSequence(ctx, "borrowers")
}

// BulkInsertContacts inserts registered contacts with their ids, encrypting,
// hashing and masking phones as CreateContact does. It returns an Invalid
// error if an id is missing or a borrower does not exist, and a Conflict
// error on a duplicate.
func (tx *Tx) BulkInsertContacts(ctx context.Context, list []borrower.Contact) error {
	rows := make([][]any, len(list))
	for i := range list {
		c := &list[i]
		if c.ID == 0 {
			return errs.Errorf(errs.Invalid, "Bulk contact %q has no id.", c.ExternalID)
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt = tx.now
		}
		enc, err := tx.encrypt(c.Phone)
		if err != nil {
			return err
		}
		rows[i] = []any{c.ID, nullString(c.ExternalID), c.BorrowerID, c.Name, c.Relationship, enc, tx.hash(c.Phone),
			pii.MaskPhone(c.Phone), c.ConsentBasis, ts(c.ConsentAt), ts(c.CreatedAt)}
	}
	err := tx.bulk(ctx, "contacts", []string{"id", "external_id", "borrower_id", "name", "relationship", "phone_enc",
		"phone_hash", "phone_masked", "consent_basis", "consent_at", "created_at"}, rows)
	if err != nil {
		return fmt.Errorf("bulk insert contacts: %w", err)
	}
	return tx.resetSequence(ctx, "contacts")
}

// BulkInsertLoans inserts loans with their ids and next due dates. It returns
// an Invalid error if an id is missing or a borrower does not exist, and a
// Conflict error on a duplicate.
func (tx *Tx) BulkInsertLoans(ctx context.Context, list []BulkLoan) error {
	rows := make([][]any, len(list))
	for i := range list {
		l := &list[i]
		if l.ID == 0 {
			return errs.Errorf(errs.Invalid, "Bulk loan %q has no id.", l.ExternalID)
		}
		if l.Status == "" {
			l.Status = ledger.Active
		}
		stamp(&l.CreatedAt, &l.UpdatedAt, tx.now)
		rows[i] = []any{l.ID, l.ExternalID, l.BorrowerID, l.ProductCode, int64(l.Principal), tx.decimal(l.AnnualRate),
			l.TermMonths, string(l.Method), tx.date(l.DisbursedOn), tx.decimal(l.PenaltyRateDaily), int64(l.LateFee),
			string(l.Status), tx.date(l.NextDue), ts(l.CreatedAt), ts(l.UpdatedAt)}
	}
	err := tx.bulk(ctx, "loans", []string{"id", "external_id", "borrower_id", "product_code", "principal_minor",
		"annual_rate", "term_months", "method", "disbursed_on", "penalty_rate_daily", "late_fee_minor", "status",
		"next_due", "created_at", "updated_at"}, rows)
	if err != nil {
		return fmt.Errorf("bulk insert loans: %w", err)
	}
	return tx.resetSequence(ctx, "loans")
}

// BulkInsertInstallments inserts schedule lines. It returns an Invalid error
// if a loan does not exist and a Conflict error on a duplicate (loan, seq).
func (tx *Tx) BulkInsertInstallments(ctx context.Context, list []InstallmentRow) error {
	rows := make([][]any, len(list))
	for i, in := range list {
		rows[i] = []any{in.LoanID, in.Seq, tx.date(in.DueDate), int64(in.Principal), int64(in.Interest)}
	}
	err := tx.bulk(ctx, "installments", []string{"loan_id", "seq", "due_date", "principal_minor", "interest_minor"}, rows)
	if err != nil {
		return fmt.Errorf("bulk insert installments: %w", err)
	}
	return nil
}

// BulkInsertPayments inserts payments with their ids. It returns an Invalid
// error if an id is missing or a loan does not exist, and a Conflict error
// on a duplicate.
func (tx *Tx) BulkInsertPayments(ctx context.Context, list []ledger.Payment) error {
	rows := make([][]any, len(list))
	for i := range list {
		p := &list[i]
		if p.ID == 0 {
			return errs.Errorf(errs.Invalid, "Bulk payment %q has no id.", p.ExternalID)
		}
		if p.ReceivedAt.IsZero() {
			p.ReceivedAt = tx.now
		}
		rows[i] = []any{p.ID, nullString(p.ExternalID), p.LoanID, int64(p.Amount), tx.date(p.PaidOn), p.Channel,
			ts(p.ReceivedAt), p.Reversed, ts(p.ReversedAt), p.ReversalReason, ts(tx.now)}
	}
	err := tx.bulk(ctx, "payments", []string{"id", "external_id", "loan_id", "amount_minor", "paid_on", "channel",
		"received_at", "reversed", "reversed_at", "reversal_reason", "created_at"}, rows)
	if err != nil {
		return fmt.Errorf("bulk insert payments: %w", err)
	}
	return tx.resetSequence(ctx, "payments")
}

func stamp(created, updated *time.Time, now time.Time) {
	if created.IsZero() {
		*created = now
	}
	if updated.IsZero() {
		*updated = *created
	}
}

// date and decimal return values COPY can encode on PostgreSQL (a time for a
// date column, text for numeric) and the usual ones on SQLite.
func (tx *Tx) date(d date.Date) any {
	if d.IsZero() {
		return nil
	}
	if tx.conn != nil {
		return d.Time()
	}
	return d
}

func (tx *Tx) decimal(d decimal.Decimal) any { return d.String() }

// bulk inserts rows into table: COPY on PostgreSQL, multi-row INSERTs on
// SQLite.
func (tx *Tx) bulk(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if tx.conn == nil {
		if tx.db.d.engine == Postgres {
			return errs.Errorf(errs.Internal, "Bulk inserts need a write transaction.")
		}
		head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
		return tx.insertRows(ctx, head, len(cols), len(rows), func(i int, a []any) []any { return append(a, rows[i]...) })
	}
	err := tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("bulk: driver connection is %T, not pgx", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
	return interpretError(err)
}

// resetSequence moves PostgreSQL's identity sequence of table past its
// largest id, so that rows inserted later without an id do not collide with
// the ones a bulk load supplied. SQLite picks max(id)+1 by itself.
func (tx *Tx) resetSequence(ctx context.Context, table string) error {
	if tx.db.d.engine != Postgres {
		return nil
	}
	_, err := tx.exec(ctx, "SELECT setval(pg_get_serial_sequence('"+table+"', 'id'), GREATEST((SELECT MAX(id) FROM "+
		table+"), 1))")
	if err != nil {
		return fmt.Errorf("reset %s id sequence: %w", table, err)
	}
	return nil
}
