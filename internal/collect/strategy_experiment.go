package collect

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// ExperimentRequest starts a champion/challenger experiment.
type ExperimentRequest struct {
	Name       string  `json:"name,omitempty"`
	Champion   int64   `json:"champion,omitempty"` // strategy version id; the published one by default
	Challenger int64   `json:"challenger"`         // strategy version id
	Share      float64 `json:"challenger_share"`
}

// StartExperiment starts an experiment from the next nightly run: each
// borrower falls in the challenger arm with probability Share, by a stable
// hash (strategy.Arm). It returns an Invalid error for unknown, retired or
// equal versions or a share outside 0–1, and a Conflict error while another
// experiment runs.
func (s *Service) StartExperiment(ctx context.Context, by Actor, r ExperimentRequest) (sqlstore.Experiment, error) {
	if err := s.requireStrategy(by); err != nil {
		return sqlstore.Experiment{}, err
	}
	var e sqlstore.Experiment
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if r.Champion == 0 {
			pub, err := tx.PublishedStrategy(ctx)
			if notFoundErr(err) {
				return errs.Field("champion", "publish a strategy version first; it becomes the champion")
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
			v, err := tx.StrategyVersion(ctx, f.id)
			if notFoundErr(err) || (err == nil && v.Status == sqlstore.StrategyRetired) {
				return errs.Field(f.name, "version %d does not exist or is retired", f.id)
			}
			if err != nil {
				return err
			}
		}
		e = sqlstore.Experiment{Champion: r.Champion, Challenger: r.Challenger, ChallengerShare: r.Share,
			Name: strings.TrimSpace(r.Name), StartedOn: s.Today(), CreatedBy: by.User.Username}
		if e.Name == "" {
			e.Name = fmt.Sprintf("v%d vs v%d", r.Champion, r.Challenger)
		}
		if err := e.Spec().Validate(); err != nil {
			return err
		}
		if err := tx.CreateExperiment(ctx, &e); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "experiment.start", "experiment", strconv.FormatInt(e.ID, 10), e))
	})
	if err != nil {
		return sqlstore.Experiment{}, fmt.Errorf("start experiment: %w", err)
	}
	return e, nil
}

// StopExperiment stops experiment id; its results stay. With promote, the
// challenger is published as the new champion in the same transaction.
func (s *Service) StopExperiment(ctx context.Context, by Actor, id int64, promote bool) error {
	if err := s.requireStrategy(by); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		e, err := tx.Experiment(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.StopExperiment(ctx, id, s.Today()); err != nil {
			return err
		}
		if promote {
			v, err := tx.StrategyVersion(ctx, e.Challenger)
			if err != nil {
				return err
			}
			if err := s.fourEyes(by, v); err != nil {
				return err
			}
			if _, err := CheckStrategy(v.Definition); err != nil {
				return err
			}
			if _, err := tx.PublishStrategyVersion(ctx, e.Challenger, by.User.Username); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, s.event(by, "experiment.stop", "experiment", strconv.FormatInt(id, 10),
			map[string]any{"promote": promote, "challenger": e.Challenger}))
	})
	if err != nil {
		return fmt.Errorf("stop experiment %d: %w", id, err)
	}
	return nil
}

// Experiments lists every experiment, newest first.
func (s *Service) Experiments(ctx context.Context, by Actor) ([]sqlstore.Experiment, error) {
	if !by.User.Can(auth.PermStrategyEdit) && !by.User.Can(auth.PermDashboardRead) {
		return nil, errs.Errorf(errs.Forbidden, "Your role may not see experiments.")
	}
	var out []sqlstore.Experiment
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.Experiments(ctx)
		return err
	})
	return out, err
}

// ExperimentResults is an experiment's outcome per arm with confidence
// intervals and p-values, and its daily totals.
type ExperimentResults struct {
	Experiment sqlstore.Experiment      `json:"experiment"`
	Champion   sqlstore.StrategyVersion `json:"champion_version"`
	Challenger sqlstore.StrategyVersion `json:"challenger_version"`
	Comparison strategy.Comparison      `json:"comparison"`
	Days       []sqlstore.ExperimentDay `json:"days"`
}

// ExperimentResults compares the arms of experiment id over every case
// that entered it (strategy.Compare: Wilson intervals for cure and
// roll-forward rates, normal intervals for mean recovery, contacts and
// cost). It returns NotFound if there is no such experiment.
func (s *Service) ExperimentResults(ctx context.Context, by Actor, id int64) (ExperimentResults, error) {
	if !by.User.Can(auth.PermStrategyEdit) && !by.User.Can(auth.PermDashboardRead) {
		return ExperimentResults{}, errs.Errorf(errs.Forbidden, "Your role may not see experiments.")
	}
	var res ExperimentResults
	var rows []strategy.Outcome
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if res.Experiment, err = tx.Experiment(ctx, id); err != nil {
			return err
		}
		if res.Champion, err = tx.StrategyVersion(ctx, res.Experiment.Champion); err != nil {
			return err
		}
		if res.Challenger, err = tx.StrategyVersion(ctx, res.Experiment.Challenger); err != nil {
			return err
		}
		if err := tx.ExperimentOutcomes(ctx, id, func(e sqlstore.ExperimentCase) error {
			rows = append(rows, e.Outcome())
			return nil
		}); err != nil {
			return err
		}
		res.Days, err = tx.ExperimentDays(ctx, id)
		return err
	})
	if err != nil {
		return ExperimentResults{}, fmt.Errorf("experiment %d results: %w", id, err)
	}
	res.Comparison = strategy.Compare(rows)
	return res, nil
}
