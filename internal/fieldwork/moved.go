package fieldwork

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/collect"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// SourceVisit marks an address change learned on a field visit.
const SourceVisit = "visit"

// movedTo returns list with a in place of the address of a's kind (first
// when the borrower had none of that kind), and the address it replaced.
func movedTo(list []borrower.Address, a borrower.Address) ([]borrower.Address, *borrower.Address) {
	out := slices.Clone(list)
	if i := slices.IndexFunc(out, func(x borrower.Address) bool { return x.Kind == a.Kind }); i >= 0 {
		prev := out[i]
		out[i] = a
		return out, &prev
	}
	return append([]borrower.Address{a}, out...), nil
}

// recordMove puts the new address a moved outcome (entry e of visit v)
// learned on the borrower, in place of the address of its kind (the
// visited address's kind when it names none), keeps the change with the
// address it replaced (borrower_address_changes, never changed) and
// audits it, in the outcome's transaction tx.
func (s *Service) recordMove(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, v sqlstore.Visit, e sqlstore.VisitEntry,
	a borrower.Address) (sqlstore.AddressChange, error) {
	a.Kind, a.Line = strings.TrimSpace(a.Kind), pii.MaskFreeText(strings.TrimSpace(a.Line))
	a.City, a.Region = strings.TrimSpace(a.City), strings.TrimSpace(a.Region)
	if a.Kind == "" {
		a.Kind = v.AddressKind
	}
	if a.Kind == "" {
		a.Kind = "home"
	}
	b, err := tx.Borrower(ctx, v.BorrowerID)
	if err != nil {
		return sqlstore.AddressChange{}, err
	}
	list, prev := movedTo(b.Addresses, a)
	if _, err := tx.UpdateBorrower(ctx, b.ID, sqlstore.BorrowerUpdate{Addresses: &list}); err != nil {
		return sqlstore.AddressChange{}, err
	}
	ch := sqlstore.AddressChange{BorrowerID: b.ID, Address: a, Previous: prev, Source: SourceVisit, VisitID: v.ID, EntryID: e.ID,
		RecordedBy: by.User.Username, CreatedAt: s.now().UTC()}
	if err := tx.AddAddressChange(ctx, &ch); err != nil {
		return sqlstore.AddressChange{}, err
	}
	err = tx.AppendAudit(ctx, s.collect.Event(by, "borrower.address_change", "borrower", strconv.FormatInt(b.ID, 10),
		map[string]any{"change_id": ch.ID, "source": SourceVisit, "visit_id": v.ID, "entry_id": e.ID, "kind": a.Kind,
			"city": a.City, "region": a.Region, "replaced": prev != nil}))
	return ch, err
}

// AddressChanges returns the address changes of borrower id, newest
// first, if by may see the borrower (borrower:read and the object scope).
// It returns Forbidden or NotFound.
func (s *Service) AddressChanges(ctx context.Context, by collect.Actor, id int64) ([]sqlstore.AddressChange, error) {
	if err := may(by, auth.PermBorrowerRead, "see borrowers"); err != nil {
		return nil, err
	}
	if _, err := s.collect.Borrower(ctx, by, id); err != nil {
		return nil, err
	}
	var out []sqlstore.AddressChange
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.AddressChanges(ctx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("address changes of borrower %d: %w", id, err)
	}
	return out, nil
}
