package negotiation

import (
	"context"
	"fmt"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/offer"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// PolicyArmResult is one arm of an offer policy experiment: the totals of
// the offers its policy version made while the experiment ran, the
// acceptance rate (cases with an accepted offer over cases offered) and
// the kept rate (plans completed over plans settled, that is completed or
// broken), each with its 95% Wilson interval.
type PolicyArmResult struct {
	Arm        string                      `json:"arm"`
	Version    sqlstore.OfferPolicyVersion `json:"version"`
	Totals     sqlstore.PolicyTotals       `json:"totals"`
	Acceptance strategy.Rate               `json:"acceptance"`
	KeptRate   strategy.Rate               `json:"kept_rate"`
}

// PolicyExperimentResults compares the arms of an offer policy experiment.
// KeptP is the two-sided p-value of the difference of the kept rates
// (strategy.TwoProportionP); AcceptanceP that of the acceptance rates.
type PolicyExperimentResults struct {
	Experiment  sqlstore.Experiment `json:"experiment"`
	Champion    PolicyArmResult     `json:"champion"`
	Challenger  PolicyArmResult     `json:"challenger"`
	AcceptanceP float64             `json:"acceptance_p"`
	KeptP       float64             `json:"kept_p"`
}

// OfferPolicyExperimentResults returns the results of offer policy
// experiment id, counting the offers proposed from its start to its stop
// (or today) whose policy the experiment's split chose (recorded with each
// offer; offers of teams pinned to a version or kept out of experiments do
// not count). An offer's arm is the policy version it records. It returns
// NotFound if there is no such experiment.
func (s *Service) OfferPolicyExperimentResults(ctx context.Context, by collect.Actor, id int64) (PolicyExperimentResults, error) {
	var r PolicyExperimentResults
	if !by.User.Can(auth.PermStrategyEdit) && !by.User.Can(auth.PermDashboardRead) {
		return r, errs.Errorf(errs.Forbidden, "Your role may not see experiment results.")
	}
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		e, err := tx.OfferPolicyExperiment(ctx, id)
		if err != nil {
			return err
		}
		r.Experiment = e
		for _, arm := range []struct {
			out  *PolicyArmResult
			name string
			id   int64
		}{{&r.Champion, strategy.Champion, e.Champion}, {&r.Challenger, strategy.Challenger, e.Challenger}} {
			v, err := tx.OfferPolicyVersion(ctx, arm.id)
			if err != nil {
				return err
			}
			t, err := tx.ExperimentArmTotals(ctx, e.ID, offer.PolicyRef{Name: v.Name, Version: v.Version}, e.StartedOn, e.StoppedOn)
			if err != nil {
				return err
			}
			*arm.out = PolicyArmResult{Arm: arm.name, Version: v, Totals: t,
				Acceptance: strategy.Wilson(min(t.Accepted, t.Cases), t.Cases, strategy.Z95),
				KeptRate:   strategy.Wilson(t.Kept, t.Kept+t.Broken, strategy.Z95)}
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("offer policy experiment %d results: %w", id, err)
	}
	a, b := r.Champion, r.Challenger
	r.AcceptanceP = strategy.TwoProportionP(a.Acceptance.Hits, a.Acceptance.N, b.Acceptance.Hits, b.Acceptance.N)
	r.KeptP = strategy.TwoProportionP(a.KeptRate.Hits, a.KeptRate.N, b.KeptRate.Hits, b.KeptRate.N)
	return r, nil
}
