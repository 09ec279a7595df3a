package collect

import (
	"context"
	"fmt"
	"strconv"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// RegisteredContacts returns the third parties borrower id registered
// (登记联系人), phone numbers masked. It returns NotFound if there is no such
// borrower in by's scope.
func (s *Service) RegisteredContacts(ctx context.Context, by Actor, id int64) ([]borrower.Contact, error) {
	var out []borrower.Contact
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.scopeOf(ctx, tx, by)
		if err != nil {
			return err
		}
		if err := reachBorrower(ctx, tx, sc, id); err != nil {
			return err
		}
		list, err := tx.ContactsByBorrower(ctx, id)
		for _, c := range list {
			out = append(out, maskContact(c))
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list contacts of borrower %d: %w", id, err)
	}
	return out, nil
}

// AddRegisteredContact records a third party borrower id registered, with
// how and when the borrower's consent was recorded. A contact whose
// external id exists is a Conflict.
func (s *Service) AddRegisteredContact(ctx context.Context, by Actor, id int64, c borrower.Contact) (borrower.Contact, error) {
	if !by.User.Can(auth.PermBorrowerWrite) {
		return borrower.Contact{}, errs.Errorf(errs.Forbidden, "Your role may not change borrower records.")
	}
	c.BorrowerID = id
	if err := c.Validate(); err != nil {
		return borrower.Contact{}, err
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		sc, err := s.scopeOf(ctx, tx, by)
		if err != nil {
			return err
		}
		if err := reachBorrower(ctx, tx, sc, id); err != nil {
			return err
		}
		if err := tx.CreateContact(ctx, &c); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "contact.create", "borrower", strconv.FormatInt(id, 10),
			map[string]any{"contact_id": c.ID, "external_id": c.ExternalID, "relationship": c.Relationship, "consent_basis": c.ConsentBasis}))
	})
	if err != nil {
		return borrower.Contact{}, fmt.Errorf("add contact to borrower %d: %w", id, err)
	}
	return maskContact(c), nil
}
