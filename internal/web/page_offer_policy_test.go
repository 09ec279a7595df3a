package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/negotiation"
	"accord/internal/sqlstore"
)

// TestOfferPolicy_Console drives the offer policy pages: versions as
// labelled tables, the JSON editor naming refused fields, the diff against
// the published version, publishing with confirmation and four eyes, an
// experiment started, shown and stopped, a team's settings saved, and the
// approvals inbox showing each team's budget.
func TestOfferPolicy_Console(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	rec := w.do(t, auth.Supervisor, "GET", "/offer-policies", "")
	wantStatus(t, rec, http.StatusOK, "offer policies")
	wantBody(t, rec, "offer policies", "报价政策", `id="no-versions"`, `id="teams"`, `href="/support-programme"`)
	wantStatus(t, w.do(t, auth.Collector, "GET", "/offer-policies", ""), http.StatusForbidden, "a collector's offer policies")

	rec = w.do(t, auth.Supervisor, "GET", "/offer-policies/new", "")
	wantStatus(t, rec, http.StatusOK, "editor")
	wantBody(t, rec, "editor", `id="document"`, "max_term_months", "&#34;name&#34;: &#34;default&#34;")

	rec = w.do(t, auth.Supervisor, "POST", "/offer-policies", url.Values{"document": {`{"name":"gentle","max_term_months":-1}`}}.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "a refused document")
	wantBody(t, rec, "a refused document", `data-field="policy.max_term_months"`, "max_term_months&#34;:-1")

	save := func(role auth.Role, doc string) string {
		t.Helper()
		rec := w.do(t, role, "POST", "/offer-policies", url.Values{"document": {doc}}.Encode())
		wantStatus(t, rec, http.StatusSeeOther, "save "+doc)
		loc := rec.Header().Get("Location")
		if !regexp.MustCompile(`^/offer-policies/\d+\?saved=draft$`).MatchString(loc) {
			t.Fatalf("saved to %q", loc)
		}
		return strings.TrimSuffix(loc, "?saved=draft")
	}
	first := save(auth.Supervisor, `{"name":"gentle","max_term_months":48}`)
	rec = w.do(t, auth.Supervisor, "GET", first, "")
	wantStatus(t, rec, http.StatusOK, "a draft")
	wantBody(t, rec, "a draft", "最长期限（月）", "审批权限矩阵", "催收员", "不限", `id="four-eyes"`,
		`<tr class="change" data-field="max_term_months"><td>最长期限（月）</td><td class="num"><del>36</del></td><td class="num"><ins>48</ins></td></tr>`,
		"与当前生效的内置政策的差异")
	if strings.Contains(rec.Body.String(), `id="publish"`) {
		t.Error("the writer is offered the publish button")
	}
	rec = w.do(t, auth.Admin, "GET", first, "")
	wantBody(t, rec, "a draft for another user", `id="publish"`)

	rec = w.do(t, auth.Admin, "POST", first+"/publish", "x=1")
	wantStatus(t, rec, http.StatusOK, "the confirmation")
	wantBody(t, rec, "the confirmation", "确认发布报价政策", `id="confirm-publish"`, `data-field="max_term_months"`)
	rec = w.do(t, auth.Supervisor, "POST", first+"/publish", "confirm=yes")
	wantStatus(t, rec, http.StatusForbidden, "the writer publishing")
	wantBody(t, rec, "the writer publishing", `id="publish-refused"`)
	rec = w.do(t, auth.Admin, "POST", first+"/publish", "confirm=yes")
	wantStatus(t, rec, http.StatusSeeOther, "publish")
	rec = w.do(t, auth.Supervisor, "GET", "/offer-policies", "")
	wantBody(t, rec, "after publishing", `data-status="published"`, "已发布", `id="experiment-form"`)

	second := save(auth.Supervisor, `{"name":"gentle","max_term_months":24,"authority":[{"level":"collector","max_fee_waiver":"800.00"},{"level":"manager"}]}`)
	rec = w.do(t, auth.Admin, "GET", second, "")
	wantBody(t, rec, "a draft against the published version", "与已发布版本的差异",
		`<tr class="change" data-field="max_term_months"><td>最长期限（月）</td><td class="num"><del>48</del></td><td class="num"><ins>24</ins></td></tr>`,
		`data-field="authority.collector.max_fee_waiver"`, "¥800.00", "（无此级别）")

	rec = w.do(t, auth.Supervisor, "GET", "/api/v1"+second, "")
	wantStatus(t, rec, http.StatusOK, "the API's version")
	detail := decode[struct {
		Version sqlstore.OfferPolicyVersion `json:"version"`
		Policy  struct {
			MaxTerm int `json:"max_term_months"`
		} `json:"policy"`
		Changes []negotiation.PolicyChange `json:"changes_from_published"`
	}](t, rec.Body.Bytes())
	if detail.Version.Status != "draft" || detail.Policy.MaxTerm != 24 || len(detail.Changes) == 0 ||
		detail.Changes[0] != (negotiation.PolicyChange{Field: "max_term_months", ZH: "最长期限（月）", EN: "Longest plan (months)", From: "48", To: "24"}) {
		t.Errorf("GET %s: %+v", second, detail)
	}

	// An experiment: started, shown, stopped.
	id := strings.TrimPrefix(second, "/offer-policies/")
	rec = w.do(t, auth.Admin, "POST", "/offer-policy-experiments", url.Values{"challenger": {id}, "challenger_share": {"abc"}}.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "a bad share")
	rec = w.do(t, auth.Admin, "POST", "/offer-policy-experiments", url.Values{"challenger": {id}, "challenger_share": {"25"}, "name": {"短期试验"}}.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "start an experiment")
	rec = w.do(t, auth.Supervisor, "GET", "/offer-policies", "")
	m := regexp.MustCompile(`<tr id="experiment-(\d+)" data-status="active"><td>\d+</td><td>短期试验</td>.*?<td class="num">25%</td><td>进行中</td>`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("the running experiment is not listed with its share:\n%s", rec.Body.String())
	}
	rec = w.do(t, auth.Compliance, "GET", "/offer-policy-experiments/"+m[1], "")
	wantStatus(t, rec, http.StatusOK, "results")
	wantBody(t, rec, "results", `id="arm-champion"`, `id="arm-challenger"`, "冠军", "挑战者", "接受率（95% 区间）")
	rec = w.do(t, auth.Admin, "POST", "/offer-policy-experiments/"+m[1]+"/stop", "x=1")
	wantStatus(t, rec, http.StatusSeeOther, "stop")
	rec = w.do(t, auth.Admin, "GET", "/offer-policy-experiments/"+m[1], "")
	wantBody(t, rec, "a stopped experiment", `data-status="stopped"`, "已停止")

	// A team's settings.
	rec = w.do(t, auth.Supervisor, "GET", "/api/v1/negotiation-teams", "")
	wantStatus(t, rec, http.StatusOK, "teams")
	teams := decode[[]negotiation.TeamSettings](t, rec.Body.Bytes())
	if len(teams) == 0 {
		t.Fatal("no teams")
	}
	team := fmt.Sprint(teams[0].Team.ID)
	rec = w.do(t, auth.Supervisor, "POST", "/negotiation-teams/"+team, url.Values{"budget_share": {"150"}}.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "a share above 100%")
	rec = w.do(t, auth.Supervisor, "POST", "/negotiation-teams/"+team, url.Values{"budget_share": {"3.5"}, "experiment": {"yes"},
		"policy_id": {strings.TrimPrefix(first, "/offer-policies/")}, "note": {"试行"}}.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "save a team's settings")
	rec = w.do(t, auth.Supervisor, "GET", "/api/v1/teams/"+team+"/negotiation-settings", "")
	wantStatus(t, rec, http.StatusOK, "team history")
	hist := decode[[]sqlstore.TeamNegotiation](t, rec.Body.Bytes())
	if len(hist) != 1 || hist[0].BudgetShare != "0.035" || hist[0].PolicyID == 0 || hist[0].Note != "试行" {
		t.Errorf("team history %+v", hist)
	}
	rec = w.do(t, auth.Supervisor, "GET", "/offer-policies", "")
	wantBody(t, rec, "teams after saving", `<tr id="team-`+team+`"><td>`, `value="3.5"`, "gentle v1")
	rec = w.do(t, auth.Negotiator, "POST", "/api/v1/teams/"+team+"/negotiation-settings", `{"budget_share":"0.5"}`)
	wantStatus(t, rec, http.StatusForbidden, "a negotiator changing a team's budget")

	req := httptest.NewRequest("GET", "/offer-policies/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+w.tokens[auth.Admin])
	req.AddCookie(&http.Cookie{Name: "accord_lang", Value: "en"})
	rec = httptest.NewRecorder()
	w.srv.ServeHTTP(rec, req)
	wantBody(t, rec, "in English", "Longest plan (months)", "Authority matrix", "no limit", "Changes against the published version")

	rec = w.do(t, auth.Supervisor, "GET", "/negotiation/approvals", "")
	wantStatus(t, rec, http.StatusOK, "inbox")
	wantBody(t, rec, "inbox", `id="budgets"`, "各小组本月重组预算", `id="budget-`+team+`"`, "3.5%", `id="team-settings-link">报价政策与小组配置</a>`)
}

// TestSupportProgramme_Console: the support programme's messages are
// edited as rows; a refused row is named; saved ones are shown.
func TestSupportProgramme_Console(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	rec := w.do(t, auth.Supervisor, "GET", "/support-programme", "")
	wantStatus(t, rec, http.StatusOK, "support programme")
	wantBody(t, rec, "support programme", "帮扶计划宣导消息", `id="support-none"`, `class="support-row"`)
	bad := url.Values{"day": {"0", "x", ""}, "zh": {"欢迎", "第二条", ""}, "en": {"Welcome", "Second", ""}}
	rec = w.do(t, auth.Supervisor, "POST", "/support-programme", bad.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "a bad day")
	wantBody(t, rec, "a bad day", `data-field="messages[1].day"`, "第二条")
	good := url.Values{"day": {"7", "0", ""}, "zh": {"第七天", "欢迎", ""}, "en": {"Day 7", "Welcome", ""}}
	rec = w.do(t, auth.Supervisor, "POST", "/support-programme", good.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "save")
	rec = w.do(t, auth.Supervisor, "GET", "/support-programme", "")
	wantBody(t, rec, "after saving", `id="support-version">1<`, `value="0"`, "欢迎", "第七天")
	if i, j := strings.Index(rec.Body.String(), "欢迎"), strings.Index(rec.Body.String(), "第七天"); i > j {
		t.Error("the messages are not shown by day")
	}
	wantStatus(t, w.do(t, auth.Collector, "GET", "/support-programme", ""), http.StatusForbidden, "a collector")

	rec = w.do(t, auth.Supervisor, "PUT", "/api/v1/support-programme", `{"messages":[{"day":3,"zh":"","en":"Day 3"}]}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "a message without its Chinese text")
	wantBody(t, rec, "a message without its Chinese text", "messages[0].zh")
	rec = w.do(t, auth.Supervisor, "PUT", "/api/v1/support-programme", `{"messages":[{"day":3,"zh":"第三天","en":"Day 3"}]}`)
	wantStatus(t, rec, http.StatusOK, "save through the API")
	rec = w.do(t, auth.Supervisor, "GET", "/api/v1/support-programme", "")
	wantStatus(t, rec, http.StatusOK, "read through the API")
	view := decode[negotiation.SupportProgrammeView](t, rec.Body.Bytes())
	if view.Version.Version != 2 || len(view.Program.Messages) != 1 || view.Program.Messages[0].ZH != "第三天" {
		t.Errorf("the programme through the API: %+v", view)
	}
}
