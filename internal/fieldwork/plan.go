package fieldwork

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"accord/internal/auth"
	"accord/internal/calendar"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/route"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// DayPlanView is a pair's planned day with the visits of its stops, in
// order.
type DayPlanView struct {
	Plan   sqlstore.DayPlan   `json:"plan"`
	Pair   sqlstore.FieldPair `json:"pair"`
	Visits []sqlstore.Visit   `json:"visits"`
}

// Reasons a visit is left out of a day besides the planner's (route.Reason…).
const (
	LeftNoSlot   = "no_slot"          // scheduling found no time that day (holiday, hours, notice)
	LeftGovernor = "governor"         // the governor refused it; the plan's reason carries why
	LeftNoNotice = "notice_other_day" // noticed for another day
)

// DayResult is the plan of one day for every active pair, and the visits
// ready for that day that no pair makes, with the reason.
type DayResult struct {
	On      date.Date              `json:"on"`
	Plans   []DayPlanView          `json:"plans"`
	LeftOut []sqlstore.PlanLeftOut `json:"left_out"`
}

// candidate is a visit offered to a day's planner, with its slot.
type candidate struct {
	v    sqlstore.Visit
	slot visit.Slot
	// refusedZH is the governor's refusal in Chinese when it left the
	// visit out (the reason in left is in English).
	refusedZH string
}

// PlanDay plans the day on of every active pair from the visits ready for
// it: noticed for that day (or approved, when the policy requires no
// notice), and those already planned on it that are not checked in
// (planning a day again re-plans it whole, until a visit of it is checked
// in: then Conflict, and a cancellation re-plans the pair's day from where
// it is). Each visit is scheduled
// (visit.Schedule: the borrower's time when recorded, never outside the
// allowed hours or on a holiday) inside the window its notice named; the
// pairs' days are planned together (route.PlanPairs: value first, then
// travel); every stop is put to the governor (CN-VISIT: two collectors, the
// pair's recording device, the hours, the notice) at its planned start, and
// a refused one is dropped and the pair's day planned again without it.
// Each planned visit gets an open visit task for each agent's collector
// record, so that the agents reach the case. It returns the plans, one
// per active pair, and the visits left out with the reason (a governor's
// refusal as "governor: " and its reasons). by needs visit:approve.
func (s *Service) PlanDay(ctx context.Context, by collect.Actor, on date.Date) (DayResult, error) {
	if err := may(by, auth.PermVisitApprove, "plan field visits"); err != nil {
		return DayResult{}, err
	}
	if on == 0 {
		return DayResult{}, errs.Field("date", "is required")
	}
	if on.Before(s.Today()) {
		return DayResult{}, errs.Field("date", "%s is in the past", on)
	}
	p, err := s.Policy(ctx)
	if err != nil {
		return DayResult{}, err
	}
	cal, _, err := s.collect.HolidayCalendar(ctx)
	if err != nil {
		return DayResult{}, err
	}
	var out DayResult
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		out, err = s.planDay(ctx, tx, by, on, p, cal)
		return err
	})
	if err != nil {
		return DayResult{}, fmt.Errorf("plan visits on %s: %w", on, err)
	}
	return out, nil
}

func (s *Service) planDay(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, on date.Date, p visit.Policy,
	cal *calendar.Calendar) (DayResult, error) {
	res := DayResult{On: on, LeftOut: []sqlstore.PlanLeftOut{}}
	pairs, err := tx.Pairs(ctx, true, "")
	if err != nil {
		return res, err
	}
	if len(pairs) == 0 {
		return res, errs.Errorf(errs.Conflict, "There is no active field pair to plan.")
	}
	started, _, err := tx.Visits(ctx, sqlstore.VisitFilter{PlannedOn: on, States: []string{string(visit.CheckedIn), string(visit.Done)}, Limit: 1})
	if err != nil {
		return res, err
	}
	if len(started) > 0 {
		return res, errs.Errorf(errs.Conflict, "The visits of %s have started; cancel a visit to re-plan its pair's day.", on)
	}
	cands, left, err := s.candidates(ctx, tx, on, cal, p)
	if err != nil {
		return res, err
	}
	pool := make([]route.Visit, 0, len(cands))
	byKey := map[string]*candidate{}
	for i := range cands {
		c := &cands[i]
		key := strconv.FormatInt(c.v.ID, 10)
		byKey[key] = c
		pool = append(pool, visit.RouteVisit(key, address(c.v), c.slot, s.slotRequest(c.v).Duration, economics(c.v)))
	}
	rp, err := routePairs(pairs)
	if err != nil {
		return res, err
	}
	a := route.PlanPairs(rp, pool)
	for _, lo := range a.LeftOut {
		left[byKey[lo.ID].v.ID] = string(lo.Reason)
	}
	res.Plans = make([]DayPlanView, len(pairs))
	for i, pr := range pairs {
		day := dayOf(rp[i])
		for _, st := range a.Plans[i].Plan.Stops {
			day.Visits = append(day.Visits, *findVisit(pool, st.ID))
		}
		plan, err := s.governed(ctx, tx, &day, a.Plans[i].Plan, byKey, pr, on, p, cal, left)
		if err != nil {
			return res, err
		}
		if res.Plans[i], err = s.keepPlan(ctx, tx, by, pr, on, day, plan, byKey, p, ""); err != nil {
			return res, err
		}
	}
	ids := make([]int64, 0, len(left))
	for id := range left {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	zh := map[int64]string{}
	for _, c := range cands {
		if c.refusedZH != "" {
			zh[c.v.ID] = c.refusedZH
		}
	}
	for _, id := range ids {
		res.LeftOut = append(res.LeftOut, sqlstore.PlanLeftOut{VisitID: id, Reason: left[id], ReasonZH: zh[id]})
	}
	return res, s.leaveOut(ctx, tx, by, on, cands, left, p)
}

// candidates returns the visits ready for day on with their slots, and the
// reasons of those that have none.
func (s *Service) candidates(ctx context.Context, tx *sqlstore.Tx, on date.Date, cal *calendar.Calendar,
	p visit.Policy) ([]candidate, map[int64]string, error) {
	need, _ := p.NoticeRequired()
	states := []string{string(visit.Noticed), string(visit.Planned)}
	if !need {
		states = append(states, string(visit.Approved))
	}
	list, _, err := tx.Visits(ctx, sqlstore.VisitFilter{States: states, Limit: -1})
	if err != nil {
		return nil, nil, err
	}
	left := map[int64]string{}
	var out []candidate
	for _, v := range list {
		switch {
		case v.State == string(visit.Planned) && v.PlannedOn != on:
			continue
		case v.State == string(visit.Noticed) && noticeDate(v) != on:
			continue
		}
		slot, err := visit.Schedule(on, s.slotRequest(v), cal, p)
		if err == nil && v.NoticeFor != "" {
			slot, err = withinNotice(slot, v.NoticeFor)
		}
		if err != nil {
			left[v.ID] = LeftNoSlot + ": " + errs.MessageOf(err)
			continue
		}
		out = append(out, candidate{v: v, slot: slot})
	}
	return out, left, nil
}

// noticeDate is the day v's notice named.
func noticeDate(v sqlstore.Visit) date.Date {
	d, _ := date.Parse(strings.Fields(v.NoticeFor + " ")[0])
	return d
}

// noticeText is how a notice names the slot: "2026-03-12 10:00-12:00".
func noticeText(s visit.Slot) string {
	return fmt.Sprintf("%s %s-%s", s.Date, hhmm(s.From), hhmm(s.Until))
}

// withinNotice narrows slot to the window the notice named.
func withinNotice(slot visit.Slot, named string) (visit.Slot, error) {
	f := strings.Fields(named)
	if len(f) != 2 {
		return slot, nil
	}
	ends := strings.Split(f[1], "-")
	if len(ends) != 2 {
		return slot, nil
	}
	slot.From, slot.Until = max(slot.From, clock(ends[0])), min(slot.Until, clock(ends[1]))
	if slot.From > slot.Until {
		return slot, visit.ErrNoTime
	}
	return slot, nil
}

func routePairs(pairs []sqlstore.FieldPair) ([]route.Pair, error) {
	out := make([]route.Pair, len(pairs))
	for i, p := range pairs {
		from, err1 := route.ParseClock(p.DayFrom)
		until, err2 := route.ParseClock(p.DayUntil)
		if err1 != nil || err2 != nil {
			return nil, errs.Errorf(errs.Conflict, "Pair %s has bad working hours.", p.Name)
		}
		out[i] = route.Pair{ID: strconv.FormatInt(p.ID, 10), Base: route.Point{Lat: p.BaseLat, Lon: p.BaseLon}, From: from,
			Until: until, SpeedKmh: p.SpeedKmh, Region: p.Region, Capacity: p.Capacity}
	}
	return out, route.ValidatePairs(out)
}

// dayOf returns pair p's working day without visits.
func dayOf(p route.Pair) route.Day {
	return route.Day{Start: p.Base, From: p.From, Until: p.Until, SpeedKmh: p.SpeedKmh}
}

// findVisit returns the visit of pool with id key.
func findVisit(pool []route.Visit, key string) *route.Visit {
	i := slices.IndexFunc(pool, func(v route.Visit) bool { return v.ID == key })
	return &pool[i]
}

// instant returns the instant of local clock c on date on in loc.
func instant(on date.Date, c route.Clock, loc *time.Location) time.Time {
	return on.In(loc).Add(time.Duration(c) * time.Second)
}
