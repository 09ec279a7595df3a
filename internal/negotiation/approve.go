package negotiation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govalues/decimal"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// The approval refusals.
var (
	ErrOwnOffer         = errs.Errorf(errs.Forbidden, "You proposed this offer: another person must approve or reject it.")
	ErrOfferNotProposed = errs.Errorf(errs.Conflict, "The offer is not awaiting approval.")
	ErrMayNotApprove    = errs.Errorf(errs.Forbidden, "Your role may not approve offers.")
)

// BudgetError is returned when approving an offer would take its team past
// its monthly restructuring budget. Its message says what is used.
type BudgetError struct {
	Budget Budget
	Needs  money.Amount
}

func (e *BudgetError) Error() string {
	b := e.Budget
	return fmt.Sprintf("The team's restructuring budget for %s is exhausted: ¥%s of ¥%s used, ¥%s left, and this offer needs ¥%s.",
		b.Month, b.Used, b.Budget, b.Left, e.Needs)
}

// Unwrap makes a BudgetError a Conflict for errs.CodeOf.
func (e *BudgetError) Unwrap() error { return errs.Errorf(errs.Conflict, "%s", e.Error()) }

// Budget is a team's restructuring budget for one month: Share (the
// team's setting, else the lender's default) of the
// balance of the open cases its collectors hold (Outstanding), rounded
// half-up to the fen, and the concessions of the offers approved in the
// month that are still approved or accepted (Used).
type Budget struct {
	TeamID      int64           `json:"team_id"`
	Month       string          `json:"month"` // YYYY-MM in the lender's zone
	Share       decimal.Decimal `json:"share"`
	Outstanding money.Amount    `json:"outstanding"`
	Budget      money.Amount    `json:"budget"`
	Used        money.Amount    `json:"used"`
	Left        money.Amount    `json:"left"`
}

// teamBudget computes team's budget for the month of now in the lender's
// zone.
func (s *Service) teamBudget(ctx context.Context, tx *sqlstore.Tx, team int64, now time.Time) (Budget, error) {
	local := now.In(s.zone)
	from := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, s.zone)
	b := Budget{TeamID: team, Month: from.Format("2006-01")}
	var err error
	if b.Share, err = s.teamShare(ctx, tx, team); err != nil {
		return b, err
	}
	if b.Outstanding, err = tx.TeamOutstanding(ctx, team); err != nil {
		return b, err
	}
	if b.Used, err = tx.TeamConcessions(ctx, team, from.UTC(), from.AddDate(0, 1, 0).UTC()); err != nil {
		return b, err
	}
	b.Budget = b.Outstanding.Mul(b.Share)
	b.Left = max(0, b.Budget-b.Used)
	return b, nil
}

// TeamBudget returns team's restructuring budget this month and what is
// used of it. It returns Forbidden unless by may approve offers.
func (s *Service) TeamBudget(ctx context.Context, by collect.Actor, team int64) (Budget, error) {
	if _, ok := LevelOf(by.User); !ok {
		return Budget{}, ErrMayNotApprove
	}
	var b Budget
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		b, err = s.teamBudget(ctx, tx, team, s.now())
		return err
	})
	return b, err
}

// ApproveOffer approves proposed offer id with by's authority:
//   - by needs offer:approve, and may not approve an offer they proposed
//     (ErrOwnOffer);
//   - by's level (LevelOf) must cover the offer's concession in the
//     authority matrix of the offer policy that produced the offer (kept
//     with it; a version published since does not apply), else Forbidden
//     naming the level it needs;
//   - the concession must fit in what is left of the team's budget this
//     month, else a *BudgetError (Conflict).
//
// The decision is recorded with by's level and reason. It also returns
// NotFound (also outside by's scope), ErrOfferNotProposed and
// collect.ErrCaseClosed.
func (s *Service) ApproveOffer(ctx context.Context, by collect.Actor, id int64, reason string) (sqlstore.Offer, error) {
	return s.decide(ctx, by, id, sqlstore.OfferApproved, reason)
}

// RejectOffer rejects proposed offer id; reason is required. by needs
// offer:approve and may not reject their own proposal. It returns the
// errors of ApproveOffer but the authority and budget ones, and an
// Invalid error naming reason.
func (s *Service) RejectOffer(ctx context.Context, by collect.Actor, id int64, reason string) (sqlstore.Offer, error) {
	return s.decide(ctx, by, id, sqlstore.OfferRejected, reason)
}

func (s *Service) decide(ctx context.Context, by collect.Actor, id int64, to sqlstore.OfferStatus, reason string) (sqlstore.Offer, error) {
	level, ok := LevelOf(by.User)
	if !ok {
		return sqlstore.Offer{}, ErrMayNotApprove
	}
	action := map[sqlstore.OfferStatus]string{sqlstore.OfferApproved: "approve", sqlstore.OfferRejected: "reject"}[to]
	var o sqlstore.Offer
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if o, _, err = s.offerOfCase(ctx, tx, by, id, true); err != nil {
			return err
		}
		if to == sqlstore.OfferRejected && strings.TrimSpace(reason) == "" {
			return errs.Fields("Say why the offer is rejected.", errs.FieldError{Field: "reason", Message: "is required"})
		}
		if utf8.RuneCountInString(reason) > MaxNote {
			return errs.Fields("The reason is too long.",
				errs.FieldError{Field: "reason", Message: fmt.Sprintf("at most %d characters", MaxNote)})
		}
		if o.Status != sqlstore.OfferProposed {
			return ErrOfferNotProposed
		}
		if o.ProposedByID == by.User.ID && o.ProposedBy == by.User.Username {
			return ErrOwnOffer
		}
		if to == sqlstore.OfferApproved {
			if err := s.mayApprove(ctx, tx, level, o); err != nil {
				return err
			}
		}
		reason = maskNote(reason)
		if err := tx.DecideOffer(ctx, id, sqlstore.OfferDecision{From: []sqlstore.OfferStatus{sqlstore.OfferProposed}, To: to,
			By: by.User.Username, ByID: by.User.ID, Reason: reason, At: s.now()}); err != nil {
			return err
		}
		d := sqlstore.Decision{BorrowerID: o.BorrowerID, OfferID: id, Action: action, Username: by.User.Username,
			UserID: by.User.ID, Level: string(level), Reason: reason, At: s.now()}
		if err := tx.AddDecision(ctx, &d); err != nil {
			return err
		}
		if o, err = tx.Offer(ctx, id); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "offer."+action, "offer", strconv.FormatInt(id, 10),
			map[string]any{"case_id": o.CaseID, "kind": o.Offer.Kind, "level": level, "concession": o.Concession,
				"team_id": o.TeamID, "reason": reason}))
	})
	if err != nil {
		return sqlstore.Offer{}, fmt.Errorf("%s offer %d: %w", action, id, err)
	}
	return o, nil
}

// mayApprove checks level's authority over o and o's team budget.
func (s *Service) mayApprove(ctx context.Context, tx *sqlstore.Tx, level offer.Level, o sqlstore.Offer) error {
	pol, err := s.offerPolicy(ctx, tx, o) // the version that produced the offer, not the one published now
	if err != nil {
		return err
	}
	m := pol.Authority
	if !m.MayApprove(level, o.Offer.Concession) {
		need, ok := m.Required(o.Offer.Concession)
		if !ok {
			return errs.Errorf(errs.Forbidden, "No role may approve this offer: it is beyond the authority matrix.")
		}
		return errs.Errorf(errs.Forbidden, "This offer needs approval by a %s; your authority (%s) does not cover it.", need, level)
	}
	if o.TeamID == 0 || o.Concession <= 0 {
		return nil
	}
	if err := tx.LockTeamBudget(ctx, o.TeamID); err != nil {
		return err
	}
	b, err := s.teamBudget(ctx, tx, o.TeamID, s.now())
	if err != nil {
		return err
	}
	if o.Concession > b.Left {
		return &BudgetError{Budget: b, Needs: o.Concession}
	}
	return nil
}

// PendingOffers returns the proposed offers by may decide: on cases in
// by's scope, not proposed by by, oldest proposal first (at most 200). It
// returns Forbidden unless by holds offer:approve.
func (s *Service) PendingOffers(ctx context.Context, by collect.Actor) ([]sqlstore.Offer, error) {
	if _, ok := LevelOf(by.User); !ok {
		return nil, ErrMayNotApprove
	}
	var out []sqlstore.Offer
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		list, err := tx.Offers(ctx, sqlstore.OfferFilter{Statuses: []sqlstore.OfferStatus{sqlstore.OfferProposed}, Limit: 1000})
		if err != nil {
			return err
		}
		seen := map[int64]bool{}
		for i := len(list) - 1; i >= 0 && len(out) < 200; i-- {
			o := list[i]
			if o.ProposedByID == by.User.ID && o.ProposedBy == by.User.Username {
				continue
			}
			ok, known := seen[o.CaseID]
			if !known {
				_, err := s.negotiableCase(ctx, tx, by, o.CaseID)
				ok = err == nil
				seen[o.CaseID] = ok
			}
			if ok {
				out = append(out, o)
			}
		}
		return nil
	})
	return out, err
}
