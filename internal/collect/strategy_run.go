package collect

import (
	"context"
	"fmt"

	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// strategies is what decides treatments tonight: the champion (the
// published version, or Accord's default when none is published) and,
// while an experiment runs, its challenger.
type strategies struct {
	champion   *strategy.Program
	championID int64 // 0 for the built-in default
	exp        *sqlstore.Experiment
	challenger *strategy.Program
}

// loadStrategies compiles the published version and the running
// experiment's versions. An experiment's champion is the version it was
// started with, even if another has been published since.
func loadStrategies(ctx context.Context, tx *sqlstore.Tx) (strategies, error) {
	var st strategies
	v, err := tx.PublishedStrategy(ctx)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		if st.champion, err = strategy.Compile(strategy.DefaultDefinition()); err != nil {
			return st, fmt.Errorf("compile default strategy: %w", err)
		}
	case err != nil:
		return st, err
	default:
		if st.champion, err = compileVersion(v); err != nil {
			return st, err
		}
		st.championID = v.ID
	}
	exp, err := tx.ActiveExperiment(ctx)
	if errs.CodeOf(err) == errs.NotFound {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	champ, err := tx.StrategyVersion(ctx, exp.Champion)
	if err != nil {
		return st, err
	}
	chal, err := tx.StrategyVersion(ctx, exp.Challenger)
	if err != nil {
		return st, err
	}
	if st.champion, err = compileVersion(champ); err != nil {
		return st, err
	}
	if st.challenger, err = compileVersion(chal); err != nil {
		return st, err
	}
	st.championID, st.exp = champ.ID, &exp
	return st, nil
}

// compileVersion parses and compiles a stored version.
func compileVersion(v sqlstore.StrategyVersion) (*strategy.Program, error) {
	def, err := strategy.ParseDefinition(v.Definition)
	if err != nil {
		return nil, fmt.Errorf("strategy version %d: %w", v.ID, err)
	}
	def.Version = v.Version
	p, err := strategy.Compile(def)
	if err != nil {
		return nil, fmt.Errorf("strategy version %d: %w", v.ID, err)
	}
	return p, nil
}

// pick returns the program for borrowerID, the version id it runs, the arm
// ("" outside an experiment) and the experiment id (0 outside one).
func (st strategies) pick(borrowerID int64) (*strategy.Program, int64, string, int64) {
	if st.exp == nil {
		return st.champion, st.championID, "", 0
	}
	if strategy.Arm(st.exp.Spec(), borrowerID) == strategy.Challenger {
		return st.challenger, st.exp.Challenger, strategy.Challenger, st.exp.ID
	}
	return st.champion, st.exp.Champion, strategy.Champion, st.exp.ID
}

// ruleTreatment is a treatment with the rule that asked for it.
type ruleTreatment struct {
	rule string
	t    strategy.Treatment
}

// treatmentsOf pairs each treatment of res with its rule, in order.
func treatmentsOf(p *strategy.Program, res strategy.Result) []ruleTreatment {
	def := p.Definition()
	var out []ruleTreatment
	for _, i := range res.Matched {
		r := def.Rules[i]
		for _, t := range r.Treatments {
			out = append(out, ruleTreatment{rule: r.Name, t: t})
		}
	}
	return out
}
