package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
)

// handleLoanShow handles "GET /loans/{id}".
func (s *Server) handleLoanShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var asOf date.Date
	if v := r.URL.Query().Get("as_of"); v != "" {
		if asOf, err = date.Parse(v); err != nil {
			s.error(w, r, errs.Field("as_of", "%s", errs.MessageOf(err)))
			return
		}
	}
	page, err := s.svc.Loan(r.Context(), actorOf(r), id, asOf)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "loan.html", page)
}

// handleLoanPaymentCreate handles "POST /loans/{id}/payments" from the
// console's payment form.
func (s *Server) handleLoanPaymentCreate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var fs []errs.FieldError
	amount, err := money.Parse(r.PostFormValue("amount"))
	if err != nil {
		fs = append(fs, errs.FieldError{Field: "amount", Message: errs.MessageOf(err)})
	}
	paidOn, err := date.Parse(r.PostFormValue("paid_on"))
	if err != nil {
		fs = append(fs, errs.FieldError{Field: "paid_on", Message: errs.MessageOf(err)})
	}
	if len(fs) > 0 {
		s.error(w, r, errs.Fields("Invalid payment.", fs...))
		return
	}
	p := ledger.Payment{ExternalID: strings.TrimSpace(r.PostFormValue("external_id")), LoanID: id, Amount: amount, PaidOn: paidOn, Channel: r.PostFormValue("channel")}
	if _, _, err := s.svc.RecordPayment(r.Context(), actorOf(r), p); err != nil {
		if slices.ContainsFunc(errs.FieldsOf(err), func(f errs.FieldError) bool { return f.Field == "loan_id" }) {
			// The loan in the path is missing or outside the user's scope.
			err = errs.Errorf(errs.NotFound, "Loan %d not found.", id)
		}
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/loans/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
