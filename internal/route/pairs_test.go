package route_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"accord/internal/errs"
	"accord/internal/route"
)

// randomPool returns pairs spread over two regions and a pool of visits
// around them.
func randomPool(rng *rand.Rand, pairs, visits int) ([]route.Pair, []route.Visit) {
	var ps []route.Pair
	for i := range pairs {
		region := []string{"浦东", "浦西"}[i%2]
		ps = append(ps, route.Pair{ID: fmt.Sprintf("p%d", i), Region: region, From: 9 * hour, Until: 18 * hour, SpeedKmh: 30, Capacity: 6 + i%3,
			Base: route.Point{Lat: 31.23 + (rng.Float64()-0.5)*0.4, Lon: 121.47 + (rng.Float64()-0.5)*0.4}})
	}
	var vs []route.Visit
	for i := range visits {
		v := route.Visit{ID: fmt.Sprintf("v%d", i), Region: []string{"浦东", "浦西"}[rng.IntN(2)],
			At:       route.Point{Lat: 31.23 + (rng.Float64()-0.5)*0.5, Lon: 121.47 + (rng.Float64()-0.5)*0.5},
			Duration: route.Clock(20+rng.IntN(40)) * 60, Value: int64(500 + rng.IntN(100)*100)}
		if rng.IntN(3) == 0 {
			from := route.Clock(9*hour + rng.IntN(7*60)*60)
			v.Window = &route.Window{From: from, Until: from + 2*hour}
		}
		vs = append(vs, v)
	}
	return ps, vs
}

func TestPlanPairs(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(50, 2000))
	pairs, pool := randomPool(rng, 50, 2000)
	pairs = append(pairs, route.Pair{ID: "idle", Region: "崇明", Base: pairs[0].Base, From: 9 * hour, Until: 18 * hour, SpeedKmh: 30, Capacity: 5})
	pool = append(pool, route.Visit{ID: "island", Region: "嘉定", At: pairs[0].Base, Duration: 600, Value: 99999})
	if err := route.ValidatePairs(pairs); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	a := route.PlanPairs(pairs, pool)
	t.Logf("50 pairs over 2,000 visits in %v", time.Since(began))

	byID := map[string]route.Visit{}
	for _, v := range pool {
		byID[v.ID] = v
	}
	seen := map[string]bool{}
	for i, pp := range a.Plans {
		pr := pairs[i]
		if pp.Pair != pr.ID || len(pp.Plan.Stops) > pr.Capacity {
			t.Fatalf("pair %s: %d stops, capacity %d", pp.Pair, len(pp.Plan.Stops), pr.Capacity)
		}
		d := route.Day{Start: pr.Base, From: pr.From, Until: pr.Until, SpeedKmh: pr.SpeedKmh}
		for _, s := range pp.Plan.Stops {
			v := byID[s.ID]
			if seen[s.ID] {
				t.Fatalf("visit %s planned twice", s.ID)
			}
			seen[s.ID] = true
			if v.Region != pr.Region {
				t.Fatalf("visit %s of %s given to pair %s of %s", s.ID, v.Region, pr.ID, pr.Region)
			}
			d.Visits = append(d.Visits, v)
		}
		checkPlan(t, d, pp.Plan)
	}
	if len(seen)+len(a.LeftOut) != len(pool) {
		t.Fatalf("%d planned + %d left out of %d", len(seen), len(a.LeftOut), len(pool))
	}
	if len(a.Plans[50].Plan.Stops) != 0 {
		t.Fatal("the pair of a region without visits has stops")
	}
	full := 0
	for i, pp := range a.Plans[:50] {
		if len(pp.Plan.Stops) == pairs[i].Capacity {
			full++
		}
	}
	if full < 40 {
		t.Errorf("only %d of 50 pairs have a full day from 2,000 visits", full)
	}
	for _, lo := range a.LeftOut {
		if lo.ID == "island" && lo.Reason != route.ReasonNoPair {
			t.Fatalf("island left out as %s, want %s", lo.Reason, route.ReasonNoPair)
		}
	}
}

func TestValidatePairs(t *testing.T) {
	t.Parallel()
	err := route.ValidatePairs([]route.Pair{
		{ID: "a", Base: route.Point{Lat: 31, Lon: 121}, From: 9 * hour, Until: 8 * hour, SpeedKmh: 30, Capacity: 0},
	})
	var names []string
	for _, f := range errs.FieldsOf(err) {
		names = append(names, f.Field)
	}
	if fmt.Sprint(names) != "[pairs[0].until pairs[0].capacity]" {
		t.Fatalf("fields %v", names)
	}
}
