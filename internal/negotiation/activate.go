package negotiation

import (
	"context"
	"time"

	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// Agreement is an accepted offer as the records side hands it to
// activation: the agreement, whose case, borrower and loans it restructures,
// the offer accepted (its schedule, the waivers by component, immediate and
// conditional) and who activated it when.
type Agreement struct {
	ID          int64       // the agreement's id (records side); one plan per agreement
	CaseID      int64       // the case it was negotiated on
	BorrowerID  int64       // the borrower
	LoanIDs     []int64     // the loans restructured, at least one; the plan covers them together
	Offer       offer.Offer // the accepted offer
	AcceptedAt  time.Time   // when the borrower accepted
	ActivatedBy string      // username (or "system") recorded in the audit event
	// ActorUserID is the signed-in user activating it; 0 for the system.
	ActorUserID int64
}

// Activate restructures the agreement's loans in the ledger in tx: the
// original schedules, payments and allocations stay as they are; a plan
// with the offer's schedule is stored; the immediate waivers are recorded
// as ledger adjustments by component; the loans' status becomes
// restructured; the case gets an event and the audit chain the activation.
// The caller owns tx (it commits the agreement's acceptance and the
// activation together). It returns Invalid when the agreement is not
// complete and Conflict when the agreement already has a plan or a loan is
// already under an active plan.
func (s *Service) Activate(ctx context.Context, tx *sqlstore.Tx, a Agreement) error {
	return s.activate(ctx, tx, a)
}
