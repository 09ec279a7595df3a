package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"accord/internal/date"
)

// The statuses of a score model version: trained (waiting for approval),
// approved (may be promoted), champion (scores borrowers), challenger
// (scores its share of borrowers beside the champion), retired.
const (
	ModelTrained    = "trained"
	ModelApproved   = "approved"
	ModelChampion   = "champion"
	ModelChallenger = "challenger"
	ModelRetired    = "retired"
)

// ScoreModel is one stored version of a scoring model for a target. Body is
// internal/model's JSON document; Summary what training reported beyond it
// (snapshot dates, rows, out-of-time metrics), as JSON.
type ScoreModel struct {
	ID          int64           `json:"id"`
	Target      string          `json:"target"`
	Version     int             `json:"version"`
	Kind        string          `json:"kind"`
	TrainedAsOf date.Date       `json:"trained_as_of"`
	Body        json.RawMessage `json:"body,omitempty"`
	Summary     json.RawMessage `json:"summary"`
	Status      string          `json:"status"`
	Share       float64         `json:"share"`
	TrainedBy   string          `json:"trained_by"`
	CreatedAt   time.Time       `json:"created_at"`
	ApprovedBy  string          `json:"approved_by,omitempty"`
	ApprovedAt  time.Time       `json:"approved_at,omitzero"`
	PromotedBy  string          `json:"promoted_by,omitempty"`
	PromotedAt  time.Time       `json:"promoted_at,omitzero"`
	RetiredAt   time.Time       `json:"retired_at,omitzero"`
}

const scoreModelCols = `id, target, version, kind, trained_as_of, body, summary, status, share, trained_by, created_at,
	approved_by, approved_at, promoted_by, promoted_at, retired_at`

func scanScoreModel(scan func(...any) error) (ScoreModel, error) {
	var m ScoreModel
	var body, sum string
	err := scan(num(&m.ID), &m.Target, num(&m.Version), &m.Kind, &m.TrainedAsOf, &body, &sum, &m.Status, &m.Share,
		&m.TrainedBy, instant{&m.CreatedAt}, &m.ApprovedBy, instant{&m.ApprovedAt}, &m.PromotedBy, instant{&m.PromotedAt},
		instant{&m.RetiredAt})
	m.Body, m.Summary = json.RawMessage(body), json.RawMessage(sum)
	return m, err
}

// CreateScoreModel stores m as a trained version with the next version
// number of its target and sets its ID, Version, Status and CreatedAt. It
// returns a Conflict error if two saves race for one number.
func (tx *Tx) CreateScoreModel(ctx context.Context, m *ScoreModel) error {
	if err := tx.get(ctx, "Score model", "SELECT COALESCE(MAX(version), 0) + 1 FROM score_models WHERE target = ?",
		[]any{m.Target}, num(&m.Version)); err != nil {
		return fmt.Errorf("next version of model %s: %w", m.Target, err)
	}
	if len(m.Summary) == 0 {
		m.Summary = json.RawMessage("{}")
	}
	m.Status, m.CreatedAt = ModelTrained, tx.now
	err := tx.get(ctx, "Score model", `INSERT INTO score_models (target, version, kind, trained_as_of, body, summary, status,
		trained_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, []any{m.Target, m.Version, m.Kind,
		m.TrainedAsOf, string(m.Body), string(m.Summary), m.Status, m.TrainedBy, ts(m.CreatedAt)}, &m.ID)
	return conflict(err, "Model %s version %d already exists; try again.", m.Target, m.Version)
}

// ScoreModel returns model version id with its body. It returns a NotFound
// error if there is none.
func (tx *Tx) ScoreModel(ctx context.Context, id int64) (ScoreModel, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+scoreModelCols+" FROM score_models WHERE id = ?"), id)
	m, err := scanScoreModel(row.Scan)
	return m, noRow(err, fmt.Sprintf("Model %d", id))
}

// ScoreModels returns the versions of target (every target when empty),
// newest first, without their bodies.
func (tx *Tx) ScoreModels(ctx context.Context, target string) ([]ScoreModel, error) {
	var w where
	if target != "" {
		w.add("target = ?", target)
	}
	rows, err := tx.query(ctx, "SELECT "+scoreModelCols+" FROM score_models"+w.String()+" ORDER BY id DESC", w.args...)
	if err != nil {
		return nil, fmt.Errorf("list models: %w", err)
	}
	defer rows.Close()
	var out []ScoreModel
	for rows.Next() {
		m, err := scanScoreModel(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan model: %w", err)
		}
		m.Body = nil
		out = append(out, m)
	}
	return out, interpretError(rows.Err())
}

// ModelsInUse returns the champion and challenger of every target, with
// their bodies, by target, the champion first.
func (tx *Tx) ModelsInUse(ctx context.Context) ([]ScoreModel, error) {
	rows, err := tx.query(ctx, "SELECT "+scoreModelCols+" FROM score_models WHERE status IN (?, ?) ORDER BY target, status DESC",
		ModelChampion, ModelChallenger)
	if err != nil {
		return nil, fmt.Errorf("models in use: %w", err)
	}
	defer rows.Close()
	var out []ScoreModel
	for rows.Next() {
		m, err := scanScoreModel(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan model: %w", err)
		}
		out = append(out, m)
	}
	return out, interpretError(rows.Err())
}

// ApproveScoreModel marks a trained version approved by by. It returns a
// NotFound error if id is not a trained version.
func (tx *Tx) ApproveScoreModel(ctx context.Context, id int64, by string) error {
	res, err := tx.exec(ctx, "UPDATE score_models SET status = ?, approved_by = ?, approved_at = ? WHERE id = ? AND status = ?",
		ModelApproved, by, ts(tx.now), id, ModelTrained)
	if err != nil {
		return fmt.Errorf("approve model %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Trained model %d", id))
}

// PromoteScoreModel makes version id the champion or the challenger (with
// share) of its target; the version holding that role before is retired.
// It returns a NotFound error if id is not approved or in use.
func (tx *Tx) PromoteScoreModel(ctx context.Context, id int64, role string, share float64, by string) error {
	m, err := tx.ScoreModel(ctx, id)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE score_models SET status = ?, retired_at = ? WHERE target = ? AND status = ? AND id <> ?",
		ModelRetired, ts(tx.now), m.Target, role, id); err != nil {
		return fmt.Errorf("retire the %s of %s: %w", role, m.Target, err)
	}
	res, err := tx.exec(ctx, `UPDATE score_models SET status = ?, share = ?, promoted_by = ?, promoted_at = ?
		WHERE id = ? AND status IN (?, ?, ?)`, role, share, by, ts(tx.now), id, ModelApproved, ModelChampion, ModelChallenger)
	if err != nil {
		return conflict(err, "Model %s already has a %s; try again.", m.Target, role)
	}
	return affected(res, fmt.Sprintf("Approved model %d", id))
}
