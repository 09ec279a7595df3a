package collect

import (
	"context"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// Object scope. Every use case a user starts reads and writes only inside
// the part of the book their job covers (DESIGN.md §6, docs/ARCHITECTURE.md
// "Object scope"):
//
//   - an agency user (agency_agent, or any user tied to an agency) reaches
//     the cases placed with their agency and the borrowers of its open
//     placements, with their loans, payments, contacts and messages;
//   - admins, supervisors (case:manage), compliance and auditors reach
//     everything, as their roles read;
//   - any other case worker (collector, field agent, negotiator) reaches
//     the cases their collector record owns or that have an open task for
//     them or unassigned in a queue they work, and the borrowers of those
//     cases while open;
//   - anyone else reaches nothing.
//
// A single record outside the scope is NotFound, worded exactly as a
// missing one, so that ids cannot be probed; lists are filtered in SQL.

// ScopeIn returns the part of the book by reaches, read in tx, for the
// packages built beside collect (negotiation, visits) to filter their own
// reads by: pass it in a filter's Scope, or check a record with
// tx.CaseInScope / tx.BorrowerInScope and answer NotFound outside it.
func (s *Service) ScopeIn(ctx context.Context, tx *sqlstore.Tx, by Actor) (sqlstore.Scope, error) {
	return s.scopeOf(ctx, tx, by)
}

func (s *Service) scopeOf(ctx context.Context, tx *sqlstore.Tx, by Actor) (sqlstore.Scope, error) {
	u := by.User
	switch {
	case u.Disabled:
		return sqlstore.Scope{}, nil
	case u.AgencyID != 0:
		return sqlstore.Scope{Owner: casework.Owner{Kind: casework.ToAgency, ID: u.AgencyID}}, nil
	case u.Has(auth.AgencyAgent):
		return sqlstore.Scope{}, nil // an agency agent tied to no agency
	case wideView(u):
		return sqlstore.ScopeAll, nil
	case !u.Can(auth.PermCaseWork):
		return sqlstore.Scope{}, nil
	}
	c, err := tx.CollectorByUser(ctx, u.ID)
	if notFoundErr(err) {
		return sqlstore.Scope{}, nil
	}
	if err != nil {
		return sqlstore.Scope{}, err
	}
	return sqlstore.Scope{Owner: casework.Owner{Kind: casework.ToCollector, ID: c.ID}, Queues: c.Queues}, nil
}

// wideView reports whether u's role reads the whole book: admins,
// supervisors, compliance and auditors.
func wideView(u auth.User) bool {
	return u.Has(auth.Admin) || u.Can(auth.PermCaseManage) || u.Can(auth.PermComplianceRead) || u.Can(auth.PermAuditRead)
}

// reachBorrower returns the NotFound error of a missing borrower unless
// borrower id exists and is in sc.
func reachBorrower(ctx context.Context, tx *sqlstore.Tx, sc sqlstore.Scope, id int64) error {
	ok, err := tx.BorrowerInScope(ctx, sc, id)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Errorf(errs.NotFound, "Borrower %d not found.", id)
	}
	return nil
}

// reachCase returns the NotFound error of a missing case unless case id
// exists and is in sc.
func reachCase(ctx context.Context, tx *sqlstore.Tx, sc sqlstore.Scope, id int64) error {
	ok, err := tx.CaseInScope(ctx, sc, id)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Errorf(errs.NotFound, "Case %d not found.", id)
	}
	return nil
}

// reachLoan loads loan id if its borrower is in sc, and otherwise returns
// the NotFound error of a missing loan.
func reachLoan(ctx context.Context, tx *sqlstore.Tx, sc sqlstore.Scope, id int64) (ledger.Loan, error) {
	l, err := tx.Loan(ctx, id)
	if err != nil {
		return l, err
	}
	if err := reachBorrower(ctx, tx, sc, l.BorrowerID); notFoundErr(err) {
		return ledger.Loan{}, errs.Errorf(errs.NotFound, "Loan %d not found.", id)
	} else if err != nil {
		return ledger.Loan{}, err
	}
	return l, nil
}

// mayWorkCases returns Forbidden unless by's role works or manages cases.
func mayWorkCases(by Actor) error {
	if !by.User.Can(auth.PermCaseWork) && !by.User.Can(auth.PermCaseManage) {
		return errs.Errorf(errs.Forbidden, "Your role may not work cases.")
	}
	return nil
}

// mayPayInto returns the field error of a missing loan unless loan id is
// in by's scope: a collector records payments only on the loans of the
// borrowers they work.
func (s *Service) mayPayInto(ctx context.Context, tx *sqlstore.Tx, by Actor, id int64) error {
	sc, err := s.scopeOf(ctx, tx, by)
	if err != nil {
		return err
	}
	if _, err := reachLoan(ctx, tx, sc, id); notFoundErr(err) {
		return errs.Field("loan_id", "no loan with id %d", id)
	} else if err != nil {
		return err
	}
	return nil
}

// ScopeOf returns the records by reaches (their cases, their agency's
// placements, or all for the roles that read the whole book), for use
// cases outside this package that list by scope (the chatbot's
// conversations for staff).
func (s *Service) ScopeOf(ctx context.Context, tx *sqlstore.Tx, by Actor) (sqlstore.Scope, error) {
	return s.scopeOf(ctx, tx, by)
}
