package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/features"
	"accord/internal/sqlstore"
)

// TestScoreBandsPage (both engines): the scoring dashboard puts cure scores in bands with
// how many of the matured ones cured, and flags a model whose score PSI is
// above the threshold, with labels in zh and en.
func TestScoreBandsPage(t *testing.T) {
	t.Parallel()
	for _, o := range openers() {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			testScoreBandsPage(t, o.open(t))
		})
	}
}

func testScoreBandsPage(t *testing.T, db *sqlstore.DB) {
	e := newEnv(t, db, envOpts{Cycle: true})
	old := today.AddDays(-40)
	m := sqlstore.ScoreModel{Target: "cure30", Kind: "logistic", TrainedAsOf: old, Body: json.RawMessage(`{}`), TrainedBy: "a"}
	var ids []int64
	wantCured := 0
	if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if ids, err = tx.ScoringBorrowers(ctx, 0, 20); err != nil {
			return err
		}
		facts, err := tx.ScoringFacts(ctx, ids, time.UTC)
		if err != nil {
			return err
		}
		for _, id := range ids {
			f := facts[id]
			f.Policy = e.svc.Policy()
			if features.Label(f, old, features.Cure30, nil) {
				wantCured++
			}
		}
		if err := newChampion(tx, &m); err != nil {
			return err
		}
		var list []sqlstore.BorrowerScore
		for i, id := range ids {
			list = append(list, sqlstore.BorrowerScore{BorrowerID: id, Target: "cure30", AsOf: old, ModelID: m.ID, Arm: "champion",
				Probability: 0.05 + 0.9*float64(i)/float64(len(ids))})
		}
		list = append(list, sqlstore.BorrowerScore{BorrowerID: ids[0], Target: "cure30", AsOf: today, ModelID: m.ID, Arm: "champion", Probability: 0.5})
		if err := tx.SaveScores(ctx, list); err != nil {
			return err
		}
		if err := tx.SaveWarnings(ctx, []sqlstore.EarlyWarning{
			{BorrowerID: ids[0], AsOf: today.AddDays(-80), Code: "shrinking_payments", ZH: "少", EN: "less"},
			{BorrowerID: ids[1], AsOf: today, Code: "shrinking_payments", ZH: "少", EN: "less"},
			{BorrowerID: ids[2], AsOf: today, Code: features.WarnFailedDebit, ZH: "代扣", EN: "debit"},
			{BorrowerID: ids[3], AsOf: today, Code: features.WarnContactChange, ZH: "变更", EN: "changed"},
			{BorrowerID: ids[4], AsOf: today, Code: features.WarnPlanLate, ZH: "计划", EN: "plan"},
		}); err != nil {
			return err
		}
		return tx.SaveStability(ctx, []sqlstore.Stability{{ModelID: m.ID, AsOf: today, Name: "score", PSI: 0.4, Rows: 20},
			{ModelID: m.ID, AsOf: today, Name: "dpd", PSI: 0.01, Rows: 20}})
	}); err != nil {
		t.Fatal(err)
	}
	zh := e.do(t, request{role: auth.Supervisor, method: "GET", url: "/scoring"})
	body := zh.Body.String()
	if zh.Code != http.StatusOK {
		t.Fatalf("GET /scoring = %d\n%s", zh.Code, body)
	}
	// The warning 80 days old has not matured: 2 issued, 0 matured.
	if !regexp.MustCompile(`<td>还款金额减少</td><td class="num">2</td><td class="num">0</td>`).MatchString(body) {
		t.Errorf("zh page lacks the shrinking-payments warnings (2 issued, none matured)")
	}
	for _, want := range []string{"<td>代扣失败</td>", "<td>联系方式变更</td>", "<td>还款计划逾期</td>", "评分分段与实际结果", "0–10%", "90–100%", "当前逾期天数", `id="psi-alert"`, "0.400", "冠军模型", "30天内结清逾期 v1", "早期预警效果"} {
		if !strings.Contains(body, want) {
			t.Errorf("zh page lacks %q", want)
		}
	}
	if regexp.MustCompile(`>dpd<|>cure30|>champion<|>shrinking_payments<|>failed_auto_debit<|>contact_changed<|>plan_payment_late<`).MatchString(body) {
		t.Errorf("zh page shows a raw code")
	}
	// Sum the bands: 21 scored, 20 matured, the cured ones as the ledger says.
	var scored, matured, cured int
	for _, m := range regexp.MustCompile(`<td>\d+–\d+%</td><td class="num">(\d+)</td><td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>`).FindAllStringSubmatch(body, -1) {
		scored += atoi(m[1])
		matured += atoi(m[2])
		cured += atoi(m[3])
	}
	if scored != len(ids)+1 || matured != len(ids) || cured != wantCured {
		t.Errorf("bands sum to %d scored, %d matured, %d cured; want %d, %d, %d", scored, matured, cured, len(ids)+1, len(ids), wantCured)
	}
	en := e.do(t, request{role: auth.Supervisor, method: "GET", url: "/scoring", headers: map[string]string{"Cookie": "accord_lang=en"}})
	for _, want := range []string{"Score bands against outcomes", "days past due", "curing within 30 days v1", "Paying less than usual"} {
		if !strings.Contains(en.Body.String(), want) {
			t.Errorf("en page lacks %q", want)
		}
	}
	if got := e.do(t, request{role: auth.Collector, method: "GET", url: "/scoring"}); got.Code != http.StatusForbidden {
		t.Errorf("a collector opens the scoring dashboard: %d, want 403", got.Code)
	}
	if got := e.do(t, request{role: auth.Supervisor, method: "GET", url: "/scoring?from=yesterday"}); got.Code != http.StatusUnprocessableEntity {
		t.Errorf("a bad date: %d, want 422", got.Code)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = 10*n + int(c-'0')
	}
	return n
}
