package web

import (
	"bytes"
	"fmt"
	"net/http"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
)

// dashboardAsOf reads ?as_of=YYYY-MM-DD; zero means the latest run.
func dashboardAsOf(r *http.Request) (date.Date, error) {
	v := r.URL.Query().Get("as_of")
	if v == "" {
		return 0, nil
	}
	d, err := date.Parse(v)
	if err != nil {
		return 0, errs.Field("as_of", "%s", errs.MessageOf(err))
	}
	return d, nil
}

// pct formats a rate for the page: "12.5%", or "–" when undefined.
func pct(r float64) string {
	if r < 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*r)
}

// handleDashboard handles "GET /dashboard": the charts and tables of the
// collections dashboard.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	asOf, err := dashboardAsOf(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.svc.Dashboard(r.Context(), actorOf(r), asOf)
	if err != nil {
		s.error(w, r, err)
		return
	}
	flow := make([][]string, len(d.Flow))
	for i, f := range d.Flow {
		for _, x := range f.Rates {
			flow[i] = append(flow[i], pct(x))
		}
	}
	cure := make([]string, len(d.Cure))
	for i, c := range d.Cure {
		cure[i] = pct(c.Rate)
	}
	rec := make([]string, len(d.Recovery))
	for i, x := range d.Recovery {
		rec[i] = pct(x.Rate)
	}
	s.render(w, r, http.StatusOK, "dashboard.html", map[string]any{"D": d, "FlowPct": flow, "CurePct": cure, "RecPct": rec,
		"Transitions": transitions(d)})
}

// transitions names the flow-rate columns: "M0→M1" ….
func transitions(d collect.Dashboard) []string {
	var out []string
	for i := 0; i+1 < len(d.Buckets); i++ {
		out = append(out, d.Buckets[i]+"→"+d.Buckets[i+1])
	}
	return out
}

// handleDashboardExport handles "GET /dashboard/export.xlsx".
func (s *Server) handleDashboardExport(w http.ResponseWriter, r *http.Request) {
	asOf, err := dashboardAsOf(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.svc.Dashboard(r.Context(), actorOf(r), asOf)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := d.WriteXLSX(&buf); err != nil {
		s.error(w, r, fmt.Errorf("export dashboard: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="accord-dashboard-%s.xlsx"`, d.AsOf))
	_, _ = buf.WriteTo(w)
}
