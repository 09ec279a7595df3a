package web

import (
	"net/http"
	"strconv"
	"strings"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/negotiation"
)

// handlePromiseCreate handles "POST /cases/{id}/promises": the case page's
// promise form.
func (s *Server) handlePromiseCreate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	np := negotiation.NewPromise{Channel: r.PostFormValue("channel"), Note: r.PostFormValue("note"),
		LogContact: r.PostFormValue("log_contact") != ""}
	var bad []errs.FieldError
	if np.Amount, err = money.Parse(strings.TrimSpace(r.PostFormValue("amount"))); err != nil {
		bad = append(bad, errs.FieldError{Field: "amount", Message: errs.MessageOf(err)})
	}
	if np.Due, err = date.Parse(strings.TrimSpace(r.PostFormValue("due"))); err != nil {
		bad = append(bad, errs.FieldError{Field: "due", Message: errs.MessageOf(err)})
	}
	if len(bad) > 0 {
		s.error(w, r, errs.Fields("The promise is not valid.", bad...))
		return
	}
	if _, err := s.neg.RecordPromise(r.Context(), actorOf(r), id, np); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10)+"?saved=promise#promises", http.StatusSeeOther)
}

// handlePromiseCancel handles "POST /promises/{id}/cancel".
func (s *Server) handlePromiseCancel(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.neg.CancelPromise(r.Context(), actorOf(r), id, r.PostFormValue("reason"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+strconv.FormatInt(p.CaseID, 10)+"?saved=pcancel#promises", http.StatusSeeOther)
}
