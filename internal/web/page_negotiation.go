package web

import (
	"net/http"
	"strconv"
	"strings"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// registerNegotiationPages registers the console's negotiation desk: a
// case's assessment, offers side by side, rounds and agreements; the
// approvers' inbox; an agreement's printable view.
func (s *Server) registerNegotiationPages() {
	s.handle("GET", "/cases/{id}/negotiation", auth.PermCaseWork, s.handleNegotiationShow)
	s.handle("POST", "/cases/{id}/negotiation/assessments", auth.PermCaseWork, s.handleNegotiationAssess)
	s.handle("POST", "/cases/{id}/negotiation/assessments/preview", auth.PermCaseWork, s.handleAssessmentPreview)
	s.handle("POST", "/cases/{id}/negotiation/offers", auth.PermCaseWork, s.handleNegotiationPropose)
	s.handleWithLimit("POST", "/cases/{id}/negotiation/rounds", auth.PermCaseWork, roundFormLimit, s.handleNegotiationRound)
	s.handle("GET", "/negotiation/approvals", auth.PermOfferApprove, s.handleNegotiationInbox)
	s.handle("POST", "/offers/{id}/approve", auth.PermOfferApprove, s.handleOfferDecide)
	s.handle("POST", "/offers/{id}/reject", auth.PermOfferApprove, s.handleOfferDecide)
	s.handle("POST", "/offers/{id}/agreement", auth.PermCaseWork, s.handleAgreementCreate)
	s.handle("GET", "/agreements/{id}", auth.PermCaseWork, s.handleAgreementShow)
	s.handle("POST", "/agreements/{id}/send-code", auth.PermContactLog, s.handleAgreementSendCode)
	s.handle("POST", "/agreements/{id}/accept", auth.PermCaseWork, s.handleAgreementAccept)
	s.handle("GET", "/plans", auth.PermOfferApprove, s.handlePlans) // page_plans.go
	s.registerNegotiationEvidence()                                 // page_negotiation_evidence.go
}

// handleNegotiationShow handles "GET /cases/{id}/negotiation".
func (s *Server) handleNegotiationShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	by := actorOf(r)
	assessments, err := s.neg.Assessments(r.Context(), by, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	offers, err := s.neg.Offers(r.Context(), by, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rounds, err := s.neg.Rounds(r.Context(), by, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	agreements, err := s.neg.Agreements(r.Context(), by, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	data := map[string]any{"CaseID": id, "Assessments": assessments, "Offers": offers, "Rounds": rounds,
		"Agreements": agreements, "Charts": offerCharts(offers), "Hardships": offer.Hardships, "Places": negotiation.RoundPlaces,
		"Channels": negotiation.RoundChannels, "Outcomes": negotiation.RoundOutcomes, "Saved": r.URL.Query().Get("saved"),
		"T": negLabels(langOf(r))}
	if len(assessments) > 0 {
		data["Latest"] = assessments[0]
	}
	s.render(w, r, http.StatusOK, "negotiation_show.html", data)
}

func deskURL(caseID int64, saved string) string {
	return "/cases/" + strconv.FormatInt(caseID, 10) + "/negotiation?saved=" + saved
}

// formAmount parses an amount field in yuan; empty is zero unless opt, when
// it is nil.
func formAmount(r *http.Request, name string, bad *[]errs.FieldError) money.Amount {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0
	}
	a, err := money.Parse(v)
	if err != nil {
		*bad = append(*bad, errs.FieldError{Field: name, Message: errs.MessageOf(err)})
	}
	return a
}

func formInt(r *http.Request, name string, bad *[]errs.FieldError) int {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		*bad = append(*bad, errs.FieldError{Field: name, Message: "is not a whole number"})
	}
	return n
}

// handleNegotiationAssess handles "POST /cases/{id}/negotiation/assessments".
func (s *Server) handleNegotiationAssess(w http.ResponseWriter, r *http.Request) {
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
	if _, err := s.neg.Assess(r.Context(), actorOf(r), id, in); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, deskURL(id, "assessment"), http.StatusSeeOther)
}

// assessmentForm reads the desk's assessment form, with the fields that
// are not numbers.
func assessmentForm(r *http.Request) (negotiation.NewAssessment, []errs.FieldError) {
	var bad []errs.FieldError
	in := negotiation.NewAssessment{Evidence: r.PostFormValue("evidence"), Assessment: offer.Assessment{
		MonthlyIncome: formAmount(r, "monthly_income", &bad), IncomeEvidence: r.PostFormValue("income_evidence"),
		HouseholdSize: formInt(r, "household_size", &bad), CityTier: formInt(r, "city_tier", &bad),
		OtherDebtPayments: formAmount(r, "other_debt_payments", &bad), Dependants: formInt(r, "dependants", &bad),
		LiquidAssets: formAmount(r, "liquid_assets", &bad), Hardship: offer.Hardship(r.PostFormValue("hardship")),
		HardshipMonths: formInt(r, "hardship_months", &bad), Willingness: r.PostFormValue("willingness")}}
	if strings.TrimSpace(r.PostFormValue("essential_expenses")) != "" {
		e := formAmount(r, "essential_expenses", &bad)
		in.EssentialExpenses = &e
	}
	return in, bad
}

// handleNegotiationPropose handles "POST /cases/{id}/negotiation/offers".
func (s *Server) handleNegotiationPropose(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.neg.ProposeOffers(r.Context(), actorOf(r), id); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, deskURL(id, "offers")+"#offers", http.StatusSeeOther)
}

// handleNegotiationRound handles "POST /cases/{id}/negotiation/rounds"
// (without attachments: the API takes those).
func (s *Server) handleNegotiationRound(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var parts []string
	for _, p := range strings.Split(r.PostFormValue("participants"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	nr := negotiation.NewRound{PlaceKind: r.PostFormValue("place_kind"), Place: r.PostFormValue("place"),
		Channel: r.PostFormValue("channel"), Participants: parts, Situation: r.PostFormValue("situation"),
		CounterOffer: r.PostFormValue("counter_offer"), KeyPoints: r.PostFormValue("key_points"),
		Outcome: r.PostFormValue("outcome")}
	for _, v := range r.PostForm["offer_id"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			nr.OffersMade = append(nr.OffersMade, n)
		}
	}
	if nr.Attachments, err = formFiles(r, "attachments", negotiation.MaxAttachments); err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.neg.AddRound(r.Context(), actorOf(r), id, nr); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, deskURL(id, "round")+"#rounds", http.StatusSeeOther)
}

// handleNegotiationInbox handles "GET /negotiation/approvals": the offers
// awaiting the user's decision, and each team's restructuring budget this
// month with what is used of it.
func (s *Server) handleNegotiationInbox(w http.ResponseWriter, r *http.Request) {
	list, err := s.neg.PendingOffers(r.Context(), actorOf(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	teams, err := s.neg.Teams(r.Context(), actorOf(r)) // each team's restructuring budget this month and what is used
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "negotiation_inbox.html", map[string]any{"Offers": list, "Teams": teams, "T": negLabels(langOf(r))})
}

// handleOfferDecide handles "POST /offers/{id}/approve" and "…/reject".
func (s *Server) handleOfferDecide(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var o sqlstore.Offer
	if strings.HasSuffix(r.URL.Path, "/approve") {
		o, err = s.neg.ApproveOffer(r.Context(), actorOf(r), id, r.PostFormValue("reason"))
	} else {
		o, err = s.neg.RejectOffer(r.Context(), actorOf(r), id, r.PostFormValue("reason"))
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if r.PostFormValue("back") == "inbox" {
		http.Redirect(w, r, "/negotiation/approvals", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, deskURL(o.CaseID, string(o.Status))+"#offers", http.StatusSeeOther)
}

// handleAgreementCreate handles "POST /offers/{id}/agreement".
func (s *Server) handleAgreementCreate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.neg.CreateAgreement(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/agreements/"+strconv.FormatInt(a.ID, 10), http.StatusSeeOther)
}

// handleAgreementShow handles "GET /agreements/{id}": the agreement, its
// printable text and the acceptance forms.
func (s *Server) handleAgreementShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.neg.Agreement(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "negotiation_agreement.html", map[string]any{"A": a, "Saved": r.URL.Query().Get("saved"),
		"T": negLabels(langOf(r))})
}

// handleAgreementSendCode handles "POST /agreements/{id}/send-code".
func (s *Server) handleAgreementSendCode(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.neg.SendAcceptanceCode(r.Context(), actorOf(r), id); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/agreements/"+strconv.FormatInt(id, 10)+"?saved=code", http.StatusSeeOther)
}

// handleAgreementAccept handles "POST /agreements/{id}/accept" with the
// code the borrower read out.
func (s *Server) handleAgreementAccept(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.neg.ConfirmAcceptance(r.Context(), actorOf(r), id, r.PostFormValue("code")); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/agreements/"+strconv.FormatInt(id, 10)+"?saved=accepted", http.StatusSeeOther)
}
