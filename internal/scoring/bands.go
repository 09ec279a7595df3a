package scoring

import (
	"context"
	"fmt"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/features"
	"accord/internal/sqlstore"
)

// Band is one tenth of the probability scale (0–10%, 10–20% …) with how the
// cure scores in it turned out: the scores whose 30 days have passed, the
// mean predicted chance and the share that did cure.
type Band struct {
	Label     string  `json:"label"`
	Scored    int     `json:"scored"`
	Matured   int     `json:"matured"`
	Cured     int     `json:"cured"`
	Predicted float64 `json:"predicted"` // mean probability of the matured scores
	Observed  float64 `json:"observed"`  // Cured / Matured
}

// Monitoring is what the dashboard shows of scoring: cure score bands
// against outcomes over a period, and the latest stability of each model
// in use with the alert threshold.
type Monitoring struct {
	From, To  date.Date
	Bands     []Band
	Models    []sqlstore.ScoreModel
	Stability map[int64][]sqlstore.Stability // by model id, the latest night's
	Threshold float64
}

// Monitor returns the cure score bands of the scores made from from to to
// against whether each borrower cured within 30 days, and the stability of
// the models in use. It needs dashboard:read or model:train.
func (s *Service) Monitor(ctx context.Context, by collect.Actor, from, to date.Date) (Monitoring, error) {
	mo := Monitoring{From: from, To: to, Threshold: s.opts.PSIAlert, Stability: map[int64][]sqlstore.Stability{}}
	if !by.User.Can(auth.PermDashboardRead) && !by.User.Can(auth.PermModelTrain) {
		return mo, errs.Errorf(errs.Forbidden, "Your role may not see scoring results.")
	}
	if from.IsZero() || to.Before(from) || to.Sub(from) > 366 {
		return mo, errs.Field("from", "give a period of at most a year, from a date to a later one")
	}
	for i := range 10 {
		mo.Bands = append(mo.Bands, Band{Label: fmt.Sprintf("%d–%d%%", 10*i, 10*(i+1))})
	}
	today := s.Today()
	var scores []sqlstore.BorrowerScore
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if scores, err = tx.ScoresBetween(ctx, string(features.Cure30), from, to); err != nil {
			return err
		}
		if mo.Models, err = tx.ModelsInUse(ctx); err != nil {
			return err
		}
		for i := range mo.Models {
			mo.Models[i].Body = nil
			if mo.Stability[mo.Models[i].ID], err = tx.LatestStability(ctx, mo.Models[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return mo, err
	}
	facts, err := s.factsOf(ctx, scores)
	if err != nil {
		return mo, err
	}
	for _, sc := range scores {
		b := &mo.Bands[min(int(sc.Probability*10), 9)]
		b.Scored++
		f := facts[sc.BorrowerID]
		if f == nil || sc.AsOf.AddDays(features.Cure30.Horizon()).After(today) {
			continue
		}
		b.Matured++
		b.Predicted += sc.Probability
		if features.Label(f, sc.AsOf, features.Cure30, s.opts.Buckets) {
			b.Cured++
		}
	}
	for i := range mo.Bands {
		if b := &mo.Bands[i]; b.Matured > 0 {
			b.Predicted /= float64(b.Matured)
			b.Observed = float64(b.Cured) / float64(b.Matured)
		}
	}
	return mo, nil
}

// factsOf loads the facts of the scores' borrowers.
func (s *Service) factsOf(ctx context.Context, scores []sqlstore.BorrowerScore) (map[int64]*features.Facts, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, sc := range scores {
		if !seen[sc.BorrowerID] {
			seen[sc.BorrowerID] = true
			ids = append(ids, sc.BorrowerID)
		}
	}
	out := map[int64]*features.Facts{}
	for start := 0; start < len(ids); start += s.opts.Chunk {
		part := ids[start:min(start+s.opts.Chunk, len(ids))]
		if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
			got, err := tx.ScoringFacts(ctx, part, s.zone)
			for k, f := range got {
				f.Policy = s.opts.Policy
				out[k] = f
			}
			return err
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}
