package offer

import (
	"testing"

	"accord/internal/date"
)

// BenchmarkOptions measures the offers for the example case with
// a 36-month policy. The target is at most 5 ms per case.
func BenchmarkOptions(b *testing.B) {
	d, a, pol := exampleCase()
	asOf := date.MustParse("2026-03-10")
	for b.Loop() {
		if _, err := Options(asOf, d, a, "willing_unable", History{}, pol); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOptions_Freeze is the slowest path: nothing at the contract rate
// fits, so every term up to 60 months is tried and the freeze rate searched.
func BenchmarkOptions_Freeze(b *testing.B) {
	d, a, pol := exampleCase()
	pol.MaxTermMonths = 60
	a.EssentialExpenses = amt("5000.00") // sustainable 160.00
	d.Principal = yuan("8000.00")
	asOf := date.MustParse("2026-03-10")
	for b.Loop() {
		if _, err := Options(asOf, d, a, "willing_unable", History{}, pol); err != nil {
			b.Fatal(err)
		}
	}
}
