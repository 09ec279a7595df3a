package scoring

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"sync"

	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/model"
	"accord/internal/sqlstore"
)

// Arms of a score: the champion, or the challenger for its share.
const (
	ArmChampion   = "champion"
	ArmChallenger = "challenger"
)

// Reasons is how many reason codes are kept with every score.
const Reasons = 3

// arm is one model in use for a night.
type arm struct {
	v   sqlstore.ScoreModel
	m   *model.Model
	mu  sync.Mutex // guards mon: the night's workers add to it
	mon *model.Monitor
}

// addMonitor counts a scored record, whose score is p, into a's
// stability monitor.
func (a *arm) addMonitor(v model.Values, p float64) {
	a.mu.Lock()
	a.mon.AddValues(v, p)
	a.mu.Unlock()
}

// readsFeatures checks that a's model reads the nightly features as they
// are computed: each feature of features.Names as a number and the
// product as a category (models trained from the book always do).
func readsFeatures(a *arm) error {
	for _, f := range a.m.Features {
		want := model.TypeNumeric
		if f.Name == features.ProductName {
			want = model.TypeCategorical
		}
		if f.Type != want {
			return fmt.Errorf("model %d reads feature %q as %s, not %s", a.v.ID, f.Name, f.Type, want)
		}
	}
	return nil
}

// targetArms are the models in use for one target.
type targetArms struct {
	target             features.Target
	champion, challger *arm
}

// Name is the step's name in the nightly run's summary.
func (s *Service) Name() string { return "scoring" }

// RunNightly scores the population of every target with a model in use as
// of asOf, stores the scores with their reasons, sets open cases' expected
// value from cure30 and records the night's stability (see the package
// comment). Running a date again rewrites the same rows.
func (s *Service) RunNightly(ctx context.Context, asOf date.Date) (map[string]int, error) {
	targets, err := s.modelsInUse(ctx)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	if !s.opts.NoEarlyWarning {
		if err := s.earlyWarnings(ctx, asOf, counts); err != nil {
			return counts, fmt.Errorf("early warnings: %w", err)
		}
	}
	if err := s.scoreAll(ctx, asOf, targets, counts); err != nil {
		return counts, fmt.Errorf("score: %w", err)
	}
	for _, ta := range targets {
		for _, a := range []*arm{ta.champion, ta.challger} {
			if a != nil {
				if err := s.saveStability(ctx, asOf, a, counts); err != nil {
					return counts, err
				}
			}
		}
	}
	return counts, nil
}

// modelsInUse loads the champion and challenger of every target.
func (s *Service) modelsInUse(ctx context.Context) ([]*targetArms, error) {
	var used []sqlstore.ScoreModel
	if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		used, err = tx.ModelsInUse(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	var out []*targetArms
	byTarget := map[string]*targetArms{}
	header := features.Header()
	for _, v := range used {
		m, err := model.Read(bytes.NewReader(v.Body))
		if err != nil {
			return nil, fmt.Errorf("model %d: %w", v.ID, err)
		}
		mon, err := m.NewMonitor(header)
		if err != nil {
			return nil, fmt.Errorf("model %d: %w", v.ID, err)
		}
		ta := byTarget[v.Target]
		if ta == nil {
			ta = &targetArms{target: features.Target(v.Target)}
			byTarget[v.Target] = ta
			out = append(out, ta)
		}
		a := &arm{v: v, m: m, mon: mon}
		if v.Status == sqlstore.ModelChallenger {
			ta.challger = a
		} else {
			ta.champion = a
		}
	}
	// A challenger without a champion scores everyone.
	for _, ta := range out {
		if ta.champion == nil {
			ta.champion, ta.challger = ta.challger, nil
		}
	}
	return out, nil
}

// pick returns the arm that scores borrower id: the challenger for a fixed
// share of borrowers (by a hash of the borrower and the challenger's id,
// so a borrower stays in one arm while the versions do), else the champion.
func (ta *targetArms) pick(id int64) (*arm, string) {
	if c := ta.challger; c != nil && unit(uint64(id)^uint64(c.v.ID)<<32) < c.v.Share {
		return c, ArmChallenger
	}
	return ta.champion, ArmChampion
}

// unit maps x to [0, 1) by splitmix64.
func unit(x uint64) float64 {
	z := x + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// ChancePlaces is how many decimal places of a cure score's probability
// a case's expected value is reckoned on (casework.ScoredEV).
const ChancePlaces = casework.ChancePlaces

// Reason is a reason code of a score: the feature, its effect on the
// log-odds against the population average, and the sentence in Chinese
// and English.
type Reason struct {
	Feature string  `json:"feature"`
	Effect  float64 `json:"effect"`
	ZH      string  `json:"zh"`
	EN      string  `json:"en"`
}

// storedReason is a reason as a score stores it: the feature and its
// effect (rounded to 4 decimals); the words are added when it is read
// (Explain), so that a night's million scores do not carry them.
type storedReason struct {
	Feature string  `json:"feature"`
	Effect  float64 `json:"effect"`
}

// roundEffect rounds an effect on the log-odds to 4 decimals for storage.
func roundEffect(e float64) float64 { return math.Round(e*1e4) / 1e4 }

// Explain words a score's stored reasons for target t. Scores stored
// before the words were dropped from storage carry their own and keep
// them.
func Explain(t features.Target, stored json.RawMessage) ([]Reason, error) {
	var rs []Reason
	if len(stored) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(stored, &rs); err != nil {
		return nil, fmt.Errorf("reasons of a score: %w", err)
	}
	ozh, oen := t.Outcome()
	for i, r := range rs {
		if r.ZH != "" && r.EN != "" {
			continue
		}
		zh, en := features.LabelOf(r.Feature)
		if r.Effect > 0 {
			rs[i].ZH, rs[i].EN = zh+"提高"+ozh+"的可能", en+" raises the chance of "+oen
		} else {
			rs[i].ZH, rs[i].EN = zh+"降低"+ozh+"的可能", en+" lowers the chance of "+oen
		}
	}
	return rs, nil
}

// saveStability stores the night's PSI of a's score and features and
// raises the alert (an audit event, once per model and night) when the
// score's PSI is above the threshold.
func (s *Service) saveStability(ctx context.Context, asOf date.Date, a *arm, counts map[string]int) error {
	st := a.mon.Stability()
	if st.Rows == 0 {
		return nil
	}
	list := []sqlstore.Stability{{ModelID: a.v.ID, AsOf: asOf, Name: "score", PSI: st.Score, Rows: st.Rows}}
	for _, f := range st.Features {
		list = append(list, sqlstore.Stability{ModelID: a.v.ID, AsOf: asOf, Name: f.Feature, PSI: f.PSI, Rows: st.Rows})
	}
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		before, err := tx.StabilityOf(ctx, a.v.ID, asOf)
		if err != nil {
			return err
		}
		if err := tx.SaveStability(ctx, list); err != nil {
			return err
		}
		if st.Score <= s.opts.PSIAlert || len(before) > 0 {
			return nil
		}
		counts["psi_alerts"]++
		shifted := []string{}
		for _, f := range st.Features {
			if f.PSI > s.opts.PSIAlert {
				shifted = append(shifted, f.Feature)
			}
		}
		return tx.AppendAudit(ctx, s.collect.Event(systemActor, "model.psi_alert", "score_model", strconv.FormatInt(a.v.ID, 10),
			map[string]any{"target": a.v.Target, "version": a.v.Version, "as_of": asOf.String(), "psi": st.Score,
				"threshold": s.opts.PSIAlert, "rows": st.Rows, "features_shifted": shifted}))
	})
}

// MoveToStore is how far (in probability: 0.01 percentage point) an ew90
// score must move from the one last stored for a night to store it again.
// Most current borrowers' early-warning scores move less from one night to
// the next (96% of them on the 1M-loan book), so the stored score, which
// stands for the nights in between, is never further than this from the
// score the night computed. A new model, or a model changing arm, stores every score again.
const MoveToStore = 1e-4

// Moved reports whether score p moved from last enough to be stored.
func Moved(last, p float64) bool { return math.Abs(p-last) >= MoveToStore }
