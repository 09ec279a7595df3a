package web

import (
	"net/http"
	"strconv"
	"strings"

	"accord/internal/classify"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/promise"
)

// handleCaseIndex handles "GET /cases": the cases the user may see, by
// value, with the same filters as the team queues.
func (s *Server) handleCaseIndex(w http.ResponseWriter, r *http.Request) {
	f := caseFilter(r.URL.Query())
	list, total, err := s.svc.Cases(r.Context(), actorOf(r), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case_index.html", map[string]any{"Items": list, "Total": total, "Query": r.URL.Query()})
}

// handleCaseShow handles "GET /cases/{id}".
func (s *Server) handleCaseShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	page, err := s.svc.Case(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	promises, err := s.neg.ListPromises(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case_show.html", map[string]any{"P": page, "Outcomes": collect.CallOutcomes,
		"Hardships": []string{classify.HardshipJobLoss, classify.HardshipIllness, classify.HardshipOther},
		"Today":     s.svc.Today(), "Saved": r.URL.Query().Get("saved"), "Promises": promises, "Channels": promise.Channels,
		"MaxDue": s.svc.Today().AddDays(s.neg.Policy().MaxDays), "NegLink": negLabels(langOf(r))["title"]})
}

// handleCaseNoteCreate handles "POST /cases/{id}/notes".
func (s *Server) handleCaseNoteCreate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.svc.AddCaseNote(r.Context(), actorOf(r), id, r.PostFormValue("text")); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?saved=note#timeline", http.StatusSeeOther)
}

// handleCaseOutcomeCreate handles "POST /cases/{id}/outcomes": a call
// outcome from the quick-action form, with an optional promise to pay and
// declared hardship.
func (s *Server) handleCaseOutcomeCreate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	cc := collect.CaseContact{Channel: "call", Outcome: compliance.Outcome(r.PostFormValue("outcome")),
		Hardship: r.PostFormValue("hardship"), Note: r.PostFormValue("note")}
	var bad []errs.FieldError
	if v := strings.TrimSpace(r.PostFormValue("promise_amount")); v != "" {
		if cc.PromiseAmount, err = money.Parse(v); err != nil {
			bad = append(bad, errs.FieldError{Field: "promise_amount", Message: errs.MessageOf(err)})
		}
	}
	if v := strings.TrimSpace(r.PostFormValue("promise_due")); v != "" {
		if cc.PromiseDue, err = date.Parse(v); err != nil {
			bad = append(bad, errs.FieldError{Field: "promise_due", Message: errs.MessageOf(err)})
		}
	}
	if len(bad) > 0 {
		s.error(w, r, errs.Fields("The outcome is not valid.", bad...))
		return
	}
	if err := s.svc.LogCaseContact(r.Context(), actorOf(r), id, cc); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?saved=outcome#timeline", http.StatusSeeOther)
}

// handleCaseUnlock handles "POST /cases/{id}/unlock".
func (s *Server) handleCaseUnlock(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.svc.UnlockCase(r.Context(), actorOf(r), id); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
