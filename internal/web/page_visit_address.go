package web

import (
	"net/http"
	"strings"
	"time"

	"accord/internal/borrower"
)

// addressChangeRow is one address change shown on the borrower page: an
// address learned on a field visit and the one it replaced.
type addressChangeRow struct {
	At                      time.Time
	Kind, Address, Previous string
	VisitID                 int64
	By                      string
}

func addressText(a borrower.Address) string {
	return strings.Join(strings.Fields(a.Region+" "+a.City+" "+a.Line), " ")
}

// addressChangeRows returns borrower id's address changes for its page,
// newest first.
func (s *Server) addressChangeRows(r *http.Request, id int64) ([]addressChangeRow, error) {
	list, err := s.visits.AddressChanges(r.Context(), actorOf(r), id)
	if err != nil {
		return nil, err
	}
	out := make([]addressChangeRow, len(list))
	for i, c := range list {
		out[i] = addressChangeRow{At: c.CreatedAt, Kind: c.Address.Kind, Address: addressText(c.Address), VisitID: c.VisitID, By: c.RecordedBy}
		if c.Previous != nil {
			out[i].Previous = addressText(*c.Previous)
		}
	}
	return out, nil
}
