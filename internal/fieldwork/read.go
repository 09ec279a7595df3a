package fieldwork

import (
	"context"
	"fmt"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// Query selects visits for a list.
type Query struct {
	States        []string  `json:"states,omitempty"`
	CaseID        int64     `json:"case_id,omitempty"`
	PairID        int64     `json:"pair_id,omitempty"`
	PlannedOn     date.Date `json:"planned_on,omitempty"`
	Region        string    `json:"region,omitempty"`
	Limit, Offset int
}

// Visits returns a page of the visits q selects that by may see (newest
// first) and how many there are: a field agent sees the visits of their
// pairs, anyone else those of the cases in their scope.
func (s *Service) Visits(ctx context.Context, by collect.Actor, q Query) ([]sqlstore.Visit, int, error) {
	if err := mayRead(by); err != nil {
		return nil, 0, err
	}
	f := sqlstore.VisitFilter{States: q.States, CaseID: q.CaseID, PairID: q.PairID, PlannedOn: q.PlannedOn, Region: q.Region,
		Limit: max(q.Limit, 0), Offset: q.Offset}
	var out []sqlstore.Visit
	var total int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		if !by.User.Can(auth.PermVisitRequest) && !by.User.Can(auth.PermVisitApprove) {
			f.Agent = by.User.Username
		} else {
			sc, err := s.collect.ScopeIn(ctx, tx, by)
			if err != nil {
				return err
			}
			f.Scope = &sc
		}
		var err error
		out, total, err = tx.Visits(ctx, f)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list visits: %w", err)
	}
	return out, total, nil
}

// VisitPage is one visit with what was recorded about it.
type VisitPage struct {
	Visit     sqlstore.Visit           `json:"visit"`
	Pair      *sqlstore.FieldPair      `json:"pair,omitempty"`
	Entries   []sqlstore.VisitEntry    `json:"entries"`
	Incidents []sqlstore.VisitIncident `json:"incidents"`
}

// Visit returns visit id if by may see it. It returns NotFound (also
// outside by's reach) or Forbidden.
func (s *Service) Visit(ctx context.Context, by collect.Actor, id int64) (VisitPage, error) {
	var pg VisitPage
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		v, err := s.reachVisit(ctx, tx, by, id)
		if err != nil {
			return err
		}
		pg.Visit = v
		if v.PairID != 0 {
			pr, err := tx.Pair(ctx, v.PairID)
			if err != nil {
				return err
			}
			pg.Pair = &pr
		}
		if pg.Entries, err = tx.VisitEntries(ctx, id); err != nil {
			return err
		}
		pg.Incidents, err = tx.Incidents(ctx, false, id)
		return err
	})
	if err != nil {
		return VisitPage{}, fmt.Errorf("visit %d: %w", id, err)
	}
	return pg, nil
}

// DayPlans returns the plans in force on date on with their visits:
// every pair's (pairID 0) or one pair's, for visit:approve; a field agent
// sees only their own pairs'.
func (s *Service) DayPlans(ctx context.Context, by collect.Actor, on date.Date, pairID int64) ([]DayPlanView, error) {
	if err := mayRead(by); err != nil {
		return nil, err
	}
	agent := ""
	if !by.User.Can(auth.PermVisitApprove) {
		if !by.User.Can(auth.PermVisitWork) {
			return nil, errs.Errorf(errs.Forbidden, "Your role may not see day plans.")
		}
		agent = by.User.Username
	}
	out := []DayPlanView{}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		pairs, err := tx.Pairs(ctx, false, agent)
		if err != nil {
			return err
		}
		byID := map[int64]sqlstore.FieldPair{}
		for _, p := range pairs {
			byID[p.ID] = p
		}
		plans, err := tx.DayPlans(ctx, on, pairID)
		if err != nil {
			return err
		}
		for _, dp := range plans {
			pr, ok := byID[dp.PairID]
			if !ok {
				continue
			}
			view := DayPlanView{Plan: dp, Pair: pr, Visits: []sqlstore.Visit{}}
			ids := make([]int64, len(dp.Stops))
			for i, st := range dp.Stops {
				ids[i] = st.VisitID
			}
			if len(ids) > 0 {
				list, _, err := tx.Visits(ctx, sqlstore.VisitFilter{IDs: ids, Limit: -1})
				if err != nil {
					return err
				}
				m := map[int64]sqlstore.Visit{}
				for _, v := range list {
					m[v.ID] = v
				}
				for _, id := range ids {
					view.Visits = append(view.Visits, m[id])
				}
			}
			out = append(out, view)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("day plans on %s: %w", on, err)
	}
	return out, nil
}

// DayMap returns the SVG map of pair pairID's plan on date on (see
// route.SVG), if by may see that pair's plans. It returns NotFound when
// the day is not planned or the pair is not by's.
func (s *Service) DayMap(ctx context.Context, by collect.Actor, pairID int64, on date.Date) ([]byte, error) {
	list, err := s.DayPlans(ctx, by, on, pairID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errs.Errorf(errs.NotFound, "The plan of pair %d on %s not found.", pairID, on)
	}
	return []byte(list[0].Plan.SVG), nil
}
