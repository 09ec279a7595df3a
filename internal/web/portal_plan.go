package web

import (
	"net/http"
	"strconv"
	"strings"

	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/selfservice"
)

// handleMyPlanShow handles "GET /my/plan": the affordability form and the
// offers already open on the case.
func (s *Server) handleMyPlanShow(w http.ResponseWriter, r *http.Request) {
	offers, err := s.opts.Portal.Offers(r.Context(), portalWho(r.Context()))
	if err != nil {
		s.portalError(w, r, err)
		return
	}
	s.portalRender(w, r, http.StatusOK, "portal_plan.html", portalView{Data: planPage(offers, nil)})
}

func planPage(offers []selfservice.PlanOffer, form map[string]string) map[string]any {
	kinds := append([]offer.Hardship{""}, offer.Hardships...)
	return map[string]any{"Offers": offers, "Form": form, "Hardships": kinds}
}

// handleMyPlan handles "POST /my/plan": records the form and shows the
// offers.
func (s *Server) handleMyPlan(w http.ResponseWriter, r *http.Request) {
	form := map[string]string{}
	for _, k := range []string{"monthly_income", "essential_expenses", "other_debt_payments", "dependants", "hardship", "hardship_months"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	in, err := affordabilityForm(form)
	if err == nil {
		var p selfservice.Plan
		if p, err = s.opts.Portal.RequestPlan(r.Context(), portalWho(r.Context()), in); err == nil {
			s.portalRender(w, r, http.StatusOK, "portal_plan.html", portalView{Data: planPage(p.Offers, form)})
			return
		}
	}
	v := portalView{Data: planPage(nil, form)}
	s.portalRender(w, r, s.portalFail(r, &v, err), "portal_plan.html", v)
}

func affordabilityForm(f map[string]string) (selfservice.Affordability, error) {
	var a selfservice.Affordability
	var fe []errs.FieldError
	amount := func(k string, dst *money.Amount, required bool) {
		if f[k] == "" && !required {
			return
		}
		v, err := money.Parse(f[k])
		if err != nil || v < 0 {
			fe = append(fe, errs.FieldError{Field: k, Message: "must be an amount in yuan"})
		}
		*dst = v
	}
	count := func(k string, dst *int) {
		if f[k] == "" {
			return
		}
		n, err := strconv.Atoi(f[k])
		if err != nil || n < 0 || n > 120 {
			fe = append(fe, errs.FieldError{Field: k, Message: "must be a whole number"})
		}
		*dst = n
	}
	amount("monthly_income", &a.MonthlyIncome, true)
	if f["essential_expenses"] != "" {
		var e money.Amount
		amount("essential_expenses", &e, false)
		a.EssentialExpenses = &e
	}
	amount("other_debt_payments", &a.OtherDebtPayments, false)
	count("dependants", &a.Dependants)
	count("hardship_months", &a.HardshipMonths)
	a.Hardship = offer.Hardship(f["hardship"])
	if len(fe) > 0 {
		return a, errs.Fields("The form is not valid.", fe...)
	}
	return a, nil
}

// handleMyPlanAccept handles "POST /my/plan/accept": accepts an offer
// within the auto-approval policy and sends the agreement's code.
func (s *Server) handleMyPlanAccept(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PostFormValue("offer_id"), 10, 64)
	acc, err := s.opts.Portal.AcceptOffer(r.Context(), portalWho(r.Context()), id)
	if err != nil {
		s.portalError(w, r, err)
		return
	}
	s.portalRender(w, r, http.StatusOK, "portal_plan_code.html", portalView{Data: acc})
}

// handleMyPlanConfirm handles "POST /my/plan/confirm": the agreement's
// code accepts and activates it.
func (s *Server) handleMyPlanConfirm(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PostFormValue("agreement_id"), 10, 64)
	if _, err := s.opts.Portal.ConfirmAgreement(r.Context(), portalWho(r.Context()), id, r.PostFormValue("code")); err != nil {
		v := portalView{Data: selfservice.Acceptance{AgreementID: id}}
		s.portalRender(w, r, s.portalFail(r, &v, err), "portal_plan_code.html", v)
		return
	}
	s.portalDone(w, r, "plan.done")
}

// handleMyRequestsShow handles "GET /my/requests".
func (s *Server) handleMyRequestsShow(w http.ResponseWriter, r *http.Request) {
	list, err := s.opts.Portal.Requests(r.Context(), portalWho(r.Context()))
	if err != nil {
		s.portalError(w, r, err)
		return
	}
	s.portalRender(w, r, http.StatusOK, "portal_requests.html", portalView{Data: map[string]any{"History": list,
		"Kinds": selfservice.RequestKinds, "Kind": r.URL.Query().Get("kind")}})
}

// handleMyRequest handles "POST /my/requests": a dispute, complaint or
// stop-contact request.
func (s *Server) handleMyRequest(w http.ResponseWriter, r *http.Request) {
	who := portalWho(r.Context())
	kind := r.PostFormValue("kind")
	if _, err := s.opts.Portal.Request(r.Context(), who, kind, r.PostFormValue("note")); err != nil {
		list, _ := s.opts.Portal.Requests(r.Context(), who)
		v := portalView{Data: map[string]any{"History": list, "Kinds": selfservice.RequestKinds, "Kind": kind,
			"Note": r.PostFormValue("note")}}
		s.portalRender(w, r, s.portalFail(r, &v, err), "portal_requests.html", v)
		return
	}
	s.portalDone(w, r, "req.done")
}
