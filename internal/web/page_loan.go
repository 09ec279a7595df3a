package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"accord/internal/collect"
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
	data := loanView{LoanPage: page, Posted: r.URL.Query().Get("posted") != "", Reversed: r.URL.Query().Get("reversed") != ""}
	if v := r.URL.Query().Get("payment"); v != "" {
		pid, _ := strconv.ParseInt(v, 10, 64)
		for i := range page.Payments {
			if page.Payments[i].ID == pid {
				data.Payment = &page.Payments[i]
				data.Allocation = allocationOf(page.Allocations, pid)
			}
		}
	}
	s.render(w, r, http.StatusOK, "loan.html", data)
}

// loanView is the loan page: the loan and, when the URL names one of its
// payments (?payment=ID, as after posting it), how that payment was applied.
type loanView struct {
	collect.LoanPage
	Payment          *ledger.Payment
	Allocation       []allocationRow
	Posted, Reversed bool
}

// allocationRow is what one payment paid of one instalment (Seq 0: the
// loan's credit, an overpayment).
type allocationRow struct {
	Seq                                           int
	Penalty, LateFee, Interest, Principal, Credit money.Amount
	Total                                         money.Amount
}

// allocationOf groups payment pid's allocation lines by instalment, in
// instalment order.
func allocationOf(allocs []ledger.Allocation, pid int64) []allocationRow {
	var rows []allocationRow
	at := map[int]int{}
	for _, a := range allocs {
		if a.PaymentID != pid {
			continue
		}
		i, ok := at[a.Seq]
		if !ok {
			i = len(rows)
			at[a.Seq] = i
			rows = append(rows, allocationRow{Seq: a.Seq})
		}
		r := &rows[i]
		switch a.Component {
		case ledger.Penalty:
			r.Penalty += a.Amount
		case ledger.LateFee:
			r.LateFee += a.Amount
		case ledger.Interest:
			r.Interest += a.Amount
		case ledger.Principal:
			r.Principal += a.Amount
		default:
			r.Credit += a.Amount
		}
		r.Total += a.Amount
	}
	slices.SortStableFunc(rows, func(a, b allocationRow) int { return a.Seq - b.Seq })
	return rows
}

// handleLoanPaymentReverse handles "POST /loans/{id}/payments/{pid}/reverse"
// from the console: the payment must be one of the loan's, and the loan in
// the user's scope; the form carries the reason and a confirmation box.
func (s *Server) handleLoanPaymentReverse(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	pid, err := pathID(r, "pid")
	if err != nil {
		s.error(w, r, err)
		return
	}
	page, err := s.svc.Loan(r.Context(), actorOf(r), id, date.Date(0))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !slices.ContainsFunc(page.Payments, func(p ledger.Payment) bool { return p.ID == pid }) {
		s.error(w, r, errs.Errorf(errs.NotFound, "Payment %d not found.", pid))
		return
	}
	var fs []errs.FieldError
	if strings.TrimSpace(r.PostFormValue("reason")) == "" {
		fs = append(fs, errs.FieldError{Field: "reason", Message: "is required"})
	}
	if r.PostFormValue("confirm") == "" {
		fs = append(fs, errs.FieldError{Field: "confirm", Message: "tick the box to confirm the reversal"})
	}
	if len(fs) > 0 {
		s.error(w, r, errs.Fields("Invalid reversal.", fs...))
		return
	}
	if _, err := s.svc.ReversePayment(r.Context(), actorOf(r), pid, r.PostFormValue("reason")); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/loans/"+strconv.FormatInt(id, 10)+"?reversed=1", http.StatusSeeOther)
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
	posted, _, err := s.svc.RecordPayment(r.Context(), actorOf(r), p)
	if err != nil {
		if slices.ContainsFunc(errs.FieldsOf(err), func(f errs.FieldError) bool { return f.Field == "loan_id" }) {
			// The loan in the path is missing or outside the user's scope.
			err = errs.Errorf(errs.NotFound, "Loan %d not found.", id)
		}
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/loans/"+strconv.FormatInt(id, 10)+"?posted=1&payment="+strconv.FormatInt(posted.ID, 10)+"#allocation", http.StatusSeeOther)
}
