package model

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"accord/internal/errs"
)

// term is one column of the logistic design matrix.
type term struct {
	feature   int
	kind      int // termValue, termMissing or termLevel
	level     int
	mean, std float64
}

const (
	termValue = iota
	termMissing
	termLevel
)

// fitLogisticModel fits the logistic kind: numeric values standardised
// (mean 0, sd 1 over the training rows, after imputation by the median)
// with a missing indicator where there were missing values, and one
// indicator per categorical level but the most frequent. Coefficients are
// stored back on the original scale.
func fitLogisticModel(m *Model, cols []*Column, train []int, y []bool) error {
	var terms []term
	for k, f := range m.Features {
		if f.Type == TypeNumeric {
			vals := make([]float64, len(train))
			for r, i := range train {
				vals[r] = imputed(cols[k].Num[i], f.Median)
			}
			mean, std := stat.MeanStdDev(vals, nil)
			terms = append(terms, term{feature: k, kind: termValue, mean: mean, std: std})
			if f.MissingIndicator {
				terms = append(terms, term{feature: k, kind: termMissing})
			}
			continue
		}
		for l := 1; l < len(f.Levels); l++ {
			terms = append(terms, term{feature: k, kind: termLevel, level: l})
		}
	}
	p := len(terms) + 1
	X := mat.NewDense(len(train), p, nil)
	raw := X.RawMatrix()
	for r := range train {
		raw.Data[r*raw.Stride] = 1
	}
	levelMaps := make([][]int, len(cols))
	for j, t := range terms {
		f, c := m.Features[t.feature], cols[t.feature]
		for r, i := range train {
			var v float64
			switch t.kind {
			case termValue:
				v = (imputed(c.Num[i], f.Median) - t.mean) / t.std
			case termMissing:
				if math.IsNaN(c.Num[i]) {
					v = 1
				}
			case termLevel:
				if levelMaps[t.feature] == nil {
					levelMaps[t.feature] = levelMap(f, c)
				}
				if levelMaps[t.feature][c.Codes[i]] == t.level {
					v = 1
				}
			}
			raw.Data[r*raw.Stride+j+1] = v
		}
	}
	res, err := fitLogistic(X, outcomes(y), m.L2)
	if errors.Is(err, errNoConvergence) && len(res.Beta) > 1 {
		t := terms[runaway(res.Beta)-1]
		f := m.Features[t.feature]
		what := f.Name
		switch t.kind {
		case termMissing:
			what += " (missing)"
		case termLevel:
			what += " = " + f.Levels[t.level].Value
		}
		return errs.Errorf(errs.Invalid, "The logistic regression did not converge: %s separates the classes (almost) perfectly; use an L2 penalty or drop the column.", what)
	}
	if err != nil {
		return err
	}
	m.Intercept = res.Beta[0]
	for j, t := range terms {
		b := res.Beta[j+1]
		f := m.Features[t.feature]
		switch t.kind {
		case termValue:
			f.Coef = b / t.std
			m.Intercept -= b * t.mean / t.std
		case termMissing:
			f.MissingCoef = b
		case termLevel:
			f.Levels[t.level].Coef = b
		}
	}
	return nil
}

func imputed(x, median float64) float64 {
	if math.IsNaN(x) {
		return median
	}
	return x
}

func outcomes(y []bool) []float64 {
	out := make([]float64, len(y))
	for i, v := range y {
		if v {
			out[i] = 1
		}
	}
	return out
}

// fitScorecard bins every feature, replaces each value by the WoE of its
// bin, fits a logistic regression on the WoE values and turns the result
// into points. Features left with a single bin are dropped as unused; the
// columns of the remaining features are returned.
func fitScorecard(m *Model, cols []*Column, train []int, y []bool, pts Points) ([]*Column, error) {
	var totPos, totNeg int
	for _, v := range y {
		if v {
			totPos++
		} else {
			totNeg++
		}
	}
	var keep []*Feature
	var keepCols []*Column
	for k, f := range m.Features {
		f.Bins = bins(f, cols[k], train, y)
		f.MissingIndicator = false // the missing bin plays its part
		if len(f.Bins) < 2 {
			m.Unused = append(m.Unused, Unused{Column: f.Name, Reason: "a single bin after monotone merging"})
			continue
		}
		pos, neg := make([]int, len(f.Bins)), make([]int, len(f.Bins))
		for b := range f.Bins {
			bn := &f.Bins[b]
			pos[b], neg[b] = bn.Positives, bn.Count-bn.Positives
			bn.WoE = WoE(pos[b], neg[b], totPos, totNeg)
		}
		f.IV = IV(pos, neg)
		f.Coef = 1 // so that a feature's contribution is its WoE while fitting
		keep = append(keep, f)
		keepCols = append(keepCols, cols[k])
	}
	m.Features = keep
	if len(keep) == 0 {
		return nil, errs.Errorf(errs.Invalid, "No column is usable as a scorecard feature.")
	}
	X := mat.NewDense(len(train), len(keep)+1, nil)
	raw := X.RawMatrix()
	all := make([]float64, keepCols[0].Len())
	for r := range train {
		raw.Data[r*raw.Stride] = 1
	}
	for k, f := range keep {
		contribs(f, keepCols[k], all)
		for r, i := range train {
			raw.Data[r*raw.Stride+k+1] = all[i]
		}
	}
	res, err := fitLogistic(X, outcomes(y), m.L2)
	if errors.Is(err, errNoConvergence) && len(res.Beta) > 1 {
		return nil, errs.Errorf(errs.Invalid, "The logistic regression on WoE did not converge at %s: use an L2 penalty or drop the column.", keep[runaway(res.Beta)-1].Name)
	}
	if err != nil {
		return nil, err
	}
	m.Intercept = res.Beta[0]
	pts.BasePoints = pts.Score(m.Intercept)
	m.Points = &pts
	for k, f := range keep {
		f.Coef = res.Beta[k+1]
		for b := range f.Bins {
			f.Bins[b].Points = pts.Factor * f.Coef * f.Bins[b].WoE
		}
	}
	return keepCols, nil
}

// bins returns the scorecard bins of a feature from the training rows:
// monotone numeric bins and a missing bin when training rows had missing
// values, or one bin per categorical level.
func bins(f *Feature, c *Column, train []int, y []bool) []Bin {
	if f.Type == TypeCategorical {
		lm := levelMap(f, c)
		out := make([]Bin, len(f.Levels))
		for l, lv := range f.Levels {
			out[l].Levels = []string{lv.Value}
		}
		for r, i := range train {
			b := &out[lm[c.Codes[i]]]
			b.Count++
			if y[r] {
				b.Positives++
			}
		}
		return out
	}
	var xs []float64
	var ys []bool
	miss := Bin{Missing: true}
	for r, i := range train {
		if x := c.Num[i]; math.IsNaN(x) {
			miss.Count++
			if y[r] {
				miss.Positives++
			}
		} else {
			xs = append(xs, x)
			ys = append(ys, y[r])
		}
	}
	var out []Bin
	for _, b := range monotoneBins(xs, ys) {
		u := b.upper
		out = append(out, Bin{Upper: &u, Count: b.rows, Positives: b.positive})
	}
	out[len(out)-1].Upper = nil
	if miss.Count > 0 {
		out = append(out, miss)
	}
	return out
}
