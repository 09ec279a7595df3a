package web

import (
	"fmt"
	"net/http"

	"accord/internal/scoring"
)

// scoreView is what score_panel.html receives: the scoring view and its
// numbers already written for the page's language.
type scoreView struct {
	V        scoring.ScoreView
	Chance   string // "42.5%"
	Points   string // scorecard points, "" for a logistic model
	Trend    string // "+3.1 个百分点" / "+3.1 pts", "" without a previous score
	Up       bool
	Reasons  []string
	History  []scorePoint
	Warnings []string
	T        map[string]string
}

type scorePoint struct{ Day, Chance string }

// handleCaseScore handles "GET /cases/{id}/score": the case's score panel,
// as an htmx fragment of the case page or a page of its own.
func (s *Server) handleCaseScore(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.score.CaseScore(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	sv := newScoreView(v, langOf(r))
	if r.Header.Get("HX-Request") == "true" {
		s.renderPart(w, r, http.StatusOK, "score_panel.html", "panel", sv)
		return
	}
	s.render(w, r, http.StatusOK, "score_panel.html", sv)
}

func newScoreView(v scoring.ScoreView, lang string) scoreView {
	en := lang == "en"
	sv := scoreView{V: v, T: scoreLabels(lang)}
	if v.Latest != nil {
		sv.Chance = scorePercent(v.Latest.Probability)
		if v.Latest.Points != 0 {
			sv.Points = fmt.Sprintf("%.0f", v.Latest.Points)
		}
	}
	if v.HasTrend {
		sv.Up = v.Trend >= 0
		sv.Trend = fmt.Sprintf("%+.1f %s", 100*v.Trend, sv.T["pts"])
	}
	for _, r := range v.Reasons {
		if en {
			sv.Reasons = append(sv.Reasons, r.EN)
		} else {
			sv.Reasons = append(sv.Reasons, r.ZH)
		}
	}
	for _, h := range v.History {
		sv.History = append(sv.History, scorePoint{Day: h.AsOf.String(), Chance: scorePercent(h.Probability)})
	}
	for _, w := range v.Warnings {
		text := w.ZH
		if en {
			text = w.EN
		}
		sv.Warnings = append(sv.Warnings, w.AsOf.String()+" "+text)
	}
	return sv
}

// scorePercent writes a probability as a percentage with one decimal.
func scorePercent(p float64) string { return fmt.Sprintf("%.1f%%", 100*p) }
