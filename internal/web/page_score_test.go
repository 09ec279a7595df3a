package web_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/sqlstore"
)

// TestCaseScorePanel (both engines): the case page loads the score panel, which shows
// the latest cure score as a percentage with its trend and reasons in the
// user's language, or says there is none; outside the user's scope it is
// not found.
func TestCaseScorePanel(t *testing.T) {
	t.Parallel()
	for _, o := range openers() {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			testCaseScorePanel(t, o.open(t))
		})
	}
}

func testCaseScorePanel(t *testing.T, db *sqlstore.DB) {
	e := newEnv(t, db, envOpts{Cycle: true})
	var caseID, other int64
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		return tx.EachOpenCase(ctx, func(c sqlstore.Case) error {
			if c.BorrowerID == e.borrowerID {
				caseID = c.ID
			} else if other == 0 {
				other = c.ID
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if caseID == 0 || other == 0 {
		t.Fatal("the env's borrower has no open case")
	}
	m := sqlstore.ScoreModel{Target: "cure30", Kind: "logistic", TrainedAsOf: today, Body: json.RawMessage(`{}`), TrainedBy: "a"}
	reasons := `[{"feature":"dpd","effect":-0.8,"zh":"当前逾期天数降低30天内结清逾期的可能","en":"days past due lowers the chance of curing within 30 days"}]`
	if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.CreateScoreModel(ctx, &m); err != nil {
			return err
		}
		if err := tx.SaveWarnings(ctx, []sqlstore.EarlyWarning{{BorrowerID: e.borrowerID, AsOf: today.AddDays(-3),
			Code: "failed_auto_debit", ZH: "近10天代扣失败1次", EN: "1 auto-debit failed in 10 days", Evidence: json.RawMessage(`{"failures":1}`)}}); err != nil {
			return err
		}
		return tx.SaveScores(ctx, []sqlstore.BorrowerScore{
			{BorrowerID: e.borrowerID, Target: "cure30", AsOf: today.AddDays(-1), ModelID: m.ID, Arm: "champion", Probability: 0.30},
			{BorrowerID: e.borrowerID, Target: "cure30", AsOf: today, ModelID: m.ID, Arm: "champion", Probability: 0.425,
				Reasons: json.RawMessage(reasons)},
		})
	}); err != nil {
		t.Fatal(err)
	}
	url := "/cases/" + strconv.FormatInt(caseID, 10)
	page := e.do(t, request{role: auth.Supervisor, method: "GET", url: url})
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), `hx-get="`+url+`/score"`) {
		t.Fatalf("case page %d does not load the score panel", page.Code)
	}
	zh := e.do(t, request{role: auth.Supervisor, method: "GET", url: url + "/score", headers: map[string]string{"HX-Request": "true"}})
	body := zh.Body.String()
	for _, want := range []string{"还款可能性评分", "42.5%", "12.5 个百分点", `class="up"`, "当前逾期天数降低30天内结清逾期的可能", "冠军模型", "30.0%", "近10天代扣失败1次"} {
		if zh.Code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("zh panel (%d) lacks %q:\n%s", zh.Code, want, body)
		}
	}
	if strings.Contains(body, "<html") || strings.Contains(body, "champion") {
		t.Errorf("the htmx fragment is a whole page or shows the raw arm code:\n%s", body)
	}
	en := e.do(t, request{role: auth.Supervisor, method: "GET", url: url + "/score", headers: map[string]string{"Cookie": "accord_lang=en"}})
	for _, want := range []string{"Chance to pay", "42.5%", "days past due lowers the chance", "Champion", "<html", "1 auto-debit failed in 10 days"} {
		if !strings.Contains(en.Body.String(), want) {
			t.Errorf("en page lacks %q", want)
		}
	}
	none := e.do(t, request{role: auth.Supervisor, method: "GET", url: "/cases/" + strconv.FormatInt(other, 10) + "/score"})
	if none.Code != http.StatusOK || !strings.Contains(none.Body.String(), `id="score-none"`) {
		t.Errorf("an unscored case: %d without the no-score note", none.Code)
	}
	if got := e.do(t, request{role: auth.Collector, method: "GET", url: "/cases/" + strconv.FormatInt(other, 10) + "/score"}); got.Code != http.StatusNotFound {
		t.Errorf("a collector reads the score of a case outside their queue: %d, want 404", got.Code)
	}
}
