package web

import (
	"accord/internal/auth"
	"accord/internal/fieldwork"
)

// registerVisits wires the field-visit service (the one in Options, or one
// over the service's database beside the promise book) and registers its
// API and its two binary routes (an attachment, a day's map).
func (s *Server) registerVisits() {
	s.visits = s.opts.Visits
	if s.visits == nil && s.svc != nil {
		s.visits = fieldwork.New(s.svc.Store(), s.svc, s.neg, fieldwork.Options{Log: s.log})
	}
	s.registerVisitAPI()
	s.handle("GET", "/api/v1/visit-attachments/{id}", auth.PermCaseWork, s.handleVisitAttachment)
	s.handle("GET", "/api/v1/visit-maps/{id}", auth.PermCaseWork, s.handleVisitMap) // ?date=YYYY-MM-DD: pair {id}'s day
}
