package model

import (
	"fmt"
	"math"
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

// reasoner picks the top reasons of a row, reusing its buffers.
type reasoner struct {
	up, down []Reason // per feature, the texts of either direction
	idx      []int
	out      []Reason
}

func newReasoner(fs []*Feature) *reasoner {
	r := &reasoner{up: make([]Reason, len(fs)), down: make([]Reason, len(fs)), idx: make([]int, 0, len(fs))}
	for i, f := range fs {
		r.up[i], r.down[i] = newReason(f.Name, 1), newReason(f.Name, -1)
	}
	return r
}

// top returns up to n features with the largest effects in size, largest
// first (ties in feature order); features with no effect are never
// reasons. The slice is reused by the next call.
func (r *reasoner) top(fs []*Feature, contrib []float64, n int) []Reason {
	if n <= 0 {
		return nil
	}
	eff := func(i int) float64 { return math.Abs(contrib[i] - fs[i].Average) }
	r.idx = r.idx[:0]
	for i := range fs {
		e := eff(i)
		if e == 0 {
			continue
		}
		// Insert i after every kept index with an effect at least as large.
		k := len(r.idx)
		for k > 0 && eff(r.idx[k-1]) < e {
			k--
		}
		if k >= n {
			continue
		}
		r.idx = append(r.idx, 0)
		copy(r.idx[k+1:], r.idx[k:])
		r.idx[k] = i
		if len(r.idx) > n {
			r.idx = r.idx[:n]
		}
	}
	r.out = r.out[:0]
	for _, i := range r.idx {
		x := r.down[i]
		if contrib[i]-fs[i].Average > 0 {
			x = r.up[i]
		}
		x.Effect = contrib[i] - fs[i].Average
		r.out = append(r.out, x)
	}
	return r.out
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
	why     *reasoner
}

// NewScorer returns a scorer for records laid out as header. Every
// feature of the model must be a column; other columns are ignored.
func (m *Model) NewScorer(header []string) (*Scorer, error) {
	pos := map[string]int{}
	for i, h := range trimAll(append([]string(nil), header...)) {
		pos[h] = i
	}
	s := &Scorer{m: m, at: make([]int, len(m.Features)), contrib: make([]float64, len(m.Features)), why: newReasoner(m.Features)}
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
// A numeric value that does not parse counts as missing. The Reasons of
// the result are valid until the next call.
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
	return s.result(reasons)
}

// Values is one record as typed values laid out like a scorer's header:
// Num[i] is column i's value when the model reads it as a number (NaN
// when missing), Str[i] when it reads it as a category. A caller that
// holds numbers (the nightly scoring) scores them without formatting and
// parsing text.
type Values struct {
	Num []float64
	Str []string
}

// ScoreValues scores one typed record as Score scores the same record as
// text (a number formatted with strconv.FormatFloat(x, 'g', -1, 64) and
// parsed back is the same number).
func (s *Scorer) ScoreValues(v Values, reasons int) Result {
	for k, f := range s.m.Features {
		if f.Type == TypeNumeric {
			s.contrib[k] = f.numContrib(finite(v.Num[s.at[k]]))
		} else {
			s.contrib[k] = f.catContrib(f.level(v.Str[s.at[k]]))
		}
	}
	return s.result(reasons)
}

// finite returns x, or NaN (missing) when x is infinite, as parseNum
// reads such a value.
func finite(x float64) float64 {
	if math.IsInf(x, 0) {
		return math.NaN()
	}
	return x
}

// result sums the contributions of the last record into its Result.
func (s *Scorer) result(reasons int) Result {
	m := s.m
	z := m.Intercept
	for _, c := range s.contrib {
		z += c
	}
	r := Result{Probability: sigmoid(z), LogOdds: z, Reasons: s.why.top(m.Features, s.contrib, reasons)}
	if m.Points != nil {
		r.Points = m.Points.Score(z)
	}
	return r
}

// Reasons returns up to n top reasons of the record scored last, as
// Score and ScoreValues return them: a caller that keeps the reasons of
// some scores only scores with none and asks for them afterwards. The
// slice is reused by the next call.
func (s *Scorer) Reasons(n int) []Reason { return s.why.top(s.m.Features, s.contrib, n) }

// trimLevel returns the categorical level of a raw value: trimmed, and
// Missing when empty.
func trimLevel(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return Missing
	}
	return s
}
