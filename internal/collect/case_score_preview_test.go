package collect

import (
	"encoding/json"
	"testing"

	"accord/internal/auth"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// TestPreviewStrategy_ReadsScores: the strategy preview reads each case's
// latest stored cure score, so a rule on score, score_band and
// score_reasons previews on the cases it will catch tonight: the two
// scored low, not the one scored high nor the unscored ones.
func TestPreviewStrategy_ReadsScores(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 120)
		e.run(t, cwStart)
		cases := e.openCases(t)
		if len(cases) < 4 {
			t.Fatalf("%d open cases, want at least 4", len(cases))
		}
		reasons := json.RawMessage(`[{"feature":"promises_broken","effect":-0.5,"zh":"z","en":"e"}]`)
		err := e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
			m := sqlstore.ScoreModel{Target: ScoreTarget, Kind: "logistic", TrainedAsOf: cwStart, Body: json.RawMessage("{}")}
			if err := tx.CreateScoreModel(cwCtx, &m); err != nil {
				return err
			}
			var list []sqlstore.BorrowerScore
			for i, p := range []float64{0.1, 0.15, 0.8} {
				list = append(list, sqlstore.BorrowerScore{BorrowerID: cases[i].BorrowerID, Target: ScoreTarget, AsOf: cwStart,
					ModelID: m.ID, Arm: "champion", Probability: p, Reasons: reasons})
			}
			return tx.SaveScores(cwCtx, list)
		})
		if err != nil {
			t.Fatal(err)
		}
		d := strategy.DefaultDefinition()
		d.Rules = append([]strategy.Rule{{Name: "low_score",
			When:       `has_score && score < 0.2 && score_band == "low" && "promises_broken" in score_reasons && score_age_days >= 0`,
			Treatments: d.Rules[0].Treatments}}, d.Rules...)
		raw, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.svc.PreviewStrategy(cwCtx, e.as(auth.Supervisor), raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Rules[0].Matched; got != 2 || p.Rules[0].Decided != 2 {
			t.Errorf("the score rule matched %d and decided %d of %d cases in the preview, want the 2 scored below 0.2",
				got, p.Rules[0].Decided, p.Total)
		}
	})
}
