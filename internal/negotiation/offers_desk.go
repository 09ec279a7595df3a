package negotiation

import (
	"context"
	"fmt"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// Activator restructures the loans of an accepted agreement, in the
// transaction that accepts it. (*Service).Activate is the one cmd/accord
// wires; tests may put another in with UseActivator.
type Activator interface {
	Activate(ctx context.Context, tx *sqlstore.Tx, a Agreement) error
}

// DefaultBudgetShare is a team's monthly restructuring budget as a share of
// the balance of the open cases its collectors hold: 2%.
var DefaultBudgetShare = decimal.MustParse("0.02")

// desk holds the settings of the negotiation records side. The zero desk
// uses offer.DefaultPolicy, DefaultBudgetShare and the Service's own
// Activate.
type desk struct {
	policy      *offer.Policy
	budgetShare *decimal.Decimal
	activator   Activator
}

// UseOfferPolicy sets the offer policy (limits and authority matrix) that
// proposals and assessments use while no stored version applies (no team
// pin, no published version, no experiment: policyFor). Approvals always
// apply the policy recorded with the offer. Call it while wiring, before
// serving.
func (s *Service) UseOfferPolicy(p offer.Policy) { s.desk.policy = &p }

// UseBudgetShare sets the teams' monthly restructuring budget as a share
// of their outstanding balance. Call it while wiring, before serving.
func (s *Service) UseBudgetShare(share decimal.Decimal) { s.desk.budgetShare = &share }

// UseActivator replaces the activation that accepting an agreement calls.
// Call it while wiring, before serving.
func (s *Service) UseActivator(a Activator) { s.desk.activator = a }

// OfferPolicy returns the offer policy in force.
func (s *Service) OfferPolicy() offer.Policy {
	if s.desk.policy != nil {
		return *s.desk.policy
	}
	return offer.DefaultPolicy()
}

// BudgetShare returns the teams' monthly restructuring budget share.
func (s *Service) BudgetShare() decimal.Decimal {
	if s.desk.budgetShare != nil {
		return *s.desk.budgetShare
	}
	return DefaultBudgetShare
}

func (s *Service) activator() Activator {
	if s.desk.activator != nil {
		return s.desk.activator
	}
	return s
}

// LevelOf returns the approval level (offer.Level) user u holds: an
// administrator approves as a manager, a supervisor as a supervisor, and
// anyone else with offer:approve (a negotiator) as a collector. ok is false
// without offer:approve.
func LevelOf(u auth.User) (l offer.Level, ok bool) {
	if !u.Can(auth.PermOfferApprove) {
		return "", false
	}
	switch {
	case u.Has(auth.Admin):
		return offer.Manager, true
	case u.Has(auth.Supervisor):
		return offer.Supervisor, true
	}
	return offer.Collector, true
}

// mayNegotiate refuses a user who may not work cases.
func mayNegotiate(by collect.Actor) error {
	if !by.User.Can(auth.PermCaseWork) {
		return errs.Errorf(errs.Forbidden, "Your role may not negotiate on cases.")
	}
	return nil
}

// offerOfCase loads offer id and the case it belongs to, which by must be
// allowed to work (open, in by's scope); an offer outside the scope reads
// as missing.
func (s *Service) offerOfCase(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, id int64, open bool) (sqlstore.Offer, sqlstore.Case, error) {
	o, err := tx.Offer(ctx, id)
	if err != nil {
		return o, sqlstore.Case{}, err
	}
	var c sqlstore.Case
	if open {
		c, err = s.negotiableCase(ctx, tx, by, o.CaseID)
	} else {
		c, err = s.collect.VisibleCase(ctx, tx, by, o.CaseID)
	}
	if errs.CodeOf(err) == errs.NotFound {
		return o, c, errs.Errorf(errs.NotFound, "Offer %d not found.", id)
	}
	if err != nil {
		return o, c, fmt.Errorf("offer %d: %w", id, err)
	}
	return o, c, nil
}
