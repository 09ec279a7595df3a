package fieldwork

import (
	"context"
	"fmt"
	"slices"

	"accord/internal/calendar"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

var _ collect.NightlyStep = (*Service)(nil)

// Name identifies the step in the run summary.
func (s *Service) Name() string { return "visits" }

// nightlyActor is who the nightly step acts as.
var nightlyActor = collect.System("nightly")

// RunNightly is the visits' part of the nightly run for asOf:
//   - the strategy's visit recommendations (open, unassigned visit tasks of
//     the field queue) become visit requests, source strategy, when the
//     borrower is eligible and the case has no visit going on;
//   - noticed visits whose day passed unplanned lapse back to approved, and
//     planned visits of a past day never checked in go back to approved
//     (both need a new notice);
//   - approved visits, most valuable first, are noticed for the first day
//     with a slot from the day after tomorrow on, up to the pairs' daily
//     capacity per day.
//
// It is idempotent for a date: a recommendation becomes one request, a
// visit is noticed once. Counts: requests_created, requests_ineligible,
// notices_queued, notices_refused, lapsed, unplanned.
func (s *Service) RunNightly(ctx context.Context, asOf date.Date) (map[string]int, error) {
	counts := map[string]int{}
	p, err := s.Policy(ctx)
	if err != nil {
		return nil, err
	}
	cal, _, err := s.collect.HolidayCalendar(ctx)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := s.recommendations(ctx, tx, counts, p); err != nil {
			return err
		}
		if err := s.lapse(ctx, tx, asOf, counts, p); err != nil {
			return err
		}
		return s.notices(ctx, tx, asOf, counts, cal, p)
	})
	if err != nil {
		return nil, fmt.Errorf("visits as of %s: %w", asOf, err)
	}
	return counts, nil
}

func (s *Service) recommendations(ctx context.Context, tx *sqlstore.Tx, counts map[string]int, p visit.Policy) error {
	kind, open, queue := sqlstore.TaskVisit, "open", "field"
	for offset := 0; ; offset += sqlstore.MaxLimit {
		tasks, _, err := tx.Tasks(ctx, sqlstore.TaskFilter{Kind: &kind, Status: &open, Queue: &queue,
			Assignee: &casework.Owner{}, Limit: sqlstore.MaxLimit, Offset: offset})
		if err != nil {
			return err
		}
		ids := make([]int64, len(tasks))
		for i, t := range tasks {
			ids[i] = t.ID
		}
		done, err := tx.VisitTasks(ctx, ids)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if done[t.ID] {
				continue
			}
			c, err := tx.Case(ctx, t.CaseID)
			if err != nil {
				return err
			}
			if c.Status != casework.Open {
				continue
			}
			v, err := s.newVisit(ctx, tx, c, NewRequest{CaseID: c.ID, Purpose: t.Detail}, SourceStrategy, "strategy", p)
			if code := errs.CodeOf(err); code == errs.Conflict || code == errs.Invalid {
				counts["requests_ineligible"]++
				continue
			} else if err != nil {
				return err
			}
			v.TaskID, v.Rule = t.ID, t.Rule
			if err := tx.CreateVisit(ctx, &v); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, nightlyActor, "visit.request", v, map[string]any{"source": v.Source, "task_id": t.ID,
				"rule": t.Rule, "expected_value": v.ExpectedMinor, "cost": v.CostMinor}); err != nil {
				return err
			}
			counts["requests_created"]++
		}
		if len(tasks) < sqlstore.MaxLimit {
			return nil
		}
	}
}

func (s *Service) lapse(ctx context.Context, tx *sqlstore.Tx, asOf date.Date, counts map[string]int, p visit.Policy) error {
	list, _, err := tx.Visits(ctx, sqlstore.VisitFilter{States: []string{string(visit.Noticed), string(visit.Planned)}, Limit: -1})
	if err != nil {
		return err
	}
	for _, v := range list {
		switch {
		case v.State == string(visit.Noticed) && noticeDate(v) != 0 && noticeDate(v).Before(asOf):
			d := domain(v)
			if err := d.Lapse(p); err != nil {
				return err
			}
			apply(&v, d)
			v.NoticeFor, v.NoticeMessageID = "", 0
			if err := tx.UpdateVisit(ctx, &v); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, nightlyActor, "visit.lapse", v, nil); err != nil {
				return err
			}
			counts["lapsed"]++
		case v.State == string(visit.Planned) && v.PlannedOn.Before(asOf):
			if err := s.unplan(ctx, tx, nightlyActor, v, "day passed without check-in", p); err != nil {
				return err
			}
			counts["unplanned"]++
		}
	}
	return nil
}

func (s *Service) notices(ctx context.Context, tx *sqlstore.Tx, asOf date.Date, counts map[string]int, cal *calendar.Calendar, p visit.Policy) error {
	if need, _ := p.NoticeRequired(); !need {
		return nil
	}
	pairs, err := tx.Pairs(ctx, true, "")
	if err != nil || len(pairs) == 0 {
		return err
	}
	capacity := 0
	for _, pr := range pairs {
		capacity += pr.Capacity
	}
	list, _, err := tx.Visits(ctx, sqlstore.VisitFilter{States: []string{string(visit.Approved), string(visit.Noticed)}, Limit: -1})
	if err != nil {
		return err
	}
	booked := map[date.Date]int{}
	var todo []sqlstore.Visit
	for _, v := range list {
		if v.State == string(visit.Noticed) {
			booked[noticeDate(v)]++
		} else {
			todo = append(todo, v)
		}
	}
	slices.SortStableFunc(todo, func(a, b sqlstore.Visit) int {
		return int((b.ExpectedMinor - b.CostMinor) - (a.ExpectedMinor - a.CostMinor))
	})
	now := s.now().UTC()
	for _, v := range todo {
		req := s.slotRequest(v)
		req.NoticeSent = now
		var on date.Date
		for d := asOf.AddDays(1); d < asOf.AddDays(1+s.noticeDays); d++ {
			if booked[d] >= capacity {
				continue
			}
			if _, err := visit.Schedule(d, req, cal, p); err == nil {
				on = d
				break
			}
		}
		if on == 0 {
			continue
		}
		refusal, err := s.notice(ctx, tx, nightlyActor, &v, on, cal, p)
		switch {
		case err != nil && errs.CodeOf(err) == errs.Conflict:
			continue // no phone, no time: stays approved
		case err != nil:
			return err
		case refusal != nil:
			counts["notices_refused"]++
		default:
			booked[on]++
			counts["notices_queued"]++
		}
	}
	return nil
}
