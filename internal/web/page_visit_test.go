package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/money"
)

// requestVisitAPI asks for a visit on a fresh eligible case as role and
// returns the visit's id, expected value and cost.
func requestVisitAPI(t *testing.T, w *cwWeb, role auth.Role) (id int64, expected, cost money.Amount) {
	t.Helper()
	caseID := eligibleVisitCase(t, w)
	rec := w.do(t, role, "POST", "/api/v1/visits", fmt.Sprintf(`{"case_id":%d,"purpose":"面谈了解还款困难"}`, caseID))
	wantStatus(t, rec, http.StatusCreated, "request a visit")
	var v visitView
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || v.ID == 0 {
		t.Fatalf("requested visit %s (%v)", rec.Body.String(), err)
	}
	return v.ID, v.ExpectedValue, v.Cost
}

// doLang is do with the console language cookie set to lang.
func (w *cwWeb) doLang(t *testing.T, role auth.Role, lang, method, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+w.tokens[role])
	req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rec := httptest.NewRecorder()
	w.srv.ServeHTTP(rec, req)
	return rec
}

func visitState(t *testing.T, w *cwWeb, id int64) string {
	t.Helper()
	rec := w.do(t, auth.Supervisor, "GET", fmt.Sprintf("/api/v1/visits/%d", id), "")
	wantStatus(t, rec, http.StatusOK, "read a visit")
	var p struct {
		Visit struct{ State string } `json:"visit"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p.Visit.State
}

// TestVisitPages_BulkApproval: the supervisor's approvals page lists the
// requests with their expected value and cost; approving three at once
// approves the two others asked for and refuses the supervisor's own with
// the reason in Chinese (in English with the English console); a bulk
// rejection needs a note; a collector may not open the page.
func TestVisitPages_BulkApproval(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	v1, ev1, cost1 := requestVisitAPI(t, w, auth.Admin)
	v2, _, _ := requestVisitAPI(t, w, auth.Admin)
	own, _, _ := requestVisitAPI(t, w, auth.Supervisor)
	v4, _, _ := requestVisitAPI(t, w, auth.Admin)

	rec := w.do(t, auth.Supervisor, "GET", "/visits/approvals", "")
	wantStatus(t, rec, http.StatusOK, "the approvals page")
	page := rec.Body.String()
	for _, id := range []int64{v1, v2, own, v4} {
		if !strings.Contains(page, fmt.Sprintf(`name="ids" value="%d"`, id)) {
			t.Errorf("the approvals page has no checkbox for visit %d", id)
		}
	}
	row := page[strings.Index(page, fmt.Sprintf(`id="request-%d"`, v1)):]
	row = row[:strings.Index(row, "</tr>")]
	for _, want := range []string{ev1.Grouped(), cost1.Grouped(), "面谈了解还款困难", "催收员申请"} {
		if !strings.Contains(row, want) {
			t.Errorf("visit %d's row lacks %q: %s", v1, want, row)
		}
	}

	form := url.Values{"ids": {fmt.Sprint(v1), fmt.Sprint(v2), fmt.Sprint(own)}, "decision": {"approve"}}
	rec = w.do(t, auth.Supervisor, "POST", "/visits/decisions", form.Encode())
	wantStatus(t, rec, http.StatusOK, "bulk approval")
	body := rec.Body.String()
	for _, id := range []int64{v1, v2} {
		if !strings.Contains(body, fmt.Sprintf(`id="result-%d" class="visit-ok"`, id)) {
			t.Errorf("bulk result of visit %d is not shown as done", id)
		}
		if s := visitState(t, w, id); s != "approved" {
			t.Errorf("visit %d is %s after the bulk approval, want approved", id, s)
		}
	}
	ownRow := body[strings.Index(body, fmt.Sprintf(`id="result-%d"`, own)):]
	ownRow = ownRow[:strings.Index(ownRow, "</tr>")]
	if !strings.Contains(ownRow, "visit-refused") || !strings.Contains(ownRow, "外访须由申请人以外的人批准。") {
		t.Errorf("the supervisor's own request is not refused with the reason in Chinese: %s", ownRow)
	}
	if s := visitState(t, w, own); s != "requested" {
		t.Errorf("the supervisor's own request is %s, want still requested", s)
	}
	// The approved ones now wait for their notice; the others still for a decision.
	rec = w.do(t, auth.Supervisor, "GET", "/visits/approvals", "")
	page = rec.Body.String()
	if !strings.Contains(page, fmt.Sprintf(`id="approved-%d"`, v1)) || strings.Contains(page, fmt.Sprintf(`id="request-%d"`, v1)) {
		t.Errorf("visit %d is not listed among the approved awaiting notice", v1)
	}

	// English console: the same refusal in English.
	req := url.Values{"ids": {fmt.Sprint(own)}, "decision": {"approve"}}
	rec = w.doLang(t, auth.Supervisor, "en", "POST", "/visits/decisions", req.Encode())
	wantStatus(t, rec, http.StatusOK, "bulk approval in English")
	wantBody(t, rec, "bulk approval in English", "A visit must be approved by someone other than the person who asked for it.")

	// A bulk rejection needs the reason; with it the visit is rejected.
	rec = w.do(t, auth.Supervisor, "POST", "/visits/decisions", url.Values{"ids": {fmt.Sprint(v4)}, "decision": {"reject"}}.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "a rejection without a note")
	wantBody(t, rec, "a rejection without a note", "note")
	rec = w.do(t, auth.Supervisor, "POST", "/visits/decisions", url.Values{"ids": {fmt.Sprint(v4)}, "decision": {"reject"},
		"note": {"预期回收低于成本"}}.Encode())
	wantStatus(t, rec, http.StatusOK, "bulk rejection")
	if s := visitState(t, w, v4); s != "rejected" {
		t.Errorf("visit %d is %s after the rejection", v4, s)
	}

	rec = w.do(t, auth.Collector, "GET", "/visits/approvals", "")
	wantStatus(t, rec, http.StatusForbidden, "a collector opens the approvals")
	rec = w.do(t, auth.Collector, "POST", "/visits/decisions", url.Values{"ids": {fmt.Sprint(own)}}.Encode())
	wantStatus(t, rec, http.StatusForbidden, "a collector approves in bulk")
}

// TestVisitPages_RequestFromCase: the case page links to the request
// form; a request without a purpose is refused naming it; one with a
// purpose is listed on the form's page as awaiting approval.
func TestVisitPages_RequestFromCase(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	caseID := eligibleVisitCase(t, w)
	rec := w.do(t, auth.Admin, "GET", fmt.Sprintf("/cases/%d", caseID), "")
	wantStatus(t, rec, http.StatusOK, "the case page")
	wantBody(t, rec, "the case page", fmt.Sprintf(`href="/cases/%d/visits/new" id="case-visit-link"`, caseID), "申请上门外访")
	rec = w.do(t, auth.Admin, "GET", fmt.Sprintf("/cases/%d/visits/new", caseID), "")
	wantStatus(t, rec, http.StatusOK, "the request form")
	wantBody(t, rec, "the request form", `id="visit-request-form"`, `name="purpose"`)

	rec = w.do(t, auth.Admin, "POST", fmt.Sprintf("/cases/%d/visits", caseID), url.Values{"purpose": {""}}.Encode())
	if rec.Code != http.StatusConflict && rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a request without a purpose: %d %s", rec.Code, rec.Body.String())
	}
	rec = w.do(t, auth.Admin, "POST", fmt.Sprintf("/cases/%d/visits", caseID), url.Values{"purpose": {"电话长期无人接听，上门了解情况"},
		"pref_from": {"10:00"}}.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "half a preferred time")
	wantBody(t, rec, "half a preferred time", "pref_until")
	rec = w.do(t, auth.Admin, "POST", fmt.Sprintf("/cases/%d/visits", caseID), url.Values{"purpose": {"电话长期无人接听，上门了解情况"},
		"target": {"还清逾期"}}.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "request a visit from the case")
	rec = w.do(t, auth.Admin, "GET", rec.Header().Get("Location"), "")
	wantStatus(t, rec, http.StatusOK, "the form after the request")
	wantBody(t, rec, "the form after the request", "外访申请已提交", "电话长期无人接听，上门了解情况", "待审批")
	rec = w.do(t, auth.FieldAgent, "GET", fmt.Sprintf("/cases/%d/visits/new", caseID), "")
	wantStatus(t, rec, http.StatusForbidden, "a field agent opens the request form")
}
