package route

import "slices"

// problem is one day to plan in index form. Nodes 0..n-1 are the visits,
// n is where the pair sets out from and n+1 where they must end (the base).
type problem struct {
	n          int
	visits     []Visit
	pts        []Point   // the place of each node
	km         []float64 // (n+2)×(n+2) road km
	tt         []Clock   // (n+2)×(n+2) travel seconds
	open, shut []Clock   // window of each visit (the whole day when it has none)
	dur        []Clock
	val        []int64
	t0, tEnd   Clock
	speed      float64
}

func newProblem(from Point, t0 Clock, to Point, tEnd Clock, speed float64, visits []Visit) *problem {
	n := len(visits)
	p := &problem{n: n, visits: visits, t0: t0, tEnd: tEnd, speed: speed,
		open: make([]Clock, n), shut: make([]Clock, n), dur: make([]Clock, n), val: make([]int64, n)}
	pts := make([]Point, n+2)
	for i, v := range visits {
		pts[i] = v.At
		p.open[i], p.shut[i] = t0, tEnd
		if v.Window != nil {
			p.open[i], p.shut[i] = v.Window.From, v.Window.Until
		}
		p.dur[i], p.val[i] = v.Duration, v.Value
	}
	pts[n], pts[n+1] = from, to
	p.pts = pts
	N := n + 2
	p.km, p.tt = make([]float64, N*N), make([]Clock, N*N)
	for i := range N {
		for j := i + 1; j < N; j++ {
			k := RoadKm(pts[i], pts[j])
			t := TravelSeconds(k, speed)
			p.km[i*N+j], p.km[j*N+i] = k, k
			p.tt[i*N+j], p.tt[j*N+i] = t, t
		}
	}
	return p
}

func (p *problem) origin() int { return p.n }

func (p *problem) point(node int) Point { return p.pts[node] }
func (p *problem) end() int             { return p.n + 1 }

func (p *problem) d(i, j int) float64 { return p.km[i*(p.n+2)+j] }
func (p *problem) t(i, j int) Clock   { return p.tt[i*(p.n+2)+j] }

// alone says why visit v cannot be made even on its own, or "".
func (p *problem) alone(v int) Reason {
	arr := p.t0 + p.t(p.origin(), v)
	if arr > p.shut[v] && p.visits[v].Window != nil {
		return ReasonUnreachable
	}
	if arr > p.shut[v] || max(arr, p.open[v])+p.dur[v]+p.t(v, p.end()) > p.tEnd {
		return ReasonTooLong
	}
	return ""
}

// eval simulates seq (visit indices in order), starting each visit as
// early as its window allows. It reports whether every visit starts in its
// window and the pair is back in time, the km travelled and the value.
func (p *problem) eval(seq []int) (ok bool, km float64, value int64) {
	t, prev := p.t0, p.origin()
	for _, v := range seq {
		t += p.t(prev, v)
		if t > p.shut[v] {
			return false, 0, 0
		}
		t = max(t, p.open[v]) + p.dur[v]
		km += p.d(prev, v)
		value += p.val[v]
		prev = v
	}
	km += p.d(prev, p.end())
	return t+p.t(prev, p.end()) <= p.tEnd, km, value
}

// better reports whether (v1, km1) is a better plan than (v2, km2): more
// value, or as much for less travel.
func better(v1 int64, km1 float64, v2 int64, km2 float64) bool {
	return v1 > v2 || v1 == v2 && km1 < km2-1e-9
}

// result turns a feasible seq into a Plan, listing every other visit of
// the problem as left out with the reason.
func (p *problem) result(seq []int) Plan {
	var out Plan
	t, prev := p.t0, p.origin()
	in := make([]bool, p.n)
	for _, v := range seq {
		in[v] = true
		arr := t + p.t(prev, v)
		start := max(arr, p.open[v])
		t = start + p.dur[v]
		out.Stops = append(out.Stops, Stop{ID: p.visits[v].ID, Arrive: arr, Start: start, Leave: t})
		out.TravelKm += p.d(prev, v)
		out.Value += p.val[v]
		prev = v
	}
	out.TravelKm += p.d(prev, p.end())
	out.BackAt = t + p.t(prev, p.end())
	for v := range p.n {
		if !in[v] {
			r := p.alone(v)
			if r == "" {
				r = ReasonNoTime
			}
			out.LeftOut = append(out.LeftOut, LeftOut{ID: p.visits[v].ID, Reason: r})
		}
	}
	return out
}

// solve returns the best sequence of visits of p that it finds.
func (p *problem) solve() []int {
	var cand []int
	for v := range p.n {
		if p.alone(v) == "" {
			cand = append(cand, v)
		}
	}
	if len(cand) <= ExactLimit {
		return p.exact(cand)
	}
	return p.heuristic(cand)
}

// sortedBy returns a copy of s sorted by key, ties by index.
func sortedBy(s []int, less func(a, b int) bool) []int {
	out := slices.Clone(s)
	slices.SortStableFunc(out, func(a, b int) int {
		switch {
		case less(a, b):
			return -1
		case less(b, a):
			return 1
		}
		return 0
	})
	return out
}
