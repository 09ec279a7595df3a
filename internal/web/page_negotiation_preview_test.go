package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"accord/internal/auth"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// TestNegotiation_AssessmentPreview: the desk's live numbers are what
// saving the form then records, in the page's language, and previewing
// saves nothing; bad fields answer 422 naming them; outside the scope the
// case is missing.
func TestNegotiation_AssessmentPreview(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	rec := w.do(t, auth.Collector, "GET", "/api/v1/cases?limit=1", "")
	wantStatus(t, rec, http.StatusOK, "list cases")
	caseID := decode[struct{ Items []struct{ ID int64 } }](t, rec.Body.Bytes()).Items[0].ID
	desk := fmt.Sprintf("/cases/%d/negotiation", caseID)
	rec = w.do(t, auth.Collector, "GET", desk, "")
	wantBody(t, rec, "desk", `id="live-numbers" data-preview="`+desk+`/assessments/preview"`, `src="/static/js/negotiation.js"`)

	form := url.Values{"monthly_income": {"6000.00"}, "income_evidence": {"payslip"}, "household_size": {"3"}, "city_tier": {"2"},
		"other_debt_payments": {"800"}, "dependants": {"1"}, "hardship": {"job_loss"}, "hardship_months": {"3"}, "willingness": {"willing"}}
	type preview struct {
		Expenses    string   `json:"essential_expenses"`
		Defaulted   bool     `json:"essential_expenses_default"`
		Disposable  string   `json:"disposable_income"`
		DSR         string   `json:"debt_service_ratio"`
		Sustainable string   `json:"sustainable_payment"`
		Steps       []string `json:"steps"`
	}
	rec = w.do(t, auth.Collector, "POST", desk+"/assessments/preview", form.Encode())
	wantStatus(t, rec, http.StatusOK, "preview")
	p := decode[preview](t, rec.Body.Bytes())
	if !p.Defaulted || p.Sustainable == "" || len(p.Steps) < 3 {
		t.Fatalf("preview %+v", p)
	}
	wantBody(t, rec, "preview in Chinese", "可支配收入 = max(0, 月收入 6,000.00")
	rec = w.do(t, auth.Collector, "GET", fmt.Sprintf("/api/v1/cases/%d/assessments", caseID), "")
	if n := len(decode[struct{ Items []sqlstore.Assessment }](t, rec.Body.Bytes()).Items); n != 0 {
		t.Fatalf("the preview saved %d assessments", n)
	}

	wantStatus(t, w.do(t, auth.Collector, "POST", desk+"/assessments", form.Encode()), http.StatusSeeOther, "save")
	rec = w.do(t, auth.Collector, "GET", fmt.Sprintf("/api/v1/cases/%d/assessments", caseID), "")
	saved := decode[struct {
		Items []struct {
			Result struct {
				Expenses    string  `json:"essential_expenses"`
				Disposable  string  `json:"disposable_income"`
				DSR         *string `json:"debt_service_ratio"`
				Sustainable string  `json:"sustainable_payment"`
			} `json:"result"`
		}
	}](t, rec.Body.Bytes()).Items
	if len(saved) != 1 {
		t.Fatalf("assessments after saving: %d", len(saved))
	}
	got := saved[0].Result
	grouped := func(s string) string { // the API's plain amount as the desk shows it
		a, err := money.Parse(s)
		if err != nil {
			t.Fatalf("saved amount %q: %v", s, err)
		}
		return a.Grouped()
	}
	if grouped(got.Sustainable) != p.Sustainable || grouped(got.Disposable) != p.Disposable || grouped(got.Expenses) != p.Expenses || got.DSR == nil || *got.DSR != p.DSR {
		t.Errorf("saved %+v, previewed %+v", got, p)
	}

	bad := url.Values{"monthly_income": {"abc"}}
	rec = w.do(t, auth.Collector, "POST", desk+"/assessments/preview", bad.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "bad income")
	wantBody(t, rec, "bad income", "monthly_income")
	bad = url.Values{"monthly_income": {"6000"}, "hardship": {"lottery"}}
	rec = w.do(t, auth.Collector, "POST", desk+"/assessments/preview", bad.Encode())
	wantStatus(t, rec, http.StatusUnprocessableEntity, "bad hardship")
	wantBody(t, rec, "bad hardship", "hardship")
	wantStatus(t, w.do(t, auth.FieldAgent, "POST", desk+"/assessments/preview", form.Encode()), http.StatusNotFound, "outside the scope")
}
