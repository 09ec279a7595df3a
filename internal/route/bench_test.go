package route_test

import (
	"accord/internal/route"
	"math/rand/v2"
	"testing"
)

func BenchmarkPlan9(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := randomDay(rng, 9, true)
	for b.Loop() {
		d.Plan()
	}
}

func BenchmarkPlan12(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := randomDay(rng, 12, true)
	d.Until = 20 * hour
	for b.Loop() {
		d.Plan()
	}
}

func BenchmarkPlan200(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := randomDay(rng, 200, true)
	for b.Loop() {
		d.Plan()
	}
}

func BenchmarkPlan200NoWindows(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := randomDay(rng, 200, false)
	for b.Loop() {
		d.Plan()
	}
}

func BenchmarkPlan200Dense(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := denseDay(rng, 200, false)
	for b.Loop() {
		d.Plan()
	}
}

func BenchmarkPlanPairs(b *testing.B) {
	rng := rand.New(rand.NewPCG(50, 2000))
	pairs, pool := randomPool(rng, 50, 2000)
	for b.Loop() {
		route.PlanPairs(pairs, pool)
	}
}

// BenchmarkPlanPairsCapacity40 is BenchmarkPlanPairs with room for 40
// visits a pair, so that every day is planned by the heuristic.
func BenchmarkPlanPairsCapacity40(b *testing.B) {
	rng := rand.New(rand.NewPCG(50, 2000))
	pairs, pool := randomPool(rng, 50, 2000)
	for i := range pairs {
		pairs[i].Capacity = 40
	}
	for b.Loop() {
		route.PlanPairs(pairs, pool)
	}
}

func BenchmarkPlan200DenseWindows(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := denseDay(rng, 200, true)
	for b.Loop() {
		d.Plan()
	}
}
