package model

import (
	"math"
	"strings"
	"testing"
)

func TestLogisticRecoversTrueCoefficients(t *testing.T) {
	ds := synthetic(20000, 20261204, false)
	m, err := Train(ds, Options{Kind: Logistic})
	if err != nil {
		t.Fatal(err)
	}
	// Standard errors at n = 20000 are about 0.02–0.05; allow ~3 of them.
	checks := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"intercept", m.Intercept, truth.b0, 0.12},
		{"x1", feature(m, "x1").Coef, truth.b1, 0.06},
		{"x2", feature(m, "x2").Coef, truth.b2, 0.03},
		{"region=south", levelCoef(feature(m, "region"), "south"), truth.south, 0.12},
		{"region=west", levelCoef(feature(m, "region"), "west"), truth.west, 0.12},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s = %.4f, want %.4f ± %.2f", c.name, c.got, c.want, c.tol)
		}
	}
	if f := feature(m, "region"); f.Levels[0].Value != "north" || f.Levels[0].Coef != 0 || f.Default != "north" {
		t.Errorf("reference level = %+v, default %q; want north with coefficient 0", f.Levels[0], f.Default)
	}
	if m.Metrics.Train.AUC < 0.75 || m.Metrics.Train.AUC > 0.9 {
		t.Errorf("train AUC = %.3f, want the AUC of the true model (about 0.8)", m.Metrics.Train.AUC)
	}
}

// The fitted coefficients satisfy the likelihood equations: at the
// maximum, Σ (y − p)·x = 0 for every term, here checked directly on the
// rows (independently of how the fit was computed).
func TestLogisticScoreEquations(t *testing.T) {
	ds := synthetic(3000, 5, false)
	m, err := Train(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x1, x2, reg := ds.Columns[0], ds.Columns[1], ds.Columns[2]
	fr := feature(m, "region")
	var g0, g1, g2, gs float64
	for i := range ds.Y {
		z := m.Intercept + feature(m, "x1").Coef*x1.Num[i] + feature(m, "x2").Coef*x2.Num[i] + levelCoef(fr, reg.Levels[reg.Codes[i]])
		r := sigmoid(z)
		if ds.Y[i] {
			r--
		}
		g0 += r
		g1 += r * x1.Num[i]
		g2 += r * x2.Num[i]
		if reg.Levels[reg.Codes[i]] == "south" {
			gs += r
		}
	}
	for name, g := range map[string]float64{"intercept": g0, "x1": g1, "x2": g2, "south": gs} {
		if math.Abs(g) > 1e-6 {
			t.Errorf("score equation of %s = %g, want 0", name, g)
		}
	}
}

func TestL2ShrinksCoefficients(t *testing.T) {
	ds := synthetic(5000, 11, false)
	prev := math.Inf(1)
	for _, l2 := range []float64{0, 0.01, 0.1, 1} {
		m, err := Train(ds, Options{L2: l2})
		if err != nil {
			t.Fatal(err)
		}
		// Penalised on the standardised scale: compare x1 (sd 1) and the
		// level coefficients, whose scale is their own.
		norm := math.Abs(feature(m, "x1").Coef) + math.Abs(feature(m, "x2").Coef*2) +
			math.Abs(levelCoef(feature(m, "region"), "south")) + math.Abs(levelCoef(feature(m, "region"), "west"))
		if !(norm < prev) {
			t.Errorf("λ = %g: coefficient size %.4f, not below %.4f at the smaller λ", l2, norm, prev)
		}
		prev = norm
	}
}

func TestLogisticRejectsCollinearAndSeparated(t *testing.T) {
	ds := synthetic(500, 3, false)
	dup := append([]float64(nil), ds.Columns[0].Num...)
	ds.Columns = append(ds.Columns, NumericColumn("x1_copy", dup))
	if _, err := Train(ds, Options{}); err == nil {
		t.Error("duplicate column: Train succeeded, want a collinearity error")
	}
	if _, err := Train(ds, Options{L2: 0.1}); err != nil {
		t.Errorf("duplicate column with L2: %v", err)
	}

	sep := synthetic(500, 3, false)
	x := make([]float64, 500)
	for i, y := range sep.Y {
		if y {
			x[i] = 1 + float64(i%7)
		} else {
			x[i] = -1 - float64(i%5)
		}
	}
	sep.Columns = []*Column{NumericColumn("leak", x)}
	if _, err := Train(sep, Options{}); err == nil || !strings.Contains(err.Error(), "leak separates") {
		t.Errorf("perfect separation: %v, want a convergence error naming leak", err)
	}
	if _, err := Train(sep, Options{L2: 0.01}); err != nil {
		t.Errorf("perfect separation with L2: %v", err)
	}

	// A rare level whose rows are all positive.
	rare := synthetic(2000, 4, false)
	reg := rare.Columns[2]
	reg.Levels = append(reg.Levels, "island")
	for i := 0; i < 12; i++ {
		reg.Codes[i*100] = int32(len(reg.Levels) - 1)
		rare.Y[i*100] = true
	}
	if _, err := Train(rare, Options{}); err == nil || !strings.Contains(err.Error(), "region = island") {
		t.Errorf("level with only positives: %v, want an error naming region = island", err)
	}
}
