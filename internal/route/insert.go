package route

import "slices"

// routeState is a feasible route with, for each position, the earliest
// time its visit can start and the latest it may start without making any
// later visit or the way home late. They make checking an insertion O(1).
type routeState struct {
	p      *problem
	seq    []int
	start  []Clock
	latest []Clock
}

func (p *problem) newRoute(seq []int) *routeState {
	r := &routeState{p: p, seq: slices.Clone(seq)}
	r.update()
	return r
}

// update recomputes start and latest after seq changed.
func (r *routeState) update() {
	p, n := r.p, len(r.seq)
	r.start, r.latest = r.start[:0], r.latest[:0]
	t, prev := p.t0, p.origin()
	for _, v := range r.seq {
		s := max(t+p.t(prev, v), p.open[v])
		r.start = append(r.start, s)
		t, prev = s+p.dur[v], v
	}
	r.latest = slices.Grow(r.latest, n)[:n]
	next, late := p.end(), p.tEnd
	for i := n - 1; i >= 0; i-- {
		v := r.seq[i]
		r.latest[i] = min(p.shut[v], late-p.t(v, next)-p.dur[v])
		next, late = v, r.latest[i]
	}
}

// around returns the nodes before and after insertion position i (0 to
// len(seq)) and the time the pair leaves the node before.
func (r *routeState) around(i int) (a, b int, leave Clock) {
	p := r.p
	a, b, leave = p.origin(), p.end(), p.t0
	if i > 0 {
		a = r.seq[i-1]
		leave = r.start[i-1] + p.dur[a]
	}
	if i < len(r.seq) {
		b = r.seq[i]
	}
	return a, b, leave
}

// fits reports whether visit u can go at position i and the km it adds.
func (r *routeState) fits(u, i int) (bool, float64) {
	p := r.p
	a, b, leave := r.around(i)
	arr := leave + p.t(a, u)
	if arr > p.shut[u] {
		return false, 0
	}
	next := max(arr, p.open[u]) + p.dur[u] + p.t(u, b)
	late := p.tEnd
	if i < len(r.seq) {
		late = r.latest[i]
	}
	return next <= late, p.d(a, u) + p.d(u, b) - p.d(a, b)
}

// cheapest returns the feasible position for u that adds the fewest km.
func (r *routeState) cheapest(u int) (pos int, add float64, ok bool) {
	for i := 0; i <= len(r.seq); i++ {
		if f, km := r.fits(u, i); f && (!ok || km < add-1e-12) {
			pos, add, ok = i, km, true
		}
	}
	return pos, add, ok
}

func (r *routeState) insert(u, pos int) {
	r.seq = slices.Insert(r.seq, pos, u)
	r.update()
}

// criterion ranks insertions: higher first.
type criterion int

const (
	byValue criterion = iota // value, then fewer km
	byRatio                  // value per km added and time on site
	byCost                   // fewer km, then value
)

// key returns the rank of inserting u for add km under c, as two numbers
// compared in order.
func (p *problem) key(c criterion, u int, add float64) (float64, float64) {
	switch c {
	case byValue:
		return float64(p.val[u]), -add
	case byRatio:
		cost := add + float64(p.dur[u])/3600*p.speed + 0.01
		return float64(p.val[u]+1) / cost, -add
	}
	return -add, float64(p.val[u])
}

// insertAll inserts visits of cand not yet on r, best first under c,
// until none fits.
func (p *problem) insertAll(r *routeState, cand []int, c criterion) {
	on := make([]bool, p.n)
	for _, v := range r.seq {
		on[v] = true
	}
	for {
		bu, bpos := -1, 0
		var k1, k2 float64
		for _, u := range cand {
			if on[u] {
				continue
			}
			pos, add, ok := r.cheapest(u)
			if !ok {
				continue
			}
			if a, b := p.key(c, u, add); bu < 0 || a > k1 || a == k1 && b > k2 {
				bu, bpos, k1, k2 = u, pos, a, b
			}
		}
		if bu < 0 {
			return
		}
		r.insert(bu, bpos)
		on[bu] = true
	}
}
