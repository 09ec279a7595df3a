package model

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"accord/internal/errs"
)

// Result is the score of one row.
type Result struct {
	Probability float64 // of the positive target value
	LogOdds     float64
	Points      float64 // scorecard only
	Reasons     []Reason
}

// Reason is one feature that pushed a score away from the population:
// Effect is its contribution to the log-odds minus its training average,
// positive when it raises the probability of the positive value.
type Reason struct {
	Feature string  `json:"feature"`
	Effect  float64 `json:"effect"`
	ZH      string  `json:"zh"`
	EN      string  `json:"en"`
}

// Text returns the reason in a language: "zh" (the default) or "en".
func (r Reason) Text(lang string) string {
	if strings.HasPrefix(lang, "en") {
		return r.EN
	}
	return r.ZH
}

func newReason(feature string, effect float64) Reason {
	r := Reason{Feature: feature, Effect: effect}
	if effect > 0 {
		r.ZH, r.EN = feature+"：提高得分", feature+": raises the score"
	} else {
		r.ZH, r.EN = feature+"：降低得分", feature+": lowers the score"
	}
	return r
}

// topReasons returns up to n features with the largest effects in size,
// largest first; features with no effect are never reasons.
func topReasons(fs []*Feature, contrib []float64, n int) []Reason {
	if n <= 0 {
		return nil
	}
	idx := make([]int, 0, len(fs))
	for i, f := range fs {
		if contrib[i]-f.Average != 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return math.Abs(contrib[idx[a]]-fs[idx[a]].Average) > math.Abs(contrib[idx[b]]-fs[idx[b]].Average)
	})
	if len(idx) > n {
		idx = idx[:n]
	}
	out := make([]Reason, len(idx))
	for k, i := range idx {
		out[k] = newReason(fs[i].Name, contrib[i]-fs[i].Average)
	}
	return out
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// level returns the training level a raw categorical value is scored as:
// empty is Missing, a value never seen in training is the Default.
func (f *Feature) level(s string) int {
	s = trimLevel(s)
	if i, ok := f.levelAt[s]; ok {
		return i
	}
	return f.levelAt[f.Default]
}

// numContrib is a numeric feature's contribution to the log-odds for x
// (NaN: missing).
func (f *Feature) numContrib(x float64) float64 {
	missing := math.IsNaN(x)
	if len(f.Bins) > 0 {
		return f.Coef * f.Bins[f.numBin(x)].WoE
	}
	if missing {
		c := f.Coef * f.Median
		if f.MissingIndicator {
			c += f.MissingCoef
		}
		return c
	}
	return f.Coef * x
}

// numBin returns the scorecard bin of x: the missing bin for NaN when
// there is one, otherwise NaN is scored as the median.
func (f *Feature) numBin(x float64) int {
	if math.IsNaN(x) {
		for i, b := range f.Bins {
			if b.Missing {
				return i
			}
		}
		x = f.Median
	}
	last := 0
	for i, b := range f.Bins {
		if b.Missing {
			continue
		}
		last = i
		if b.Upper == nil || x <= *b.Upper {
			return i
		}
	}
	return last
}

// catContrib is a categorical feature's contribution for a level index.
func (f *Feature) catContrib(level int) float64 {
	if len(f.Bins) > 0 {
		return f.Coef * f.Bins[f.catBin(level)].WoE
	}
	return f.Levels[level].Coef
}

func (f *Feature) catBin(level int) int {
	v := f.Levels[level].Value
	for i, b := range f.Bins {
		for _, l := range b.Levels {
			if l == v {
				return i
			}
		}
	}
	return 0
}

// Scorer scores the records of a table with a given header.
type Scorer struct {
	m       *Model
	at      []int
	contrib []float64
}

// NewScorer returns a scorer for records laid out as header. Every
// feature of the model must be a column; other columns are ignored.
func (m *Model) NewScorer(header []string) (*Scorer, error) {
	pos := map[string]int{}
	for i, h := range header {
		pos[strings.TrimSpace(h)] = i
	}
	s := &Scorer{m: m, at: make([]int, len(m.Features)), contrib: make([]float64, len(m.Features))}
	var missing []string
	for k, f := range m.Features {
		i, ok := pos[f.Name]
		if !ok {
			missing = append(missing, f.Name)
		}
		s.at[k] = i
	}
	if len(missing) > 0 {
		return nil, errs.Field("--csv", "the model needs column(s) %s, not in the header", strings.Join(quoteAll(missing), ", "))
	}
	return s, nil
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

// Score scores one record and explains it with up to reasons reasons.
// A numeric value that does not parse counts as missing.
func (s *Scorer) Score(rec []string, reasons int) Result {
	for k, f := range s.m.Features {
		raw := rec[s.at[k]]
		if f.Type == TypeNumeric {
			x, _ := parseNum(raw)
			s.contrib[k] = f.numContrib(x)
		} else {
			s.contrib[k] = f.catContrib(f.level(raw))
		}
	}
	return s.m.result(s.contrib, reasons)
}

func (m *Model) result(contrib []float64, reasons int) Result {
	z := m.Intercept
	for _, c := range contrib {
		z += c
	}
	r := Result{Probability: sigmoid(z), LogOdds: z, Reasons: topReasons(m.Features, contrib, reasons)}
	if m.Points != nil {
		r.Points = m.Points.Score(z)
	}
	return r
}

// trimLevel returns the categorical level of a raw value: trimmed, and
// Missing when empty.
func trimLevel(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return Missing
	}
	return s
}
