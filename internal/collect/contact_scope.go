package collect

import (
	"context"

	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// mayContact is the object-level check of every contact path (panel, check,
// log, message), through by's scope (scope.go): a contact made from a case
// needs that case in scope; a contact made from the borrower page needs
// one of the borrower's open cases in scope. Agency agents thus reach only
// their placements (委外: an agency works its placements and nothing else)
// and in-house collectors only the borrowers of their own cases and queues;
// supervisors, admins and compliance reach everyone. Anything else is the
// NotFound of a missing borrower or case (or, for a request naming both, the
// field error of a case that is not the borrower's). Callers check it before
// anything else, so that a refusal tells nothing about records outside the
// scope. The governor still decides whether and when.
func (s *Service) mayContact(ctx context.Context, tx *sqlstore.Tx, by Actor, borrowerID, caseID int64) error {
	sc, err := s.scopeOf(ctx, tx, by)
	if err != nil {
		return err
	}
	if caseID != 0 {
		err := reachCase(ctx, tx, sc, caseID)
		if notFoundErr(err) && borrowerID != 0 {
			// A request naming both: the answer caseBorrower gives a case of
			// another borrower, the same whether the case exists or not.
			return errs.Field("case_id", "case %d is not a case of borrower %d", caseID, borrowerID)
		}
		return err
	}
	return reachBorrower(ctx, tx, sc, borrowerID)
}
