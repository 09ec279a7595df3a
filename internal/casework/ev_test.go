package casework

import (
	"slices"
	"strings"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/money"
)

func TestExpectedValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		f           EVFacts
		want        money.Amount
		wantFactors string
	}{
		{
			// 0.30 × 1.2 × 1.3 × 1.2 × 1.2 = 0.67392 × 10,000
			name: "M1 willing, broken promise, not reached for 10 days, paid recently",
			f: EVFacts{Balance: money.Yuan(10000), Bucket: "M1", Segment: "willing_able", PromisesBroken: 1,
				DaysSinceContact: 10, Paid30d: money.Yuan(200)},
			want: 6739_20, wantFactors: "bucket segment promise_broken not_recently paid_30d",
		},
		{
			// 0.15 × 0.6 × 0.5 × 0.6 = 0.027 × 5,000
			name: "M3 unwilling_unable with a running promise, reached today",
			f:    EVFacts{Balance: money.Yuan(5000), Bucket: "M3", Segment: "unwilling_unable", OpenPromise: true, PromisesBroken: 2, DaysSinceContact: 0},
			want: 135_00, wantFactors: "bucket segment promise_open just_spoke",
		},
		{
			// 0.22 × 1.1 (segment) × 1.1 (kept) × 1.1 (never reached) = 0.29282 × 1,000
			name: "M2 never reached, kept a promise",
			f:    EVFacts{Balance: money.Yuan(1000), Bucket: "M2", Segment: "willing_unable", PromisesKept: 1, DaysSinceContact: NeverContacted},
			want: 292_82, wantFactors: "bucket segment promise_kept never_reached",
		},
		{
			// 0.05, half-up: 333 × 0.05 = 16.65 → 17 fen
			name: "unknown bucket and segment, contacted 3 days ago",
			f:    EVFacts{Balance: 333, Bucket: "X", Segment: "", DaysSinceContact: 3},
			want: 17, wantFactors: "bucket",
		},
		{"no balance", EVFacts{Bucket: "M1", DaysSinceContact: 3}, 0, "bucket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fs := ExpectedValue(tt.f)
			var names []string
			for _, f := range fs {
				names = append(names, f.Name)
				if f.ZH == "" || f.EN == "" {
					t.Errorf("factor %s has no text", f.Name)
				}
			}
			if got != tt.want || strings.Join(names, " ") != tt.wantFactors {
				t.Errorf("ExpectedValue() = %s %v, want %s %s", got, names, tt.want, tt.wantFactors)
			}
		})
	}
}

func TestEVModel_Cap(t *testing.T) {
	t.Parallel()
	m := DefaultEVModel()
	m.BucketBase = map[string]decimal.Decimal{"M1": decimal.MustParse("0.9")}
	got, fs := m.ExpectedValue(EVFacts{Balance: money.Yuan(100), Bucket: "M1", Segment: "willing_able", DaysSinceContact: 3})
	if got != money.Yuan(95) || fs[len(fs)-1].Name != "cap" {
		t.Errorf("capped EV = %s, factors %v", got, fs)
	}
}

func TestEVModel_Queue(t *testing.T) {
	t.Parallel()
	cases := []EVFacts{
		{CaseID: 1, Balance: money.Yuan(1000), Bucket: "M1", DaysSinceContact: 3},                    // 300.00
		{CaseID: 2, Balance: money.Yuan(20000), Bucket: "M7+", DaysSinceContact: 3},                  // 600.00
		{CaseID: 3, Balance: money.Yuan(2000), Bucket: "M1", DaysSinceContact: 3, OpenPromise: true}, // 300.00, larger balance
		{CaseID: 4, Balance: money.Yuan(1000), Bucket: "M1", DaysSinceContact: 3},                    // 300.00, same as 1
		{CaseID: 5, Balance: money.Yuan(500), Bucket: "M2", DaysSinceContact: 0},                     // 66.00
	}
	var ids []int64
	for _, s := range DefaultEVModel().Queue(cases) {
		ids = append(ids, s.CaseID)
	}
	if want := []int64{2, 3, 1, 4, 5}; !slices.Equal(ids, want) {
		t.Errorf("Queue order = %v, want %v", ids, want)
	}
}
