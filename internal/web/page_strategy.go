package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// handleStrategyIndex handles "GET /strategies": every version, the
// published one first, and the experiments.
func (s *Server) handleStrategyIndex(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.StrategyVersions(r.Context(), actorOf(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	exps, err := s.svc.Experiments(r.Context(), actorOf(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	published := false
	for _, v := range list {
		published = published || v.Status == sqlstore.StrategyPublished
	}
	s.render(w, r, http.StatusOK, "strategy_index.html", map[string]any{"Items": list, "Experiments": exps, "Published": published})
}

// editorData is what the strategy editor shows: the definition being
// edited, the problems that refused it, and a preview.
type editorData struct {
	Definition string
	From       int64
	Problems   []strategy.Problem
	Message    string
	Preview    *previewView
}

// handleStrategyNew handles "GET /strategies/new?from=ID": the editor,
// starting from version ID or from the published version.
func (s *Server) handleStrategyNew(w http.ResponseWriter, r *http.Request) {
	var v sqlstore.StrategyVersion
	var err error
	if from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64); from > 0 {
		v, err = s.svc.StrategyVersion(r.Context(), actorOf(r), from)
	} else {
		v, err = s.svc.PublishedStrategy(r.Context())
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "strategy_edit.html", editorData{Definition: string(v.Definition), From: v.ID})
}

// refused re-renders the editor with what is wrong, pointing at the rule.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, d editorData, err error) {
	if errs.CodeOf(err) != errs.Invalid {
		s.error(w, r, err)
		return
	}
	var ce *strategy.CompileError
	if errors.As(err, &ce) {
		d.Problems = ce.Problems
	}
	d.Message = errs.MessageOf(err)
	for _, f := range errs.FieldsOf(err) {
		if ce == nil {
			d.Message += " " + f.String()
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "strategy_edit.html", d)
}

// handleStrategyCreate handles "POST /strategies": the definition is
// checked and saved as a draft, or refused with every problem shown.
func (s *Server) handleStrategyCreate(w http.ResponseWriter, r *http.Request) {
	d := editorData{Definition: r.PostFormValue("definition")}
	v, err := s.svc.CreateStrategyVersion(r.Context(), actorOf(r), []byte(d.Definition))
	if err != nil {
		s.refused(w, r, d, err)
		return
	}
	http.Redirect(w, r, "/strategies/"+strconv.FormatInt(v.ID, 10), http.StatusSeeOther)
}

// previewView is a preview with its rules' share of the cases as text.
type previewView struct {
	strategy.PreviewResult
	Shares []string
}

func newPreviewView(p strategy.PreviewResult) *previewView {
	v := &previewView{PreviewResult: p, Shares: make([]string, len(p.Rules))}
	for i, r := range p.Rules {
		v.Shares[i] = "–"
		if p.Total > 0 {
			v.Shares[i] = fmt.Sprintf("%.1f%%", 100*float64(r.Decided)/float64(p.Total))
		}
	}
	return v
}

// handleStrategyPreview handles "POST /strategies/preview": the editor with
// how today's open cases would be treated under the definition in it.
func (s *Server) handleStrategyPreview(w http.ResponseWriter, r *http.Request) {
	d := editorData{Definition: r.PostFormValue("definition")}
	p, err := s.svc.PreviewStrategy(r.Context(), actorOf(r), []byte(d.Definition))
	if err != nil {
		s.refused(w, r, d, err)
		return
	}
	d.Preview = newPreviewView(p)
	s.render(w, r, http.StatusOK, "strategy_edit.html", d)
}

// handleStrategyShow handles "GET /strategies/{id}": the version, and its
// preview over today's open cases.
func (s *Server) handleStrategyShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.svc.StrategyVersion(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.svc.PreviewStrategy(r.Context(), actorOf(r), v.Definition)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "strategy_show.html", map[string]any{"V": v, "Definition": string(v.Definition),
		"Preview": newPreviewView(p)})
}

// handleStrategyPublish handles "POST /strategies/{id}/publish".
func (s *Server) handleStrategyPublish(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.svc.PublishStrategy(r.Context(), actorOf(r), id); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/strategies/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// handleExperimentIndex handles "GET /experiments": experiments and the
// form to start one.
func (s *Server) handleExperimentIndex(w http.ResponseWriter, r *http.Request) {
	exps, err := s.svc.Experiments(r.Context(), actorOf(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	versions, err := s.svc.StrategyVersions(r.Context(), actorOf(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "experiment_index.html", map[string]any{"Items": exps, "Versions": versions})
}

// handleExperimentCreate handles "POST /experiments".
func (s *Server) handleExperimentCreate(w http.ResponseWriter, r *http.Request) {
	req := collect.ExperimentRequest{Name: r.PostFormValue("name")}
	req.Champion, _ = strconv.ParseInt(r.PostFormValue("champion"), 10, 64)
	req.Challenger, _ = strconv.ParseInt(r.PostFormValue("challenger"), 10, 64)
	share, err := strconv.ParseFloat(r.PostFormValue("share"), 64)
	if err != nil {
		s.error(w, r, errs.Field("share", "a number from 0 to 1"))
		return
	}
	req.Share = share
	e, err := s.svc.StartExperiment(r.Context(), actorOf(r), req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/experiments/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
}

// armView is one arm's results formatted for the page.
type armView struct {
	Arm, Version                         string
	Cases                                int
	Cure, Roll, Recovered, RecMean, Cost string
	Contacts                             int
}

func rateText(r strategy.Rate) string {
	if r.N == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%% (%.1f–%.1f%%)", 100*r.Value, 100*r.Low, 100*r.High)
}

func armOf(a strategy.ArmStats, v sqlstore.StrategyVersion) armView {
	return armView{Arm: a.Arm, Version: fmt.Sprintf("%s v%d (#%d)", v.Name, v.Version, v.ID), Cases: a.Cases,
		Cure: rateText(a.CureRate), Roll: rateText(a.RollForward), Recovered: a.Recovered.String(),
		RecMean: fmt.Sprintf("%.2f (%.2f–%.2f)", a.RecoveredMean.Value/100, a.RecoveredMean.Low/100, a.RecoveredMean.High/100),
		Cost:    a.Cost.String(), Contacts: a.Contacts}
}

// handleExperimentShow handles "GET /experiments/{id}": results per arm
// with confidence intervals, and the daily totals.
func (s *Server) handleExperimentShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.svc.ExperimentResults(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	c := res.Comparison
	s.render(w, r, http.StatusOK, "experiment_show.html", map[string]any{"R": res,
		"Arms": []armView{armOf(c.Champion, res.Champion), armOf(c.Challenger, res.Challenger)},
		"P":    map[string]string{"cure": fmt.Sprintf("%.3f", c.CureRateP), "roll": fmt.Sprintf("%.3f", c.RollForwardP), "recovered": fmt.Sprintf("%.3f", c.RecoveredMeanP)}})
}

// handleExperimentStop handles "POST /experiments/{id}/stop"; promote=1
// also publishes the challenger.
func (s *Server) handleExperimentStop(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.svc.StopExperiment(r.Context(), actorOf(r), id, r.PostFormValue("promote") != ""); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/experiments/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
