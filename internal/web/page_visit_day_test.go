package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"accord/internal/collect"
	"accord/internal/money"
)

// get sends a GET (or a form POST when form is set) as user with a token.
func (d *visitDay) do(t *testing.T, user, method, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	tok, err := d.svc.CreateToken(context.Background(), collect.System("test"), user, "test")
	if err != nil {
		t.Fatal(err)
	}
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, target, body)
	req.Header.Set("Authorization", "Bearer "+tok)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rec := httptest.NewRecorder()
	d.srv.ServeHTTP(rec, req)
	return rec
}

// TestVisitPages_DayPackReport: the supervisor's day page shows the pair's
// stop with its times, travel and the map image (an SVG from the map
// route); the preparation pack holds the masked profile, the rules, the
// official channels and the amount to ask; the field agent's page lists
// the stop with the check-in form; cancelling the stop re-plans the day
// without it; the report counts the pair's planned visit.
func TestVisitPages_DayPackReport(t *testing.T) {
	t.Parallel()
	d := newVisitDay(t)
	v := d.v
	on := v.PlannedOn.String()

	rec := d.do(t, "supervisor", "GET", "/visits/days?date="+on, nil)
	wantStatus(t, rec, http.StatusOK, "the day page")
	plan, err := d.fw.DayPlans(context.Background(), d.as("supervisor"), v.PlannedOn, 0)
	if err != nil || len(plan) != 1 {
		t.Fatalf("DayPlans = %+v, %v", plan, err)
	}
	st := plan[0].Plan.Stops[0]
	mapURL := fmt.Sprintf("/api/v1/visit-maps/%d?date=%s", plan[0].Pair.ID, on)
	wantBody(t, rec, "the day page", fmt.Sprintf(`id="stop-%d"`, v.ID), st.Arrive, st.Start, st.Leave, "东区一组",
		fmt.Sprintf("%.2f", plan[0].Plan.TravelKm), `<img src="`+strings.ReplaceAll(mapURL, "&", "&amp;")+`"`, "取消并重新排程")
	rec = d.do(t, "supervisor", "GET", mapURL, nil)
	wantStatus(t, rec, http.StatusOK, "the map")
	if ct := rec.Header().Get("Content-Type"); ct != "image/svg+xml" || !strings.Contains(rec.Body.String(), "<svg") {
		t.Errorf("the map is %q: %.100s", ct, rec.Body.String())
	}

	rec = d.do(t, "fa1", "GET", fmt.Sprintf("/visits/%d/pack", v.ID), nil)
	wantStatus(t, rec, http.StatusOK, "the pack for the field agent")
	pk, err := d.fw.Preparation(context.Background(), d.as("fa1"), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantBody(t, rec, "the pack", pk.Borrower.Name, "不收取现金", "贷款机构官方App", "¥"+money.Amount(v.OverdueMinor).Grouped(),
		`data-print`, "对方要求离开时立即离开。")
	if strings.Contains(rec.Body.String(), pk.Borrower.ExternalID) && pk.Borrower.ExternalID != "" {
		t.Errorf("the pack shows the borrower's customer number")
	}
	rec = d.do(t, "supervisor", "GET", "/visits/report?from="+v.PlannedOn.AddDays(-3).String()+"&to="+on, nil)
	wantStatus(t, rec, http.StatusOK, "the report")
	wantBody(t, rec, "the report", `id="report-by-pair"`, "东区一组", `id="report-comparison"`)

	rec = d.do(t, "fa1", "GET", "/visits/today", nil)
	wantStatus(t, rec, http.StatusOK, "today's page")
	wantBody(t, rec, "today's page", fmt.Sprintf(`action="/visits/%d/check-in"`, v.ID), `value="fa2"`, `value="REC-7"`)
	rec = d.do(t, "supervisor", "GET", "/visits/today", nil)
	wantStatus(t, rec, http.StatusForbidden, "a supervisor's field page")

	rec = d.do(t, "supervisor", "POST", fmt.Sprintf("/visits/%d/cancel", v.ID), url.Values{"note": {"借款人来电已还款"}, "back": {"/visits/days"}})
	wantStatus(t, rec, http.StatusSeeOther, "cancel the stop")
	rec = d.do(t, "supervisor", "GET", rec.Header().Get("Location"), nil)
	wantStatus(t, rec, http.StatusOK, "the day after the cancellation")
	wantBody(t, rec, "the day after the cancellation", "外访已取消，当日行程已重新排程。", "重新排程原因")
	if strings.Contains(rec.Body.String(), fmt.Sprintf(`id="stop-%d"`, v.ID)) {
		t.Errorf("the cancelled visit is still a stop of the day")
	}
}
