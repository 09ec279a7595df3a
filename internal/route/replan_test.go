package route_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"accord/internal/route"
)

func ids(p route.Plan) []string {
	var out []string
	for _, s := range p.Stops {
		out = append(out, s.ID)
	}
	return out
}

func TestDay_Replan(t *testing.T) {
	t.Parallel()
	base := route.Point{Lat: 31.23, Lon: 121.47}
	east := func(id string, km float64, win *route.Window, val int64) route.Visit {
		return route.Visit{ID: id, At: route.Point{Lat: 31.23, Lon: 121.47 + km/95.0}, Duration: 30 * 60, Window: win, Value: val}
	}
	d := route.Day{Start: base, From: 9 * hour, Until: 13 * hour, SpeedKmh: 30, Visits: []route.Visit{
		east("a", 5, nil, 1000), east("b", 10, nil, 1000), east("c", 15, nil, 1000),
		east("d", 12, nil, 9000), // too much for the morning alongside a, b, c at first
	}}
	tests := []struct {
		name      string
		at        route.Point
		now       route.Clock
		done      []string
		cancelled []string
		wantStops []string
		wantOut   map[string]route.Reason
	}{
		{"cancelled at the start: the rest of the day", base, 9 * hour, nil, []string{"d"},
			[]string{"a", "b", "c"}, map[string]route.Reason{"d": route.ReasonCancelled}},
		{"after the first visit, b cancelled", d.Visits[0].At, 9*hour + 45*60, []string{"a"}, []string{"b"},
			[]string{"d", "c"}, map[string]route.Reason{"b": route.ReasonCancelled}},
		{"too late for anything", d.Visits[2].At, 12*hour + 30*60, []string{"a"}, nil,
			nil, map[string]route.Reason{"b": route.ReasonTooLong, "c": route.ReasonTooLong, "d": route.ReasonTooLong}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := d.Replan(tt.at, tt.now, tt.done, tt.cancelled)
			if got := ids(p); !slices.Equal(got, tt.wantStops) && !slices.Equal(got, reversed(tt.wantStops)) {
				t.Fatalf("stops %v, want %v", got, tt.wantStops)
			}
			if len(p.Stops) > 0 && p.Stops[0].Arrive < tt.now {
				t.Fatalf("first arrival %v before now %v", p.Stops[0].Arrive, tt.now)
			}
			got := map[string]route.Reason{}
			for _, lo := range p.LeftOut {
				got[lo.ID] = lo.Reason
			}
			for _, id := range tt.done {
				if _, ok := got[id]; ok || slices.Contains(ids(p), id) {
					t.Fatalf("done visit %s planned again or listed", id)
				}
			}
			for id, r := range tt.wantOut {
				if got[id] != r {
					t.Errorf("%s left out as %q, want %q", id, got[id], r)
				}
			}
		})
	}
}

func reversed(s []string) []string {
	s = slices.Clone(s)
	slices.Reverse(s)
	return s
}

// Replanning from the base at the start of the day with nothing done or
// cancelled is planning the day.
func TestDay_Replan_fromStartIsPlan(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 3))
	for range 50 {
		d := randomDay(rng, 1+rng.IntN(15), true)
		p, r := d.Plan(), d.Replan(d.Start, d.From, nil, nil)
		if p.Value != r.Value || !slices.Equal(ids(p), ids(r)) {
			t.Fatalf("plan %v (%d), replan %v (%d)", ids(p), p.Value, ids(r), r.Value)
		}
	}
}
