package features

import (
	"math/rand/v2"
	"testing"

	"accord/internal/model"
)

// BenchmarkScoreBorrower is the CPU work of scoring one borrower in the
// nightly run: features as of a date from a year and a half of history
// (one or two 12-month loans with their payments, calls, promises, plans)
// and a logistic score with 3 reasons. Loading the facts from the
// database is not included. make bench reports it × 1,000,000.
func BenchmarkScoreBorrower(b *testing.B) {
	start := day("2025-01-01")
	d := start.AddDays(400)
	r := rand.New(rand.NewPCG(1, 2))
	var facts []*Facts
	var rows []Row
	for i := range 2000 {
		f := randomFacts(b, r, start, 500)
		facts = append(facts, f)
		rows = append(rows, Row{V: Compute(f, d), Y: r.IntN(3) == 0, Train: i%5 != 0})
	}
	m, err := model.Train(Dataset(Cure30, rows), model.Options{L2: 1})
	if err != nil {
		b.Fatal(err)
	}
	sc, err := m.NewScorer(Header())
	if err != nil {
		b.Fatal(err)
	}
	var rec []string
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		v := Compute(facts[i%len(facts)], d)
		rec = v.Record(rec)
		_ = sc.Score(rec, 3)
	}
}
