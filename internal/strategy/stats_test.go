package strategy

import (
	"math"
	"testing"

	"accord/internal/money"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestWilson(t *testing.T) {
	t.Parallel()
	tests := []struct {
		hits, n          int
		value, low, high float64
	}{
		{50, 100, 0.5, 0.4038, 0.5962},
		{0, 10, 0, 0, 0.2775},
		{10, 10, 1, 0.7225, 1},
		{1, 20, 0.05, 0.0089, 0.2361},
		{0, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		r := Wilson(tt.hits, tt.n, Z95)
		if !near(r.Value, tt.value, 1e-9) || !near(r.Low, tt.low, 1e-4) || !near(r.High, tt.high, 1e-4) {
			t.Errorf("Wilson(%d, %d) = %+v, want %.4f [%.4f, %.4f]", tt.hits, tt.n, r, tt.value, tt.low, tt.high)
		}
	}
}

func TestTwoProportionP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		h1, n1, h2, n2 int
		want           float64
	}{
		{60, 100, 45, 100, 0.0337}, // z = 0.15 / 0.07062 = 2.124
		{50, 100, 50, 100, 1},
		{0, 100, 0, 100, 1},
		{5, 0, 5, 10, 1},
		{300, 1000, 250, 1000, 0.0124}, // z = 0.05 / 0.01990 = 2.513
	}
	for _, tt := range tests {
		if got := TwoProportionP(tt.h1, tt.n1, tt.h2, tt.n2); !near(got, tt.want, 5e-4) {
			t.Errorf("TwoProportionP(%d/%d, %d/%d) = %.4f, want %.4f", tt.h1, tt.n1, tt.h2, tt.n2, got, tt.want)
		}
	}
}

func TestMeanCI(t *testing.T) {
	t.Parallel()
	// mean 5, sample variance 32/7 ≈ 4.5714, s/√n = 0.7559, half = 1.4815.
	m := MeanCI([]float64{2, 4, 4, 4, 5, 5, 7, 9}, Z95)
	if !near(m.Value, 5, 1e-12) || !near(m.Low, 3.5185, 1e-4) || !near(m.High, 6.4815, 1e-4) {
		t.Errorf("MeanCI = %+v", m)
	}
	if m := MeanCI([]float64{3}, Z95); m.Low != 3 || m.High != 3 {
		t.Errorf("single value: %+v", m)
	}
	if m := MeanCI(nil, Z95); m.N != 0 || m.Value != 0 {
		t.Errorf("empty: %+v", m)
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	var rows []Outcome
	add := func(arm string, n, cured, rolled int, recovered money.Amount) {
		for i := range n {
			rows = append(rows, Outcome{Arm: arm, Cured: i < cured, RolledForward: i >= n-rolled,
				Recovered: recovered, Contacts: 2, Cost: money.Yuan(3)})
		}
	}
	add(Champion, 100, 45, 20, money.Yuan(100))
	add(Challenger, 100, 60, 10, money.Yuan(150))
	rows = append(rows, Outcome{Arm: "other", Cured: true})
	c := Compare(rows)
	ch, cl := c.Champion, c.Challenger
	if ch.Cases != 100 || cl.Cases != 100 {
		t.Fatalf("cases = %d, %d", ch.Cases, cl.Cases)
	}
	if ch.CureRate.Value != 0.45 || cl.CureRate.Value != 0.60 || ch.RollForward.Value != 0.20 || cl.RollForward.Value != 0.10 {
		t.Errorf("rates = %+v %+v %+v %+v", ch.CureRate, cl.CureRate, ch.RollForward, cl.RollForward)
	}
	if ch.Recovered != money.Yuan(10000) || cl.Recovered != money.Yuan(15000) || ch.Contacts != 200 || cl.Cost != money.Yuan(300) {
		t.Errorf("totals = %+v / %+v", ch, cl)
	}
	if cl.RecoveredMean.Value != 15000 || cl.RecoveredMean.Low != 15000 {
		t.Errorf("constant recovery mean = %+v", cl.RecoveredMean)
	}
	if !near(c.CureRateP, 0.0337, 5e-4) {
		t.Errorf("CureRateP = %.4f, want 0.0337", c.CureRateP)
	}
	// roll forward 20/100 vs 10/100: pooled 0.15, se 0.0505, z 1.980, p 0.0477.
	if !near(c.RollForwardP, 0.0477, 5e-4) {
		t.Errorf("RollForwardP = %.4f, want 0.0477", c.RollForwardP)
	}
	if c.RecoveredMeanP != 0 {
		t.Errorf("RecoveredMeanP of two different constants = %v, want 0", c.RecoveredMeanP)
	}
}

func TestCompare_RecoveredMeanP(t *testing.T) {
	t.Parallel()
	// champion 100,200 × 50 each (mean 150, var 2525.25), challenger 150,250 ×
	// 50 (mean 200): se = √(2·2525.25/100) = 7.107, z = 7.035, p ≈ 2e-12.
	var rows []Outcome
	for i := range 100 {
		rows = append(rows, Outcome{Arm: Champion, Recovered: money.Amount(100 + 100*(i%2))})
		rows = append(rows, Outcome{Arm: Challenger, Recovered: money.Amount(150 + 100*(i%2))})
	}
	if p := Compare(rows).RecoveredMeanP; p > 1e-10 {
		t.Errorf("RecoveredMeanP = %g, want < 1e-10", p)
	}
	if p := Compare(rows[:2]).RecoveredMeanP; p != 1 {
		t.Errorf("one case per arm: p = %v, want 1", p)
	}
}
