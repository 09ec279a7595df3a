package web

import (
	"log/slog"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/scoring"
)

// registerScoring declares the scoring routes: the score panel of the
// case page and the scoring dashboard (bands against outcomes, stability).
func (s *Server) registerScoring() {
	s.handle("GET", "/cases/{id}/score", auth.PermCaseWork, s.handleCaseScore)
	s.handle("GET", "/scoring", auth.PermDashboardRead, s.handleScoreBands)
	s.registerModelAPI() // api_model.go
}

// scoringOf returns the scoring use cases over svc's database (reading
// only: the nightly step is wired by cmd/accord), nil when describing the
// API only.
func scoringOf(svc *collect.Service, log *slog.Logger) *scoring.Service {
	if svc == nil {
		return nil
	}
	return scoring.New(svc.Store(), svc, scoring.Options{Log: log})
}
