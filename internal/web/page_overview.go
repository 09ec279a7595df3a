package web

import (
	"net/http"
	"strconv"
)

// handleOverview handles "GET /overview": loans and balances per DPD bucket
// from the latest nightly run.
func (s *Server) handleOverview(w http.ResponseWriter, r *http.Request) {
	ov, err := s.svc.Overview(r.Context(), actorOf(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "overview.html", ov)
}

// handleAuditIndex handles "GET /audit": the newest audit events first.
func (s *Server) handleAuditIndex(w http.ResponseWriter, r *http.Request) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	events, err := s.svc.AuditEvents(r.Context(), actorOf(r), before, 100)
	if err != nil {
		s.error(w, r, err)
		return
	}
	data := map[string]any{"Items": events}
	if n := len(events); n == 100 && events[n-1].Seq > 1 {
		data["Next"] = "/audit?before=" + strconv.FormatInt(events[n-1].Seq, 10)
	}
	if before > 0 {
		data["Prev"] = "/audit"
	}
	s.render(w, r, http.StatusOK, "audit.html", data)
}
