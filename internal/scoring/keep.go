package scoring

import (
	"bytes"
	"context"
	"fmt"

	"accord/internal/date"
	"accord/internal/features"
	"accord/internal/model"
	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// KeepModel returns the chance-kept model of borrower borrowerID's offers
// when a plan model (features.PlanKept) is in use: the champion, or the
// challenger for its share of borrowers (picked as the nightly scores
// pick), scoring the borrower's features as of asOf with each offer's
// largest payment over income (the assessed income, or the registered one
// when income is not positive) as inst_to_income. It returns a nil model
// when no plan model is in use or the borrower has no loan, and the name
// "plan90 v<version> (<arm>)" otherwise. It implements
// negotiation.KeepSource; tx is the caller's transaction.
func (s *Service) KeepModel(ctx context.Context, tx *sqlstore.Tx, borrowerID int64, income money.Amount, asOf date.Date) (offer.KeepModel, string, error) {
	used, err := tx.ModelsInUse(ctx)
	if err != nil {
		return nil, "", err
	}
	ta := &targetArms{target: features.PlanKept}
	for _, v := range used {
		if v.Target != string(features.PlanKept) {
			continue
		}
		a := &arm{v: v}
		if v.Status == sqlstore.ModelChallenger {
			ta.challger = a
		} else {
			ta.champion = a
		}
	}
	if ta.champion == nil {
		ta.champion, ta.challger = ta.challger, nil
	}
	if ta.champion == nil {
		return nil, "", nil
	}
	a, armName := ta.pick(borrowerID)
	m, err := model.Read(bytes.NewReader(a.v.Body))
	if err != nil {
		return nil, "", fmt.Errorf("plan model %d: %w", a.v.ID, err)
	}
	sc, err := m.NewScorer(features.Header())
	if err != nil {
		return nil, "", fmt.Errorf("plan model %d: %w", a.v.ID, err)
	}
	facts, err := tx.ScoringFacts(ctx, []int64{borrowerID}, s.zone)
	if err != nil {
		return nil, "", err
	}
	f := facts[borrowerID]
	if f == nil {
		return nil, "", nil
	}
	f.Policy = s.opts.Policy
	if income <= 0 {
		income = f.MonthlyIncome
	}
	base := features.Compute(f, asOf)
	var rec []string
	keep := offer.KeepFunc(func(k offer.KeepFacts) float64 {
		v := base
		v.SetPlanBurden(k.MaxPayment, income)
		rec = v.Record(rec)
		return sc.Score(rec, 0).Probability
	})
	return keep, fmt.Sprintf("%s v%d (%s)", features.PlanKept, a.v.Version, armName), nil
}
