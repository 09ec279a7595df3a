package route

import "slices"

// polish improves the route seq found by search with the exact method.
// With fewer than ExactLimit stops — nearly every real day — it re-plans
// exactly over the stops plus the best of the other visits, up to
// ExactLimit in all, twice: once adding the most valuable visits, once
// those cheapest to fit in. Either can only match or beat seq, which is
// among the routes it considers. With more stops it re-orders each run of
// a few consecutive stops exactly instead.
func (p *problem) polish(seq, cand []int) []int {
	if len(seq) >= ExactLimit {
		return p.reorder(seq)
	}
	return p.polishOnce(seq, cand)
}

// polishOnce is one round of polish on a route of fewer than ExactLimit
// stops.
func (p *problem) polishOnce(seq, cand []int) []int {
	on := make([]bool, p.n)
	for _, v := range seq {
		on[v] = true
	}
	var rest []int
	for _, v := range cand {
		if !on[v] {
			rest = append(rest, v)
		}
	}
	room := ExactLimit - len(seq)
	base := p.origin()
	byValue := sortedBy(rest, func(a, b int) bool {
		return p.val[a] > p.val[b] || p.val[a] == p.val[b] && p.d(base, a) < p.d(base, b)
	})
	cost := make(map[int]float64, len(cand))
	for _, v := range cand {
		cost[v] = p.detour(seq, v)
	}
	byCost := sortedBy(rest, func(a, b int) bool { return cost[a] < cost[b] })
	// The third pool ignores the route: the visits worth most per km of
	// detour and km-equivalent of time on site.
	worth := func(v int) float64 {
		return float64(p.val[v]+1) / (cost[v] + float64(p.dur[v])/3600*p.speed + 0.01)
	}
	byWorth := sortedBy(cand, func(a, b int) bool { return worth(a) > worth(b) })
	pools := [][]int{
		slices.Concat(seq, byValue[:min(len(byValue), room)]),
		slices.Concat(seq, byCost[:min(len(byCost), room)]),
		byWorth[:min(len(byWorth), ExactLimit)],
	}
	best := seq
	_, bestKm, bestVal := p.eval(seq)
	for _, pool := range pools {
		ex := p.exact(pool)
		if _, km, val := p.eval(ex); better(val, km, bestVal, bestKm) {
			best, bestKm, bestVal = ex, km, val
		}
	}
	return best
}

// detour returns the fewest km visit v adds to seq, ignoring time.
func (p *problem) detour(seq []int, v int) float64 {
	best := -1.0
	for i := 0; i <= len(seq); i++ {
		a, b := p.origin(), p.end()
		if i > 0 {
			a = seq[i-1]
		}
		if i < len(seq) {
			b = seq[i]
		}
		if add := p.d(a, v) + p.d(v, b) - p.d(a, b); best < 0 || add < best {
			best = add
		}
	}
	return best
}

// reorderRun is how many consecutive stops reorder re-plans at once, and
// reorderStep how far the run moves each time.
const reorderRun, reorderStep = 8, 4

// reorder re-plans each run of reorderRun consecutive stops of the
// feasible route seq exactly, from the stop before the run (as the pair
// leaves it) to the stop after it (by the latest start that keeps the rest
// of the route feasible), and keeps the shorter order.
func (p *problem) reorder(seq []int) []int {
	r := p.newRoute(seq)
	for i := 0; i+reorderRun <= len(r.seq); i += reorderStep {
		run := r.seq[i : i+reorderRun]
		from, leave := p.origin(), p.t0
		if i > 0 {
			from = r.seq[i-1]
			leave = r.start[i-1] + p.dur[from]
		}
		to, late := p.end(), p.tEnd
		if j := i + reorderRun; j < len(r.seq) {
			to, late = r.seq[j], r.latest[j]
		}
		sub := make([]Visit, len(run))
		for k, v := range run {
			sub[k] = p.visits[v]
			sub[k].Window = &Window{From: p.open[v], Until: p.shut[v]}
		}
		q := newProblem(p.point(from), leave, p.point(to), late, p.speed, sub)
		all := make([]int, len(run))
		for k := range all {
			all[k] = k
		}
		order := q.exact(all)
		if len(order) < len(run) {
			continue
		}
		_, oldKm, _ := q.eval(all)
		if _, newKm, _ := q.eval(order); newKm >= oldKm-1e-9 {
			continue
		}
		next := slices.Clone(r.seq)
		for k, o := range order {
			next[i+k] = run[o]
		}
		if ok, _, _ := p.eval(next); ok {
			r.seq = next
			r.update()
		}
	}
	return r.seq
}
