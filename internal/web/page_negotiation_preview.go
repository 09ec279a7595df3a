package web

import (
	"encoding/json"
	"net/http"

	"accord/internal/errs"
)

// assessmentPreview is the desk's live numbers for the assessment form as
// it is being filled: what saving it would record, in the page's
// language.
type assessmentPreview struct {
	Expenses          string   `json:"essential_expenses"`
	ExpensesDefaulted bool     `json:"essential_expenses_default"`
	Disposable        string   `json:"disposable_income"`
	DebtServiceRatio  string   `json:"debt_service_ratio"` // "–" without income
	Sustainable       string   `json:"sustainable_payment"`
	Steps             []string `json:"steps"`
}

// handleAssessmentPreview handles "POST
// /cases/{id}/negotiation/assessments/preview": the assessment form's
// numbers computed as Assess would (the case's debt, the offer policy its
// offers would use), saving nothing. Bad fields answer 422 naming them.
func (s *Server) handleAssessmentPreview(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	in, bad := assessmentForm(r)
	if len(bad) > 0 {
		s.error(w, r, errs.Fields("The assessment is not valid.", bad...))
		return
	}
	res, err := s.neg.PreviewAssessment(r.Context(), actorOf(r), id, in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := assessmentPreview{Expenses: res.Expenses.Grouped(), ExpensesDefaulted: res.ExpensesDefaulted,
		Disposable: res.Disposable.Grouped(), DebtServiceRatio: "–", Sustainable: res.Sustainable.Grouped(), Steps: []string{}}
	if res.DebtServiceRatio != nil {
		p.DebtServiceRatio = res.DebtServiceRatio.String()
	}
	en := langOf(r) == "en"
	for _, st := range res.Steps {
		if en {
			p.Steps = append(p.Steps, st.EN)
		} else {
			p.Steps = append(p.Steps, st.ZH)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(p)
}
