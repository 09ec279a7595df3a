package money

import (
	"testing"

	"github.com/govalues/decimal"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Amount
		ok   bool
	}{
		{"10000.00", 1_000_000, true},
		{"12.5", 1250, true},
		{"0.01", 1, true},
		{"-3", -300, true},
		{"1.234", 0, false},
		{"1.", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{"1e5", 0, false},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestRoundHalfUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Amount
	}{
		{"0.005", 1},
		{"0.0049", 0},
		{"0.015", 2}, // half-even would give 0.02 too; 0.025 tells them apart
		{"0.025", 3},
		{"-0.025", -3},
		{"888.4878867", 88849},
	}
	for _, tt := range tests {
		if got := Round(decimal.MustParse(tt.in)); got != tt.want {
			t.Errorf("Round(%s) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	for a, want := range map[Amount]string{0: "0.00", 1: "0.01", 78849: "788.49", -5: "-0.05", 1_000_000: "10000.00"} {
		if got := a.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", a, got, want)
		}
	}
}

func TestGrouped(t *testing.T) {
	t.Parallel()
	for a, want := range map[Amount]string{0: "0.00", 99999: "999.99", 100000: "1,000.00", 7823001051: "78,230,010.51", -123456789: "-1,234,567.89"} {
		if got := a.Grouped(); got != want {
			t.Errorf("%d.Grouped() = %q, want %q", a, got, want)
		}
	}
}
