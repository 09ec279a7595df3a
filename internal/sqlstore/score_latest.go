package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"accord/internal/date"
)

// LatestScore is a borrower's most recent stored score for a target before
// a date, as the strategy reads it: the probability, the scorecard points
// and the features of its top reasons, most telling first.
type LatestScore struct {
	AsOf        date.Date
	ModelID     int64
	Probability float64
	Points      float64
	Reasons     []string // feature codes of the stored reasons
}

// LatestScores returns, for each of ids that has one, its latest score for
// target dated strictly before before (the nightly run reads the score the
// previous night's scoring step stored, because scoring runs after
// casework). Borrowers without such a score are absent from the map.
func (tx *Tx) LatestScores(ctx context.Context, ids []int64, target string, before date.Date) (map[int64]LatestScore, error) {
	out := make(map[int64]LatestScore, len(ids))
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := append([]any{target, before}, int64Args(part)...)
		args = append(args, target, before)
		rows, err := tx.query(ctx, `SELECT s.borrower_id, s.as_of, s.model_id, s.probability, s.points, s.reasons FROM borrower_scores s
			JOIN (SELECT borrower_id, MAX(as_of) AS last FROM borrower_scores WHERE target = ? AND as_of < ?
				AND borrower_id IN (`+placeholders(len(part))+`) GROUP BY borrower_id) m
			ON m.borrower_id = s.borrower_id AND m.last = s.as_of
			WHERE s.target = ? AND s.as_of < ?`, args...)
		if err != nil {
			return nil, fmt.Errorf("latest scores: %w", err)
		}
		for rows.Next() {
			var id int64
			var s LatestScore
			var reasons string
			if err := rows.Scan(num(&id), &s.AsOf, num(&s.ModelID), &s.Probability, &s.Points, &reasons); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan latest score: %w", err)
			}
			var rs []struct {
				Feature string `json:"feature"`
			}
			if err := json.Unmarshal([]byte(reasons), &rs); err != nil {
				rows.Close()
				return nil, fmt.Errorf("reasons of borrower %d's score: %w", id, err)
			}
			s.Reasons = make([]string, 0, len(rs))
			for _, r := range rs {
				s.Reasons = append(s.Reasons, r.Feature)
			}
			out[id] = s
		}
		err = interpretError(rows.Err())
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
