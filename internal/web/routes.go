package web

import (
	"net/http"

	"accord/internal/auth"
)

// registerRoutes declares every route with the one permission it needs.
// Anything not registered is 404; anything registered without the
// permission is 401 (anonymous) or 403.
func (s *Server) registerRoutes() {
	// Public: health, metrics, assets, sign-in, language switch.
	s.handle("GET", "/healthz", permPublic, s.handleHealth)
	s.handle("GET", "/readyz", permPublic, s.handleReady)
	s.handle("GET", "/metrics", permPublic, s.handleMetrics().ServeHTTP)
	s.handle("GET", "/static/", permPublic, s.handleStatic().ServeHTTP)
	s.handle("GET", "/login", permPublic, s.handleLoginShow)
	s.handle("POST", "/login", permPublic, s.handleLogin)
	s.handle("GET", "/lang/{lang}", permPublic, s.handleLang)

	s.registerConsole()
	s.registerAdmin() // page_admin.go: users and imports
	s.registerAPI()
	// page_offer_policy.go: offer policies, experiments, teams, support programme
	s.registerOfferPolicyPages()
	s.registerCasework()   // routes_casework.go: queues, cases, strategies, experiments, dashboard
	s.registerCompliance() // routes_compliance.go: contact log, governor checks, compliance console
	s.registerPortal()     // routes_portal.go: the borrower portal (/my/…) and the payment gateway's callback
	s.registerBot()        // routes_bot.go: the chatbot's endpoint for messaging channels
	s.registerVisits()     // routes_visit.go: field visits
	s.registerVisitPages() // routes_visit_pages.go: the field-visit console
	s.registerScoring()    // routes_scoring.go: the case page's score panel
	s.registerDispute()    // page_dispute.go, api_dispute.go: recording a dispute's outcome
}

func (s *Server) registerConsole() {
	s.handle("POST", "/logout", auth.PermSelf, s.handleLogout)
	s.handle("GET", "/{$}", auth.PermSelf, s.handleHome)
	s.handle("GET", "/overview", auth.PermPortfolioRead, s.handleOverview)
	s.handle("GET", "/borrowers", auth.PermBorrowerRead, s.handleBorrowerIndex)
	s.handle("GET", "/borrowers/{id}", auth.PermBorrowerRead, s.handleBorrowerShow)
	s.handle("POST", "/borrowers/{id}/reveal", auth.PermBorrowerRead, s.handleBorrowerReveal) // pii:reveal is checked, and a refusal audited, by RevealPII
	s.handle("GET", "/loans/{id}", auth.PermLoanRead, s.handleLoanShow)
	s.handle("POST", "/loans/{id}/payments", auth.PermPaymentWrite, s.handleLoanPaymentCreate)
	s.handle("POST", "/loans/{id}/payments/{pid}/reverse", auth.PermPaymentReverse, s.handleLoanPaymentReverse)
	s.handle("GET", "/audit", auth.PermAuditRead, s.handleAuditIndex)
}

func (s *Server) registerAPI() {
	s.registerBorrowerAPI()
	s.registerRegisteredContactAPI()
	s.registerLoanAPI()
	s.registerPaymentAPI()
	s.registerPaymentAttemptAPI() // failed auto-debits for the early warnings (api_payment_attempt.go)
	s.registerImportAPI()
	s.registerPortfolioAPI()
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.opts.Ready != nil {
		if err := s.opts.Ready(r.Context()); err != nil {
			s.logError("readiness", err)
			http.Error(w, "database unavailable\n", http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("ready\n"))
}
