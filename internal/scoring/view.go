package scoring

import (
	"context"
	"slices"

	"accord/internal/collect"
	"accord/internal/features"
	"accord/internal/sqlstore"
)

// ScoreView is what the case page shows of a case's borrower: the latest
// cure score with its reasons, how it moved since the previous night, the
// recent scores oldest first, and the early warnings of the last 90 days.
type ScoreView struct {
	CaseID, BorrowerID int64
	Latest             *sqlstore.BorrowerScore
	Reasons            []Reason
	Trend              float64 // latest less previous probability; 0 without a previous
	HasTrend           bool
	History            []sqlstore.BorrowerScore
	Warnings           []sqlstore.EarlyWarning
}

// CaseScore returns the score view of case id's borrower. It returns
// NotFound when the case does not exist or is outside by's scope.
func (s *Service) CaseScore(ctx context.Context, by collect.Actor, id int64) (ScoreView, error) {
	v := ScoreView{CaseID: id}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		c, err := s.collect.VisibleCase(ctx, tx, by, id)
		if err != nil {
			return err
		}
		v.BorrowerID = c.BorrowerID
		scores, err := tx.ScoresOf(ctx, c.BorrowerID, string(features.Cure30), 10)
		if err != nil {
			return err
		}
		if len(scores) > 0 {
			latest := scores[0]
			v.Latest = &latest
			if v.Reasons, err = Explain(features.Cure30, scores[0].Reasons); err != nil {
				return err
			}
		}
		if len(scores) > 1 {
			v.Trend, v.HasTrend = scores[0].Probability-scores[1].Probability, true
		}
		slices.Reverse(scores)
		v.History = scores
		today := s.Today()
		v.Warnings, err = tx.WarningsBetween(ctx, []int64{c.BorrowerID}, today.AddDays(-90), today)
		return err
	})
	return v, err
}
