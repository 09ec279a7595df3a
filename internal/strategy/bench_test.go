package strategy

import (
	"testing"

	"accord/internal/money"
)

// book returns n varied cases, the same every run.
func book(n int) []Facts {
	buckets := []string{"M1", "M1", "M1", "M2", "M2", "M3", "M4", "M5", "M6", "M7+"}
	ranks := []int{1, 1, 1, 2, 2, 3, 4, 5, 6, 7}
	tiers := []string{"low", "medium", "high"}
	segs := []string{"willing_able", "willing_unable", "unwilling_able", "unwilling_unable"}
	out := make([]Facts, n)
	x := uint64(42)
	next := func(m int) int { x = x*6364136223846793005 + 1442695040888963407; return int(x>>33) % m }
	for i := range out {
		b := next(len(buckets))
		f := Facts{CaseID: int64(i + 1), BorrowerID: int64(i + 1), Bucket: buckets[b], BucketRank: ranks[b],
			Tier: tiers[next(3)], Segment: segs[next(4)], DPD: 1 + 30*(ranks[b]-1) + next(30),
			DaysSinceLastContact: next(40), HasEmail: next(3) == 0, AgencyPlaced: next(20) == 0,
			BrokenPromises: next(3), Loans: 1 + next(2), Products: []string{"cash"}}
		switch next(50) {
		case 0:
			f.Flags = []string{"vulnerable"}
		case 1:
			f.Flags = []string{"disputed"}
		}
		f.SetAmounts(money.Amount(next(5_000_000)), money.Amount(next(10_000_000)))
		out[i] = f
	}
	return out
}

// BenchmarkEvaluate_150k evaluates the default strategy for 150,000 cases
// per iteration.
func BenchmarkEvaluate_150k(b *testing.B) {
	p := mustCompile(b, DefaultDefinition())
	cases := book(150_000)
	b.ResetTimer()
	for b.Loop() {
		for i := range cases {
			p.Evaluate(cases[i])
		}
	}
}

// BenchmarkPreview_150k previews the default strategy over 150,000 cases.
func BenchmarkPreview_150k(b *testing.B) {
	p := mustCompile(b, DefaultDefinition())
	cases := book(150_000)
	b.ResetTimer()
	for b.Loop() {
		Preview(p, cases)
	}
}

// BenchmarkArm_150k splits 150,000 borrowers.
func BenchmarkArm_150k(b *testing.B) {
	exp := Experiment{ID: 1, Champion: 1, Challenger: 2, ChallengerShare: 0.2}
	for b.Loop() {
		for id := int64(1); id <= 150_000; id++ {
			Arm(exp, id)
		}
	}
}

func BenchmarkCompile_Default(b *testing.B) {
	d := DefaultDefinition()
	for b.Loop() {
		if _, err := Compile(d); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPreview_Book(t *testing.T) {
	t.Parallel()
	pr := Preview(mustCompile(t, DefaultDefinition()), book(5000))
	if pr.Unmatched != 0 {
		t.Errorf("the default strategy left %d cases unmatched", pr.Unmatched)
	}
	for _, r := range pr.Rules {
		if r.Matched == 0 || r.Errors != 0 {
			t.Errorf("rule %s: %+v", r.Name, r)
		}
	}
}
