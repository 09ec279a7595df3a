package route

import "math/bits"

// ExactLimit is the largest number of candidate visits planned exactly.
// Above it the planner uses heuristics.
const ExactLimit = 12

// label is a partial route: the visits of a subset ending at one of them,
// leaving it at t after km of travel. parent is the label it extends (-1
// for the first visit). A label unlinked from its state because another
// beats it stays in the arena, since later labels may name it as parent.
type label struct {
	t      Clock
	km     float64
	parent int32
	next   int32 // the next label of the same state
	node   int8
}

// exact finds the best route over the visits cand (at most ExactLimit) by
// dynamic programming over subsets. For each subset and last visit it
// keeps every label that no other beats on both finishing time and
// distance: an earlier finish can only open more windows and a shorter
// distance is the tie-break, so no optimal route is pruned.
func (p *problem) exact(cand []int) []int {
	m := len(cand)
	if m == 0 {
		return nil
	}
	full := 1 << m
	// head[mask*m+last] is the first label of that state, -1 when none;
	// the labels of a state are chained through next.
	head := make([]int32, full*m)
	for i := range head {
		head[i] = -1
	}
	labels := make([]label, 0, 2*full)
	value := make([]int64, full)
	for mask := 1; mask < full; mask++ {
		low := bits.TrailingZeros(uint(mask))
		value[mask] = value[mask&(mask-1)] + p.val[cand[low]]
	}
	o, e := p.origin(), p.end()
	add := func(state int, l label) {
		for i := head[state]; i >= 0; i = labels[i].next {
			if q := labels[i]; q.t <= l.t && q.km <= l.km+1e-12 {
				return // dominated
			}
		}
		prev := int32(-1)
		for i := head[state]; i >= 0; i = labels[i].next {
			if q := labels[i]; l.t <= q.t && l.km <= q.km+1e-12 {
				if prev < 0 {
					head[state] = q.next
				} else {
					labels[prev].next = q.next
				}
				continue
			}
			prev = i
		}
		l.next = head[state]
		labels = append(labels, l)
		head[state] = int32(len(labels) - 1)
	}
	// extend returns the time the pair leaves visit c when it goes there
	// from at, leaving at t, or false when that misses c's window or the
	// way home.
	extend := func(t Clock, at, c int) (Clock, bool) {
		v := cand[c]
		arr := t + p.t(at, v)
		if arr > p.shut[v] {
			return 0, false
		}
		t = max(arr, p.open[v]) + p.dur[v]
		// Travel times keep the triangle inequality (haversine is a metric
		// and each leg is rounded up), so a visit from which the pair cannot
		// get home in time cannot lead anywhere useful either.
		return t, t+p.t(v, e) <= p.tEnd
	}
	for c := range m {
		if t, ok := extend(p.t0, o, c); ok {
			add((1<<c)*m+c, label{t: t, km: p.d(o, cand[c]), parent: -1, node: int8(c)})
		}
	}
	bestVal, bestKm, best := int64(0), p.d(o, e), int32(-1)
	for mask := 1; mask < full; mask++ {
		for last := range m {
			for li := head[mask*m+last]; li >= 0; li = labels[li].next {
				l := labels[li]
				v := cand[last]
				if km := l.km + p.d(v, e); better(value[mask], km, bestVal, bestKm) {
					bestVal, bestKm, best = value[mask], km, li
				}
				for c := range m {
					if mask&(1<<c) != 0 {
						continue
					}
					if t, ok := extend(l.t, v, c); ok {
						add((mask|1<<c)*m+c, label{t: t, km: l.km + p.d(v, cand[c]), parent: li, node: int8(c)})
					}
				}
			}
		}
	}
	var seq []int
	for i := best; i >= 0; i = labels[i].parent {
		seq = append(seq, cand[labels[i].node])
	}
	for i, j := 0, len(seq)-1; i < j; i, j = i+1, j-1 {
		seq[i], seq[j] = seq[j], seq[i]
	}
	return seq
}
