package classify

import (
	"strings"
	"testing"

	"accord/internal/errs"
	"accord/internal/money"
)

func TestTierMatrix_Tier(t *testing.T) {
	t.Parallel()
	m := DefaultTierMatrix()
	if err := m.Validate(); err != nil {
		t.Fatalf("DefaultTierMatrix().Validate() = %v", err)
	}
	tests := []struct {
		name    string
		dpd     int
		overdue money.Amount
		want    Tier
	}{
		{"short and small", 5, money.Yuan(800), Low},
		{"30 days, just under 2000", 30, 1999_99, Low},
		{"30 days, exactly 2000 is the middle band", 30, money.Yuan(2000), Low},
		{"short and large", 10, money.Yuan(20000), Medium},
		{"31 days small", 31, money.Yuan(500), Medium},
		{"90 days middle", 90, money.Yuan(19999), Medium},
		{"90 days large", 90, money.Yuan(25000), High},
		{"long and small", 91, money.Yuan(100), Medium},
		{"long and middle", 200, money.Yuan(5000), High},
		{"long and large", 400, money.Yuan(50000), High},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reasons := m.Tier(tt.dpd, tt.overdue)
			if got != tt.want {
				t.Errorf("Tier(%d, %s) = %s, want %s", tt.dpd, tt.overdue, got, tt.want)
			}
			if len(reasons) != 3 {
				t.Fatalf("got %d reasons, want 3", len(reasons))
			}
		})
	}
}

func TestTierMatrix_Reasons(t *testing.T) {
	t.Parallel()
	_, rs := DefaultTierMatrix().Tier(45, money.Yuan(5000))
	wants := []struct{ zh, en string }{
		{"逾期45天，属于31–90天档", "45 days past due, in the 31–90 days band"},
		{"逾期金额5,000.00元，属于2,000.00至20,000.00元（不含）档", "5,000.00 yuan overdue, in the 2,000.00 to under 20,000.00 yuan band"},
		{"31–90天 × 2,000.00至20,000.00元（不含） → 中风险", "31–90 days × 2,000.00 to under 20,000.00 yuan → medium risk"},
	}
	for i, w := range wants {
		if rs[i].ZH != w.zh || rs[i].EN != w.en {
			t.Errorf("reason %d = %q / %q, want %q / %q", i, rs[i].ZH, rs[i].EN, w.zh, w.en)
		}
	}
	_, rs = DefaultTierMatrix().Tier(3, 100)
	if !strings.Contains(rs[0].EN, "≤30 days") || !strings.Contains(rs[1].EN, "<2,000.00 yuan") {
		t.Errorf("edge band labels = %q, %q", rs[0].EN, rs[1].EN)
	}
	_, rs = DefaultTierMatrix().Tier(300, money.Yuan(30000))
	if !strings.Contains(rs[0].ZH, ">90天") || !strings.Contains(rs[1].ZH, "≥20,000.00元") {
		t.Errorf("top band labels = %q, %q", rs[0].ZH, rs[1].ZH)
	}
}

func TestTierMatrix_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		m         TierMatrix
		wantField string
	}{
		{"dpd not ascending", TierMatrix{DPDUpTo: []int{30, 30}, Tiers: [][]Tier{{Low}, {Low}, {Low}}}, "dpd_up_to[1]"},
		{"amount not positive", TierMatrix{AmountBelow: []money.Amount{0}, Tiers: [][]Tier{{Low, Low}}}, "amount_below[0]"},
		{"missing row", TierMatrix{DPDUpTo: []int{30}, Tiers: [][]Tier{{Low}}}, "tiers"},
		{"missing cell", TierMatrix{AmountBelow: []money.Amount{100}, Tiers: [][]Tier{{Low}}}, "tiers[0]"},
		{"unknown tier", TierMatrix{Tiers: [][]Tier{{"severe"}}}, "tiers[0][0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Validate()
			for _, f := range errs.FieldsOf(err) {
				if f.Field == tt.wantField {
					return
				}
			}
			t.Errorf("Validate() = %v, want a fault on %s", err, tt.wantField)
		})
	}
	one := TierMatrix{Tiers: [][]Tier{{High}}}
	if err := one.Validate(); err != nil {
		t.Fatalf("single-cell matrix: %v", err)
	}
	if got, _ := one.Tier(500, 1); got != High {
		t.Errorf("single-cell Tier = %s, want high", got)
	}
}
