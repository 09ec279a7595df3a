package scoring

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/features"
	"accord/internal/model"
	"accord/internal/sqlstore"
)

// TrainRequest says what to train. Zero fields take the defaults.
type TrainRequest struct {
	Target features.Target
	Kind   model.Kind // logistic (the default) or scorecard
	L2     float64
	// AsOf is the last date whose outcomes may be read (today when zero):
	// the latest snapshot is AsOf less the target's horizon.
	AsOf date.Date
	// Snapshots is how many snapshot dates (4 when 0), Every days apart
	// (14 when 0); the latest validates the model (out of time), the
	// others train it. With one snapshot, one borrower in five validates.
	Snapshots int
	Every     int
}

// Summary is what training reports beyond the model document: where its
// rows came from and how it did on the out-of-time rows.
type Summary struct {
	Target       features.Target `json:"target"`
	Snapshots    []date.Date     `json:"snapshots"`
	ValidateFrom date.Date       `json:"validate_from"`
	TrainRows    int             `json:"train_rows"`
	ValidateRows int             `json:"validate_rows"`
	Positives    int             `json:"positives"`
	Metrics      model.Metrics   `json:"metrics"`
}

func (r TrainRequest) withDefaults(today date.Date) (TrainRequest, error) {
	if r.Target == "" {
		r.Target = features.Cure30
	}
	if _, err := features.ParseTarget("target", string(r.Target)); err != nil {
		return r, err
	}
	if r.Kind == "" {
		r.Kind = model.Logistic
	}
	if r.Kind != model.Logistic && r.Kind != model.Scorecard {
		return r, errs.Field("kind", "%q is not logistic or scorecard", r.Kind)
	}
	if r.AsOf.IsZero() {
		r.AsOf = today
	}
	if r.AsOf.After(today) {
		return r, errs.Field("as_of", "%s is after today (%s): outcomes not yet known cannot train a model", r.AsOf, today)
	}
	if r.Snapshots == 0 {
		r.Snapshots = 4
	}
	if r.Every == 0 {
		r.Every = 14
	}
	if r.Snapshots < 1 || r.Snapshots > 52 {
		return r, errs.Field("snapshots", "must be 1 to 52")
	}
	if r.Every < 1 || r.Every > 366 {
		return r, errs.Field("every", "must be 1 to 366 days")
	}
	return r, nil
}

// dates returns the snapshot dates, oldest first.
func (r TrainRequest) dates() []date.Date {
	last := r.AsOf.AddDays(-r.Target.Horizon())
	out := make([]date.Date, r.Snapshots)
	for k := range r.Snapshots {
		out[r.Snapshots-1-k] = last.AddDays(-k * r.Every)
	}
	return out
}

// Train trains a model for r.Target on the history in the database and
// stores it as a new version waiting for approval. It needs model:train;
// it returns Invalid errors naming the field at fault, or when the
// history holds too few rows or a single outcome.
func (s *Service) Train(ctx context.Context, by collect.Actor, r TrainRequest) (sqlstore.ScoreModel, Summary, error) {
	if err := require(by, auth.PermModelTrain, "train scoring models"); err != nil {
		return sqlstore.ScoreModel{}, Summary{}, err
	}
	r, err := r.withDefaults(s.Today())
	if err != nil {
		return sqlstore.ScoreModel{}, Summary{}, err
	}
	parts, err := s.trainingParts(ctx, r)
	if err != nil {
		return sqlstore.ScoreModel{}, Summary{}, err
	}
	sum := Summary{Target: r.Target, Snapshots: r.dates()}
	sum.ValidateFrom = sum.Snapshots[len(sum.Snapshots)-1]
	for _, p := range parts {
		for _, row := range p {
			if row.Train {
				sum.TrainRows++
			} else {
				sum.ValidateRows++
			}
			if row.Y {
				sum.Positives++
			}
		}
	}
	if sum.TrainRows < 20 {
		return sqlstore.ScoreModel{}, sum, errs.Field("as_of", "the history gives %d training rows for %s; at least 20 are needed", sum.TrainRows, r.Target)
	}
	m, err := model.Train(features.DatasetOf(r.Target, parts), model.Options{Kind: r.Kind, L2: r.L2})
	if err != nil {
		return sqlstore.ScoreModel{}, sum, fmt.Errorf("train %s: %w", r.Target, err)
	}
	sum.Metrics = m.Metrics
	return s.saveModel(ctx, by, r, m, sum)
}

func (s *Service) saveModel(ctx context.Context, by collect.Actor, r TrainRequest, m *model.Model, sum Summary) (sqlstore.ScoreModel, Summary, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return sqlstore.ScoreModel{}, sum, fmt.Errorf("encode model: %w", err)
	}
	sj, err := json.Marshal(sum)
	if err != nil {
		return sqlstore.ScoreModel{}, sum, fmt.Errorf("encode summary: %w", err)
	}
	v := sqlstore.ScoreModel{Target: string(r.Target), Kind: string(r.Kind), TrainedAsOf: r.AsOf, Body: body, Summary: sj,
		TrainedBy: by.User.Username}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.CreateScoreModel(ctx, &v); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "model.train", "score_model", strconv.FormatInt(v.ID, 10),
			map[string]any{"target": v.Target, "version": v.Version, "kind": v.Kind, "as_of": r.AsOf.String(),
				"train_rows": sum.TrainRows, "validate_rows": sum.ValidateRows}))
	})
	if err != nil {
		return sqlstore.ScoreModel{}, sum, fmt.Errorf("save model: %w", err)
	}
	return v, sum, nil
}

// TrainingRows builds the labelled rows of r from the database: every
// borrower eligible for r.Target on each snapshot date, with the outcome
// that followed, in borrower id order and then by date. The latest
// snapshot's rows are held out (Train false) unless there is only one
// snapshot, where one borrower in five is.
func (s *Service) TrainingRows(ctx context.Context, r TrainRequest) ([]features.Row, error) {
	r, err := r.withDefaults(s.Today())
	if err != nil {
		return nil, err
	}
	parts, err := s.trainingParts(ctx, r)
	if err != nil {
		return nil, err
	}
	return concatRows(parts), nil
}

// trainingParts returns the rows of r (with its defaults) by slices of
// the book, in order. It reads the book once, by ranges of borrower ids
// in parallel (readSlices), and computes every snapshot date from the
// same facts: features as of a date read nothing dated after it
// (features.Compute), whatever the facts hold.
func (s *Service) trainingParts(ctx context.Context, r TrainRequest) ([][]features.Row, error) {
	if r.Target == features.PlanKept {
		return s.planTrainingRows(ctx, r) // rows are plans, not borrowers on snapshot dates (train_plan.go)
	}
	scopes, err := s.bookScopes(ctx)
	if err != nil {
		return nil, fmt.Errorf("training rows: %w", err)
	}
	dates := r.dates()
	parts, err := readSlices(ctx, s, scopes, func(ctx context.Context, tx *sqlstore.Tx, sc sqlstore.FactsScope) ([]features.Row, error) {
		facts, _, err := tx.ScoringFactsIn(ctx, sc, s.zone)
		if err != nil {
			return nil, err
		}
		return s.snapshotRows(facts, r, dates), nil
	})
	if err != nil {
		return nil, fmt.Errorf("training rows: %w", err)
	}
	return parts, nil
}

// snapshotRows returns the rows of facts on dates for r.Target.
func (s *Service) snapshotRows(facts []*features.Facts, r TrainRequest, dates []date.Date) []features.Row {
	var rows []features.Row
	for _, f := range facts {
		f.Policy = s.opts.Policy
		for k, d := range dates {
			v := features.Compute(f, d)
			if !r.Target.Eligible(v) {
				continue
			}
			train := k < len(dates)-1
			if len(dates) == 1 {
				train = !model.HoldOut(int(f.BorrowerID))
			}
			rows = append(rows, features.Row{BorrowerID: f.BorrowerID, AsOf: d, V: v,
				Y: features.Label(f, d, r.Target, s.opts.Buckets), Train: train})
		}
	}
	return rows
}

// concatRows joins the rows of the slices in order.
func concatRows(parts [][]features.Row) []features.Row {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]features.Row, 0, n)
	for i, p := range parts {
		out = append(out, p...)
		parts[i] = nil // let the slice's rows go as soon as they are copied
	}
	return out
}
