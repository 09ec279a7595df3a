package route_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"accord/internal/route"
)

const hour = 3600

// randomDay returns a day around a base in Shanghai with n visits within
// about 15 km. windows gives each visit a 50% chance of a window.
func randomDay(rng *rand.Rand, n int, windows bool) route.Day {
	d := route.Day{
		Start:    route.Point{Lat: 31.23, Lon: 121.47},
		From:     9 * hour,
		Until:    route.Clock(9*hour + (3+rng.IntN(7))*hour),
		SpeedKmh: 20 + float64(rng.IntN(20)),
	}
	for i := range n {
		v := route.Visit{
			ID:       string(rune('a' + i)),
			At:       route.Point{Lat: 31.23 + (rng.Float64()-0.5)*0.3, Lon: 121.47 + (rng.Float64()-0.5)*0.3},
			Duration: route.Clock((10 + rng.IntN(50)) * 60),
			Value:    int64(1000 + rng.IntN(20)*500),
		}
		if windows && rng.IntN(2) == 0 {
			from := route.Clock(9*hour + rng.IntN(8*60)*60)
			v.Window = &route.Window{From: from, Until: from + route.Clock((30+rng.IntN(150))*60)}
		}
		d.Visits = append(d.Visits, v)
	}
	return d
}

// bruteForce tries every order of every subset of d's visits and returns
// the best value and, for it, the least km.
func bruteForce(d route.Day) (int64, float64) {
	n := len(d.Visits)
	bestVal, bestKm := int64(0), 0.0
	used := make([]bool, n)
	var walk func(at route.Point, t route.Clock, km float64, val int64)
	walk = func(at route.Point, t route.Clock, km float64, val int64) {
		back := route.RoadKm(at, d.Start)
		if t+route.TravelSeconds(back, d.SpeedKmh) <= d.Until {
			if val > bestVal || val == bestVal && km+back < bestKm-1e-9 {
				bestVal, bestKm = val, km+back
			}
		}
		for i, v := range d.Visits {
			if used[i] {
				continue
			}
			leg := route.RoadKm(at, v.At)
			arr := t + route.TravelSeconds(leg, d.SpeedKmh)
			start := arr
			if v.Window != nil {
				if arr > v.Window.Until {
					continue
				}
				start = max(arr, v.Window.From)
			}
			used[i] = true
			walk(v.At, start+v.Duration, km+leg, val+v.Value)
			used[i] = false
		}
	}
	walk(d.Start, d.From, 0, 0)
	return bestVal, bestKm
}

// checkPlan re-simulates p on d and fails the test when a stop misses its
// window, a time is inconsistent or the pair is back late.
func checkPlan(t *testing.T, d route.Day, p route.Plan) {
	t.Helper()
	byID := map[string]route.Visit{}
	for _, v := range d.Visits {
		byID[v.ID] = v
	}
	at, now, km, val := d.Start, d.From, 0.0, int64(0)
	for _, s := range p.Stops {
		v := byID[s.ID]
		leg := route.RoadKm(at, v.At)
		arr := now + route.TravelSeconds(leg, d.SpeedKmh)
		if s.Arrive != arr || s.Start < arr || s.Leave != s.Start+v.Duration {
			t.Fatalf("stop %s: arrive %d start %d leave %d, want arrive %d", s.ID, s.Arrive, s.Start, s.Leave, arr)
		}
		if v.Window != nil && (s.Start < v.Window.From || s.Start > v.Window.Until) {
			t.Fatalf("stop %s starts at %v outside its window %v–%v", s.ID, s.Start, v.Window.From, v.Window.Until)
		}
		at, now, km, val = v.At, s.Leave, km+leg, val+v.Value
	}
	km += route.RoadKm(at, d.Start)
	back := now + route.TravelSeconds(route.RoadKm(at, d.Start), d.SpeedKmh)
	if len(p.Stops) > 0 && (p.BackAt != back || back > d.Until) {
		t.Fatalf("back at %v (plan says %v), day ends %v", back, p.BackAt, d.Until)
	}
	if math.Abs(km-p.TravelKm) > 1e-6 || val != p.Value {
		t.Fatalf("plan says %.3f km, value %d; stops give %.3f km, value %d", p.TravelKm, p.Value, km, val)
	}
	if len(p.Stops)+len(p.LeftOut) != len(d.Visits) {
		t.Fatalf("%d stops + %d left out for %d visits", len(p.Stops), len(p.LeftOut), len(d.Visits))
	}
}

func TestDay_Plan_matchesBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 1))
	for i := range 300 {
		n := 1 + rng.IntN(8)
		if i%25 == 0 {
			n = 9
		}
		d := randomDay(rng, n, i%2 == 1)
		p := d.Plan()
		checkPlan(t, d, p)
		wantVal, wantKm := bruteForce(d)
		if p.Value != wantVal {
			t.Fatalf("instance %d (%d visits): value %d, brute force %d", i, n, p.Value, wantVal)
		}
		if p.TravelKm > wantKm*1.02+1e-9 {
			t.Fatalf("instance %d (%d visits): %.3f km, brute force %.3f km", i, n, p.TravelKm, wantKm)
		}
	}
}

// denseDay returns a long day in which most or all of n short visits fit.
func denseDay(rng *rand.Rand, n int, windows bool) route.Day {
	d := randomDay(rng, n, false)
	d.From, d.Until, d.SpeedKmh = 7*hour, 23*hour, 40
	for i := range d.Visits {
		v := &d.Visits[i]
		v.At.Lat = 31.23 + (v.At.Lat-31.23)/3
		v.At.Lon = 121.47 + (v.At.Lon-121.47)/3
		v.Duration = route.Clock(2+rng.IntN(4)) * 60
		if windows && rng.IntN(3) == 0 {
			from := route.Clock(8*hour + rng.IntN(12*60)*60)
			v.Window = &route.Window{From: from, Until: from + 2*hour}
		}
	}
	return d
}
