package negotiation

import (
	"context"
	"fmt"
	"strconv"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// RecordPromiseIn is RecordPromise inside the caller's transaction tx, for
// a use case whose own record must be kept together with the promise or
// not at all (a field visit's outcome): if tx rolls back, no promise was
// made, so a retry cannot make it twice. The contact must already be
// logged (np.LogContact is refused). It returns what RecordPromise does.
func (s *Service) RecordPromiseIn(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, caseID int64, np NewPromise) (promise.Promise, error) {
	if err := np.validate(); err != nil {
		return promise.Promise{}, err
	}
	if np.LogContact {
		return promise.Promise{}, errs.Field("log_contact", "log the contact first: a promise recorded with another change cannot log one")
	}
	if err := mayTake(by); err != nil {
		return promise.Promise{}, err
	}
	if err := s.policy.Validate(np.Amount, np.Due, s.Today(), 0); err != nil {
		return promise.Promise{}, err
	}
	return s.recordPromiseIn(ctx, tx, by, caseID, np)
}

func (s *Service) recordPromiseIn(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, caseID int64, np NewPromise) (promise.Promise, error) {
	c, err := s.collect.WorkableCase(ctx, tx, by, caseID)
	if err != nil {
		return promise.Promise{}, err
	}
	p, err := s.take(ctx, tx, c, collect.ContactPromise{Amount: np.Amount, Due: np.Due, Channel: np.Channel,
		TakenBy: by.User.Username, UserID: by.User.ID, ContactID: np.ContactID, Note: np.Note, On: s.Today(), At: s.now().UTC()})
	if err != nil {
		return promise.Promise{}, err
	}
	return p, tx.AppendAudit(ctx, s.collect.Event(by, "promise.record", "case", strconv.FormatInt(caseID, 10), auditOf(p)))
}

// AddRoundIn is AddRound inside the caller's transaction tx (see
// RecordPromiseIn). It returns what AddRound does.
func (s *Service) AddRoundIn(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, caseID int64, nr NewRound) (sqlstore.Round, error) {
	if err := mayNegotiate(by); err != nil {
		return sqlstore.Round{}, err
	}
	r, err := s.addRoundIn(ctx, tx, by, caseID, nr)
	for i := range r.Attachments {
		r.Attachments[i].Data = nil
	}
	return r, err
}

func (s *Service) addRoundIn(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, caseID int64, nr NewRound) (sqlstore.Round, error) {
	c, err := s.negotiableCase(ctx, tx, by, caseID) // the scope first: outside it, all reads as missing
	if err != nil {
		return sqlstore.Round{}, err
	}
	if err := nr.validate(s.now()); err != nil {
		return sqlstore.Round{}, err
	}
	for i, id := range nr.OffersMade {
		if o, err := tx.Offer(ctx, id); err != nil || o.CaseID != caseID {
			return sqlstore.Round{}, errs.Fields("The round is not valid.", errs.FieldError{Field: "offers_made[" + strconv.Itoa(i) + "]",
				Message: fmt.Sprintf("offer %d is not an offer of case %d", id, caseID)})
		}
	}
	r := roundOf(c, by, nr, s.now())
	if err := tx.CreateRound(ctx, &r); err != nil {
		return sqlstore.Round{}, err
	}
	if err := s.notePlanCase(ctx, tx, by, c); err != nil {
		return sqlstore.Round{}, err
	}
	if err := s.doRevisits(ctx, tx, c.ID, "round:"+strconv.FormatInt(r.ID, 10)); err != nil { // a round held is the revisit
		return sqlstore.Round{}, err
	}
	sums := make([]string, len(r.Attachments))
	for i, a := range r.Attachments {
		sums[i] = a.SHA256
	}
	return r, tx.AppendAudit(ctx, s.collect.Event(by, "round.add", "case", strconv.FormatInt(c.ID, 10),
		map[string]any{"round_id": r.ID, "place_kind": r.PlaceKind, "channel": r.Channel, "outcome": r.Outcome,
			"offers_made": r.OffersMade, "attachments_sha256": sums}))
}
