package collect

import (
	"encoding/json"
	"math"
	"testing"

	"accord/internal/auth"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// TestCaseScore_StrategyReadsLastNightsScore: a published rule on the score
// and its reasons changes the treatment of a scored case on the next
// night's run; cases without a score, or with a high one, are not caught
// by it; a score dated tonight is not read (scoring runs after casework).
func TestCaseScore_StrategyReadsLastNightsScore(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 120)
		e.run(t, cwStart)
		cases := e.openCases(t)
		if len(cases) < 3 {
			t.Fatalf("%d open cases, want at least 3", len(cases))
		}
		low, high, unscored, tonight := cases[0], cases[1], cases[2], cases[len(cases)-1]

		d := strategy.DefaultDefinition()
		d.Rules = append([]strategy.Rule{{Name: "low_score_broken",
			When:       `has_score && score < 0.2 && score_band == "low" && "promises_broken" in score_reasons && score_age_days == 1`,
			Treatments: d.Rules[0].Treatments}}, d.Rules...)
		raw, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		v, err := e.svc.CreateStrategyVersion(cwCtx, e.as(auth.Supervisor), raw)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.PublishStrategy(cwCtx, e.as(auth.Admin), v.ID); err != nil {
			t.Fatal(err)
		}
		reasons := func(fs ...string) json.RawMessage {
			var rs []map[string]any
			for _, f := range fs {
				rs = append(rs, map[string]any{"feature": f, "effect": -0.5, "zh": "z", "en": "e"})
			}
			b, _ := json.Marshal(rs)
			return b
		}
		err = e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
			m := sqlstore.ScoreModel{Target: ScoreTarget, Kind: "logistic", TrainedAsOf: cwStart, Body: json.RawMessage("{}")}
			if err := tx.CreateScoreModel(cwCtx, &m); err != nil {
				return err
			}
			return tx.SaveScores(cwCtx, []sqlstore.BorrowerScore{
				// An older, high score is superseded by last night's.
				{BorrowerID: low.BorrowerID, Target: ScoreTarget, AsOf: cwStart.AddDays(-3), ModelID: m.ID, Arm: "champion",
					Probability: 0.9, Reasons: reasons("dpd")},
				{BorrowerID: low.BorrowerID, Target: ScoreTarget, AsOf: cwStart, ModelID: m.ID, Arm: "champion",
					Probability: 0.1, Reasons: reasons("dpd", "promises_broken")},
				{BorrowerID: high.BorrowerID, Target: ScoreTarget, AsOf: cwStart, ModelID: m.ID, Arm: "champion",
					Probability: 0.7, Reasons: reasons("promises_broken")},
				// Dated the night being run: not yet seen by casework.
				{BorrowerID: tonight.BorrowerID, Target: ScoreTarget, AsOf: cwStart.AddDays(1), ModelID: m.ID, Arm: "champion",
					Probability: 0.1, Reasons: reasons("promises_broken")},
				// Another target's score is not the strategy's score.
				{BorrowerID: unscored.BorrowerID, Target: "roll30", AsOf: cwStart, ModelID: m.ID, Arm: "champion",
					Probability: 0.1, Reasons: reasons("promises_broken")},
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		e.run(t, cwStart.AddDays(1))
		rules := map[int64]string{}
		for _, c := range e.openCases(t) {
			rules[c.ID] = c.Rule
		}
		if got := rules[low.ID]; got != "low_score_broken" {
			t.Errorf("case scored 10%% with promises_broken last night: rule %q, want low_score_broken", got)
		}
		for name, c := range map[string]sqlstore.Case{"high": high, "unscored": unscored, "tonight": tonight} {
			if got := rules[c.ID]; got == "low_score_broken" || got == "" {
				t.Errorf("%s case: rule %q, want one of the default rules", name, got)
			}
		}
		if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE status = 'open' AND rule = 'low_score_broken'"); n != 1 {
			t.Errorf("%d cases decided by the score rule, want 1", n)
		}
	})
}

// TestFacts_NoScore: without a score every comparison with score is false,
// and the band follows the documented thresholds.
func TestFacts_NoScore(t *testing.T) {
	t.Parallel()
	c := sqlstore.Case{OpenedOn: cwStart}
	f := caseFacts(&c, cwStart, "")
	if f.HasScore || !math.IsNaN(f.Score) || f.ScoreBand != "" || len(f.ScoreReasons) != 0 || f.ScoreAge != strategy.NoScore {
		t.Errorf("no score: %+v", f)
	}
	def := strategy.DefaultDefinition()
	tr := def.Rules[0].Treatments
	def.Rules = []strategy.Rule{{Name: "lt", When: "score < 0.5", Treatments: tr}, {Name: "ge", When: "score >= 0.5", Treatments: tr},
		{Name: "eq", When: "score == 0", Treatments: tr}, {Name: "rest", When: "true", Treatments: tr}}
	prog, err := strategy.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := prog.Evaluate(f); res.RuleName != "rest" || len(res.Errors) != 0 {
		t.Errorf("unscored case: rule %q, errors %v; want rest, none", res.RuleName, res.Errors)
	}
	for p, band := range map[float64]string{0.6: "high", 0.59: "medium", 0.3: "medium", 0.29: "low"} {
		g := withScore(f, &sqlstore.LatestScore{AsOf: cwStart.AddDays(-2), Probability: p}, cwStart)
		if g.ScoreBand != band || !g.HasScore || g.ScoreAge != 2 || g.ScoreReasons == nil {
			t.Errorf("score %v: band %q, has %v, age %d, reasons %v; want %s", p, g.ScoreBand, g.HasScore, g.ScoreAge, g.ScoreReasons, band)
		}
		want := "lt"
		if p >= 0.5 {
			want = "ge"
		}
		if res, _ := prog.Evaluate(g); res.RuleName != want {
			t.Errorf("score %v: rule %q, want %q", p, res.RuleName, want)
		}
	}
}
