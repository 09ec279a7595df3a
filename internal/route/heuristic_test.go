package route_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"accord/internal/route"
)

// nnTwoOpt is the textbook reference: nearest neighbour from the base,
// then 2-opt until no reversal shortens the closed tour. It returns the
// tour's km.
func nnTwoOpt(d route.Day) float64 {
	pts := []route.Point{d.Start}
	left := slices.Clone(d.Visits)
	at := d.Start
	for len(left) > 0 {
		bi := 0
		for i, v := range left {
			if route.RoadKm(at, v.At) < route.RoadKm(at, left[bi].At) {
				bi = i
			}
		}
		at = left[bi].At
		pts = append(pts, at)
		left = slices.Delete(left, bi, bi+1)
	}
	pts = append(pts, d.Start)
	for improved := true; improved; {
		improved = false
		for i := 1; i < len(pts)-2; i++ {
			for j := i + 1; j < len(pts)-1; j++ {
				delta := route.RoadKm(pts[i-1], pts[j]) + route.RoadKm(pts[i], pts[j+1]) -
					route.RoadKm(pts[i-1], pts[i]) - route.RoadKm(pts[j], pts[j+1])
				if delta < -1e-9 {
					slices.Reverse(pts[i : j+1])
					improved = true
				}
			}
		}
	}
	km := 0.0
	for i := 1; i < len(pts); i++ {
		km += route.RoadKm(pts[i-1], pts[i])
	}
	return km
}

func TestDay_Plan_atLeastNearestNeighbourTwoOpt(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(40, 2))
	shorter := 0
	for i := range 60 {
		d := denseDay(rng, 40, false)
		p := d.Plan()
		checkPlan(t, d, p)
		if len(p.Stops) != 40 {
			t.Fatalf("instance %d: %d of 40 visits planned; they all fit", i, len(p.Stops))
		}
		ref := nnTwoOpt(d)
		if p.TravelKm > ref+1e-6 {
			t.Fatalf("instance %d: %.3f km, nearest neighbour + 2-opt %.3f km", i, p.TravelKm, ref)
		}
		if p.TravelKm < ref-1e-6 {
			shorter++
		}
	}
	t.Logf("shorter than nearest neighbour + 2-opt on %d of 60 instances", shorter)
}

func TestDay_Plan_windowsFeasibleAt40(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(40, 3))
	for range 40 {
		d := denseDay(rng, 40, true)
		checkPlan(t, d, d.Plan())
		d = randomDay(rng, 40, true)
		checkPlan(t, d, d.Plan())
	}
}

func TestDay_Plan_200UnderASecond(t *testing.T) {
	rng := rand.New(rand.NewPCG(200, 1))
	for _, d := range []route.Day{denseDay(rng, 200, false), denseDay(rng, 200, true), randomDay(rng, 200, true)} {
		began := time.Now()
		p := d.Plan()
		if took := time.Since(began); took > time.Second {
			t.Errorf("200 visits planned in %v", took)
		}
		checkPlan(t, d, p)
	}
}
