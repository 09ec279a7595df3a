package web

import (
	"net/http"
	"time"

	"accord/internal/sqlstore"
)

// incidentRow is an open incident or complaint on the supervisor's
// approvals page.
type incidentRow struct {
	ID, VisitID    int64
	Kind, Note, By string
	At             time.Time
}

func incidentRows(list []sqlstore.VisitIncident) []incidentRow {
	out := make([]incidentRow, len(list))
	for i, inc := range list {
		out[i] = incidentRow{ID: inc.ID, VisitID: inc.VisitID, Kind: inc.Kind, Note: inc.Note, By: inc.ReportedBy, At: inc.CreatedAt}
	}
	return out
}

// handleVisitIncidentAck handles "POST /visits/incidents/{id}/acknowledge":
// the supervisor has seen the incident or complaint.
func (s *Server) handleVisitIncidentAck(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.visits.AcknowledgeIncident(r.Context(), actorOf(r), id); err != nil {
		s.visitFail(w, r, err, "/visits/approvals")
		return
	}
	http.Redirect(w, r, "/visits/approvals?saved=acknowledged", http.StatusSeeOther)
}
