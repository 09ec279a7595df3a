package model

import (
	"encoding/json"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Metrics are measured when a model is trained: on the training rows and
// on the held-out rows (Test is nil when there are none).
type Metrics struct {
	Train Eval  `json:"train"`
	Test  *Eval `json:"test,omitempty"`
}

// Eval measures predicted probabilities against outcomes.
type Eval struct {
	Rows      int `json:"rows"`
	Positives int `json:"positives"`
	AUC       Num `json:"auc"`
	KS        Num `json:"ks"`
	Brier     Num `json:"brier"`
	// Calibration is the rows in ten groups of equal size by predicted
	// probability, lowest first.
	Calibration []CalBin `json:"calibration"`
}

// CalBin is one group of a calibration table: its rows, the range and
// mean of their predictions and the observed share of positives.
type CalBin struct {
	Rows      int     `json:"rows"`
	MinScore  float64 `json:"min_score"`
	MaxScore  float64 `json:"max_score"`
	Predicted float64 `json:"predicted"`
	Observed  float64 `json:"observed"`
}

// Evaluate measures the probabilities p against the outcomes y. AUC and KS
// come from the ROC curve (gonum/stat) over every distinct score; tied
// scores count half, as in the Mann-Whitney statistic. AUC and KS are NaN
// when y holds only one class.
func Evaluate(p []float64, y []bool) Eval {
	e := Eval{Rows: len(p)}
	if len(p) == 0 {
		return e
	}
	auc, ks := rocStats(p, y)
	e.AUC, e.KS, e.Brier = Num(auc), Num(ks), Num(Brier(p, y))
	for _, v := range y {
		if v {
			e.Positives++
		}
	}
	e.Calibration = Calibration(p, y, 10)
	return e
}

// Num is a metric that may be undefined (NaN): JSON null.
type Num float64

// MarshalJSON writes NaN and infinities as null.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads null as NaN.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	var f float64
	err := json.Unmarshal(b, &f)
	*n = Num(f)
	return err
}

// AUC returns the area under the ROC curve of scores s for outcomes y.
func AUC(s []float64, y []bool) float64 { a, _ := rocStats(s, y); return a }

// KS returns the Kolmogorov-Smirnov statistic: the largest gap between the
// cumulative score distributions of positives and negatives.
func KS(s []float64, y []bool) float64 { _, k := rocStats(s, y); return k }

func rocStats(s []float64, y []bool) (auc, ks float64) {
	ss := slices.Clone(s)
	yy := slices.Clone(y)
	stat.SortWeightedLabeled(ss, yy, nil)
	var pos, neg int
	for _, v := range yy {
		if v {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return math.NaN(), math.NaN()
	}
	tpr, fpr, _ := stat.ROC(nil, ss, yy, nil)
	for i := 1; i < len(tpr); i++ {
		auc += (fpr[i] - fpr[i-1]) * (tpr[i] + tpr[i-1]) / 2
	}
	for i := range tpr {
		ks = math.Max(ks, math.Abs(tpr[i]-fpr[i]))
	}
	return auc, ks
}

// Brier returns the mean squared difference between p and the outcomes.
func Brier(p []float64, y []bool) float64 {
	if len(p) == 0 {
		return math.NaN()
	}
	var s float64
	for i, v := range p {
		d := v
		if y[i] {
			d = v - 1
		}
		s += d * d
	}
	return s / float64(len(p))
}

// Calibration sorts the rows by p and cuts them into groups of equal size
// (the first groups one row larger when they do not divide evenly).
func Calibration(p []float64, y []bool, groups int) []CalBin {
	n := len(p)
	if n == 0 {
		return nil
	}
	groups = min(groups, n)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(p[a], p[b]) })
	out := make([]CalBin, 0, groups)
	start := 0
	for g := 0; g < groups; g++ {
		size := n / groups
		if g < n%groups {
			size++
		}
		var sum, obs float64
		for _, i := range idx[start : start+size] {
			sum += p[i]
			if y[i] {
				obs++
			}
		}
		out = append(out, CalBin{Rows: size, MinScore: p[idx[start]], MaxScore: p[idx[start+size-1]],
			Predicted: sum / float64(size), Observed: obs / float64(size)})
		start += size
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// PSIFloor replaces a zero share in the population stability index, whose
// terms are otherwise infinite.
const PSIFloor = 1e-4

// PSI returns the population stability index of the actual distribution
// over bins against the expected one: Σ (a−e)·ln(a/e), each share first
// normalised to sum to one and floored at PSIFloor. The slices hold counts
// or shares per bin, in the same bin order.
func PSI(expected, actual []float64) float64 {
	if len(expected) != len(actual) {
		panic("model: PSI of distributions with different bins")
	}
	e, a := shares(expected), shares(actual)
	var s float64
	for i := range e {
		ei, ai := math.Max(e[i], PSIFloor), math.Max(a[i], PSIFloor)
		s += (ai - ei) * math.Log(ai/ei)
	}
	return s
}

func shares(c []float64) []float64 {
	var t float64
	for _, v := range c {
		t += v
	}
	out := make([]float64, len(c))
	if t == 0 {
		return out
	}
	for i, v := range c {
		out[i] = v / t
	}
	return out
}
