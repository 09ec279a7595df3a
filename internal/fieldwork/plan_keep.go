package fieldwork

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"accord/internal/calendar"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/route"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// governed puts each stop of plan to the governor at its planned start;
// refused visits are dropped from day (their reasons in left) and the day
// planned again, until every stop passes.
func (s *Service) governed(ctx context.Context, tx *sqlstore.Tx, day *route.Day, plan route.Plan, byKey map[string]*candidate,
	pr sqlstore.FieldPair, on date.Date, p visit.Policy, cal *calendar.Calendar, left map[int64]string) (route.Plan, error) {
	for range len(day.Visits) + 1 {
		bad := map[string]bool{}
		for _, st := range plan.Stops {
			c := byKey[st.ID]
			b, err := tx.Borrower(ctx, c.v.BorrowerID)
			if err != nil {
				return plan, err
			}
			err = s.checkVisit(cal, c.v, b, pr, instant(on, st.Start, s.location(c.v)), p)
			if r, ok := AsRefused(err); ok {
				left[c.v.ID] = LeftGovernor + ": " + r.Decision.Reasons.EN
				c.refusedZH = LeftGovernor + ": " + r.Decision.Reasons.ZH
				bad[st.ID] = true
			} else if err != nil {
				return plan, err
			}
		}
		if len(bad) == 0 {
			break
		}
		kept := day.Visits[:0]
		for _, v := range day.Visits {
			if !bad[v.ID] {
				kept = append(kept, v)
			}
		}
		day.Visits = kept
		plan = day.Plan()
	}
	for _, lo := range plan.LeftOut {
		left[byKey[lo.ID].v.ID] = string(lo.Reason)
	}
	return plan, nil
}

// keepPlan plans the stops' visits, stores the pair's day plan (a new
// version) and returns it.
func (s *Service) keepPlan(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, pr sqlstore.FieldPair, on date.Date,
	day route.Day, plan route.Plan, byKey map[string]*candidate, p visit.Policy, reason string) (DayPlanView, error) {
	view := DayPlanView{Pair: pr, Visits: []sqlstore.Visit{}}
	dp := sqlstore.DayPlan{PairID: pr.ID, On: on, TravelKm: km(plan.TravelKm), BackAt: plan.BackAt.String(), ValueMinor: plan.Value,
		PlannedBy: by.User.Username, Reason: reason, SVG: string(route.SVG(day, plan)), Stops: []sqlstore.PlanStop{},
		LeftOut: []sqlstore.PlanLeftOut{}}
	for _, st := range plan.Stops {
		c := byKey[st.ID]
		v := c.v
		d := domain(v)
		if d.State == visit.Planned { // planned again: back to where planning starts
			d.State = visit.Noticed
			if d.NoticeSentAt.IsZero() {
				d.State = visit.Approved
			}
		}
		if err := d.Plan(c.slot, pr.Name, instant(on, st.Start, s.location(v)), s.location(v), p); err != nil {
			return view, fmt.Errorf("visit %d: %w", v.ID, err)
		}
		apply(&v, d)
		v.PairID, v.RecordingDevice = pr.ID, pr.RecordingDevice
		if err := tx.UpdateVisit(ctx, &v); err != nil {
			return view, err
		}
		if err := s.ensureTasks(ctx, tx, v, pr); err != nil {
			return view, err
		}
		if err := s.audit(ctx, tx, by, "visit.plan", v, map[string]any{"pair_id": pr.ID, "planned_on": on.String(),
			"planned_start": v.PlannedStart}); err != nil {
			return view, err
		}
		dp.Stops = append(dp.Stops, sqlstore.PlanStop{VisitID: v.ID, Arrive: st.Arrive.String(), Start: st.Start.String(),
			Leave: st.Leave.String()})
		view.Visits = append(view.Visits, v)
	}
	for _, lo := range plan.LeftOut {
		if c, ok := byKey[lo.ID]; ok {
			dp.LeftOut = append(dp.LeftOut, sqlstore.PlanLeftOut{VisitID: c.v.ID, Reason: string(lo.Reason)})
		}
	}
	if err := tx.AddDayPlan(ctx, &dp); err != nil {
		return view, err
	}
	view.Plan = dp
	return view, tx.AppendAudit(ctx, s.collect.Event(by, "visit.day_plan", "pair", strconv.FormatInt(pr.ID, 10),
		map[string]any{"on": on.String(), "version": dp.Version, "stops": len(dp.Stops), "travel_km": dp.TravelKm, "reason": reason}))
}

// km rounds road km to the metre.
func km(x float64) float64 { return math.Round(x*1000) / 1000 }

// leaveOut takes the visits planned before and now left out off the day
// (back to approved: their notice named a time that no longer holds).
func (s *Service) leaveOut(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, on date.Date, cands []candidate,
	left map[int64]string, p visit.Policy) error {
	for _, c := range cands {
		why, out := left[c.v.ID]
		if !out || c.v.State != string(visit.Planned) {
			continue
		}
		if err := s.unplan(ctx, tx, by, c.v, why, p); err != nil {
			return err
		}
	}
	return nil
}

// unplan takes planned visit v off its day.
func (s *Service) unplan(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, v sqlstore.Visit, why string, p visit.Policy) error {
	d := domain(v)
	if err := d.Unplan(p); err != nil {
		return err
	}
	apply(&v, d)
	v.PairID, v.RecordingDevice, v.NoticeFor, v.NoticeMessageID = 0, "", "", 0
	if err := tx.UpdateVisit(ctx, &v); err != nil {
		return err
	}
	if err := s.closeVisitTasks(ctx, tx, v, "unplanned"); err != nil {
		return err
	}
	return s.audit(ctx, tx, by, "visit.unplan", v, map[string]any{"reason": why})
}

// replan plans the rest of pair pairID's day on after a change (a visit
// cancelled): from where the pair is (the last visit checked in or made,
// else the base), from now when the day is today. Visits that no longer
// fit go back to approved.
func (s *Service) replan(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, pairID int64, on date.Date, reason string,
	p visit.Policy) error {
	cur, err := tx.DayPlan(ctx, pairID, on)
	if errs.CodeOf(err) == errs.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	pr, err := tx.Pair(ctx, pairID)
	if err != nil {
		return err
	}
	ids := make([]int64, len(cur.Stops))
	for i, st := range cur.Stops {
		ids[i] = st.VisitID
	}
	list, _, err := tx.Visits(ctx, sqlstore.VisitFilter{IDs: ids, Limit: -1})
	if err != nil {
		return err
	}
	byID := map[int64]sqlstore.Visit{}
	for _, v := range list {
		byID[v.ID] = v
	}
	rp, err := routePairs([]sqlstore.FieldPair{pr})
	if err != nil {
		return err
	}
	day := dayOf(rp[0])
	at, now := day.Start, day.From
	if on == s.Today() {
		local := s.now().In(s.zone)
		now = max(now, route.Clock(local.Sub(on.In(s.zone))/1e9))
	}
	var done, cancelled []string
	var kept []sqlstore.PlanStop
	byKey := map[string]*candidate{}
	for _, st := range cur.Stops {
		v, ok := byID[st.VisitID]
		if !ok {
			continue
		}
		key := strconv.FormatInt(v.ID, 10)
		c := &candidate{v: v, slot: visit.Slot{Date: on, From: clock(v.SlotFrom), Until: clock(v.SlotUntil)}}
		byKey[key] = c
		day.Visits = append(day.Visits, visit.RouteVisit(key, address(v), c.slot, s.slotRequest(v).Duration, economics(v)))
		switch v.State {
		case string(visit.CheckedIn), string(visit.Done):
			done, kept = append(done, key), append(kept, st)
			at = route.Point{Lat: v.Lat, Lon: v.Lon}
		case string(visit.Cancelled):
			cancelled = append(cancelled, key)
		}
	}
	plan := day.Replan(at, now, done, cancelled)
	dp := sqlstore.DayPlan{PairID: pr.ID, On: on, TravelKm: km(plan.TravelKm), BackAt: plan.BackAt.String(), ValueMinor: plan.Value,
		PlannedBy: by.User.Username, Reason: reason, Stops: kept, LeftOut: []sqlstore.PlanLeftOut{}}
	for _, st := range plan.Stops {
		v := byKey[st.ID].v
		v.PlannedStart = instant(on, st.Start, s.location(v))
		if err := tx.UpdateVisit(ctx, &v); err != nil {
			return err
		}
		dp.Stops = append(dp.Stops, sqlstore.PlanStop{VisitID: v.ID, Arrive: st.Arrive.String(), Start: st.Start.String(),
			Leave: st.Leave.String()})
	}
	for _, lo := range plan.LeftOut {
		v := byKey[lo.ID].v
		dp.LeftOut = append(dp.LeftOut, sqlstore.PlanLeftOut{VisitID: v.ID, Reason: string(lo.Reason)})
		if v.State == string(visit.Planned) {
			if err := s.unplan(ctx, tx, by, v, string(lo.Reason), p); err != nil {
				return err
			}
		}
	}
	full := plan
	full.Stops = nil
	for _, st := range dp.Stops {
		a, _ := route.ParseClock(st.Arrive)
		b, _ := route.ParseClock(st.Start)
		c, _ := route.ParseClock(st.Leave)
		full.Stops = append(full.Stops, route.Stop{ID: strconv.FormatInt(st.VisitID, 10), Arrive: a, Start: b, Leave: c})
	}
	dp.SVG = string(route.SVG(day, full))
	if err := tx.AddDayPlan(ctx, &dp); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, s.collect.Event(by, "visit.day_plan", "pair", strconv.FormatInt(pr.ID, 10),
		map[string]any{"on": on.String(), "version": dp.Version, "stops": len(dp.Stops), "reason": reason}))
}

// ensureTasks opens a visit task for each agent of pr who has a collector
// record, so that the agents reach v's case (object scope) on the day.
func (s *Service) ensureTasks(ctx context.Context, tx *sqlstore.Tx, v sqlstore.Visit, pr sqlstore.FieldPair) error {
	var list []sqlstore.Task
	for _, name := range []string{pr.Agent1, pr.Agent2} {
		u, err := tx.UserByUsername(ctx, name)
		if errs.CodeOf(err) == errs.NotFound {
			continue
		} else if err != nil {
			return err
		}
		c, err := tx.CollectorByUser(ctx, u.ID)
		if errs.CodeOf(err) == errs.NotFound {
			continue
		} else if err != nil {
			return err
		}
		list = append(list, sqlstore.Task{CaseID: v.CaseID, BorrowerID: v.BorrowerID, Kind: sqlstore.TaskVisit, Queue: "field",
			Priority: 3, DueOn: v.PlannedOn, Assignee: casework.Owner{Kind: casework.ToCollector, ID: c.ID}, Rule: "visit",
			Detail: fmt.Sprintf("visit %d", v.ID), CreatedOn: s.Today(),
			DedupKey: fmt.Sprintf("visit:%d:%s:%d", v.ID, v.PlannedOn, c.ID)})
	}
	_, err := tx.InsertTasks(ctx, list)
	return err
}

// closeVisitTasks closes the open tasks ensureTasks opened for v.
func (s *Service) closeVisitTasks(ctx context.Context, tx *sqlstore.Tx, v sqlstore.Visit, outcome string) error {
	kind, open := sqlstore.TaskVisit, "open"
	tasks, _, err := tx.Tasks(ctx, sqlstore.TaskFilter{CaseID: &v.CaseID, Kind: &kind, Status: &open, Limit: sqlstore.MaxLimit})
	if err != nil {
		return err
	}
	var ids []int64
	prefix := fmt.Sprintf("visit:%d:", v.ID)
	for _, t := range tasks {
		if strings.HasPrefix(t.DedupKey, prefix) {
			ids = append(ids, t.ID)
		}
	}
	status := "done"
	if outcome == "cancelled" || outcome == "unplanned" {
		status = "cancelled"
	}
	if len(ids) == 0 {
		return nil
	}
	_, err = tx.CloseTasks(ctx, ids, status, outcome)
	return err
}
