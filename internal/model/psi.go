package model

import (
	"encoding/csv"
	"io"
	"math"
	"slices"

	"accord/internal/errs"

	"gonum.org/v1/gonum/stat"
)

// PSIBins are the bins a distribution is compared on, fixed at training,
// with the training shares as Expected. Numeric bins hold the values up to
// and including each cut (above the previous one), then the values above
// the last cut, then (when Missing) the missing values. Categorical bins
// are the training Levels, then every other value.
type PSIBins struct {
	Cuts     []float64 `json:"cuts,omitempty"`
	Levels   []string  `json:"levels,omitempty"`
	Missing  bool      `json:"missing,omitempty"`
	Expected []float64 `json:"expected"`
}

// valid reports whether the expected shares match the bins.
func (b *PSIBins) valid(numeric bool) bool {
	if !numeric {
		return len(b.Cuts) == 0 && len(b.Expected) == len(b.Levels)+1
	}
	n := len(b.Cuts) + 1
	if b.Missing {
		n++
	}
	return len(b.Levels) == 0 && len(b.Expected) == n && slices.IsSorted(b.Cuts)
}

// numBin returns the bin of a number (NaN: missing).
func (b *PSIBins) numBin(x float64) int {
	if math.IsNaN(x) {
		if b.Missing {
			return len(b.Cuts) + 1
		}
		return len(b.Cuts) // not expected: scores are never missing
	}
	i, _ := slices.BinarySearch(b.Cuts, x) // first cut ≥ x
	return i
}

// decileCuts returns the distinct empirical deciles of sorted values,
// below the largest value.
func decileCuts(sorted []float64) []float64 {
	var cuts []float64
	for q := 1; q < 10; q++ {
		v := stat.Quantile(float64(q)/10, stat.Empirical, sorted, nil)
		if v < sorted[len(sorted)-1] && (len(cuts) == 0 || v > cuts[len(cuts)-1]) {
			cuts = append(cuts, v)
		}
	}
	return cuts
}

// featurePSIBins fixes the bins of a feature from the training rows:
// deciles and a missing bin for a numeric feature, the levels for a
// categorical one.
func featurePSIBins(f *Feature, c *Column, train []int) *PSIBins {
	if f.Type == TypeCategorical {
		b := &PSIBins{Expected: make([]float64, len(f.Levels)+1)}
		for l, lv := range f.Levels {
			b.Levels = append(b.Levels, lv.Value)
			b.Expected[l] = float64(lv.Count)
		}
		b.Expected = shares(b.Expected)
		return b
	}
	var vals []float64
	for _, i := range train {
		if x := c.Num[i]; !math.IsNaN(x) {
			vals = append(vals, x)
		}
	}
	slices.Sort(vals)
	b := &PSIBins{Cuts: decileCuts(vals), Missing: true}
	b.Expected = make([]float64, len(b.Cuts)+2)
	for _, i := range train {
		b.Expected[b.numBin(c.Num[i])]++
	}
	b.Expected = shares(b.Expected)
	return b
}

// scorePSIBins fixes the score's bins at the deciles of the training
// probabilities.
func scorePSIBins(p []float64) *PSIBins {
	s := slices.Clone(p)
	slices.Sort(s)
	b := &PSIBins{Cuts: decileCuts(s)}
	b.Expected = make([]float64, len(b.Cuts)+1)
	for _, v := range p {
		b.Expected[b.numBin(v)]++
	}
	b.Expected = shares(b.Expected)
	return b
}

// Stability is the population stability index of a new population against
// the training rows, for the score and each feature.
type Stability struct {
	Rows     int          `json:"rows"`
	Score    float64      `json:"score"`
	Features []FeaturePSI `json:"features"`
}

// FeaturePSI is the stability index of one feature.
type FeaturePSI struct {
	Feature string  `json:"feature"`
	PSI     float64 `json:"psi"`
}

// Monitor counts a new population into a model's fixed bins.
type Monitor struct {
	sc     *Scorer
	rows   int
	score  []float64
	counts [][]float64
}

// NewMonitor returns a Monitor for records laid out as header.
func (m *Model) NewMonitor(header []string) (*Monitor, error) {
	sc, err := m.NewScorer(header)
	if err != nil {
		return nil, err
	}
	mo := &Monitor{sc: sc, counts: make([][]float64, len(m.Features))}
	if m.ScoreBins != nil {
		mo.score = make([]float64, len(m.ScoreBins.Expected))
	}
	for k, f := range m.Features {
		if f.PSI != nil {
			mo.counts[k] = make([]float64, len(f.PSI.Expected))
		}
	}
	return mo, nil
}

// Add counts one record.
func (mo *Monitor) Add(rec []string) {
	mo.rows++
	m := mo.sc.m
	if mo.score != nil {
		mo.score[m.ScoreBins.numBin(mo.sc.Score(rec, 0).Probability)]++
	}
	for k, f := range m.Features {
		if f.PSI == nil {
			continue
		}
		raw := rec[mo.sc.at[k]]
		if f.Type == TypeNumeric {
			x, _ := parseNum(raw)
			mo.counts[k][f.PSI.numBin(x)]++
			continue
		}
		bin := len(f.PSI.Levels)
		if v := trimLevel(raw); slices.Contains(f.PSI.Levels, v) {
			bin = slices.Index(f.PSI.Levels, v)
		}
		mo.counts[k][bin]++
	}
}

// AddValues counts one typed record (see Scorer.ScoreValues) whose score
// p the caller has already computed with the same model, as Add counts
// the same record as text.
func (mo *Monitor) AddValues(v Values, p float64) {
	mo.rows++
	m := mo.sc.m
	if mo.score != nil {
		mo.score[m.ScoreBins.numBin(p)]++
	}
	for k, f := range m.Features {
		if f.PSI == nil {
			continue
		}
		at := mo.sc.at[k]
		if f.Type == TypeNumeric {
			mo.counts[k][f.PSI.numBin(finite(v.Num[at]))]++
			continue
		}
		bin := len(f.PSI.Levels)
		if i := slices.Index(f.PSI.Levels, trimLevel(v.Str[at])); i >= 0 {
			bin = i
		}
		mo.counts[k][bin]++
	}
}

// Stability returns the indices of what was added.
func (mo *Monitor) Stability() Stability {
	m := mo.sc.m
	s := Stability{Rows: mo.rows}
	if mo.score != nil {
		s.Score = PSI(m.ScoreBins.Expected, mo.score)
	}
	for k, f := range m.Features {
		if f.PSI != nil {
			s.Features = append(s.Features, FeaturePSI{Feature: f.Name, PSI: PSI(f.PSI.Expected, mo.counts[k])})
		}
	}
	return s
}

// StabilityCSV reads a table with a header from r, one record at a time,
// and returns its stability against the training rows.
func (m *Model) StabilityCSV(r io.Reader) (Stability, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return Stability{}, errs.Field("--csv", "the file is empty: a header row is needed")
	}
	if err != nil {
		return Stability{}, csvError(err)
	}
	mo, err := m.NewMonitor(header)
	if err != nil {
		return Stability{}, err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Stability{}, csvError(err)
		}
		mo.Add(rec)
	}
	if mo.rows == 0 {
		return Stability{}, errs.Field("--csv", "the file has no data rows")
	}
	return mo.Stability(), nil
}
