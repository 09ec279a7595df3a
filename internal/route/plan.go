package route

import "slices"

// Plan plans d: the pair leaves d.Start at d.From and is back by d.Until.
// d must be valid (see Validate). Every visit is either a stop or left out
// with its reason; the plan makes the most value it can and, for that
// value, travels the least.
func (d Day) Plan() Plan {
	return d.planFrom(d.Start, d.From, d.Visits, nil)
}

// Replan plans the rest of d when the day has changed, typically because
// a visit was cancelled: the pair is at at, free from now, the visits in
// done have been made and those in cancelled are off. The rest of the
// visits are planned from at, back to the base by d.Until. Cancelled
// visits are listed as left out (ReasonCancelled); done ones are not
// listed. Travel counts from at.
func (d Day) Replan(at Point, now Clock, done, cancelled []string) Plan {
	var rest []Visit
	var off []LeftOut
	for _, v := range d.Visits {
		switch {
		case slices.Contains(done, v.ID):
		case slices.Contains(cancelled, v.ID):
			off = append(off, LeftOut{ID: v.ID, Reason: ReasonCancelled})
		default:
			rest = append(rest, v)
		}
	}
	return d.planFrom(at, now, rest, off)
}

func (d Day) planFrom(at Point, now Clock, visits []Visit, off []LeftOut) Plan {
	p := newProblem(at, now, d.Start, d.Until, d.SpeedKmh, visits)
	out := p.result(p.solve())
	out.LeftOut = append(out.LeftOut, off...)
	return out
}
