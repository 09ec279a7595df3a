package route_test

import (
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
