package model

import (
	"math"
	"testing"
)

func TestScorecardBinsPointsAndFit(t *testing.T) {
	ds := synthetic(20000, 17, true)
	// Knock out some x2 values so that x2 has a missing bin.
	for i := 0; i < len(ds.Y); i += 13 {
		ds.Columns[1].Num[i] = math.NaN()
	}
	pts, _ := NewPoints(600, 1, 20)
	m, err := Train(ds, Options{Kind: Scorecard, Points: pts})
	if err != nil {
		t.Fatal(err)
	}
	if m.Points == nil || m.Points.BaseScore != 600 || m.Points.PDO != 20 {
		t.Fatalf("points = %+v", m.Points)
	}
	var totPos, totNeg int
	for i, tr := range ds.Train {
		if tr && ds.Y[i] {
			totPos++
		} else if tr {
			totNeg++
		}
	}
	for _, f := range m.Features {
		var pos, neg []int
		var prev float64
		rows := 0
		for b, bin := range f.Bins {
			rows += bin.Count
			pos = append(pos, bin.Positives)
			neg = append(neg, bin.Count-bin.Positives)
			if w := WoE(bin.Positives, bin.Count-bin.Positives, totPos, totNeg); !near(bin.WoE, w, 1e-12) {
				t.Errorf("%s bin %d: WoE %v, want %v", f.Name, b, bin.WoE, w)
			}
			if !near(bin.Points, m.Points.Factor*f.Coef*bin.WoE, 1e-9) {
				t.Errorf("%s bin %d: points %v, want factor·coef·WoE", f.Name, b, bin.Points)
			}
			if f.Type != TypeNumeric || bin.Missing {
				continue
			}
			rate := float64(bin.Positives) / float64(bin.Count)
			// x1 raises the odds, x2 lowers them: bins follow.
			if b > 0 && ((f.Name == "x1" && rate <= prev) || (f.Name == "x2" && rate >= prev)) {
				t.Errorf("%s bin %d: rate %.4f after %.4f is out of order", f.Name, b, rate, prev)
			}
			prev = rate
		}
		if rows != m.Rows.Train {
			t.Errorf("%s: bins hold %d rows, want %d", f.Name, rows, m.Rows.Train)
		}
		if !near(f.IV, IV(pos, neg), 1e-12) || f.IV <= 0 {
			t.Errorf("%s: IV %v", f.Name, f.IV)
		}
		// On WoE, each coefficient is near 1 when features are independent.
		if f.Coef < 0.7 || f.Coef > 1.3 {
			t.Errorf("%s: coefficient on WoE = %v, want about 1", f.Name, f.Coef)
		}
	}
	if x2 := feature(m, "x2"); !x2.Bins[len(x2.Bins)-1].Missing {
		t.Error("x2 has no missing bin")
	}
	// The points of a row add up to the score of its log-odds.
	sc, _ := m.NewScorer([]string{"x1", "x2", "region"})
	for _, rec := range [][]string{{"0.5", "1", "south"}, {"-1", "", "west"}, {"2", "7", "north"}} {
		r := sc.Score(rec, 0)
		sum := m.Points.BasePoints
		for k, f := range m.Features {
			var b int
			if f.Type == TypeNumeric {
				x, _ := parseNum(rec[k])
				b = f.numBin(x)
			} else {
				b = f.catBin(f.level(rec[k]))
			}
			sum += f.Bins[b].Points
		}
		if !near(sum, r.Points, 1e-9) || !near(r.Points, m.Points.Score(r.LogOdds), 1e-9) {
			t.Errorf("%v: points add to %v, score %v", rec, sum, r.Points)
		}
		if !near(m.Points.Odds(r.Points), r.Probability/(1-r.Probability), 1e-9) {
			t.Errorf("%v: odds of the points ≠ odds of the probability", rec)
		}
	}
	if m.Metrics.Test == nil || m.Metrics.Test.AUC < 0.75 {
		t.Errorf("test metrics = %+v", m.Metrics.Test)
	}
}

// With one categorical feature binned by level, the logistic regression
// on WoE is saturated: coefficient 1, intercept ln(positives/negatives),
// and every level is predicted at its observed rate.
func TestScorecardSingleFeatureIsExact(t *testing.T) {
	v := []string{}
	y := []bool{}
	add := func(level string, pos, neg int) {
		for i := 0; i < pos; i++ {
			v, y = append(v, level), append(y, true)
		}
		for i := 0; i < neg; i++ {
			v, y = append(v, level), append(y, false)
		}
	}
	add("a", 10, 40)
	add("b", 20, 30)
	add("c", 30, 10)
	ds := &Dataset{Target: "y", Positive: "1", Y: y, Train: make([]bool, len(y)), Columns: []*Column{CategoricalColumn("grade", v)}}
	for i := range ds.Train {
		ds.Train[i] = true
	}
	m, err := Train(ds, Options{Kind: Scorecard})
	if err != nil {
		t.Fatal(err)
	}
	f := m.Features[0]
	if !near(f.Coef, 1, 1e-7) || !near(m.Intercept, math.Log(60.0/80), 1e-7) {
		t.Errorf("coef %v intercept %v, want 1 and ln(60/80)", f.Coef, m.Intercept)
	}
	if !near(f.IV, 0.8909721081283448, 1e-12) {
		t.Errorf("IV = %v, want the hand-worked 0.8909721", f.IV)
	}
	sc, _ := m.NewScorer([]string{"grade"})
	for level, rate := range map[string]float64{"a": 0.2, "b": 0.4, "c": 0.75} {
		if p := sc.Score([]string{level}, 0).Probability; !near(p, rate, 1e-7) {
			t.Errorf("level %s: probability %v, want %v", level, p, rate)
		}
	}
	// Default points 600 at 1:1, 20 to double: odds 3 (level c) scores
	// 600 + 20·log2(3).
	if p := sc.Score([]string{"c"}, 0).Points; !near(p, 600+20*math.Log2(3), 1e-5) {
		t.Errorf("points of c = %v, want %v", p, 600+20*math.Log2(3))
	}
}
