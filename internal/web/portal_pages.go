package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/selfservice"
)

// handleMyLoginShow handles "GET /my/login".
func (s *Server) handleMyLoginShow(w http.ResponseWriter, r *http.Request) {
	v := portalView{}
	if r.URL.Query().Get("expired") != "" {
		v.Error = portalLabel(langOf(r), "login.expired")
	}
	s.portalRender(w, r, http.StatusOK, "portal_login.html", v)
}

// handleMyLogin handles "POST /my/login": asks for a sign-in code.
func (s *Server) handleMyLogin(w http.ResponseWriter, r *http.Request) {
	in := selfservice.SignIn{LoanNumber: r.PostFormValue("loan_number"), Phone: r.PostFormValue("phone"), Addr: clientIP(r),
		RequestID: requestID(r.Context())}
	ch, err := s.opts.Portal.StartSignIn(r.Context(), in)
	if err != nil {
		v := portalView{Data: map[string]string{"LoanNumber": in.LoanNumber}}
		s.portalRender(w, r, s.portalFail(r, &v, err), "portal_login.html", v)
		return
	}
	s.portalRender(w, r, http.StatusOK, "portal_code.html", portalView{Data: ch})
}

// handleMyVerify handles "POST /my/verify": checks the code and signs in.
func (s *Server) handleMyVerify(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PostFormValue("challenge_id"), 10, 64)
	sess, err := s.opts.Portal.VerifySignIn(r.Context(), id, r.PostFormValue("code"), clientIP(r), requestID(r.Context()))
	if err != nil {
		v := portalView{Data: selfservice.Challenge{ID: id}}
		s.portalRender(w, r, s.portalFail(r, &v, err), "portal_code.html", v)
		return
	}
	s.setPortalCookie(w, r, sess.Token, s.opts.Portal.Policy().SessionMax)
	http.Redirect(w, r, "/my", http.StatusSeeOther)
}

// handleMyLogout handles "POST /my/logout".
func (s *Server) handleMyLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(portalCookie); err == nil {
		if err := s.opts.Portal.SignOut(r.Context(), c.Value, portalWho(r.Context())); err != nil {
			s.logError("portal sign-out", err)
		}
	}
	s.clearPortalCookie(w, r)
	http.Redirect(w, r, "/my/login", http.StatusSeeOther)
}

// handleMyHome handles "GET /my": what each loan owes.
func (s *Server) handleMyHome(w http.ResponseWriter, r *http.Request) {
	list, err := s.opts.Portal.Balance(r.Context(), portalWho(r.Context()))
	if err != nil {
		s.portalError(w, r, err)
		return
	}
	s.portalRender(w, r, http.StatusOK, "portal_home.html", portalView{Data: list})
}

// portalDone renders the message page with a label and its arguments.
func (s *Server) portalDone(w http.ResponseWriter, r *http.Request, key string, args ...any) {
	msg := portalLabel(langOf(r), key)
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	s.portalRender(w, r, http.StatusOK, "portal_message.html", portalView{Data: map[string]string{"Done": msg}})
}

// handleMyPromiseShow handles "GET /my/promise".
func (s *Server) handleMyPromiseShow(w http.ResponseWriter, r *http.Request) {
	s.portalRender(w, r, http.StatusOK, "portal_promise.html", portalView{Data: map[string]string{
		"Min": s.opts.Portal.Today().AddDays(1).String(), "Max": s.opts.Portal.Today().AddDays(30).String()}})
}

// handleMyPromise handles "POST /my/promise".
func (s *Server) handleMyPromise(w http.ResponseWriter, r *http.Request) {
	in, err := promiseForm(r)
	if err == nil {
		var res selfservice.PromiseResult
		if res, err = s.opts.Portal.Promise(r.Context(), portalWho(r.Context()), in); err == nil {
			if langOf(r) == "en" {
				s.portalDone(w, r, "promise.done", res.Promise.Amount.Grouped(), res.Promise.Due)
			} else {
				s.portalDone(w, r, "promise.done", res.Promise.Due, res.Promise.Amount.Grouped())
			}
			return
		}
	}
	v := portalView{Data: map[string]string{"Amount": r.PostFormValue("amount"), "Due": r.PostFormValue("due"),
		"Min": s.opts.Portal.Today().AddDays(1).String(), "Max": s.opts.Portal.Today().AddDays(30).String()}}
	s.portalRender(w, r, s.portalFail(r, &v, err), "portal_promise.html", v)
}

func promiseForm(r *http.Request) (selfservice.PromiseRequest, error) {
	var in selfservice.PromiseRequest
	var fe []errs.FieldError
	var err error
	if in.Amount, err = money.Parse(strings.TrimSpace(r.PostFormValue("amount"))); err != nil || in.Amount <= 0 {
		fe = append(fe, errs.FieldError{Field: "amount", Message: "must be an amount in yuan, such as 500 or 500.00"})
	}
	if in.Due, err = date.Parse(strings.TrimSpace(r.PostFormValue("due"))); err != nil {
		fe = append(fe, errs.FieldError{Field: "due", Message: "must be a date"})
	}
	in.Note = r.PostFormValue("note")
	if len(fe) > 0 {
		return in, errs.Fields("The promise is not valid.", fe...)
	}
	return in, nil
}

// handleMyPayShow handles "GET /my/pay".
func (s *Server) handleMyPayShow(w http.ResponseWriter, r *http.Request) {
	list, err := s.opts.Portal.Balance(r.Context(), portalWho(r.Context()))
	if err != nil {
		s.portalError(w, r, err)
		return
	}
	sel, _ := strconv.ParseInt(r.URL.Query().Get("loan"), 10, 64)
	s.portalRender(w, r, http.StatusOK, "portal_pay.html", portalView{Data: payPage(list, sel, "", s.opts.Portal.PaymentsEnabled())})
}

// payPage is the pay form's data: the loans, the one chosen (the first
// when none or another), and the amount (what the chosen loan has overdue
// unless given).
func payPage(list []selfservice.LoanStatement, sel int64, amount string, enabled bool) map[string]any {
	chosen := int64(0)
	for _, l := range list {
		if l.LoanID == sel || chosen == 0 {
			chosen = l.LoanID
			if amount == "" || l.LoanID == sel {
				amount = l.Overdue.String()
			}
		}
	}
	return map[string]any{"Loans": list, "Selected": chosen, "Amount": amount, "Enabled": enabled}
}

// handleMyPay handles "POST /my/pay": creates the order and links to the
// gateway's pay page. (A link, not a redirect: the console's CSP allows
// forms to post only to itself, redirects included.)
func (s *Server) handleMyPay(w http.ResponseWriter, r *http.Request) {
	who := portalWho(r.Context())
	loanID, _ := strconv.ParseInt(r.PostFormValue("loan_id"), 10, 64)
	amount, err := money.Parse(strings.TrimSpace(r.PostFormValue("amount")))
	if err != nil {
		err = errs.Field("amount", "must be an amount in yuan, such as 500 or 500.00")
	} else {
		var o any
		if o, err = s.opts.Portal.StartPayment(r.Context(), who, loanID, amount); err == nil {
			s.portalRender(w, r, http.StatusOK, "portal_pay_go.html", portalView{Data: o})
			return
		}
	}
	list, _ := s.opts.Portal.Balance(r.Context(), who)
	v := portalView{Data: payPage(list, loanID, r.PostFormValue("amount"), s.opts.Portal.PaymentsEnabled())}
	s.portalRender(w, r, s.portalFail(r, &v, err), "portal_pay.html", v)
}

// handleMyPayReturn handles "GET /my/pay/return": the order's status when
// the gateway's pay page sends the borrower back.
func (s *Server) handleMyPayReturn(w http.ResponseWriter, r *http.Request) {
	o, err := s.opts.Portal.PaymentOrder(r.Context(), portalWho(r.Context()), r.URL.Query().Get("order"))
	if err != nil {
		s.portalError(w, r, err)
		return
	}
	s.portalRender(w, r, http.StatusOK, "portal_pay_return.html", portalView{Data: o})
}
