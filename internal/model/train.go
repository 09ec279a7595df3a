package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"accord/internal/errs"
)

// Options choose the model Train builds.
type Options struct {
	Kind Kind    // Logistic (the default) or Scorecard
	L2   float64 // L2 penalty λ on the standardised scale; 0: none
	// Points scale a scorecard (see NewPoints); the zero value means 600
	// points at odds 1:1 and 20 points to double the odds.
	Points Points
}

// Train fits a model on the training rows of ds and measures it on the
// training and held-out rows.
func Train(ds *Dataset, opt Options) (*Model, error) {
	if opt.Kind == "" {
		opt.Kind = Logistic
	}
	if opt.Kind != Logistic && opt.Kind != Scorecard {
		return nil, errs.Field("--kind", "%q is not logistic or scorecard", opt.Kind)
	}
	if !(opt.L2 >= 0) || math.IsInf(opt.L2, 0) {
		return nil, errs.Field("--l2", "must be zero or a positive number")
	}
	var train []int
	var test []int
	for i, t := range ds.Train {
		if t {
			train = append(train, i)
		} else {
			test = append(test, i)
		}
	}
	y := make([]bool, len(train))
	var pos int
	for k, i := range train {
		y[k] = ds.Y[i]
		if y[k] {
			pos++
		}
	}
	if pos == 0 || pos == len(train) {
		return nil, errs.Field("--target", "the training rows need both target values")
	}
	m := &Model{Format: Format, Version: Version, Kind: opt.Kind, Target: ds.Target, Positive: ds.Positive,
		L2: opt.L2, Rows: RowCounts{Train: len(train), Test: len(test)}}
	var cols []*Column
	for _, c := range ds.Columns {
		f, why := prepare(c, train)
		if why != "" {
			m.Unused = append(m.Unused, Unused{Column: c.Name, Reason: why})
			continue
		}
		m.Features = append(m.Features, f)
		cols = append(cols, c)
	}
	var err error
	if opt.Kind == Logistic {
		err = fitLogisticModel(m, cols, train, y)
	} else {
		if opt.Points == (Points{}) {
			opt.Points, _ = NewPoints(600, 1, 20)
		}
		cols, err = fitScorecard(m, cols, train, y, opt.Points)
	}
	if err != nil {
		return nil, err
	}
	finish(m, ds, cols, train, test)
	return m, nil
}

// prepare describes how column c becomes a feature, from the training
// rows only, or says why it cannot.
func prepare(c *Column, train []int) (*Feature, string) {
	if c.Skip != "" {
		return nil, c.Skip
	}
	if c.Numeric {
		vals := make([]float64, 0, len(train))
		missing := 0
		for _, i := range train {
			if v := c.Num[i]; math.IsNaN(v) {
				missing++
			} else {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			return nil, "no value in the training rows"
		}
		slices.Sort(vals)
		if vals[0] == vals[len(vals)-1] {
			return nil, "constant in the training rows"
		}
		return &Feature{Name: c.Name, Type: TypeNumeric, Median: median(vals), MissingIndicator: missing > 0, MissingTrain: missing}, ""
	}
	counts := make([]int, len(c.Levels))
	for _, i := range train {
		counts[c.Codes[i]]++
	}
	var levels []Level
	for k, n := range counts {
		if n > 0 {
			levels = append(levels, Level{Value: c.Levels[k], Count: n})
		}
	}
	slices.SortFunc(levels, func(a, b Level) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	switch {
	case len(levels) < 2:
		return nil, "a single level in the training rows"
	case len(levels) > MaxLevels:
		return nil, fmt.Sprintf("%d levels in the training rows (at most %d)", len(levels), MaxLevels)
	}
	f := &Feature{Name: c.Name, Type: TypeCategorical, Levels: levels, Default: levels[0].Value}
	f.index()
	return f, ""
}

// median of sorted values: the middle one, or the mean of the two middle.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// levelMap maps the codes of a categorical column to the levels of f.
func levelMap(f *Feature, c *Column) []int {
	out := make([]int, len(c.Levels))
	for k, l := range c.Levels {
		out[k] = f.level(l)
	}
	return out
}

// contribs fills out[i] with the contribution of f for row i of c.
func contribs(f *Feature, c *Column, out []float64) {
	if f.Type == TypeNumeric {
		for i, x := range c.Num {
			out[i] = f.numContrib(x)
		}
		return
	}
	lm := levelMap(f, c)
	byLevel := make([]float64, len(f.Levels))
	for l := range f.Levels {
		byLevel[l] = f.catContrib(l)
	}
	for i, code := range c.Codes {
		out[i] = byLevel[lm[code]]
	}
}

// finish computes what every model carries beyond its coefficients: the
// average contribution of each feature, the metrics and the PSI bins.
func finish(m *Model, ds *Dataset, cols []*Column, train, test []int) {
	n := ds.Rows()
	z := make([]float64, n)
	for i := range z {
		z[i] = m.Intercept
	}
	buf := make([]float64, n)
	for k, f := range m.Features {
		contribs(f, cols[k], buf)
		var s float64
		for _, i := range train {
			s += buf[i]
		}
		f.Average = s / float64(len(train))
		for i, v := range buf {
			z[i] += v
		}
		f.PSI = featurePSIBins(f, cols[k], train)
	}
	p := buf
	for i, v := range z {
		p[i] = sigmoid(v)
	}
	pick := func(rows []int) ([]float64, []bool) {
		pp, yy := make([]float64, len(rows)), make([]bool, len(rows))
		for k, i := range rows {
			pp[k], yy[k] = p[i], ds.Y[i]
		}
		return pp, yy
	}
	tp, ty := pick(train)
	m.Metrics.Train = Evaluate(tp, ty)
	m.ScoreBins = scorePSIBins(tp)
	if len(test) > 0 {
		e := Evaluate(pick(test))
		m.Metrics.Test = &e
	}
}
