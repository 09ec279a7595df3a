package web

// registerPortal declares the borrower portal's routes (portal.go). They
// are public to the staff guard: each one admits only a portal session
// (portalGuard), or, for signing in, anyone (portalOpen).
func (s *Server) registerPortal() {
	if p, err := loadPortalPages(); err != nil {
		s.logError("portal templates", err)
	} else {
		s.portalPages = p
	}
	s.handle("GET", "/my/login", permPublic, s.portalOpen(s.handleMyLoginShow))
	s.handle("POST", "/my/login", permPublic, s.portalOpen(s.handleMyLogin))
	s.handle("POST", "/my/verify", permPublic, s.portalOpen(s.handleMyVerify))
	s.handle("POST", "/my/logout", permPublic, s.portalGuard(s.handleMyLogout))
	s.handle("GET", "/my", permPublic, s.portalGuard(s.handleMyHome))
	s.handle("GET", "/my/promise", permPublic, s.portalGuard(s.handleMyPromiseShow))
	s.handle("POST", "/my/promise", permPublic, s.portalGuard(s.handleMyPromise))
	s.handle("GET", "/my/pay", permPublic, s.portalGuard(s.handleMyPayShow))
	s.handle("POST", "/my/pay", permPublic, s.portalGuard(s.handleMyPay))
	s.handle("GET", "/my/pay/return", permPublic, s.portalGuard(s.handleMyPayReturn))
	s.handle("GET", "/my/plan", permPublic, s.portalGuard(s.handleMyPlanShow))
	s.handle("POST", "/my/plan", permPublic, s.portalGuard(s.handleMyPlan))
	s.handle("POST", "/my/plan/accept", permPublic, s.portalGuard(s.handleMyPlanAccept))
	s.handle("POST", "/my/plan/confirm", permPublic, s.portalGuard(s.handleMyPlanConfirm))
	s.handle("GET", "/my/requests", permPublic, s.portalGuard(s.handleMyRequestsShow))
	s.handle("POST", "/my/requests", permPublic, s.portalGuard(s.handleMyRequest))
	s.handle("GET", "/my/chat", permPublic, s.portalGuard(s.handleMyChatShow))
	s.handle("POST", "/my/chat", permPublic, s.portalGuard(s.handleMyChat))
	s.registerGatewayAPI() // portal_callback.go
}
