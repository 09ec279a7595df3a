package demo

import (
	"testing"

	"accord/internal/date"
)

// BenchmarkGenerate measures generation alone (no DB writes); b.N counts
// borrowers, so ns/op is the cost of one borrower with all its loans.
func BenchmarkGenerate(b *testing.B) {
	cfg := Config{Borrowers: b.N, Seed: 42, AsOf: date.MustParse("2026-03-31")}
	b.ReportAllocs()
	if err := Generate(cfg, func(Bundle) error { return nil }); err != nil {
		b.Fatal(err)
	}
}
