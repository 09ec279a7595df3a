package web

import (
	"fmt"
	"net/http"
	"strings"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/features"
	"accord/internal/scoring"
)

// scoreBandsView is what score_bands.html receives.
type scoreBandsView struct {
	M        scoring.Monitoring
	Bands    []bandRow
	Models   []modelRow
	Warnings []warnRow
	T        map[string]string
}

type bandRow struct {
	Label                  string
	Scored, Matured, Cured int
	Predicted, Observed    string
}

type modelRow struct {
	Name, Status, Day string
	Rows              int
	PSI               []psiRow
	Alert             bool
}

type psiRow struct {
	Name, PSI string
	Alert     bool
}

// handleScoreBands handles "GET /scoring": cure score bands against what
// happened, and the stability of the models in use. ?from= and ?to= pick
// the scoring dates (the last 90 days by default).
func (s *Server) handleScoreBands(w http.ResponseWriter, r *http.Request) {
	to, from := s.svc.Today(), s.svc.Today().AddDays(-90)
	var err error
	if v := r.URL.Query().Get("to"); v != "" {
		if to, err = date.Parse(v); err != nil {
			s.error(w, r, errs.Field("to", "%q is not a date", v))
			return
		}
	}
	if v := r.URL.Query().Get("from"); v != "" {
		if from, err = date.Parse(v); err != nil {
			s.error(w, r, errs.Field("from", "%q is not a date", v))
			return
		}
	}
	mo, err := s.score.Monitor(r.Context(), actorOf(r), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	warn, err := s.score.Precision(r.Context(), actorOf(r), from, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := newScoreBandsView(mo, langOf(r))
	for _, p := range warn {
		row := warnRow{Signal: lblOr(v.T, "warn."+p.Code), Issued: p.Issued, Matured: p.Matured, Delinquent: p.Delinquent, Precision: "—"}
		if p.Matured > 0 {
			row.Precision = scorePercent(p.Precision)
		}
		v.Warnings = append(v.Warnings, row)
	}
	s.render(w, r, http.StatusOK, "score_bands.html", v)
}

// warnRow is one early-warning signal's results on the dashboard.
type warnRow struct {
	Signal                      string
	Issued, Matured, Delinquent int
	Precision                   string
}

// lblOr returns t[key], or the key's last part when there is none.
func lblOr(t map[string]string, key string) string {
	if v, ok := t[key]; ok {
		return v
	}
	return key[strings.LastIndex(key, ".")+1:]
}

func newScoreBandsView(mo scoring.Monitoring, lang string) scoreBandsView {
	v := scoreBandsView{M: mo, T: scoreLabels(lang)}
	for _, b := range mo.Bands {
		row := bandRow{Label: b.Label, Scored: b.Scored, Matured: b.Matured, Cured: b.Cured, Predicted: "—", Observed: "—"}
		if b.Matured > 0 {
			row.Predicted, row.Observed = scorePercent(b.Predicted), scorePercent(b.Observed)
		}
		v.Bands = append(v.Bands, row)
	}
	for _, m := range mo.Models {
		zh, en := features.Target(m.Target).Outcome()
		name := zh
		if lang == "en" {
			name = en
		}
		row := modelRow{Name: fmt.Sprintf("%s v%d", name, m.Version), Status: v.T["arm."+m.Status]}
		for _, st := range mo.Stability[m.ID] {
			label := v.T["psi.score"]
			if st.Name != "score" {
				fzh, fen := features.LabelOf(st.Name)
				label = fzh
				if lang == "en" {
					label = fen
				}
			}
			alert := st.PSI > mo.Threshold
			row.PSI = append(row.PSI, psiRow{Name: label, PSI: fmt.Sprintf("%.3f", st.PSI), Alert: alert})
			if st.Name == "score" {
				row.Alert, row.Day, row.Rows = alert, st.AsOf.String(), st.Rows
			}
		}
		v.Models = append(v.Models, row)
	}
	return v
}
