package casework

import (
	"fmt"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/money"
)

// book returns n open cases and m collectors, the same every run: a third
// owned and progressing, some stale, some new, a few wanting an agency.
func book(n, m int) ([]CaseView, []Collector) {
	buckets := []string{"M1", "M1", "M1", "M2", "M2", "M3", "M4", "M5", "M6", "M7+"}
	regions := []string{"广东省", "浙江省", "江苏省", "四川省", "河南省"}
	x := uint64(7)
	next := func(k int) int { x = x*6364136223846793005 + 1442695040888963407; return int(x>>33) % k }
	cols := make([]Collector, m)
	for i := range cols {
		cols[i] = Collector{ID: int64(i + 1), Name: fmt.Sprintf("c%d", i+1), Languages: []string{"zh"},
			Buckets: []string{buckets[i%len(buckets)]}, Capacity: 2 * n / m, Active: i%50 != 49}
		if i%3 == 0 {
			cols[i].Regions = []string{regions[i%len(regions)]}
		}
	}
	cases := make([]CaseView, n)
	for i := range cases {
		c := CaseView{CaseID: int64(i + 1), BorrowerID: int64(i + 1), Bucket: buckets[next(len(buckets))],
			Language: "zh-CN", Region: regions[next(len(regions))], Balance: money.Amount(next(5_000_000))}
		switch next(6) {
		case 0, 1:
			c.Owner, c.OwnerSince = Owner{ToCollector, int64(next(m) + 1)}, asOf.AddDays(-next(10))
		case 2:
			c.Owner, c.OwnerSince = Owner{ToCollector, int64(next(m) + 1)}, asOf.AddDays(-20-next(10))
		case 3:
			if next(4) == 0 {
				c.Placement = &Placement{MaxCommission: decimal.MustParse("0.30"), Days: 90}
			}
		}
		cases[i] = c
	}
	return cases, cols
}

// BenchmarkAssign_150k_500 assigns 150,000 open cases over 500 collectors
// and 10 agencies.
func BenchmarkAssign_150k_500(b *testing.B) {
	cases, cols := book(150_000, 500)
	var ags []Agency
	for i := range 10 {
		ags = append(ags, Agency{ID: int64(i + 1), Whitelisted: true, Capacity: 500, Commission: decimal.MustParse("0.2")})
	}
	b.ResetTimer()
	for b.Loop() {
		Assign(cases, cols, ags, DefaultConfig(), asOf)
	}
}

// BenchmarkQueue_150k scores and orders 150,000 cases.
func BenchmarkQueue_150k(b *testing.B) {
	cases, _ := book(150_000, 1)
	facts := make([]EVFacts, len(cases))
	for i, c := range cases {
		facts[i] = EVFacts{CaseID: c.CaseID, Balance: c.Balance, Bucket: c.Bucket, Segment: "willing_able", DaysSinceContact: i % 10, PromisesBroken: i % 3}
	}
	m := DefaultEVModel()
	b.ResetTimer()
	for b.Loop() {
		m.Queue(facts)
	}
}
