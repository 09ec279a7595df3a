package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/sqlstore/storetest"
	"accord/internal/strategy"
)

// cwWeb is a server over a demo book with the demo collections department
// after one nightly run, and a bearer token per role.
type cwWeb struct {
	srv    *Server
	svc    *collect.Service
	tokens map[auth.Role]string
}

func newCWWeb(t *testing.T) *cwWeb {
	t.Helper()
	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := collect.New(db, collect.Options{Now: func() time.Time { return now }, Log: log})
	if _, err := svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: 500, Seed: 5, AsOf: date.MustParse("2026-03-01")}, nil); err != nil {
		t.Fatal(err)
	}
	w := &cwWeb{svc: svc, tokens: map[auth.Role]string{}}
	for _, r := range auth.Roles {
		if _, err := svc.CreateUser(ctx, collect.System("test"), auth.User{Username: string(r), Roles: []auth.Role{r}}, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		tok, err := svc.CreateToken(ctx, collect.System("test"), string(r), "test")
		if err != nil {
			t.Fatal(err)
		}
		w.tokens[r] = tok
	}
	if _, err := svc.LoadDemoCasework(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RunCycle(ctx, date.MustParse("2026-03-02"), nil); err != nil {
		t.Fatal(err)
	}
	srv, err := New(svc, Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	w.srv = srv
	return w
}

// do sends a request as role; a body starting with { is JSON, otherwise a
// form.
func (w *cwWeb) do(t *testing.T, role auth.Role, method, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+w.tokens[role])
	switch {
	case strings.HasPrefix(body, "{"):
		req.Header.Set("Content-Type", "application/json")
	case body != "":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rec := httptest.NewRecorder()
	w.srv.ServeHTTP(rec, req)
	return rec
}

func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, want int, what string) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("%s: status %d, want %d: %.400s", what, rec.Code, want, rec.Body.String())
	}
}

func wantBody(t *testing.T, rec *httptest.ResponseRecorder, what string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(rec.Body.String(), s) {
			t.Errorf("%s: body lacks %q", what, s)
		}
	}
}

// TestWorkbench_Console works a case from the queue as a collector: the
// workbench, "Get next case", the case page, a call outcome and a note.
func TestWorkbench_Console(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	rec := w.do(t, auth.Collector, "GET", "/workbench", "")
	wantStatus(t, rec, http.StatusOK, "workbench")
	wantBody(t, rec, "workbench", `id="next-case"`, `id="my-queue"`, `class="case-link"`)

	rec = w.do(t, auth.Collector, "POST", "/workbench/next", "x=")
	wantStatus(t, rec, http.StatusSeeOther, "next case")
	loc := rec.Header().Get("Location")
	if !regexp.MustCompile(`^/cases/\d+$`).MatchString(loc) {
		t.Fatalf("next case went to %q", loc)
	}
	rec = w.do(t, auth.Collector, "GET", loc, "")
	wantStatus(t, rec, http.StatusOK, "case page")
	wantBody(t, rec, "case page", `id="case-timeline"`, `id="case-script"`, `id="case-reasons"`, `id="case-loans"`,
		`id="contact-panel" hx-get="`+loc+`/contact"`, "立案")
	if strings.Contains(rec.Body.String(), `id="outcome-form"`) || strings.Contains(rec.Body.String(), `action="`+loc+`/outcomes"`) {
		t.Error("the case page still has the old call-outcome form beside the contact flow")
	}

	// The contact flow of the case page (page_contact_test.go covers it in
	// full): a call with a promise, then a note.
	form := url.Values{"to": {"phone:1"}, "channel": {"call"}, "outcome": {"connected"}, "promise_amount": {"300.00"},
		"promise_due": {"2026-03-05"}, "note": {"下周发工资"}}
	rec = w.do(t, auth.Collector, "POST", loc+"/contacts", form.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "contact with a promise")
	rec = w.do(t, auth.Collector, "POST", loc+"/notes", url.Values{"text": {"已核实工作单位"}}.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "note")
	rec = w.do(t, auth.Collector, "GET", loc, "")
	wantBody(t, rec, "case page after work", "电话：接通，承诺2026-03-05前还款300.00元", "已核实工作单位", `id="case-promise">¥300.00 2026-03-05`)

	form.Set("outcome", "shouted")
	rec = w.do(t, auth.Collector, "POST", loc+"/contacts", form.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "bad outcome")
	if rec = w.do(t, auth.Collector, "POST", loc+"/outcomes", form.Encode()); rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("the old outcome route answers %d", rec.Code)
	}
	rec = w.do(t, auth.Collector, "GET", "/dashboard", "")
	wantStatus(t, rec, http.StatusForbidden, "collector dashboard")
}

// TestStrategies_Console: a supervisor's bad definition is refused with the
// rule and the error shown, and the published version stays; a good one
// is previewed, saved and published.
func TestStrategies_Console(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	rec := w.do(t, auth.Supervisor, "GET", "/strategies/new", "")
	wantStatus(t, rec, http.StatusOK, "editor")
	wantBody(t, rec, "editor", `id="definition"`, "m1_low_sms")

	bad := `{"name":"default","rules":[{"name":"first","when":"true","treatments":[{"kind":"call","queue":"early","priority":1}]},` +
		`{"name":"broken_rule","when":"dpd > \"30\"","treatments":[{"kind":"call","queue":"late","priority":2}]}]}`
	rec = w.do(t, auth.Supervisor, "POST", "/strategies", url.Values{"definition": {bad}}.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "bad definition")
	wantBody(t, rec, "refusal", `id="strategy-problems"`, `data-rule="1"`, "broken_rule", "rules[1].when", "column")
	rec = w.do(t, auth.Supervisor, "GET", "/strategies", "")
	if n := strings.Count(rec.Body.String(), `class="strategy-`); n != 1 {
		t.Errorf("%d versions listed after the refusal, want the published one", n)
	}

	good, _ := json.Marshal(strategy.DefaultDefinition())
	rec = w.do(t, auth.Supervisor, "POST", "/strategies/preview", url.Values{"definition": {string(good)}}.Encode())
	wantStatus(t, rec, http.StatusOK, "preview")
	wantBody(t, rec, "preview", `id="preview-rules"`, `data-rule="m1_low_sms"`)
	rec = w.do(t, auth.Supervisor, "POST", "/strategies", url.Values{"definition": {string(good)}}.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "save")
	loc := rec.Header().Get("Location")
	rec = w.do(t, auth.Supervisor, "GET", loc, "")
	wantStatus(t, rec, http.StatusOK, "version page")
	wantBody(t, rec, "version page", `id="publish-strategy"`, `id="preview-total"`)
	// Four eyes: another user publishes what the supervisor wrote, after
	// the confirmation step (page_strategy_test.go covers both).
	rec = w.do(t, auth.Admin, "POST", loc+"/publish", "confirm=yes")
	wantStatus(t, rec, http.StatusSeeOther, "publish")
	if v, err := w.svc.PublishedStrategy(context.Background()); err != nil || "/strategies/"+itoa(int(v.ID)) != loc {
		t.Errorf("published %d, %v; want %s", v.ID, err, loc)
	}
	rec = w.do(t, auth.Collector, "POST", "/strategies", url.Values{"definition": {string(good)}}.Encode())
	wantStatus(t, rec, http.StatusForbidden, "collector saving a strategy")
}

// TestCaseAPI covers the JSON API of cases, strategies, experiments,
// queues and the dashboard.
func TestCaseAPI(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	rec := w.do(t, auth.Supervisor, "GET", "/api/v1/cases?status=open&order_by_ev=true&limit=5", "")
	wantStatus(t, rec, http.StatusOK, "list cases")
	var list struct {
		Items []struct {
			ID    int64 `json:"id"`
			Owner struct {
				Kind string `json:"kind"`
				ID   int64  `json:"id"`
			} `json:"owner"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list.Items) != 5 || list.Total < 5 {
		t.Fatalf("case list: %v, %.300s", err, rec.Body.String())
	}
	id := itoa(int(list.Items[0].ID))
	rec = w.do(t, auth.Supervisor, "GET", "/api/v1/cases/"+id, "")
	wantStatus(t, rec, http.StatusOK, "get case")
	wantBody(t, rec, "get case", `"reasons":[`, `"events":[`, `"script":{`)
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/cases/"+id+"/notes", `{"text":"主管抽查"}`)
	wantStatus(t, rec, http.StatusCreated, "note")
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/cases/reassign", `{"case_ids":[`+id+`],"to":"collector:1","reason":"抽查后调整","lock":true}`)
	wantStatus(t, rec, http.StatusOK, "reassign")
	wantBody(t, rec, "reassign", `"moved":1`)
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/cases/reassign", `{"case_ids":[`+id+`],"to":"collector:1","reason":""}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "reassign without reason")

	bad := `{"name":"x","rules":[{"name":"ok","when":"true","treatments":[{"kind":"call","queue":"early","priority":1}]},` +
		`{"name":"typo","when":"segmnt == \"willing_able\"","treatments":[{"kind":"sms","template":"early_reminder"}]}]}`
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/strategies", bad)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "bad strategy")
	wantBody(t, rec, "bad strategy", `"location":"body.rules[1].when"`, `rule 1 \"typo\"`, "segmnt",
		`"location":"body.rules[1].treatments[0].template"`)
	good, _ := json.Marshal(strategy.DefaultDefinition())
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/strategies/preview", string(good))
	wantStatus(t, rec, http.StatusOK, "preview")
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/strategies", string(good))
	wantStatus(t, rec, http.StatusCreated, "create strategy")
	var v struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &v)
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/experiments", `{"name":"ab","challenger":`+itoa(int(v.ID))+`,"challenger_share":0.5}`)
	wantStatus(t, rec, http.StatusCreated, "start experiment")
	var e struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &e)
	rec = w.do(t, auth.Auditor, "GET", "/api/v1/experiments/"+itoa(int(e.ID))+"/results", "")
	wantStatus(t, rec, http.StatusOK, "experiment results")
	wantBody(t, rec, "experiment results", `"comparison":{`, `"cure_rate":{`)
	rec = w.do(t, auth.Admin, "POST", "/api/v1/strategies/"+itoa(int(v.ID))+"/publish", "") // four eyes
	wantStatus(t, rec, http.StatusOK, "publish")

	rec = w.do(t, auth.Collector, "GET", "/api/v1/workbench", "")
	wantStatus(t, rec, http.StatusOK, "workbench")
	rec = w.do(t, auth.Collector, "POST", "/api/v1/workbench/next", "")
	wantStatus(t, rec, http.StatusOK, "next case")
	rec = w.do(t, auth.Auditor, "GET", "/api/v1/dashboard", "")
	wantStatus(t, rec, http.StatusOK, "dashboard")
	rec = w.do(t, auth.Supervisor, "GET", "/api/v1/queues", "")
	wantStatus(t, rec, http.StatusOK, "queues")
}

// TestQueuesAndDashboard_Console: bulk reassignment from the team queues
// and the dashboard with its export.
func TestQueuesAndDashboard_Console(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	rec := w.do(t, auth.Supervisor, "GET", "/queues?bucket=M1", "")
	wantStatus(t, rec, http.StatusOK, "queues")
	wantBody(t, rec, "queues", `id="teams"`, `id="agencies"`, `id="reassign-form"`)
	ids := regexp.MustCompile(`name="case_id" value="(\d+)"`).FindAllStringSubmatch(rec.Body.String(), 2)
	if len(ids) != 2 {
		t.Fatalf("queue page lists %d cases", len(ids))
	}
	form := url.Values{"case_id": {ids[0][1], ids[1][1]}, "to": {"collector:2"}, "reason": {"平衡工作量"}, "lock": {"1"}}
	rec = w.do(t, auth.Supervisor, "POST", "/queues/reassign", form.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "bulk reassign")
	if loc := rec.Header().Get("Location"); loc != "/queues?moved=2" {
		t.Errorf("after reassigning: %q", loc)
	}
	form.Set("reason", "")
	rec = w.do(t, auth.Supervisor, "POST", "/queues/reassign", form.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "reassign without a reason")

	rec = w.do(t, auth.Supervisor, "GET", "/dashboard", "")
	wantStatus(t, rec, http.StatusOK, "dashboard")
	wantBody(t, rec, "dashboard", `id="flow-chart"`, `id="cure-chart"`, `id="recovery-chart"`, `id="collector-chart"`,
		`id="team-chart"`, "/static/vendor/echarts.min.js", `id="matrix-table"`)
	rec = w.do(t, auth.Supervisor, "GET", "/dashboard/export.xlsx", "")
	wantStatus(t, rec, http.StatusOK, "export")
	if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") || rec.Body.Len() < 1000 {
		t.Errorf("export: %s, %d bytes", ct, rec.Body.Len())
	}
	for _, p := range []string{"/experiments", "/strategies", "/cases?bucket=M1"} {
		wantStatus(t, w.do(t, auth.Supervisor, "GET", p, ""), http.StatusOK, p)
	}
}
