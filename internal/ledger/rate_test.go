package ledger

import (
	"testing"

	"accord/internal/money"
)

func TestMulRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		x    int64
		rate string
		div  uint64
		want money.Amount
	}{
		{"exact", 1_000_000, "0.12", 12, 10_000},
		{"half up", 100_200, "0.07", 12, 585},         // 584.5
		{"just below half", 100_199, "0.07", 12, 584}, // 584.494
		{"negative rounds away from zero", -100_200, "0.07", 12, -585},
		{"zero rate", 123, "0", 365, 0},
		{"19-digit scale takes the big path", 500_000_000_000_000_000, "0.0000000000000000030", 12, 0}, // 0.125
		{"big path half up", 2_000_000_000_000_000_000, "0.0000000000000000030", 12, 1},                // 0.5
		{"wide product", 9_000_000_000_000_000, "0.9999999999", 1, 8_999_999_999_100_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := mulRate(tt.x, rate(tt.rate), tt.div); got != tt.want {
				t.Errorf("mulRate(%d, %s, %d) = %d, want %d", tt.x, tt.rate, tt.div, got, tt.want)
			}
		})
	}
}
