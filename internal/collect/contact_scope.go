package collect

import (
	"context"

	"accord/internal/sqlstore"
)

// mayContact is the object-level check of every contact path (panel, check,
// log, message), through by's scope (scope.go): a contact made from a case
// needs that case in scope; a contact made from the borrower page needs
// one of the borrower's open cases in scope. Agency agents thus reach only
// their placements (委外: an agency works its placements and nothing else)
// and in-house collectors only the borrowers of their own cases and queues;
// supervisors, admins and compliance reach everyone. Anything else is the
// NotFound of a missing borrower or case. The governor still decides
// whether and when.
func (s *Service) mayContact(ctx context.Context, tx *sqlstore.Tx, by Actor, borrowerID, caseID int64) error {
	sc, err := s.scopeOf(ctx, tx, by)
	if err != nil {
		return err
	}
	if caseID != 0 {
		return reachCase(ctx, tx, sc, caseID)
	}
	return reachBorrower(ctx, tx, sc, borrowerID)
}
