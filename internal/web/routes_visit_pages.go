package web

import "accord/internal/auth"

// registerVisitPages registers the field-visit console (page_visit*.go):
// the supervisor's approvals (singly and in bulk) and notices, a case's
// visit request form, the preparation pack, the day plans with their maps,
// the field agent's phone page (check-in, outcome with photos) and the
// report. The use cases (fieldwork) check each caller's reach.
func (s *Server) registerVisitPages() {
	s.handle("GET", "/visits/approvals", auth.PermVisitApprove, s.handleVisitApprovals)
	s.handle("POST", "/visits/decisions", auth.PermVisitApprove, s.handleVisitDecideMany)
	s.handle("POST", "/visits/{id}/approve", auth.PermVisitApprove, s.handleVisitDecideOne)
	s.handle("POST", "/visits/{id}/reject", auth.PermVisitApprove, s.handleVisitDecideOne)
	s.handle("POST", "/visits/{id}/notice", auth.PermVisitApprove, s.handleVisitNotice)
	s.handle("POST", "/visits/incidents/{id}/acknowledge", auth.PermVisitApprove, s.handleVisitIncidentAck)
	s.handle("GET", "/cases/{id}/visits/new", auth.PermVisitRequest, s.handleVisitRequestForm)
	s.handle("POST", "/cases/{id}/visits", auth.PermVisitRequest, s.handleVisitRequest)
	s.handle("GET", "/visits/{id}/pack", auth.PermCaseWork, s.handleVisitPack)
	s.handle("GET", "/visits/days", auth.PermVisitApprove, s.handleVisitDays)
	s.handle("POST", "/visits/days/plan", auth.PermVisitApprove, s.handleVisitPlanDay)
	s.handle("POST", "/visits/{id}/cancel", auth.PermCaseWork, s.handleVisitCancel)
	s.handle("GET", "/visits/today", auth.PermVisitWork, s.handleVisitToday)
	s.handle("POST", "/visits/{id}/check-in", auth.PermVisitWork, s.handleVisitCheckIn)
	s.handleWithLimit("POST", "/visits/{id}/outcome", auth.PermVisitWork, visitBodyLimit, s.handleVisitOutcome)
	s.handle("GET", "/visits/report", auth.PermDashboardRead, s.handleVisitReport)
}
