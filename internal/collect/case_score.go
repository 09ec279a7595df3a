package collect

import (
	"context"

	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// ScoreTarget is the target whose stored score the strategy reads as
// score, score_band and score_reasons: the chance a delinquent case cures
// within 30 days (internal/features' cure30).
const ScoreTarget = "cure30"

// loadScores reads the latest cure score stored before tonight for each
// of the chunk's borrowers. The scoring step runs after casework, so the
// strategy sees the score of the previous night (or older, when the
// borrower was not scored since).
func (r *caseRun) loadScores(ctx context.Context, tx *sqlstore.Tx, ids []int64) error {
	var err error
	r.scores, err = tx.LatestScores(ctx, ids, ScoreTarget, r.asOf)
	return err
}

// cureModels returns the ids of the cure models in use (ScoreTarget,
// champion or challenger).
func cureModels(ctx context.Context, tx *sqlstore.Tx) (map[int64]bool, error) {
	list, err := tx.ModelsInUse(ctx)
	out := map[int64]bool{}
	for _, m := range list {
		if m.Target == ScoreTarget {
			out[m.ID] = true
		}
	}
	return out, err
}

// scoreValue returns the cure score an open case's expected value is
// reckoned from as of today: its borrower's latest, when a cure model in
// use made it (as rank and the scoring step value it); nil when the rules
// of thumb value the case.
func scoreValue(ctx context.Context, tx *sqlstore.Tx, c *sqlstore.Case, today date.Date) (*ScoreValue, error) {
	if c.Status != casework.Open {
		return nil, nil
	}
	models, err := cureModels(ctx, tx)
	if err != nil || len(models) == 0 {
		return nil, err
	}
	scores, err := tx.LatestScores(ctx, []int64{c.BorrowerID}, ScoreTarget, today.AddDays(1))
	if err != nil {
		return nil, err
	}
	if sc, ok := scores[c.BorrowerID]; ok && models[sc.ModelID] {
		return &ScoreValue{ModelID: sc.ModelID, AsOf: sc.AsOf, Chance: sc.Probability}, nil
	}
	return nil, nil
}

// scoreOf returns the borrower's latest score, nil if none.
func (r *caseRun) scoreOf(borrowerID int64) *sqlstore.LatestScore {
	if sc, ok := r.scores[borrowerID]; ok {
		return &sc
	}
	return nil
}

// previewBatch adds the preview of batch to sum, each case's facts with
// its borrower's latest cure score stored up to today (the score the last
// nightly run left) and early warnings of the last WarningDays days, so
// rules on score and warning variables preview as they will run.
func previewBatch(ctx context.Context, tx *sqlstore.Tx, prog *strategy.Program, batch []strategy.Facts, today date.Date, sum strategy.PreviewResult) (strategy.PreviewResult, error) {
	ids := make([]int64, len(batch))
	for i, f := range batch {
		ids[i] = f.BorrowerID
	}
	scores, err := tx.LatestScores(ctx, ids, ScoreTarget, today.AddDays(1))
	if err != nil {
		return sum, err
	}
	warnings, err := recentWarnings(ctx, tx, ids, today.AddDays(1))
	if err != nil {
		return sum, err
	}
	for i, f := range batch {
		if sc, ok := scores[f.BorrowerID]; ok {
			f = withScore(f, &sc, today)
		}
		batch[i] = withWarnings(f, warnings)
	}
	return mergePreview(sum, strategy.Preview(prog, batch)), nil
}
