package web

import (
	"errors"
	"fmt"
	"maps"
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
	s.render(w, r, http.StatusOK, "strategy_edit.html", editorData{Definition: string(collect.ReadableDefinition(v.Definition)), From: v.ID})
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

// handleStrategyShow handles "GET /strategies/{id}": the version, what it
// changes against the published version, and its preview over today's
// open cases.
func (s *Server) handleStrategyShow(w http.ResponseWriter, r *http.Request) {
	d, err := s.strategyPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.svc.PreviewStrategy(r.Context(), actorOf(r), d.V.Definition)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.Preview = newPreviewView(p)
	s.render(w, r, http.StatusOK, "strategy_show.html", d)
}

// strategyPageData is a version as its page and the publish confirmation
// show it.
type strategyPageData struct {
	V          sqlstore.StrategyVersion
	Definition string
	Diff       collect.StrategyDiff
	ShowDiff   bool   // a draft or retired version: compare it with the published one
	FourEyes   string // why this user may not publish it, when they may not
	Message    string
	Preview    *previewView
}

func (s *Server) strategyPage(r *http.Request) (strategyPageData, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return strategyPageData{}, err
	}
	v, err := s.svc.StrategyVersion(r.Context(), actorOf(r), id)
	if err != nil {
		return strategyPageData{}, err
	}
	d := strategyPageData{V: v, Definition: string(collect.ReadableDefinition(v.Definition)),
		ShowDiff: v.Status != sqlstore.StrategyPublished}
	if d.ShowDiff {
		if d.Diff, err = s.svc.DiffStrategy(r.Context(), actorOf(r), id); err != nil {
			return d, err
		}
	}
	if err := s.svc.MayPublishStrategy(actorOf(r), v); err != nil {
		d.FourEyes = errs.MessageOf(err)
	}
	return d, nil
}

// handleStrategyPublish handles "POST /strategies/{id}/publish" in two
// steps: without confirm=yes it answers the confirmation page (what the
// version changes against the published one, and who may publish it);
// with it, it publishes. A refusal (four eyes, a definition that no longer
// compiles) shows the confirmation page again with the reason.
func (s *Server) handleStrategyPublish(w http.ResponseWriter, r *http.Request) {
	d, err := s.strategyPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if r.PostFormValue("confirm") != "yes" || d.V.Status != sqlstore.StrategyDraft {
		s.render(w, r, http.StatusOK, "strategy_publish.html", d)
		return
	}
	if _, err := s.svc.PublishStrategy(r.Context(), actorOf(r), d.V.ID); err != nil {
		switch errs.CodeOf(err) {
		case errs.Forbidden, errs.Invalid, errs.Conflict:
			d.Message = errs.MessageOf(err)
			s.render(w, r, refusalStatus(errs.CodeOf(err)), "strategy_publish.html", d)
		default:
			s.error(w, r, err)
		}
		return
	}
	http.Redirect(w, r, "/strategies/"+strconv.FormatInt(d.V.ID, 10), http.StatusSeeOther)
}

func refusalStatus(c errs.Code) int {
	switch c {
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Conflict:
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// strategyMessages are the texts of the diff, the publish confirmation and
// the four-eyes rule; they join caseworkMessages.
var strategyMessages = map[string][2]string{
	"strat.diff":          {"与当前发布版本的差异", "Changes against the published version"},
	"strat.diff_default":  {"与系统默认策略的差异（尚未发布任何版本）", "Changes against Accord's default strategy (no version is published yet)"},
	"strat.diff_none":     {"与当前发布版本内容相同。", "Same as the published version."},
	"strat.confirm_title": {"确认发布", "Confirm publication"},
	"strat.confirm_text":  {"发布后，该版本将从下一次夜间批处理起成为冠军策略，当前发布的版本将停用。请核对以下差异。", "Once published, this version becomes the champion from the next nightly run and the published version is retired. Check the changes below."},
	"strat.confirm":       {"确认发布", "Publish"},
	"strat.cancel":        {"取消", "Cancel"},
	"strat.four_eyes":     {"四眼原则：策略版本须由编写人以外、具有策略权限的另一名用户发布。", "Four eyes: a strategy version must be published by a user with the strategy permission other than the one who wrote it."},
}

func init() { maps.Copy(caseworkMessages, strategyMessages) }

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
