package web

import (
	"net/http"
	"strconv"

	"accord/internal/auth"
	"accord/internal/collect"
)

// registerDispute declares the routes that record a dispute's outcome:
// the borrower page's form and the JSON API.
func (s *Server) registerDispute() {
	s.handle("POST", "/borrowers/{id}/dispute-outcome", auth.PermDisputeResolve, s.handleBorrowerDisputeOutcome)
	s.registerDisputeAPI()
}

// disputeForm is what the borrower page needs to show the dispute outcome
// form: its texts and the outcomes to choose from.
type disputeForm struct {
	T        map[string]string
	Outcomes []string
}

// disputeFormFor returns the form for the borrower page, or nil when the
// borrower has no open dispute or the user may not record its outcome.
func disputeFormFor(r *http.Request, flags []string) *disputeForm {
	if !actorOf(r).User.Can(auth.PermDisputeResolve) || !collect.DisputeOpen(flags) {
		return nil
	}
	return &disputeForm{T: disputeLabels(langOf(r)), Outcomes: collect.DisputeOutcomes}
}

// handleBorrowerDisputeOutcome handles "POST /borrowers/{id}/dispute-outcome".
func (s *Server) handleBorrowerDisputeOutcome(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.svc.RecordDisputeOutcome(r.Context(), actorOf(r), id, r.PostFormValue("outcome"), r.PostFormValue("note")); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/borrowers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
