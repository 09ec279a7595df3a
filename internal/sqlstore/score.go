package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"accord/internal/date"
	"accord/internal/money"
)

// BorrowerScore is one borrower's score for a target on a date: the model
// and arm (champion or challenger) that produced it, the probability of
// the target's outcome, scorecard points (0 for a logistic model) and the
// top reasons as JSON [{feature, effect, zh, en}].
type BorrowerScore struct {
	BorrowerID  int64           `json:"borrower_id"`
	Target      string          `json:"target"`
	AsOf        date.Date       `json:"as_of"`
	ModelID     int64           `json:"model_id"`
	Arm         string          `json:"arm"`
	Probability float64         `json:"probability"`
	Points      float64         `json:"points"`
	Reasons     json.RawMessage `json:"reasons"`
}

// SaveScores stores scores, replacing a score of the same borrower, target
// and date (re-running a night rewrites its scores).
func (tx *Tx) SaveScores(ctx context.Context, list []BorrowerScore) error {
	err := tx.insertRowsThen(ctx, `INSERT INTO borrower_scores (borrower_id, target, as_of, model_id, arm, probability, points, reasons)
		VALUES `, ` ON CONFLICT (borrower_id, target, as_of) DO UPDATE SET model_id = excluded.model_id,
		arm = excluded.arm, probability = excluded.probability, points = excluded.points, reasons = excluded.reasons`,
		8, len(list), 500, func(i int, a []any) []any {
			s := &list[i]
			reasons := string(s.Reasons)
			if reasons == "" {
				reasons = "[]"
			}
			return append(a, s.BorrowerID, s.Target, s.AsOf, s.ModelID, s.Arm, s.Probability, s.Points, reasons)
		})
	if err != nil {
		return fmt.Errorf("save scores: %w", err)
	}
	return nil
}

// ScoresOf returns borrower's scores for target, newest first, at most
// limit (DefaultLimit when 0).
func (tx *Tx) ScoresOf(ctx context.Context, borrowerID int64, target string, limit int) ([]BorrowerScore, error) {
	rows, err := tx.query(ctx, `SELECT borrower_id, target, as_of, model_id, arm, probability, points, reasons
		FROM borrower_scores WHERE borrower_id = ? AND target = ? ORDER BY as_of DESC`+page(limit, 0), borrowerID, target)
	if err != nil {
		return nil, fmt.Errorf("scores of borrower %d: %w", borrowerID, err)
	}
	defer rows.Close()
	var out []BorrowerScore
	for rows.Next() {
		var s BorrowerScore
		var reasons string
		if err := rows.Scan(num(&s.BorrowerID), &s.Target, &s.AsOf, num(&s.ModelID), &s.Arm, &s.Probability, &s.Points,
			&reasons); err != nil {
			return nil, fmt.Errorf("scan score: %w", err)
		}
		s.Reasons = json.RawMessage(reasons)
		out = append(out, s)
	}
	return out, interpretError(rows.Err())
}

// CountScores returns how many scores target has on asOf per arm.
func (tx *Tx) CountScores(ctx context.Context, target string, asOf date.Date) (map[string]int, error) {
	rows, err := tx.query(ctx, "SELECT arm, COUNT(*) FROM borrower_scores WHERE target = ? AND as_of = ? GROUP BY arm", target, asOf)
	if err != nil {
		return nil, fmt.Errorf("count scores: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var arm string
		var n int
		if err := rows.Scan(&arm, num(&n)); err != nil {
			return nil, fmt.Errorf("scan score count: %w", err)
		}
		out[arm] = n
	}
	return out, interpretError(rows.Err())
}

// Stability is the PSI of the score (Name "score") or of one feature for
// a model on a night, over Rows scored rows.
type Stability struct {
	ModelID int64     `json:"model_id"`
	AsOf    date.Date `json:"as_of"`
	Name    string    `json:"name"`
	PSI     float64   `json:"psi"`
	Rows    int       `json:"rows"`
}

// SaveStability stores the night's PSI values, replacing those of the same
// model, date and name.
func (tx *Tx) SaveStability(ctx context.Context, list []Stability) error {
	for _, s := range list {
		_, err := tx.exec(ctx, `INSERT INTO score_stability (model_id, as_of, name, psi, rows) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (model_id, as_of, name) DO UPDATE SET psi = excluded.psi, rows = excluded.rows`,
			s.ModelID, s.AsOf, s.Name, s.PSI, s.Rows)
		if err != nil {
			return fmt.Errorf("save stability: %w", err)
		}
	}
	return nil
}

// StabilityOf returns model's PSI values on asOf, by name.
func (tx *Tx) StabilityOf(ctx context.Context, modelID int64, asOf date.Date) ([]Stability, error) {
	rows, err := tx.query(ctx, `SELECT model_id, as_of, name, psi, rows FROM score_stability WHERE model_id = ? AND as_of = ?
		ORDER BY name`, modelID, asOf)
	if err != nil {
		return nil, fmt.Errorf("stability of model %d: %w", modelID, err)
	}
	defer rows.Close()
	var out []Stability
	for rows.Next() {
		var s Stability
		if err := rows.Scan(num(&s.ModelID), &s.AsOf, &s.Name, &s.PSI, num(&s.Rows)); err != nil {
			return nil, fmt.Errorf("scan stability: %w", err)
		}
		out = append(out, s)
	}
	return out, interpretError(rows.Err())
}

// ScoringCase is an open case as scoring sees it: its borrower and the
// balance its expected value is reckoned on.
type ScoringCase struct {
	ID         int64
	BorrowerID int64
	Balance    money.Amount
	EV         money.Amount
}

// OpenScoringCases returns up to limit open cases of borrowers above
// after, in borrower order.
func (tx *Tx) OpenScoringCases(ctx context.Context, after int64, limit int) ([]ScoringCase, error) {
	return tx.openScoringCases(ctx, "borrower_id > ? ORDER BY borrower_id LIMIT ?", after, limit)
}

// OpenScoringCasesIn returns the open cases of the borrowers in scope (its
// IDs or its range of ids), in borrower order.
func (tx *Tx) OpenScoringCasesIn(ctx context.Context, scope FactsScope) ([]ScoringCase, error) {
	if scope.IDs != nil && len(scope.IDs) == 0 {
		return nil, nil
	}
	cond, args := scope.where("borrower_id")
	return tx.openScoringCases(ctx, cond+" ORDER BY borrower_id", args...)
}

// openScoringCases returns the open cases that meet cond (with its order
// and limit).
func (tx *Tx) openScoringCases(ctx context.Context, cond string, args ...any) ([]ScoringCase, error) {
	rows, err := tx.query(ctx, "SELECT id, borrower_id, balance_minor, ev_minor FROM cases WHERE status = 'open' AND "+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("open cases to score: %w", err)
	}
	defer rows.Close()
	var out []ScoringCase
	for rows.Next() {
		var c ScoringCase
		if err := rows.Scan(num(&c.ID), num(&c.BorrowerID), num(&c.Balance), num(&c.EV)); err != nil {
			return nil, fmt.Errorf("scan case: %w", err)
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}

// SetCaseEVs sets the expected value (the queues' order) of open cases:
// on SQLite one prepared single-row UPDATE per case (an UPDATE … FROM a
// VALUES list copies every column of each case into a temporary table
// first: 2.4–3.0 s against 0.9 s for the 107,140 open cases of the
// 1,000,000-borrower book), on PostgreSQL 500 cases a statement (see
// valueRows).
func (tx *Tx) SetCaseEVs(ctx context.Context, list []ScoringCase) error {
	if tx.db.d.engine == SQLite {
		for _, c := range list {
			if _, err := tx.exec(ctx, "UPDATE cases SET ev_minor = ? WHERE id = ? AND status = 'open'", c.EV, c.ID); err != nil {
				return fmt.Errorf("set expected value of case %d: %w", c.ID, err)
			}
		}
		return nil
	}
	const tuple = "(CAST(? AS BIGINT), CAST(? AS BIGINT))"
	for start := 0; start < len(list); start += 500 {
		part := list[start:min(start+500, len(list))]
		args := make([]any, 0, 2*len(part))
		for _, c := range part {
			args = append(args, c.ID, c.EV)
		}
		_, err := tx.exec(ctx, `UPDATE cases SET ev_minor = v.column2 FROM (VALUES `+valueRows(tuple, len(part))+`) AS v
			WHERE cases.id = v.column1 AND cases.status = 'open'`, args...)
		if err != nil {
			return fmt.Errorf("set expected values of cases %d…%d: %w", part[0].ID, part[len(part)-1].ID, err)
		}
	}
	return nil
}

// ScoresBetween returns target's scores from from to to (both included),
// by date and borrower.
func (tx *Tx) ScoresBetween(ctx context.Context, target string, from, to date.Date) ([]BorrowerScore, error) {
	rows, err := tx.query(ctx, `SELECT borrower_id, target, as_of, model_id, arm, probability, points, reasons
		FROM borrower_scores WHERE target = ? AND as_of >= ? AND as_of <= ? ORDER BY as_of, borrower_id`, target, from, to)
	if err != nil {
		return nil, fmt.Errorf("scores between %s and %s: %w", from, to, err)
	}
	defer rows.Close()
	var out []BorrowerScore
	for rows.Next() {
		var s BorrowerScore
		var reasons string
		if err := rows.Scan(num(&s.BorrowerID), &s.Target, &s.AsOf, num(&s.ModelID), &s.Arm, &s.Probability, &s.Points,
			&reasons); err != nil {
			return nil, fmt.Errorf("scan score: %w", err)
		}
		s.Reasons = json.RawMessage(reasons)
		out = append(out, s)
	}
	return out, interpretError(rows.Err())
}

// LatestStability returns model's PSI values of the latest night it has
// any, by name (none when it has never scored).
func (tx *Tx) LatestStability(ctx context.Context, modelID int64) ([]Stability, error) {
	var last date.Date
	if err := tx.get(ctx, "Stability", "SELECT MAX(as_of) FROM score_stability WHERE model_id = ?", []any{modelID}, &last); err != nil {
		return nil, err
	}
	if last.IsZero() {
		return nil, nil
	}
	return tx.StabilityOf(ctx, modelID, last)
}

// LastScore is the last score stored of a target for a borrower
// (score_last). For a target stored only when it moves (ew90), it is the
// score that stands on the nights in between. The nightly pass reads it
// with the borrower's facts (FactsScope.LastOf).
type LastScore struct {
	BorrowerID  int64
	Target      string
	AsOf        date.Date
	ModelID     int64
	Arm         string
	Probability float64
}

// SaveLastScores records list as the last stored scores of their
// borrowers and targets. A score dated before the one held leaves it (an
// older night run again).
func (tx *Tx) SaveLastScores(ctx context.Context, list []LastScore) error {
	err := tx.insertRowsThen(ctx, `INSERT INTO score_last (target, borrower_id, as_of, model_id, arm, probability) VALUES `,
		` ON CONFLICT (target, borrower_id) DO UPDATE SET as_of = excluded.as_of, model_id = excluded.model_id,
		arm = excluded.arm, probability = excluded.probability WHERE excluded.as_of >= score_last.as_of`,
		6, len(list), 500, func(i int, a []any) []any {
			s := &list[i]
			return append(a, s.Target, s.BorrowerID, s.AsOf, s.ModelID, s.Arm, s.Probability)
		})
	if err != nil {
		return fmt.Errorf("save last scores: %w", err)
	}
	return nil
}
