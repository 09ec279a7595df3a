package fieldwork

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// zeroRate asks visit.Estimate for the policy's recovery rate.
var zeroRate = decimal.Zero

// MaxBulk is the most visits one bulk decision takes.
const MaxBulk = 200

// Approve approves requested visit id. by needs visit:approve and must not
// be who asked for it (visit.ErrSelfApproval). It returns Forbidden,
// NotFound (also outside by's scope) or Conflict (not requested).
func (s *Service) Approve(ctx context.Context, by collect.Actor, id int64, note string) (sqlstore.Visit, error) {
	return s.decide(ctx, by, id, true, note)
}

// Reject rejects requested visit id; note says why (required).
func (s *Service) Reject(ctx context.Context, by collect.Actor, id int64, note string) (sqlstore.Visit, error) {
	return s.decide(ctx, by, id, false, note)
}

// BulkResult is the answer of a bulk decision about one visit: the visit
// as it now is, or why it was not decided.
type BulkResult struct {
	ID    int64           `json:"id"`
	OK    bool            `json:"ok"`
	Visit *sqlstore.Visit `json:"visit,omitempty"`
	Error string          `json:"error,omitempty"`
	Code  errs.Code       `json:"code,omitempty"`
}

// DecideMany approves (approve) or rejects the visits ids, each on its own
// (one refusal does not stop the others), and returns one result per id in
// order. It returns Forbidden unless by holds visit:approve, and Invalid
// for no ids, more than MaxBulk, or a rejection without a note.
func (s *Service) DecideMany(ctx context.Context, by collect.Actor, ids []int64, approve bool, note string) ([]BulkResult, error) {
	if err := may(by, auth.PermVisitApprove, "approve field visits"); err != nil {
		return nil, err
	}
	if len(ids) == 0 || len(ids) > MaxBulk {
		return nil, errs.Field("ids", "give 1 to %d visit ids", MaxBulk)
	}
	if !approve && strings.TrimSpace(note) == "" {
		return nil, errs.Field("note", "give the reason for the rejection")
	}
	out := make([]BulkResult, len(ids))
	for i, id := range ids {
		v, err := s.decide(ctx, by, id, approve, note)
		out[i] = BulkResult{ID: id, OK: err == nil}
		if err != nil {
			out[i].Error, out[i].Code = errs.MessageOf(err), errs.CodeOf(err)
			continue
		}
		out[i].Visit = &v
	}
	return out, nil
}

func (s *Service) decide(ctx context.Context, by collect.Actor, id int64, approve bool, note string) (sqlstore.Visit, error) {
	if err := may(by, auth.PermVisitApprove, "approve field visits"); err != nil {
		return sqlstore.Visit{}, err
	}
	if utf8.RuneCountInString(note) > MaxText {
		return sqlstore.Visit{}, errs.Field("note", "at most %d characters", MaxText)
	}
	p, err := s.Policy(ctx)
	if err != nil {
		return sqlstore.Visit{}, err
	}
	var v sqlstore.Visit
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if v, err = s.reachVisit(ctx, tx, by, id); err != nil {
			return err
		}
		d := domain(v)
		now := s.now().UTC()
		action := "visit.approve"
		if approve {
			err = d.Approve(by.User.Username, now, p)
		} else {
			action = "visit.reject"
			err = d.Reject(by.User.Username, pii.MaskFreeText(note), now, p)
		}
		if err != nil {
			return err
		}
		apply(&v, d)
		if approve && note != "" {
			v.DecisionNote = pii.MaskFreeText(note)
		}
		if err := tx.UpdateVisit(ctx, &v); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, action, v, map[string]any{"expected_value": v.ExpectedMinor, "cost": v.CostMinor})
	})
	if err != nil {
		return sqlstore.Visit{}, fmt.Errorf("decide visit %d: %w", id, err)
	}
	return v, nil
}

// Cancel calls visit id off; reason is required. A supervisor (visit:approve)
// may cancel any visit in scope, the person who asked for it while it is
// requested, and the pair's agents a visit planned for them. A visit
// planned for a day has that day re-planned without it (its pair's other
// visits keep their slots; those that no longer fit go back to approved
// and need a new notice). It returns Forbidden, NotFound or Conflict
// (already final).
func (s *Service) Cancel(ctx context.Context, by collect.Actor, id int64, reason string) (sqlstore.Visit, error) {
	if strings.TrimSpace(reason) == "" {
		return sqlstore.Visit{}, errs.Field("reason", "give the reason")
	}
	if utf8.RuneCountInString(reason) > MaxText {
		return sqlstore.Visit{}, errs.Field("reason", "at most %d characters", MaxText)
	}
	p, err := s.Policy(ctx)
	if err != nil {
		return sqlstore.Visit{}, err
	}
	var v sqlstore.Visit
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if v, err = s.reachVisit(ctx, tx, by, id); err != nil {
			return err
		}
		if err := s.mayCancel(ctx, tx, by, v); err != nil {
			return err
		}
		wasPlanned, pairID, on := v.State == string(visit.Planned), v.PairID, v.PlannedOn
		d := domain(v)
		if err := d.Cancel(pii.MaskFreeText(reason), s.now().UTC(), p); err != nil {
			return err
		}
		apply(&v, d)
		if err := tx.UpdateVisit(ctx, &v); err != nil {
			return err
		}
		if err := s.closeVisitTasks(ctx, tx, v, "cancelled"); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, by, "visit.cancel", v, map[string]any{"reason": v.CancelReason}); err != nil {
			return err
		}
		if wasPlanned {
			return s.replan(ctx, tx, by, pairID, on, fmt.Sprintf("visit %d cancelled", id), p)
		}
		return nil
	})
	if err != nil {
		return sqlstore.Visit{}, fmt.Errorf("cancel visit %d: %w", id, err)
	}
	return v, nil
}

func (s *Service) mayCancel(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, v sqlstore.Visit) error {
	switch {
	case by.User.Can(auth.PermVisitApprove):
		return nil
	case v.State == string(visit.Requested) && v.RequestedBy == by.User.Username && by.User.Can(auth.PermVisitRequest):
		return nil
	case by.User.Can(auth.PermVisitWork):
		if ok, err := s.onPair(ctx, tx, by, v); err != nil || ok {
			return err
		}
	}
	return errs.Errorf(errs.Forbidden, "Your role may not cancel this visit.")
}
