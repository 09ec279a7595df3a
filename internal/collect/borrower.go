package collect

import (
	"context"
	"fmt"
	"strconv"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// BorrowerPage is a borrower with their contacts and loans, as the console
// and the API show it. Personal data is masked unless Masked is false.
type BorrowerPage struct {
	Borrower borrower.Borrower    `json:"borrower"`
	Facts    ledger.BorrowerFacts `json:"facts"` // delinquency across the loans, from their stored positions
	Contacts []borrower.Contact   `json:"contacts"`
	Loans    []LoanSummary        `json:"loans"`
	Masked   bool                 `json:"masked"`
}

// LoanSummary is a loan with its latest stored delinquency facts.
type LoanSummary struct {
	Loan     ledger.Loan     `json:"loan"`
	Position ledger.Position `json:"position"`
	Bucket   string          `json:"bucket"`
}

// mask hides the national id and phone numbers. Every role sees masked
// values; a role holding pii:reveal can reveal one, which is audited.
func mask(b borrower.Borrower) borrower.Borrower {
	b.NationalID = pii.MaskNationalID(b.NationalID)
	phones := make([]borrower.Phone, len(b.Phones))
	for i, p := range b.Phones {
		p.Number = pii.MaskPhone(p.Number)
		phones[i] = p
	}
	b.Phones = phones
	return b
}

func maskContact(c borrower.Contact) borrower.Contact {
	c.Phone = pii.MaskPhone(c.Phone)
	return c
}

// Borrower returns borrower id with contacts and loans, masked. It returns a
// NotFound error if there is no such borrower in by's scope.
func (s *Service) Borrower(ctx context.Context, by Actor, id int64) (BorrowerPage, error) {
	var page BorrowerPage
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.scopeOf(ctx, tx, by)
		if err != nil {
			return err
		}
		if err := reachBorrower(ctx, tx, sc, id); err != nil {
			return err
		}
		b, err := tx.Borrower(ctx, id)
		if err != nil {
			return err
		}
		contacts, err := tx.ContactsByBorrower(ctx, id)
		if err != nil {
			return err
		}
		loans, _, err := tx.Loans(ctx, sqlstore.LoanFilter{BorrowerID: &id, Limit: 200})
		if err != nil {
			return err
		}
		page = BorrowerPage{Borrower: mask(b), Masked: true}
		for _, c := range contacts {
			page.Contacts = append(page.Contacts, maskContact(c))
		}
		var positions []ledger.Position
		for _, l := range loans {
			page.Loans = append(page.Loans, LoanSummary{Loan: l.Loan, Position: l.Position, Bucket: l.Bucket})
			positions = append(positions, l.Position)
		}
		page.Facts = ledger.Borrower(positions)
		return nil
	})
	if err != nil {
		return BorrowerPage{}, fmt.Errorf("load borrower %d: %w", id, err)
	}
	return page, nil
}

// Borrowers lists the borrowers in by's scope matching f, masked, with the
// total count. A search by phone or national id finds only those too.
func (s *Service) Borrowers(ctx context.Context, by Actor, f sqlstore.BorrowerFilter) ([]borrower.Borrower, int, error) {
	var list []borrower.Borrower
	var total int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.scopeOf(ctx, tx, by)
		if err != nil {
			return err
		}
		f.Scope = &sc
		list, total, err = tx.Borrowers(ctx, f)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list borrowers: %w", err)
	}
	for i := range list {
		list[i] = mask(list[i])
	}
	return list, total, nil
}

// Revealed is a borrower's unmasked personal data.
type Revealed struct {
	NationalID string   `json:"national_id"`
	Phones     []string `json:"phones"`
}

// RevealPII returns borrower id's national id and phone numbers unmasked and
// records who saw them and why. It returns Forbidden unless by holds
// pii:reveal, whatever the id, and NotFound unless the borrower is in by's
// scope: a collector reveals only for the borrowers of the cases they work;
// anyone else needs a supervisor. A refused reveal is audited too
// (pii.reveal_refused, refused "permission" or "scope"): the routes are
// guarded by borrower:read only, so that this check, not the route guard,
// refuses a role without pii:reveal.
func (s *Service) RevealPII(ctx context.Context, by Actor, id int64, reason string) (Revealed, error) {
	reason = pii.MaskFreeText(reason) // the audit log never holds a full number either
	if !by.User.Can(auth.PermPIIReveal) {
		err := errs.Errorf(errs.Forbidden, "Your role may not see unmasked personal data.")
		return Revealed{}, s.refuseReveal(ctx, by, id, reason, "permission", err)
	}
	var out Revealed
	var refused error
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.scopeOf(ctx, tx, by)
		if err != nil {
			return err
		}
		if err := reachBorrower(ctx, tx, sc, id); notFoundErr(err) {
			refused = err
			return nil
		} else if err != nil {
			return err
		}
		b, err := tx.Borrower(ctx, id)
		if err != nil {
			return err
		}
		out.NationalID = b.NationalID
		for _, p := range b.Phones {
			out.Phones = append(out.Phones, p.Number)
		}
		return tx.AppendAudit(ctx, s.event(by, "pii.reveal", "borrower", strconv.FormatInt(id, 10),
			map[string]any{"fields": []string{"national_id", "phones"}, "reason": reason}))
	})
	if err != nil {
		return Revealed{}, fmt.Errorf("reveal borrower %d: %w", id, err)
	}
	if refused != nil {
		return Revealed{}, s.refuseReveal(ctx, by, id, reason, "scope", refused)
	}
	return out, nil
}

// refuseReveal audits a refused reveal of borrower id (why: "permission" or
// "scope", the borrower unknown or outside by's scope) and returns
// refusal, or the error of writing the audit event.
func (s *Service) refuseReveal(ctx context.Context, by Actor, id int64, reason, why string, refusal error) error {
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.AppendAudit(ctx, s.event(by, "pii.reveal_refused", "borrower", strconv.FormatInt(id, 10),
			map[string]any{"fields": []string{"national_id", "phones"}, "reason": reason, "refused": why}))
	})
	if err != nil {
		return fmt.Errorf("audit refused reveal of borrower %d: %w", id, err)
	}
	return fmt.Errorf("reveal borrower %d: %w", id, refusal)
}
