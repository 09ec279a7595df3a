package web_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// A case whose borrower a cure model in use scored is valued from that
// score: its page says so (the model, the night, the chance) in both
// languages, and the API gives it as ev_score, instead of the rules of
// thumb that no longer make the value. A score of a model no longer in use
// values nothing.
func TestCasePage_ValuedByTheCureScore(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Cycle: true})
	var c sqlstore.Case
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		st := casework.Open
		cs, _, err := tx.Cases(ctx, sqlstore.CaseFilter{BorrowerID: &e.borrowerID, Status: &st})
		if len(cs) > 0 {
			c = cs[0]
		}
		return err
	}); err != nil || c.ID == 0 {
		t.Fatalf("no open case of the borrower (%v)", err)
	}
	url := "/cases/" + strconv.FormatInt(c.ID, 10)
	page := func(lang string) string {
		t.Helper()
		rec := e.do(t, request{role: auth.Supervisor, method: "GET", url: url, headers: map[string]string{"Cookie": "accord_lang=" + lang}})
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d", url, rec.Code)
		}
		return rec.Body.String()
	}
	if p := page("en"); !strings.Contains(p, `id="ev-factors"`) || strings.Contains(p, `id="ev-score"`) {
		t.Fatal("without a cure model the page does not show the rules of thumb alone")
	}

	m := sqlstore.ScoreModel{Target: "cure30", Kind: "logistic", TrainedAsOf: date.MustParse("2026-03-01"),
		Body: json.RawMessage(`{"format":"accord.model"}`), Summary: json.RawMessage(`{"rows":10}`), TrainedBy: "analyst"}
	on := date.MustParse("2026-03-02")
	if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := newChampion(tx, &m); err != nil {
			return err
		}
		return tx.SaveScores(ctx, []sqlstore.BorrowerScore{{BorrowerID: c.BorrowerID, Target: "cure30", AsOf: on, ModelID: m.ID,
			Arm: "champion", Probability: 0.4567}})
	}); err != nil {
		t.Fatal(err)
	}
	for lang, words := range map[string]string{"zh": "按评分模型的30天内结清概率估值", "en": "Valued by the cure model"} {
		p := page(lang)
		want := words + "（余额 × 概率）：模型 #" + strconv.FormatInt(m.ID, 10) + " · 2026-03-02 · 45.7%"
		if lang == "en" {
			want = words + "&#39;s chance within 30 days (balance × chance): model #" + strconv.FormatInt(m.ID, 10) + " · 2026-03-02 · 45.7%"
		}
		if !strings.Contains(p, want) || strings.Contains(p, `id="ev-factors"`) {
			t.Errorf("%s: the page does not say the value comes from the score (%q) instead of the rules of thumb", lang, want)
		}
	}
	rec := e.do(t, request{role: auth.Supervisor, method: "GET", url: "/api/v1" + url})
	var view struct {
		Factors []json.RawMessage `json:"ev_factors"`
		Score   *struct {
			ModelID int64   `json:"model_id"`
			AsOf    string  `json:"as_of"`
			Chance  float64 `json:"chance"`
		} `json:"ev_score"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &view); err != nil || view.Score == nil || view.Score.ModelID != m.ID ||
		view.Score.AsOf != "2026-03-02" || view.Score.Chance != 0.4567 || len(view.Factors) != 0 {
		t.Errorf("GET /api/v1%s: ev_score %+v, %d factors (%v); want the score and no factors", url, view.Score, len(view.Factors), err)
	}

	// Retired by a new champion that has not scored the borrower yet, the
	// model values nothing: the rules of thumb are back.
	next := m
	next.ID = 0
	if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error { return newChampion(tx, &next) }); err != nil {
		t.Fatal(err)
	}
	if p := page("en"); !strings.Contains(p, `id="ev-factors"`) || strings.Contains(p, `id="ev-score"`) {
		t.Error("with the model retired the page still values the case from its score")
	}
}

// newChampion stores m, approves it and makes it its target's champion.
func newChampion(tx *sqlstore.Tx, m *sqlstore.ScoreModel) error {
	if err := tx.CreateScoreModel(ctx, m); err != nil {
		return err
	}
	if err := tx.ApproveScoreModel(ctx, m.ID, "head"); err != nil {
		return err
	}
	return tx.PromoteScoreModel(ctx, m.ID, sqlstore.ModelChampion, 0, "head")
}
