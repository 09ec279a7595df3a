package route

import (
	"fmt"
	"slices"

	"accord/internal/errs"
)

// Pair is a field-visit pair working on the day: where they set out from,
// their hours, speed, region and the most visits they make in a day.
type Pair struct {
	ID       string
	Base     Point
	From     Clock
	Until    Clock
	SpeedKmh float64
	Region   string // province or district; empty: any
	Capacity int    // visits per day, at least 1
}

// PairPlan is one pair's planned day.
type PairPlan struct {
	Pair string
	Plan Plan // LeftOut is empty: see Assignment.LeftOut
}

// Assignment is the plan of many pairs' days from one pool of visits.
type Assignment struct {
	Plans   []PairPlan // in the order of the pairs
	LeftOut []LeftOut  // pool visits no pair makes, in pool order
}

// ValidatePairs checks pairs. It returns an Invalid error naming each bad
// field (pairs[i].base, pairs[i].capacity …).
func ValidatePairs(pairs []Pair) error {
	var bad []errs.FieldError
	seen := map[string]bool{}
	for i, p := range pairs {
		at := fmt.Sprintf("pairs[%d].", i)
		d := Day{Start: p.Base, From: p.From, Until: p.Until, SpeedKmh: p.SpeedKmh}
		for _, f := range errs.FieldsOf(d.Validate()) {
			if n, ok := pairField[f.Field]; ok {
				f.Field = n
			}
			f.Field = at + f.Field
			bad = append(bad, f)
		}
		if p.ID == "" || seen[p.ID] {
			bad = append(bad, errs.FieldError{Field: at + "id", Message: "must be given and unique"})
		}
		seen[p.ID] = true
		if p.Capacity < 1 {
			bad = append(bad, errs.FieldError{Field: at + "capacity", Message: "must be at least 1"})
		}
	}
	if len(bad) > 0 {
		return errs.Fields("The pairs are not valid.", bad...)
	}
	return nil
}

// pairField names a Day's fields as a Pair's.
var pairField = map[string]string{"start": "base", "day_start": "from", "day_end": "until"}

// PlanPairs shares the pool among pairs and plans each pair's day. A visit
// goes only to a pair of its region (an empty region on either side
// matches any). The most valuable visits are placed first, each with the
// nearest pair that can reach it alone and still has room; each pair's day
// is then planned, and the visits a pair could not fit are offered, in
// rounds, to the pairs with room left: under capacity and with every visit
// offered so far fitted. Visits, pairs and days must be
// valid (Validate, ValidatePairs).
func PlanPairs(pairs []Pair, pool []Visit) Assignment {
	days := make([]Day, len(pairs))
	for i, p := range pairs {
		days[i] = Day{Start: p.Base, From: p.From, Until: p.Until, SpeedKmh: p.SpeedKmh}
	}
	order := make([]int, len(pool))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case pool[a].Value > pool[b].Value:
			return -1
		case pool[a].Value < pool[b].Value:
			return 1
		}
		return 0
	})
	reason := make([]Reason, len(pool))
	planned := make([]bool, len(pool))
	for _, v := range order {
		reason[v] = ReasonNoPair
		if pi := nearestPair(pairs, days, pool[v], func(i int) bool { return len(days[i].Visits) < pairs[i].Capacity }, &reason[v]); pi >= 0 {
			days[pi].Visits = append(days[pi].Visits, pool[v])
		}
	}
	index := make(map[string]int, len(pool))
	for i, v := range pool {
		index[v.ID] = i
	}
	plans := make([]Plan, len(pairs))
	for i := range pairs {
		plans[i] = days[i].Plan()
		keepStops(&days[i], plans[i], pool, index, planned)
		for _, lo := range plans[i].LeftOut {
			reason[index[lo.ID]] = lo.Reason
		}
	}
	for range 3 {
		if !reoffer(pairs, days, plans, pool, order, index, planned, reason) {
			break
		}
	}
	out := Assignment{Plans: make([]PairPlan, len(pairs))}
	for i, p := range pairs {
		plans[i].LeftOut = nil
		out.Plans[i] = PairPlan{Pair: p.ID, Plan: plans[i]}
	}
	for v := range pool {
		if !planned[v] {
			out.LeftOut = append(out.LeftOut, LeftOut{ID: pool[v].ID, Reason: reason[v]})
		}
	}
	return out
}

// keepStops leaves on d only the visits its plan makes and marks them.
func keepStops(d *Day, p Plan, pool []Visit, index map[string]int, planned []bool) {
	d.Visits = d.Visits[:0]
	for _, s := range p.Stops {
		d.Visits = append(d.Visits, pool[index[s.ID]])
		planned[index[s.ID]] = true
	}
}

// reoffer offers the visits no pair makes (most valuable first) to the
// nearest pairs with room (under capacity, and time left: the last plan
// fitted every visit offered), re-plans the pairs that took some and keeps the
// new plan when it is better. It reports whether anything changed.
func reoffer(pairs []Pair, days []Day, plans []Plan, pool []Visit, order []int, index map[string]int, planned []bool, reason []Reason) bool {
	offered := make([][]Visit, len(pairs))
	for _, v := range order {
		if planned[v] {
			continue
		}
		var r Reason
		room := func(i int) bool {
			return !timeBound(plans[i]) && len(days[i].Visits)+len(offered[i]) < pairs[i].Capacity
		}
		if pi := nearestPair(pairs, days, pool[v], room, &r); pi >= 0 {
			offered[pi] = append(offered[pi], pool[v])
		}
	}
	changed := false
	for i := range pairs {
		if len(offered[i]) == 0 {
			continue
		}
		d := days[i]
		d.Visits = slices.Concat(d.Visits, offered[i])
		p := d.Plan()
		if !better(p.Value, p.TravelKm, plans[i].Value, plans[i].TravelKm) {
			continue
		}
		for _, v := range days[i].Visits {
			planned[index[v.ID]] = false
		}
		plans[i], days[i] = p, d
		keepStops(&days[i], p, pool, index, planned)
		for _, lo := range p.LeftOut {
			reason[index[lo.ID]] = lo.Reason
		}
		changed = true
	}
	return changed
}

// timeBound reports whether p left a visit out for lack of time: that
// pair's day is full, whatever its capacity.
func timeBound(p Plan) bool {
	for _, lo := range p.LeftOut {
		if lo.Reason == ReasonNoTime {
			return true
		}
	}
	return false
}

// nearestPair returns the pair of v's region nearest to v that can make
// v on its own and for which ok holds, or -1. When there is none it sets
// *why: ReasonNoPair when no pair serves the region, ReasonCapacity when
// those that do are full, or why v does not fit their days.
func nearestPair(pairs []Pair, days []Day, v Visit, ok func(int) bool, why *Reason) int {
	best, bestKm := -1, 0.0
	*why = ReasonNoPair
	for i, p := range pairs {
		if v.Region != "" && p.Region != "" && v.Region != p.Region {
			continue
		}
		if *why == ReasonNoPair {
			*why = ReasonCapacity
		}
		km := RoadKm(p.Base, v.At)
		if best >= 0 && km >= bestKm {
			continue
		}
		if r := fitsAlone(days[i], v, km); r != "" {
			if *why == ReasonCapacity {
				*why = r
			}
			continue
		}
		if !ok(i) {
			*why = ReasonCapacity
			continue
		}
		best, bestKm = i, km
	}
	return best
}

// fitsAlone says why the pair of d cannot make v even as its only visit,
// km away from the base, or "".
func fitsAlone(d Day, v Visit, km float64) Reason {
	t := TravelSeconds(km, d.SpeedKmh)
	arr, open, shut := d.From+t, d.From, d.Until
	if v.Window != nil {
		open, shut = v.Window.From, v.Window.Until
	}
	if arr > shut && v.Window != nil {
		return ReasonUnreachable
	}
	if arr > shut || max(arr, open)+v.Duration+t > d.Until {
		return ReasonTooLong
	}
	return ""
}
