package collect

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"accord/internal/errs"
	"accord/internal/importer"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// ImportResult says what an import did (or, for a dry run, would do).
type ImportResult struct {
	Kind      string `json:"kind"`
	Rows      int    `json:"rows"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	DryRun    bool   `json:"dry_run"`
	SHA256    string `json:"sha256"`
}

// Import parses a file of kind and applies it in one transaction: all of it
// or, if any row is invalid (in the file or against the database, e.g. an
// unknown borrower), none of it, with an Invalid error naming every bad row,
// column and reason. Rows are upserted by external id, so importing the same
// file again changes nothing. A dry run validates everything and rolls back.
func (s *Service) Import(ctx context.Context, by Actor, kind, name string, r io.Reader, dryRun bool) (ImportResult, error) {
	k, err := importer.ParseKind(kind)
	if err != nil {
		return ImportResult{}, errs.Field("kind", "%s", errs.MessageOf(err))
	}
	batch, err := importer.Parse(k, name, r)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Kind: string(k), Rows: batch.Rows, DryRun: dryRun, SHA256: batch.SHA256}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		a := applier{s: s, tx: tx, res: &res}
		if err := a.apply(ctx, batch); err != nil {
			return err
		}
		if len(a.fields) > 0 {
			return errs.Fields(fmt.Sprintf("Import file %s has %d rows that do not fit the database; nothing was written.", filepath.Base(name), a.badRows()), a.fields...)
		}
		if dryRun {
			return errDryRun
		}
		im := sqlstore.Import{Kind: string(k), SHA256: batch.SHA256, Filename: filepath.Base(name), Rows: batch.Rows, Actor: by.User.Username}
		if err := tx.CreateImport(ctx, &im); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "import.apply", "import", strconv.FormatInt(im.ID, 10), res))
	})
	if err == errDryRun {
		err = nil
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", name, err)
	}
	return res, nil
}

// errDryRun rolls back a dry run's transaction after everything was checked.
var errDryRun = errs.Errorf(errs.Internal, "dry run")

type applier struct {
	s      *Service
	tx     *sqlstore.Tx
	res    *ImportResult
	fields []errs.FieldError
}

func (a *applier) fail(row int, field, format string, args ...any) {
	a.fields = append(a.fields, errs.FieldError{Row: row, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (a *applier) badRows() int {
	rows := map[int]bool{}
	for _, f := range a.fields {
		rows[f.Row] = true
	}
	return len(rows)
}

func (a *applier) count(created, changed bool) {
	switch {
	case created:
		a.res.Created++
	case changed:
		a.res.Updated++
	default:
		a.res.Unchanged++
	}
}

func (a *applier) apply(ctx context.Context, b importer.Batch) error {
	switch b.Kind {
	case importer.Borrowers:
		return a.borrowers(ctx, b.Borrowers)
	case importer.Contacts:
		return a.contacts(ctx, b.Contacts)
	case importer.Loans:
		return a.loans(ctx, b.Loans)
	case importer.Payments:
		return a.payments(ctx, b.Payments)
	}
	return errs.Errorf(errs.Invalid, "Unknown import kind %q.", b.Kind)
}

// exists reports whether a lookup found a row, passing real errors up.
func exists(err error) (bool, error) {
	switch errs.CodeOf(err) {
	case "":
		return true, nil
	case errs.NotFound:
		return false, nil
	}
	return false, err
}

// borrowerRef resolves the borrower a row names by external id. An unknown
// one is a row error (ok false), not a failure of the import.
func (a *applier) borrowerRef(ctx context.Context, row int, ext string) (id int64, ok bool, err error) {
	b, err := a.tx.BorrowerByExternalID(ctx, ext)
	if errs.CodeOf(err) == errs.NotFound {
		a.fail(row, "borrower_external_id", "no borrower %q (import borrowers first)", ext)
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return b.ID, true, nil
}

func (a *applier) borrowers(ctx context.Context, rows []importer.BorrowerRow) error {
	for _, r := range rows {
		b := r.Borrower
		_, err := a.tx.BorrowerByExternalID(ctx, b.ExternalID)
		found, err := exists(err)
		if err != nil {
			return err
		}
		changed, err := a.tx.UpsertBorrower(ctx, &b)
		if err != nil {
			return err
		}
		a.count(!found, changed)
	}
	return nil
}

func (a *applier) contacts(ctx context.Context, rows []importer.ContactRow) error {
	for _, r := range rows {
		bid, ok, err := a.borrowerRef(ctx, r.Row, r.BorrowerExternalID)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		c := r.Contact
		c.BorrowerID = bid
		prev, err := a.tx.ContactsByBorrower(ctx, bid)
		if err != nil {
			return err
		}
		found := false
		for _, p := range prev {
			found = found || p.ExternalID == c.ExternalID
		}
		changed, err := a.tx.UpsertContact(ctx, &c)
		if errs.CodeOf(err) == errs.Conflict {
			a.fail(r.Row, "external_id", "contact %q belongs to another borrower", c.ExternalID)
			continue
		}
		if err != nil {
			return err
		}
		a.count(!found, changed)
	}
	return nil
}

func (a *applier) loans(ctx context.Context, rows []importer.LoanRow) error {
	for _, r := range rows {
		bid, ok, err := a.borrowerRef(ctx, r.Row, r.BorrowerExternalID)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		l := r.Loan
		l.BorrowerID = bid
		old, err := a.tx.LoanByExternalID(ctx, l.ExternalID)
		found, err := exists(err)
		if err != nil {
			return err
		}
		if found {
			if old.BorrowerID != l.BorrowerID || old.Principal != l.Principal || old.TermMonths != l.TermMonths || old.Method != l.Method ||
				old.DisbursedOn != l.DisbursedOn || old.AnnualRate.Cmp(l.AnnualRate) != 0 {
				a.fail(r.Row, "external_id", "loan %q exists with different terms; a booked loan's terms never change (restructure it instead)", l.ExternalID)
				continue
			}
			changed, err := a.tx.UpsertLoan(ctx, &l)
			if err != nil {
				return err
			}
			a.count(false, changed)
			continue
		}
		sched, err := ledger.Schedule(l.Terms())
		if err != nil {
			for _, f := range errs.FieldsOf(err) {
				a.fail(r.Row, f.Field, "%s", f.Message)
			}
			continue
		}
		if err := a.tx.CreateLoan(ctx, &l); err != nil {
			return err
		}
		if err := a.tx.ReplaceSchedule(ctx, l.ID, sched); err != nil {
			return err
		}
		a.count(true, true)
	}
	return nil
}

func (a *applier) payments(ctx context.Context, rows []importer.PaymentRow) error {
	touched := map[int64]ledger.Loan{}
	var posted []ledger.Payment
	today := a.s.Today()
	for _, r := range rows {
		l, err := a.tx.LoanByExternalID(ctx, r.LoanExternalID)
		if errs.CodeOf(err) == errs.NotFound {
			a.fail(r.Row, "loan_external_id", "no loan %q (import loans first)", r.LoanExternalID)
			continue
		}
		if err != nil {
			return err
		}
		p := r.Payment
		p.LoanID = l.ID
		if p.PaidOn.After(today.AddDays(1)) {
			a.fail(r.Row, "paid_on", "%s is in the future", p.PaidOn)
			continue
		}
		old, err := a.tx.PaymentByExternalID(ctx, p.ExternalID)
		found, err := exists(err)
		if err != nil {
			return err
		}
		if found {
			if old.LoanID != p.LoanID || old.Amount != p.Amount || old.PaidOn != p.PaidOn {
				a.fail(r.Row, "external_id", "payment %q was already recorded with different details", p.ExternalID)
				continue
			}
			a.count(false, false)
			continue
		}
		if p.ReceivedAt.IsZero() {
			p.ReceivedAt = a.s.now().UTC()
		}
		if err := a.tx.CreatePayment(ctx, &p); err != nil {
			return err
		}
		touched[l.ID] = l
		posted = append(posted, p)
		a.count(true, true)
	}
	if len(a.fields) > 0 {
		return nil
	}
	// As a payment posted one at a time: allocated, matched to the
	// borrower's open promises and their case brought up to date at once.
	return a.s.settlePayments(ctx, a.tx, touched, posted)
}
