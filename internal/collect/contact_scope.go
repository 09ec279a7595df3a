package collect

import (
	"context"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// ErrNotYourPlacement is returned when an agency agent tries to reach a
// borrower whose case is not placed with their agency.
var ErrNotYourPlacement = errs.Errorf(errs.Forbidden, "This borrower's case is not placed with your agency.")

// mayContact is the object-level check of every contact path (panel, check,
// log, message): a contact made from a case needs a case the actor may work
// (their own, their queue's, or any for supervisors); an agency agent may
// reach only borrowers whose open case is placed with their agency (委外:
// an agency works its placements and nothing else). In-house staff may
// reach any borrower from the borrower page; the governor still decides
// whether and when.
func (s *Service) mayContact(ctx context.Context, tx *sqlstore.Tx, by Actor, borrowerID, caseID int64) error {
	if by.User.Has(auth.Admin) || by.User.Can(auth.PermCaseManage) || by.User.Can(auth.PermComplianceRead) && !by.User.Can(auth.PermContactLog) {
		return nil
	}
	agency := by.User.AgencyID != 0 || by.User.Has(auth.AgencyAgent)
	if caseID == 0 && !agency {
		return nil
	}
	sc, err := s.scope(ctx, tx, by)
	if err != nil {
		return err
	}
	var cases []sqlstore.Case
	if caseID != 0 {
		c, err := tx.Case(ctx, caseID)
		if err != nil {
			return err
		}
		cases = []sqlstore.Case{c}
	} else {
		open := casework.Open
		if cases, _, err = tx.Cases(ctx, sqlstore.CaseFilter{BorrowerID: &borrowerID, Status: &open, Limit: 10}); err != nil {
			return err
		}
	}
	ids := make([]int64, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	tasks, err := tx.OpenTasks(ctx, ids)
	if err != nil {
		return err
	}
	for _, c := range cases {
		if sc.sees(c, tasks[c.ID]) {
			return nil
		}
	}
	if agency {
		return ErrNotYourPlacement
	}
	return ErrCaseForbidden
}
