package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"accord/internal/auth"
	"accord/internal/promise"
)

// TestPromises_API records, lists and cancels promises to pay through the
// API and the case page, with the permissions and scope of logging a
// contact, and field-named problems for bad input.
func TestPromises_API(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	rec := w.do(t, auth.Collector, "GET", "/api/v1/cases?limit=1", "")
	wantStatus(t, rec, http.StatusOK, "list cases")
	var cases struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &cases); err != nil || len(cases.Items) == 0 {
		t.Fatalf("cases: %v %s", err, rec.Body)
	}
	caseURL := fmt.Sprintf("/api/v1/cases/%d/promises", cases.Items[0].ID)

	rec = w.do(t, auth.Collector, "POST", caseURL, `{"amount":"200.00","due":"2026-03-05","channel":"call","note":"发工资后"}`)
	wantStatus(t, rec, http.StatusCreated, "create promise")
	var p promise.Promise
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.ID == 0 || p.Status != promise.Open || p.Amount != 200_00 ||
		p.TakenBy != "collector" {
		t.Fatalf("created %+v (%v)", p, err)
	}
	rec = w.do(t, auth.Collector, "POST", caseURL, `{"amount":"200.00","due":"2026-05-05"}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "promise 64 days ahead")
	wantBody(t, rec, "promise 64 days ahead", `"location":"body.due"`, "30 days ahead")
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("problem content type = %q", ct)
	}
	rec = w.do(t, auth.Auditor, "POST", caseURL, `{"amount":"200.00","due":"2026-03-05"}`)
	if rec.Code != http.StatusForbidden {
		t.Errorf("auditor creates a promise: %d", rec.Code)
	}
	rec = w.do(t, auth.FieldAgent, "GET", caseURL, "")
	if rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
		t.Errorf("another worker lists the case's promises: %d %s", rec.Code, rec.Body)
	}

	rec = w.do(t, auth.Collector, "GET", caseURL, "")
	wantStatus(t, rec, http.StatusOK, "list promises")
	var list struct{ Items []promise.Promise }
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list.Items) != 1 || list.Items[0].ID != p.ID {
		t.Fatalf("list: %+v %v", list, err)
	}

	// The case page lists it and records another through its form.
	page := fmt.Sprintf("/cases/%d", cases.Items[0].ID)
	form := url.Values{"amount": {"1234.50"}, "due": {"2026-03-09"}, "channel": {"visit"}, "note": {"外访时承诺"}}
	rec = w.do(t, auth.Collector, "POST", page+"/promises", form.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "promise form")
	rec = w.do(t, auth.Collector, "POST", page+"/promises", url.Values{"amount": {"abc"}, "due": {"2026-03-09"}}.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "promise form with a bad amount")

	rec = w.do(t, auth.Collector, "POST", fmt.Sprintf("/api/v1/promises/%d/cancel", p.ID), `{"reason":"借款人改口"}`)
	wantStatus(t, rec, http.StatusOK, "cancel promise")
	rec = w.do(t, auth.Collector, "POST", fmt.Sprintf("/api/v1/promises/%d/cancel", p.ID), `{"reason":"again"}`)
	wantStatus(t, rec, http.StatusConflict, "cancel twice")

	rec = w.do(t, auth.Collector, "GET", page, "")
	wantStatus(t, rec, http.StatusOK, "case page")
	rec = w.do(t, auth.Collector, "GET", "/workbench?empty=wait", "")
	wantBody(t, rec, "workbench after Get next case found nobody to call now", "此刻均不可联系")

	rec = w.do(t, auth.Collector, "GET", page, "")
	wantBody(t, rec, "case page", `id="case-promises"`, `id="promise-form"`, "¥1,234.50", "2026-03-09", "已取消", "借款人改口",
		"待履行", `id="case-promise">¥1,234.50 2026-03-09`)
}
