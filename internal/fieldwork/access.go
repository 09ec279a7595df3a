package fieldwork

import (
	"context"
	"fmt"
	"slices"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// may returns Forbidden unless by holds p.
func may(by collect.Actor, p auth.Permission, what string) error {
	if !by.User.Can(p) {
		return errs.Errorf(errs.Forbidden, "Your role may not %s.", what)
	}
	return nil
}

// mayRead returns Forbidden unless by may see visits at all.
func mayRead(by collect.Actor) error {
	u := by.User
	if u.Can(auth.PermVisitRequest) || u.Can(auth.PermVisitApprove) || u.Can(auth.PermVisitWork) {
		return nil
	}
	return errs.Errorf(errs.Forbidden, "Your role may not see field visits.")
}

func visitNotFound(id int64) error { return errs.Errorf(errs.NotFound, "Visit %d not found.", id) }

// reachVisit loads visit id if by may see it: its case is in by's scope,
// or by is one of the agents of the pair it is planned for. Outside that
// it is NotFound, worded as a missing visit.
func (s *Service) reachVisit(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, id int64) (sqlstore.Visit, error) {
	if err := mayRead(by); err != nil {
		return sqlstore.Visit{}, err
	}
	v, err := tx.Visit(ctx, id)
	if errs.CodeOf(err) == errs.NotFound {
		return v, visitNotFound(id)
	}
	if err != nil {
		return v, err
	}
	if ok, err := s.onPair(ctx, tx, by, v); err != nil || ok {
		return v, err
	}
	sc, err := s.collect.ScopeIn(ctx, tx, by)
	if err != nil {
		return v, err
	}
	ok, err := tx.CaseInScope(ctx, sc, v.CaseID)
	if err != nil {
		return v, err
	}
	if !ok {
		return sqlstore.Visit{}, visitNotFound(id)
	}
	return v, nil
}

// onPair reports whether by is one of the agents of the pair v is planned
// for.
func (s *Service) onPair(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, v sqlstore.Visit) (bool, error) {
	if v.PairID == 0 || by.User.Username == "" {
		return false, nil
	}
	p, err := tx.Pair(ctx, v.PairID)
	if err != nil {
		return false, err
	}
	return p.Agent1 == by.User.Username || p.Agent2 == by.User.Username, nil
}

// workVisit loads visit id for by to work on the day: by holds visit:work
// and is one of the agents of its pair. Anyone else gets NotFound (when
// they cannot see it) or Forbidden.
func (s *Service) workVisit(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, id int64) (sqlstore.Visit, sqlstore.FieldPair, error) {
	v, err := s.reachVisit(ctx, tx, by, id)
	if err != nil {
		return v, sqlstore.FieldPair{}, err
	}
	if err := may(by, auth.PermVisitWork, "work field visits"); err != nil {
		return v, sqlstore.FieldPair{}, err
	}
	if v.PairID == 0 {
		return v, sqlstore.FieldPair{}, errs.Errorf(errs.Conflict, "Visit %d is not planned for a pair.", id)
	}
	p, err := tx.Pair(ctx, v.PairID)
	if err != nil {
		return v, p, err
	}
	if !slices.Contains([]string{p.Agent1, p.Agent2}, by.User.Username) {
		return v, p, errs.Errorf(errs.Forbidden, "Visit %d is planned for another pair.", id)
	}
	return v, p, nil
}

// audit appends the audit event of a change to visit v.
func (s *Service) audit(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, action string, v sqlstore.Visit, extra map[string]any) error {
	sum := map[string]any{"case_id": v.CaseID, "borrower_id": v.BorrowerID, "state": v.State}
	for k, x := range extra {
		sum[k] = x
	}
	return tx.AppendAudit(ctx, s.collect.Event(by, action, "visit", fmt.Sprint(v.ID), sum))
}
