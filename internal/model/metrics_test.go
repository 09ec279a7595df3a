package model

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// pairwiseAUC counts, over every (positive, negative) pair, 1 when the
// positive scores higher and ½ on a tie.
func pairwiseAUC(s []float64, y []bool) float64 {
	var wins, pairs float64
	for i := range s {
		for j := range s {
			if !y[i] || y[j] {
				continue
			}
			pairs++
			switch {
			case s[i] > s[j]:
				wins++
			case s[i] == s[j]:
				wins += 0.5
			}
		}
	}
	return wins / pairs
}

// directKS is the largest gap between the empirical CDFs of the scores of
// positives and negatives, evaluated at every score.
func directKS(s []float64, y []bool) float64 {
	var best float64
	for _, t := range s {
		var fp, fn, np, nn float64
		for i := range s {
			if y[i] {
				np++
				if s[i] <= t {
					fp++
				}
			} else {
				nn++
				if s[i] <= t {
					fn++
				}
			}
		}
		best = math.Max(best, math.Abs(fp/np-fn/nn))
	}
	return best
}

func TestMetricsOnHandMadeExample(t *testing.T) {
	s := []float64{0.1, 0.4, 0.35, 0.8, 0.4, 0.6}
	y := []bool{false, false, true, true, true, false}
	// Positives 0.35, 0.8, 0.4 against negatives 0.1, 0.4, 0.6:
	// 1 + 3 + (1 + ½) = 5.5 wins of 9 pairs.
	if got := AUC(s, y); !near(got, 5.5/9, 1e-12) {
		t.Errorf("AUC = %v, want 5.5/9", got)
	}
	// CDFs at 0.1: pos 0, neg 1/3; at 0.6: pos 2/3, neg 1 → KS 1/3.
	if got := KS(s, y); !near(got, 1.0/3, 1e-12) {
		t.Errorf("KS = %v, want 1/3", got)
	}
	// (0.1² + 0.4² + 0.65² + 0.2² + 0.6² + 0.6²) / 6
	if got := Brier(s, y); !near(got, 1.3525/6, 1e-12) {
		t.Errorf("Brier = %v, want %v", got, 1.3525/6)
	}
}

func TestAUCAndKSMatchDirectCounting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		n := 10 + rng.IntN(300)
		s, y := make([]float64, n), make([]bool, n)
		for i := range s {
			s[i] = float64(rng.IntN(25)) / 25 // many ties
			y[i] = rng.Float64() < 0.2+0.6*s[i]
		}
		y[0], y[1] = true, false
		if got, want := AUC(s, y), pairwiseAUC(s, y); !near(got, want, 1e-12) {
			t.Errorf("trial %d: AUC = %v, pairwise %v", trial, got, want)
		}
		if got, want := KS(s, y), directKS(s, y); !near(got, want, 1e-12) {
			t.Errorf("trial %d: KS = %v, direct %v", trial, got, want)
		}
	}
	if !math.IsNaN(AUC([]float64{0.1, 0.2}, []bool{true, true})) {
		t.Error("AUC with one class is not NaN")
	}
}

func TestCalibration(t *testing.T) {
	p := []float64{0.9, 0.1, 0.3, 0.7, 0.5, 0.2, 0.4, 0.6, 0.8, 0.05}
	y := []bool{true, false, false, true, true, false, false, true, true, false}
	got := Calibration(p, y, 5)
	want := []CalBin{
		{Rows: 2, MinScore: 0.05, MaxScore: 0.1, Predicted: 0.075, Observed: 0},
		{Rows: 2, MinScore: 0.2, MaxScore: 0.3, Predicted: 0.25, Observed: 0},
		{Rows: 2, MinScore: 0.4, MaxScore: 0.5, Predicted: 0.45, Observed: 0.5},
		{Rows: 2, MinScore: 0.6, MaxScore: 0.7, Predicted: 0.65, Observed: 1},
		{Rows: 2, MinScore: 0.8, MaxScore: 0.9, Predicted: 0.85, Observed: 1},
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Rows != w.Rows || g.MinScore != w.MinScore || g.MaxScore != w.MaxScore || !near(g.Predicted, w.Predicted, 1e-12) || g.Observed != w.Observed {
			t.Errorf("group %d = %+v, want %+v", i, g, w)
		}
	}
	if g := Calibration(p[:7], y[:7], 3); g[0].Rows != 3 || g[1].Rows != 2 || g[2].Rows != 2 {
		t.Errorf("7 rows in 3 groups = %d, %d, %d; want 3, 2, 2", g[0].Rows, g[1].Rows, g[2].Rows)
	}
}

func TestPSI(t *testing.T) {
	e := []float64{0.1, 0.2, 0.3, 0.4}
	if got := PSI(e, []float64{10, 20, 30, 40}); got != 0 {
		t.Errorf("PSI of identical distributions (shares vs counts) = %v, want 0", got)
	}
	// Σ (a−e)·ln(a/e) for e = ¼ each, a = 0.1, 0.2, 0.3, 0.4:
	// −0.15·ln 0.4 − 0.05·ln 0.8 + 0.05·ln 1.2 + 0.15·ln 1.6 = 0.2282174…
	if got := PSI([]float64{1, 1, 1, 1}, []float64{0.1, 0.2, 0.3, 0.4}); !near(got, 0.22821740957339182, 1e-12) {
		t.Errorf("PSI of the shift = %v, want 0.2282174", got)
	}
	// An empty bin counts as PSIFloor: (1e-4 − 0.5)·ln(1e-4/0.5) + (0.5 − 0.5)·0 … normalised first.
	got := PSI([]float64{0.5, 0.5}, []float64{0, 1})
	want := (PSIFloor-0.5)*math.Log(PSIFloor/0.5) + (1-0.5)*math.Log(1/0.5)
	if !near(got, want, 1e-12) {
		t.Errorf("PSI with an empty bin = %v, want %v", got, want)
	}
}

func TestPointsDoubleTheOdds(t *testing.T) {
	p, err := NewPoints(600, 50, 20)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Score(math.Log(50)); !near(got, 600, 1e-9) {
		t.Errorf("score at the base odds = %v, want 600", got)
	}
	if got := p.Score(math.Log(100)); !near(got, 620, 1e-9) {
		t.Errorf("score at twice the base odds = %v, want 620", got)
	}
	if got := p.Score(math.Log(25)); !near(got, 580, 1e-9) {
		t.Errorf("score at half the base odds = %v, want 580", got)
	}
	for _, s := range []float64{500, 600, 613.7} {
		if r := p.Odds(s+20) / p.Odds(s); !near(r, 2, 1e-12) {
			t.Errorf("odds(%v+20)/odds(%v) = %v, want 2", s, s, r)
		}
	}
	if !near(p.Factor, 20/math.Ln2, 1e-12) || !near(p.Offset, 600-20/math.Ln2*math.Log(50), 1e-9) {
		t.Errorf("factor %v offset %v", p.Factor, p.Offset)
	}
	for _, bad := range [][3]float64{{600, 50, 0}, {600, 0, 20}, {600, -1, 20}, {math.NaN(), 1, 20}} {
		if _, err := NewPoints(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("NewPoints%v: no error", bad)
		}
	}
}

func TestWoEAndIVHandWorked(t *testing.T) {
	pos, neg := []int{10, 20, 30}, []int{40, 30, 10} // 60 positives, 80 negatives
	want := []float64{
		math.Log((10.0 / 60) / (40.0 / 80)), // ln(1/3)  = −1.0986
		math.Log((20.0 / 60) / (30.0 / 80)), // ln(8/9)  = −0.1178
		math.Log((30.0 / 60) / (10.0 / 80)), // ln 4     =  1.3863
	}
	hand := []float64{-1.0986122886681098, -0.11778303565638351, 1.3862943611198906}
	for i := range pos {
		got := WoE(pos[i], neg[i], 60, 80)
		if !near(got, want[i], 1e-12) || !near(got, hand[i], 1e-12) {
			t.Errorf("WoE bin %d = %v, want %v", i, got, hand[i])
		}
	}
	// (−1/3)(−1.0986) + (−1/24)(−0.1178) + (3/8)(1.3863) = 0.8909721
	if got := IV(pos, neg); !near(got, 0.8909721081283448, 1e-12) {
		t.Errorf("IV = %v, want 0.8909721", got)
	}
	// A bin without negatives has ½ added to both counts.
	if got := WoE(0, 5, 10, 10); !near(got, math.Log((0.5/10)/(5.5/10)), 1e-12) {
		t.Errorf("WoE of an empty bin = %v, want ln(1/11)", got)
	}
}

func TestMonotoneBins(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, dir := range []float64{1, -1} {
		n := 10000
		x, y := make([]float64, n), make([]bool, n)
		for i := range x {
			x[i] = math.Round(rng.Float64()*1000) / 10 // ties
			// Rising (or falling) overall with a wiggle the bins must not follow.
			p := 0.5 + dir*0.3*(x[i]/100-0.5) + 0.08*math.Sin(x[i]/3)
			y[i] = rng.Float64() < p
		}
		upper, rows, pos := MonotoneBins(x, y)
		if len(upper) < 3 {
			t.Fatalf("dir %v: %d bins, want several", dir, len(upper))
		}
		total := 0
		for i := range upper {
			total += rows[i]
			if rows[i] < n/20 {
				t.Errorf("dir %v: bin %d has %d rows, below 5%%", dir, i, rows[i])
			}
			if i == 0 {
				continue
			}
			if upper[i] <= upper[i-1] {
				t.Errorf("dir %v: bin uppers not ascending: %v", dir, upper)
			}
			prev, cur := float64(pos[i-1])/float64(rows[i-1]), float64(pos[i])/float64(rows[i])
			if dir*(cur-prev) <= 0 {
				t.Errorf("dir %v: rate of bin %d = %.4f after %.4f: not monotone", dir, i, cur, prev)
			}
		}
		if total != n {
			t.Errorf("dir %v: bins hold %d rows, want %d", dir, total, n)
		}
		// Every value lies in the bin its upper bounds say.
		sorted := append([]float64(nil), x...)
		sort.Float64s(sorted)
		if upper[len(upper)-1] != sorted[n-1] {
			t.Errorf("last upper = %v, want the largest value %v", upper[len(upper)-1], sorted[n-1])
		}
	}
}
