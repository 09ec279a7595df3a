package model

import (
	"encoding/json"
	"io"
	"math"

	"accord/internal/errs"
)

// The serialised format: Format names it, Version is bumped on any change
// a reader of an older version would misread.
const (
	Format  = "accord.model"
	Version = 1
)

// Kind is the kind of model.
type Kind string

// The kinds of model.
const (
	Logistic  Kind = "logistic"
	Scorecard Kind = "scorecard"
)

// Feature types.
const (
	TypeNumeric     = "numeric"
	TypeCategorical = "categorical"
)

// Model is a trained model: preprocessing, coefficients or points, the
// bins stability is measured on, and the metrics measured at training.
type Model struct {
	Format    string     `json:"format"`
	Version   int        `json:"version"`
	Kind      Kind       `json:"kind"`
	Target    string     `json:"target"`
	Positive  string     `json:"positive"`
	L2        float64    `json:"l2"`
	Intercept float64    `json:"intercept"`
	Features  []*Feature `json:"features"`
	Points    *Points    `json:"points,omitempty"`
	ScoreBins *PSIBins   `json:"score_bins,omitempty"`
	Rows      RowCounts  `json:"rows"`
	Metrics   Metrics    `json:"metrics"`
	// Unused lists the columns that are not features and why.
	Unused []Unused `json:"unused,omitempty"`
}

// RowCounts says how many rows trained and tested the model.
type RowCounts struct {
	Train int `json:"train"`
	Test  int `json:"test"`
}

// Unused is a column left out of the model.
type Unused struct {
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// Feature is one input column as the model uses it.
type Feature struct {
	Name string `json:"name"`
	Type string `json:"type"`

	// Numeric: the training median that replaces a missing value, and
	// whether a missing indicator is a term of the model (only when
	// training rows had missing values; MissingTrain counts them).
	Median           float64 `json:"median"`
	MissingIndicator bool    `json:"missing_indicator,omitempty"`
	MissingTrain     int     `json:"missing_train,omitempty"`

	// Categorical: the training levels, most frequent first, and the
	// level a value never seen in training is scored as (the most
	// frequent).
	Levels  []Level `json:"levels,omitempty"`
	Default string  `json:"default,omitempty"`

	// Coef is the logistic coefficient of a numeric value (per unit) or,
	// in a scorecard, of the WoE; MissingCoef that of the indicator.
	Coef        float64 `json:"coef"`
	MissingCoef float64 `json:"missing_coef,omitempty"`

	// Scorecard: the bins and the information value.
	Bins []Bin   `json:"bins,omitempty"`
	IV   float64 `json:"iv,omitempty"`

	// Average is the mean contribution of the feature to the log-odds
	// over the training rows; reason codes are measured against it.
	Average float64 `json:"average"`

	// PSI holds the bins fixed at training for the stability index.
	PSI *PSIBins `json:"psi_bins,omitempty"`

	levelAt map[string]int // index into Levels
}

// Level is a categorical level seen in training. Coef is its logistic
// coefficient, 0 for the most frequent (reference) level.
type Level struct {
	Value string  `json:"value"`
	Count int     `json:"count"`
	Coef  float64 `json:"coef"`
}

// Bin is a scorecard bin. A numeric bin holds the values above the
// previous bin's Upper up to and including its own (no Upper: no bound);
// the Missing bin holds missing values; a categorical bin holds Levels.
type Bin struct {
	Upper     *float64 `json:"upper,omitempty"`
	Missing   bool     `json:"missing,omitempty"`
	Levels    []string `json:"levels,omitempty"`
	Count     int      `json:"count"`
	Positives int      `json:"positives"`
	WoE       float64  `json:"woe"`
	Points    float64  `json:"points"`
}

// Points turn a scorecard's log-odds into points: Score = Offset +
// Factor·ln(odds of the positive value), Factor = PDO/ln 2, Offset =
// BaseScore − Factor·ln(BaseOdds). BasePoints is the intercept's share.
type Points struct {
	BaseScore  float64 `json:"base_score"`
	BaseOdds   float64 `json:"base_odds"`
	PDO        float64 `json:"pdo"`
	Factor     float64 `json:"factor"`
	Offset     float64 `json:"offset"`
	BasePoints float64 `json:"base_points"`
}

// NewPoints returns the scaling for a base score at base odds (positive
// to negative) and the points that double the odds.
func NewPoints(baseScore, baseOdds, pdo float64) (Points, error) {
	if !(pdo > 0) || math.IsInf(pdo, 0) {
		return Points{}, errs.Field("--pdo", "must be a positive number of points")
	}
	if !(baseOdds > 0) || math.IsInf(baseOdds, 0) {
		return Points{}, errs.Field("--base-odds", "must be positive")
	}
	if math.IsNaN(baseScore) || math.IsInf(baseScore, 0) {
		return Points{}, errs.Field("--base-score", "must be a number")
	}
	f := pdo / math.Ln2
	return Points{BaseScore: baseScore, BaseOdds: baseOdds, PDO: pdo, Factor: f, Offset: baseScore - f*math.Log(baseOdds)}, nil
}

// Score returns the points of a log-odds.
func (p Points) Score(logOdds float64) float64 { return p.Offset + p.Factor*logOdds }

// Odds returns the odds (positive to negative) a score stands for.
func (p Points) Odds(score float64) float64 { return math.Exp((score - p.Offset) / p.Factor) }

// Write writes m as indented JSON.
func (m *Model) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// Read reads a model written by Write and checks it can be run.
func Read(r io.Reader) (*Model, error) {
	var m Model
	dec := json.NewDecoder(r)
	if err := dec.Decode(&m); err != nil {
		return nil, errs.Field("--model", "not a model file: %v", err)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	return &m, nil
}

func (m *Model) check() error {
	if m.Format != Format {
		return errs.Field("--model", "format %q is not %q", m.Format, Format)
	}
	if m.Version != Version {
		return errs.Field("--model", "format version %d is not supported (this program reads version %d)", m.Version, Version)
	}
	switch m.Kind {
	case Logistic:
	case Scorecard:
		if m.Points == nil || !(m.Points.Factor > 0) {
			return errs.Field("--model", "a scorecard needs its points scaling")
		}
	default:
		return errs.Field("--model", "unknown kind %q", m.Kind)
	}
	for _, f := range m.Features {
		switch f.Type {
		case TypeNumeric:
		case TypeCategorical:
			if len(f.Levels) == 0 {
				return errs.Field("--model", "feature %q has no levels", f.Name)
			}
		default:
			return errs.Field("--model", "feature %q has unknown type %q", f.Name, f.Type)
		}
		if m.Kind == Scorecard && len(f.Bins) == 0 {
			return errs.Field("--model", "feature %q has no bins", f.Name)
		}
		f.index()
		if _, ok := f.levelAt[f.Default]; f.Type == TypeCategorical && !ok {
			return errs.Field("--model", "feature %q: default level %q is not one of its levels", f.Name, f.Default)
		}
		if f.PSI != nil && !f.PSI.valid(f.Type == TypeNumeric) {
			return errs.Field("--model", "feature %q: PSI bins and expected shares do not match", f.Name)
		}
	}
	if m.ScoreBins != nil && !m.ScoreBins.valid(true) {
		return errs.Field("--model", "score PSI bins and expected shares do not match")
	}
	return nil
}

// index builds the level lookup of a categorical feature.
func (f *Feature) index() {
	f.levelAt = make(map[string]int, len(f.Levels))
	for i, l := range f.Levels {
		f.levelAt[l.Value] = i
	}
}
