package route

import "slices"

// maxRounds bounds local search; in practice it settles in a few rounds.
const maxRounds = 30

// improve applies local search to the feasible route seq until no move
// helps: insert visits not on the route (more value), swap a visit for a
// more valuable one left out, reverse segments (2-opt) and move segments of
// one to three visits elsewhere (fewer km). Every move keeps the route
// feasible, and none makes it worse.
func (p *problem) improve(seq []int, cand []int) []int {
	r := p.newRoute(seq)
	for range maxRounds {
		n := len(r.seq)
		p.insertAll(r, cand, byValue)
		changed := len(r.seq) > n
		changed = p.swapIn(r, cand) || changed
		changed = p.twoOptFeasible(r) || changed
		changed = p.relocate(r) || changed
		if !changed {
			break
		}
	}
	return r.seq
}

// twoOptFeasible reverses segments of r that shorten it and keep it
// feasible.
func (p *problem) twoOptFeasible(r *routeState) bool {
	changed := false
	seq := r.seq
	for i := 0; i < len(seq)-1; i++ {
		for j := i + 1; j < len(seq); j++ {
			if p.reverseGain(seq, i, j) >= -1e-9 {
				continue
			}
			slices.Reverse(seq[i : j+1])
			if ok, _, _ := p.eval(seq); ok {
				changed = true
			} else {
				slices.Reverse(seq[i : j+1])
			}
		}
	}
	if changed {
		r.update()
	}
	return changed
}

// relocate moves a segment of one to three visits to the place where it
// saves the most km while the route stays feasible.
func (p *problem) relocate(r *routeState) bool {
	changed := false
	for k := 1; k <= 3; k++ {
		for i := 0; i+k <= len(r.seq); i++ {
			seq := r.seq
			a, b := p.origin(), p.end()
			if i > 0 {
				a = seq[i-1]
			}
			if i+k < len(seq) {
				b = seq[i+k]
			}
			first, last := seq[i], seq[i+k-1]
			cut := p.d(a, b) - p.d(a, first) - p.d(last, b)
			rest := slices.Concat(seq[:i], seq[i+k:])
			for j := 0; j <= len(rest); j++ {
				if j == i {
					continue
				}
				x, y := p.origin(), p.end()
				if j > 0 {
					x = rest[j-1]
				}
				if j < len(rest) {
					y = rest[j]
				}
				if cut+p.d(x, first)+p.d(last, y)-p.d(x, y) >= -1e-9 {
					continue
				}
				try := slices.Concat(rest[:j], seq[i:i+k], rest[j:])
				if ok, _, _ := p.eval(try); ok {
					r.seq = try
					r.update()
					changed = true
					break
				}
			}
		}
	}
	return changed
}

// swapTries bounds how many visits on the route swapIn tries to give up
// for each visit left out: the least valuable ones are the likeliest.
const swapTries = 12

// swapIn replaces a visit on r by a more valuable one left out, when the
// latter fits once the former is gone. It tries the least valuable visits
// on the route first.
func (p *problem) swapIn(r *routeState, cand []int) bool {
	on := make([]bool, p.n)
	for _, v := range r.seq {
		on[v] = true
	}
	var out []int
	for _, u := range cand {
		if !on[u] {
			out = append(out, u)
		}
	}
	out = sortedBy(out, func(a, b int) bool { return p.val[a] > p.val[b] })
	lowFirst := func() []int {
		pos := make([]int, len(r.seq))
		for i := range pos {
			pos[i] = i
		}
		return sortedBy(pos, func(a, b int) bool { return p.val[r.seq[a]] < p.val[r.seq[b]] })
	}
	pos := lowFirst()
	scratch := &routeState{p: p}
	changed := false
	for _, u := range out {
		for n, i := range pos {
			if n == swapTries || p.val[r.seq[i]] >= p.val[u] {
				break
			}
			scratch.seq = append(append(scratch.seq[:0], r.seq[:i]...), r.seq[i+1:]...)
			scratch.update()
			if at, _, ok := scratch.cheapest(u); ok {
				scratch.insert(u, at)
				*r, *scratch = *scratch, *r
				pos = lowFirst()
				changed = true
				break
			}
		}
	}
	return changed
}
