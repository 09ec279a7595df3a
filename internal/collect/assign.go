package collect

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// MaxReassign is how many cases one reassignment may move.
const MaxReassign = 500

// Reassignment is a supervisor moving cases to a collector or an agency,
// and why. Lock keeps them there: the nightly assignment leaves a locked
// case with its owner (no rotation) until a supervisor unlocks it.
type Reassignment struct {
	CaseIDs []int64        `json:"case_ids"`
	To      casework.Owner `json:"to"`
	Reason  string         `json:"reason"`
	Lock    bool           `json:"lock"`
}

func (s *Service) requireManage(by Actor) error {
	if !by.User.Can(auth.PermCaseManage) {
		return errs.Errorf(errs.Forbidden, "Your role may not manage cases.")
	}
	return nil
}

// ReassignCases moves open cases to r.To, recording on each case's
// timeline and in the audit log who moved it, from whom and why. Closed or
// unknown cases are skipped; it returns how many moved. It returns an
// Invalid error for a missing reason, no cases, too many cases, or an
// inactive collector or agency not whitelisted.
func (s *Service) ReassignCases(ctx context.Context, by Actor, r Reassignment) (int, error) {
	if err := s.requireManage(by); err != nil {
		return 0, err
	}
	r.Reason = pii.MaskFreeText(strings.TrimSpace(r.Reason))
	switch {
	case len(r.CaseIDs) == 0 || len(r.CaseIDs) > MaxReassign:
		return 0, errs.Field("case_ids", "choose 1 to %d cases", MaxReassign)
	case r.Reason == "" || utf8.RuneCountInString(r.Reason) > 500:
		return 0, errs.Field("reason", "say why, in 1 to 500 characters")
	}
	today := s.Today()
	moved := 0
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		name, err := s.checkOwner(ctx, tx, r.To)
		if err != nil {
			return err
		}
		before, err := tx.ReassignCases(ctx, r.CaseIDs, r.To, today, r.Lock)
		if err != nil {
			return err
		}
		moved = len(before)
		var evs []sqlstore.CaseEvent
		for _, c := range before {
			from, err := ownerName(ctx, tx, c.Owner)
			if err != nil {
				return err
			}
			if from == "" {
				from = "未分配/unassigned"
			}
			evs = append(evs, sqlstore.CaseEvent{CaseID: c.ID, BorrowerID: c.BorrowerID, On: today, At: s.now().UTC(),
				Kind: string(casework.EventAssigned), Code: "manual", Actor: by.User.Username,
				ZH: fmt.Sprintf("主管%s手动分配：%s → %s。原因：%s", by.User.Username, from, name, r.Reason),
				EN: fmt.Sprintf("Reassigned by %s: %s → %s. Reason: %s", by.User.Username, from, name, r.Reason)})
			if err := tx.AppendAudit(ctx, s.event(by, "case.reassign", "case", strconv.FormatInt(c.ID, 10), map[string]any{
				"from": c.Owner, "to": r.To, "reason": r.Reason, "lock": r.Lock})); err != nil {
				return err
			}
		}
		_, err = tx.AddCaseEvents(ctx, evs)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reassign cases: %w", err)
	}
	return moved, nil
}

// checkOwner returns the name of an active collector or a whitelisted
// agency, or an Invalid error.
func (s *Service) checkOwner(ctx context.Context, tx *sqlstore.Tx, o casework.Owner) (string, error) {
	switch o.Kind {
	case casework.ToCollector:
		c, err := tx.Collector(ctx, o.ID)
		if notFoundErr(err) || (err == nil && !c.Active) {
			return "", errs.Field("to", "collector %d does not exist or is not active", o.ID)
		}
		return c.Name, err
	case casework.ToAgency:
		a, err := tx.Agency(ctx, o.ID)
		if notFoundErr(err) || (err == nil && !a.Whitelisted) {
			return "", errs.Field("to", "agency %d does not exist or is not whitelisted", o.ID)
		}
		return a.Name, err
	}
	return "", errs.Field("to", "choose a collector or an agency")
}

// UnlockCase lets the nightly assignment move case id again.
func (s *Service) UnlockCase(ctx context.Context, by Actor, id int64) error {
	if err := s.requireManage(by); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.SetCaseLock(ctx, id, false); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "case.unlock", "case", strconv.FormatInt(id, 10), nil))
	})
}

// TeamLoad is a team with its collectors and their open cases.
type TeamLoad struct {
	Team       sqlstore.Team        `json:"team"`
	Collectors []sqlstore.Collector `json:"collectors"`
	Open       int                  `json:"open"`
	Capacity   int                  `json:"capacity"`
}

// Queues is the supervisor's view: teams and agencies with their loads,
// how many open cases nobody owns, and a page of the cases f selects.
type Queues struct {
	Teams      []TeamLoad        `json:"teams"`
	Agencies   []sqlstore.Agency `json:"agencies"`
	Unassigned int               `json:"unassigned"`
	Cases      []sqlstore.Case   `json:"cases"`
	Total      int               `json:"total"`
	Names      map[string]string `json:"names"` // "collector 3" → name
}

// Queues returns the team queues. It returns Forbidden unless by may
// manage cases.
func (s *Service) Queues(ctx context.Context, by Actor, f sqlstore.CaseFilter) (Queues, error) {
	if err := s.requireManage(by); err != nil {
		return Queues{}, err
	}
	q := Queues{Names: map[string]string{}}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		teams, err := tx.Teams(ctx)
		if err != nil {
			return err
		}
		cols, err := tx.Collectors(ctx, sqlstore.CollectorFilter{})
		if err != nil {
			return err
		}
		for _, t := range teams {
			tl := TeamLoad{Team: t}
			for _, c := range cols {
				if c.TeamID == t.ID {
					tl.Collectors = append(tl.Collectors, c)
					tl.Open += c.Load
					tl.Capacity += c.Capacity
				}
			}
			q.Teams = append(q.Teams, tl)
		}
		for _, c := range cols {
			q.Names[casework.Owner{Kind: casework.ToCollector, ID: c.ID}.String()] = c.Name
		}
		if q.Agencies, err = tx.Agencies(ctx); err != nil {
			return err
		}
		for _, a := range q.Agencies {
			q.Names[casework.Owner{Kind: casework.ToAgency, ID: a.ID}.String()] = a.Name
		}
		st := casework.Open
		if _, q.Unassigned, err = tx.Cases(ctx, sqlstore.CaseFilter{Status: &st, Owner: &casework.Owner{}, Limit: 1}); err != nil {
			return err
		}
		q.Cases, q.Total, err = tx.Cases(ctx, f)
		return err
	})
	if err != nil {
		return Queues{}, fmt.Errorf("load queues: %w", err)
	}
	return q, nil
}

// CreateTeam creates a team. It returns Forbidden unless by may manage
// cases and a Conflict error if the name is taken.
func (s *Service) CreateTeam(ctx context.Context, by Actor, name string) (sqlstore.Team, error) {
	if err := s.requireManage(by); err != nil {
		return sqlstore.Team{}, err
	}
	t := sqlstore.Team{Name: strings.TrimSpace(name)}
	if t.Name == "" {
		return t, errs.Field("name", "is required")
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.CreateTeam(ctx, &t); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "team.create", "team", strconv.FormatInt(t.ID, 10), map[string]any{"name": t.Name}))
	})
	return t, err
}

// SaveCollector creates (ID 0) or updates a collector. It returns
// Forbidden unless by may manage cases and an Invalid error for a missing
// name, a capacity below 0 or an unknown team.
func (s *Service) SaveCollector(ctx context.Context, by Actor, c sqlstore.Collector) (sqlstore.Collector, error) {
	if err := s.requireManage(by); err != nil {
		return c, err
	}
	if strings.TrimSpace(c.Name) == "" || c.Capacity < 0 {
		return c, errs.Fields("The collector is not valid.", errs.FieldError{Field: "name", Message: "is required"},
			errs.FieldError{Field: "capacity", Message: "must be 0 or more"})
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		action := "collector.update"
		if c.ID == 0 {
			action = "collector.create"
			if err := tx.CreateCollector(ctx, &c); err != nil {
				return err
			}
		} else if err := tx.UpdateCollector(ctx, &c); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, action, "collector", strconv.FormatInt(c.ID, 10), c))
	})
	return c, err
}

// SaveAgency creates (ID 0) or updates an agency. It returns Forbidden
// unless by may manage cases and an Invalid error for a missing name, a
// negative capacity or a commission outside 0–1.
func (s *Service) SaveAgency(ctx context.Context, by Actor, a sqlstore.Agency) (sqlstore.Agency, error) {
	if err := s.requireManage(by); err != nil {
		return a, err
	}
	if strings.TrimSpace(a.Name) == "" || a.Capacity < 0 || a.Commission.IsNeg() || a.Commission.Cmp(decimal.One) > 0 {
		return a, errs.Field("agency", "needs a name, a capacity of 0 or more and a commission rate from 0 to 1")
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		action := "agency.update"
		if a.ID == 0 {
			action = "agency.create"
			if err := tx.CreateAgency(ctx, &a); err != nil {
				return err
			}
		} else if err := tx.UpdateAgency(ctx, &a); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, action, "agency", strconv.FormatInt(a.ID, 10), a))
	})
	return a, err
}
