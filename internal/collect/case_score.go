package collect

import (
	"context"

	"accord/internal/sqlstore"
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

// scoreOf returns the borrower's latest score, nil if none.
func (r *caseRun) scoreOf(borrowerID int64) *sqlstore.LatestScore {
	if sc, ok := r.scores[borrowerID]; ok {
		return &sc
	}
	return nil
}
