package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/sqlstore"
)

// TestNegotiation_Console drives the negotiation desk's pages: the
// assessment form, offers side by side, the approvers' inbox, approval and
// the printable agreement.
func TestNegotiation_Console(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	w.srv.neg.UseActivator(&activations{})
	w.srv.neg.UseBudgetShare(decimal.MustParse("0.5"))
	rec := w.do(t, auth.Collector, "GET", "/api/v1/cases?limit=1", "")
	wantStatus(t, rec, http.StatusOK, "list cases")
	caseID := decode[struct{ Items []struct{ ID int64 } }](t, rec.Body.Bytes()).Items[0].ID
	desk := fmt.Sprintf("/cases/%d/negotiation", caseID)

	rec = w.do(t, auth.Collector, "GET", desk, "")
	wantStatus(t, rec, http.StatusOK, "desk")
	wantBody(t, rec, "desk", `id="assessment-form"`, "还款能力评估", "尚无评估。", `id="round-form"`)
	rec = w.do(t, auth.FieldAgent, "GET", desk, "")
	wantStatus(t, rec, http.StatusNotFound, "desk outside the scope")

	rec = w.do(t, auth.Collector, "POST", desk+"/assessments", url.Values{"monthly_income": {"abc"}}.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "bad income")
	form := url.Values{"monthly_income": {"4200.00"}, "income_evidence": {"payslip"}, "other_debt_payments": {"300"},
		"dependants": {"1"}, "liquid_assets": {"100"}, "hardship": {"job_loss"}, "hardship_months": {"2"}, "willingness": {"willing"}}
	rec = w.do(t, auth.Collector, "POST", desk+"/assessments", form.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "assess")
	rec = w.do(t, auth.Collector, "POST", desk+"/offers", "x=1")
	wantStatus(t, rec, http.StatusSeeOther, "propose")
	rec = w.do(t, auth.Collector, "GET", fmt.Sprintf("/api/v1/cases/%d/offers", caseID), "")
	wantStatus(t, rec, http.StatusOK, "list offers")
	offers := decode[struct{ Items []sqlstore.Offer }](t, rec.Body.Bytes()).Items
	if len(offers) < 3 {
		t.Fatalf("offers: %d", len(offers))
	}
	rec = w.do(t, auth.Collector, "GET", desk, "")
	wantStatus(t, rec, http.StatusOK, "desk with offers")
	wantBody(t, rec, "desk with offers", `id="sustainable"`, fmt.Sprintf(`id="offer-%d"`, offers[0].ID), "应还总额")
	if strings.Contains(rec.Body.String(), fmt.Sprintf(`action="/offers/%d/approve"`, offers[0].ID)) {
		t.Error("a collector is shown the approve form")
	}

	req := httptest.NewRequest("GET", "/negotiation/approvals", nil)
	req.Header.Set("Authorization", "Bearer "+w.tokens[auth.Supervisor])
	req.AddCookie(&http.Cookie{Name: "accord_lang", Value: "en"})
	rec = httptest.NewRecorder()
	w.srv.ServeHTTP(rec, req)
	wantStatus(t, rec, http.StatusOK, "inbox")
	wantBody(t, rec, "inbox", fmt.Sprintf(`id="inbox-%d"`, offers[0].ID), "Offers awaiting approval")
	rec = w.do(t, auth.Collector, "GET", "/negotiation/approvals", "")
	wantStatus(t, rec, http.StatusForbidden, "a collector's inbox")

	var pick sqlstore.Offer
	for _, o := range offers {
		if o.Offer.Approval == "collector" || o.Offer.Approval == "supervisor" {
			pick = o
			break
		}
	}
	if pick.ID == 0 {
		t.Fatal("no offer a supervisor may approve")
	}
	rec = w.do(t, auth.Supervisor, "POST", fmt.Sprintf("/offers/%d/approve", pick.ID), url.Values{"reason": {"ok"}, "back": {"inbox"}}.Encode())
	wantStatus(t, rec, http.StatusSeeOther, "approve from the inbox")
	rec = w.do(t, auth.Collector, "POST", fmt.Sprintf("/offers/%d/agreement", pick.ID), "x=1")
	wantStatus(t, rec, http.StatusSeeOther, "make agreement")
	loc := rec.Header().Get("Location")
	if !strings.HasPrefix(loc, "/agreements/") {
		t.Fatalf("agreement redirect %q", loc)
	}
	rec = w.do(t, auth.Collector, "GET", loc, "")
	wantStatus(t, rec, http.StatusOK, "agreement page")
	wantBody(t, rec, "agreement page", "还款协议（二次协商）", "Repayment agreement", `id="send-code-form"`, `id="accept-form"`,
		`data-print`, `src="/static/js/negotiation.js"`)
	rec = w.do(t, auth.Collector, "POST", loc+"/accept", url.Values{"code": {"000000"}}.Encode())
	wantStatus(t, rec, http.StatusConflict, "accept before a code was sent")
}

// TestNegotiation_CaseLink: the case page links to the case's negotiation
// desk, in the page's language.
func TestNegotiation_CaseLink(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	rec := w.do(t, auth.Collector, "GET", "/api/v1/cases?limit=1", "")
	wantStatus(t, rec, http.StatusOK, "list cases")
	caseID := decode[struct{ Items []struct{ ID int64 } }](t, rec.Body.Bytes()).Items[0].ID
	rec = w.do(t, auth.Collector, "GET", fmt.Sprintf("/cases/%d", caseID), "")
	wantStatus(t, rec, http.StatusOK, "case page")
	wantBody(t, rec, "case page", fmt.Sprintf(`<a href="/cases/%d/negotiation" id="case-negotiation-link">二次协商</a>`, caseID))
}
