package negotiation

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// PolicyExperimentRequest starts an offer policy experiment.
type PolicyExperimentRequest struct {
	Name       string  `json:"name,omitempty"`
	Champion   int64   `json:"champion,omitempty"` // offer policy version id; the published one by default
	Challenger int64   `json:"challenger"`         // offer policy version id
	Share      float64 `json:"challenger_share"`   // 0 to 1
}

// policySplit is the experiment as strategy.Arm splits it. The id is
// negated so that an offer policy experiment and a strategy experiment with
// the same number split borrowers independently (strategy.Arm hashes the
// id with the borrower id).
func policySplit(e sqlstore.Experiment) strategy.Experiment {
	spec := e.Spec()
	spec.ID = -e.ID
	return spec
}

// PolicyArm returns the arm (strategy.Champion or strategy.Challenger) of
// borrowerID in offer policy experiment e: stable, by borrower, so all of
// a borrower's cases get offers from the same policy.
func PolicyArm(e sqlstore.Experiment, borrowerID int64) string {
	return strategy.Arm(policySplit(e), borrowerID)
}

// StartOfferPolicyExperiment starts an experiment: from today each
// borrower's offers come from the challenger version with probability
// Share (PolicyArm), from the champion otherwise. It returns an Invalid
// error for unknown, retired or equal versions or a share outside 0–1, and
// a Conflict error while another offer policy experiment runs.
func (s *Service) StartOfferPolicyExperiment(ctx context.Context, by collect.Actor, r PolicyExperimentRequest) (sqlstore.Experiment, error) {
	if err := requirePolicyEdit(by); err != nil {
		return sqlstore.Experiment{}, err
	}
	var e sqlstore.Experiment
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if r.Champion == 0 {
			pub, err := tx.PublishedOfferPolicy(ctx)
			if errs.CodeOf(err) == errs.NotFound {
				return errs.Field("champion", "publish an offer policy version first; it becomes the champion")
			}
			if err != nil {
				return err
			}
			r.Champion = pub.ID
		}
		for _, f := range []struct {
			name string
			id   int64
		}{{"champion", r.Champion}, {"challenger", r.Challenger}} {
			v, err := tx.OfferPolicyVersion(ctx, f.id)
			if errs.CodeOf(err) == errs.NotFound || (err == nil && v.Status == sqlstore.StrategyRetired) {
				return errs.Field(f.name, "offer policy version %d does not exist or is retired", f.id)
			}
			if err != nil {
				return err
			}
			if _, err := storedPolicy(v); err != nil {
				return errs.Field(f.name, "offer policy version %d is not valid: %s", f.id, errs.MessageOf(err))
			}
		}
		e = sqlstore.Experiment{Champion: r.Champion, Challenger: r.Challenger, ChallengerShare: r.Share,
			Name: strings.TrimSpace(r.Name), StartedOn: s.Today(), CreatedBy: by.User.Username}
		if e.Name == "" {
			e.Name = fmt.Sprintf("offer policy v%d vs v%d", r.Champion, r.Challenger)
		}
		if err := e.Spec().Validate(); err != nil {
			return err
		}
		if err := tx.CreateOfferPolicyExperiment(ctx, &e); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "offer_policy_experiment.start", "offer_policy_experiment",
			strconv.FormatInt(e.ID, 10), e))
	})
	if err != nil {
		return sqlstore.Experiment{}, fmt.Errorf("start offer policy experiment: %w", err)
	}
	return e, nil
}

// StopOfferPolicyExperiment stops experiment id today; its results stay
// and the published policy handles every borrower again.
func (s *Service) StopOfferPolicyExperiment(ctx context.Context, by collect.Actor, id int64) error {
	if err := requirePolicyEdit(by); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.StopOfferPolicyExperiment(ctx, id, s.Today()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "offer_policy_experiment.stop", "offer_policy_experiment",
			strconv.FormatInt(id, 10), nil))
	})
	if err != nil {
		return fmt.Errorf("stop offer policy experiment %d: %w", id, err)
	}
	return nil
}

// OfferPolicyExperiments lists every offer policy experiment, newest first.
func (s *Service) OfferPolicyExperiments(ctx context.Context, by collect.Actor) ([]sqlstore.Experiment, error) {
	if !by.User.Can(auth.PermStrategyEdit) && !by.User.Can(auth.PermDashboardRead) {
		return nil, errs.Errorf(errs.Forbidden, "Your role may not see experiments.")
	}
	var out []sqlstore.Experiment
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.OfferPolicyExperiments(ctx)
		return err
	})
	return out, err
}
