package scoring

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/features"
	"accord/internal/model"
	"accord/internal/sqlstore"
)

// Models returns the stored versions of target (every target when empty),
// newest first, without their documents. It needs model:train or
// model:approve.
func (s *Service) Models(ctx context.Context, by collect.Actor, target string) ([]sqlstore.ScoreModel, error) {
	if !by.User.Can(auth.PermModelTrain) && !by.User.Can(auth.PermModelApprove) {
		return nil, errs.Errorf(errs.Forbidden, "Your role may not see scoring models.")
	}
	if target != "" {
		if _, err := features.ParseTarget("target", target); err != nil {
			return nil, err
		}
	}
	var out []sqlstore.ScoreModel
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.ScoreModels(ctx, target)
		return err
	})
	return out, err
}

// Model returns version id with its document. It returns NotFound.
func (s *Service) Model(ctx context.Context, by collect.Actor, id int64) (sqlstore.ScoreModel, error) {
	if !by.User.Can(auth.PermModelTrain) && !by.User.Can(auth.PermModelApprove) {
		return sqlstore.ScoreModel{}, errs.Errorf(errs.Forbidden, "Your role may not see scoring models.")
	}
	var m sqlstore.ScoreModel
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		m, err = tx.ScoreModel(ctx, id)
		return err
	})
	return m, err
}

// ErrOwnModel is returned when a user tries to approve a model they trained.
var ErrOwnModel = errs.Errorf(errs.Forbidden, "A model must be approved by someone other than its trainer.")

// Approve approves trained version id for use. It needs model:approve and
// a user other than the trainer (ErrOwnModel); it returns NotFound when id
// is not a version waiting for approval.
func (s *Service) Approve(ctx context.Context, by collect.Actor, id int64) (sqlstore.ScoreModel, error) {
	if err := require(by, auth.PermModelApprove, "approve scoring models"); err != nil {
		return sqlstore.ScoreModel{}, err
	}
	var m sqlstore.ScoreModel
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if m, err = tx.ScoreModel(ctx, id); err != nil {
			return err
		}
		if m.TrainedBy == by.User.Username {
			return ErrOwnModel
		}
		if _, err := model.Read(bytes.NewReader(m.Body)); err != nil {
			return fmt.Errorf("model %d cannot be run: %w", id, err)
		}
		if err := tx.ApproveScoreModel(ctx, id, by.User.Username); err != nil {
			return err
		}
		if m, err = tx.ScoreModel(ctx, id); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "model.approve", "score_model", strconv.FormatInt(id, 10),
			map[string]any{"target": m.Target, "version": m.Version, "trained_by": m.TrainedBy}))
	})
	return m, err
}

// Promote makes approved version id the champion of its target, or the
// challenger scoring share (0 < share < 1) of the borrowers; the version
// holding that role before is retired. It needs model:approve.
func (s *Service) Promote(ctx context.Context, by collect.Actor, id int64, role string, share float64) (sqlstore.ScoreModel, error) {
	if err := require(by, auth.PermModelApprove, "promote scoring models"); err != nil {
		return sqlstore.ScoreModel{}, err
	}
	switch role {
	case sqlstore.ModelChampion:
		share = 0
	case sqlstore.ModelChallenger:
		if !(share > 0 && share < 1) {
			return sqlstore.ScoreModel{}, errs.Field("share", "a challenger scores a share between 0 and 1 of the borrowers")
		}
	default:
		return sqlstore.ScoreModel{}, errs.Field("role", "%q is not champion or challenger", role)
	}
	var m sqlstore.ScoreModel
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.PromoteScoreModel(ctx, id, role, share, by.User.Username); err != nil {
			return err
		}
		var err error
		if m, err = tx.ScoreModel(ctx, id); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "model.promote", "score_model", strconv.FormatInt(id, 10),
			map[string]any{"target": m.Target, "version": m.Version, "role": role, "share": share}))
	})
	return m, err
}
