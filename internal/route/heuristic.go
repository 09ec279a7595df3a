package route

import "slices"

// heuristic plans more visits than the exact method can take. It builds
// several routes, keeps the best after local search and polishes it:
//   - nearest neighbour then 2-opt over every candidate, ignoring windows,
//     taking improving reversals as found or the best of each pass, then
//     cut down until feasible (when everything fits these are usually
//     already good, and the result is never worse than either);
//   - insertion by value (the most valuable visit first, at its cheapest
//     feasible place);
//   - insertion by value per added km and hour on site;
//   - insertion by added km alone.
func (p *problem) heuristic(cand []int) []int { return p.polish(p.search(cand), cand) }

// search is heuristic without the final exact polish.
func (p *problem) search(cand []int) []int {
	nn := p.nearest(cand)
	seeds := [][]int{p.repair(p.twoOpt(nn, false)), p.repair(p.twoOpt(nn, true))}
	for _, c := range []criterion{byValue, byRatio, byCost} {
		r := p.newRoute(nil)
		p.insertAll(r, cand, c)
		seeds = append(seeds, r.seq)
	}
	var best []int
	var bestVal int64
	bestKm := 0.0
	for i, s := range seeds {
		s = p.improve(s, cand)
		_, km, val := p.eval(s)
		if i == 0 || better(val, km, bestVal, bestKm) {
			best, bestVal, bestKm = s, val, km
		}
	}
	return best
}

// nearest returns cand in nearest-neighbour order from the origin.
func (p *problem) nearest(cand []int) []int {
	left := slices.Clone(cand)
	seq := make([]int, 0, len(cand))
	at := p.origin()
	for len(left) > 0 {
		bi := 0
		for i, v := range left {
			if p.d(at, v) < p.d(at, left[bi]) {
				bi = i
			}
		}
		at = left[bi]
		seq = append(seq, at)
		left = slices.Delete(left, bi, bi+1)
	}
	return seq
}

// twoOpt improves seq by reversing segments while that shortens it,
// ignoring windows and the end of the day: each improving reversal as it
// is found, or with bestOfPass the best of each pass over all of them.
func (p *problem) twoOpt(seq []int, bestOfPass bool) []int {
	seq = slices.Clone(seq)
	for improved := true; improved; {
		improved = false
		bi, bj, best := 0, 0, -1e-9
		for i := 0; i < len(seq)-1; i++ {
			for j := i + 1; j < len(seq); j++ {
				switch g := p.reverseGain(seq, i, j); {
				case g >= best:
				case bestOfPass:
					bi, bj, best = i, j, g
				default:
					slices.Reverse(seq[i : j+1])
					improved = true
				}
			}
		}
		if bj > 0 {
			slices.Reverse(seq[bi : bj+1])
			improved = true
		}
	}
	return seq
}

// reverseGain is the change in km when seq[i..j] is reversed.
func (p *problem) reverseGain(seq []int, i, j int) float64 {
	a, b := p.origin(), p.end()
	if i > 0 {
		a = seq[i-1]
	}
	if j < len(seq)-1 {
		b = seq[j+1]
	}
	return p.d(a, seq[j]) + p.d(seq[i], b) - p.d(a, seq[i]) - p.d(seq[j], b)
}

// repair makes seq feasible: it skips visits whose window has closed when
// the pair would get there, then, while the pair is back too late, drops
// the visit whose removal saves the most time per fen of value.
func (p *problem) repair(seq []int) []int {
	var kept []int
	t, prev := p.t0, p.origin()
	for _, v := range seq {
		arr := t + p.t(prev, v)
		if arr > p.shut[v] {
			continue
		}
		t = max(arr, p.open[v]) + p.dur[v]
		kept, prev = append(kept, v), v
	}
	for len(kept) > 0 {
		if ok, _, _ := p.eval(kept); ok {
			break
		}
		bi, bScore := 0, -1.0
		for i, v := range kept {
			a, b := p.origin(), p.end()
			if i > 0 {
				a = kept[i-1]
			}
			if i < len(kept)-1 {
				b = kept[i+1]
			}
			saved := float64(p.t(a, v)+p.t(v, b)-p.t(a, b)+p.dur[v]) + 1
			if s := saved / float64(p.val[v]+1); s > bScore {
				bi, bScore = i, s
			}
		}
		kept = slices.Delete(kept, bi, bi+1)
	}
	return kept
}
