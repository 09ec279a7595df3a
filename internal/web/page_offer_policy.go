package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// registerOfferPolicyPages registers the console's offer policy pages:
// versions (list, show as tables, new version from a JSON editor, diff
// against the published version, publish with confirmation and four
// eyes), champion/challenger experiments and their results, and the teams'
// negotiation settings.
func (s *Server) registerOfferPolicyPages() {
	s.handle("GET", "/offer-policies", auth.PermStrategyEdit, s.handleOfferPolicyIndex)
	s.handle("GET", "/offer-policies/new", auth.PermStrategyEdit, s.handleOfferPolicyNew)
	s.handle("POST", "/offer-policies", auth.PermStrategyEdit, s.handleOfferPolicyCreate)
	s.handle("GET", "/offer-policies/{id}", auth.PermStrategyEdit, s.handleOfferPolicyShow)
	s.handle("POST", "/offer-policies/{id}/publish", auth.PermStrategyEdit, s.handleOfferPolicyPublish)
	s.handle("POST", "/offer-policy-experiments", auth.PermStrategyEdit, s.handleOfferPolicyExperimentStart)
	s.handle("POST", "/offer-policy-experiments/{id}/stop", auth.PermStrategyEdit, s.handleOfferPolicyExperimentStop)
	s.handle("GET", "/offer-policy-experiments/{id}", auth.PermDashboardRead, s.handleOfferPolicyExperimentShow)
	s.handle("POST", "/negotiation-teams/{id}", auth.PermStrategyEdit, s.handleTeamNegotiationSave)
	s.registerSupportProgrammePages() // page_offer_policy_support.go
}

// policyIndexPage is what /offer-policies shows.
type policyIndexPage struct {
	Versions    []sqlstore.OfferPolicyVersion
	Experiments []sqlstore.Experiment
	Teams       []negotiation.TeamSettings
	Published   *sqlstore.OfferPolicyVersion
	ExpShare    map[int64]string // experiment id → challenger share for display ("20%")
	TeamShare   map[int64]string // team id → its own budget share in percent for the form ("" for the default)
	Saved       string
	T           map[string]string
}

// handleOfferPolicyIndex handles "GET /offer-policies".
func (s *Server) handleOfferPolicyIndex(w http.ResponseWriter, r *http.Request) {
	by := actorOf(r)
	d := policyIndexPage{Saved: r.URL.Query().Get("saved"), T: policyLabels(langOf(r))}
	var err error
	if d.Versions, err = s.neg.OfferPolicyVersions(r.Context(), by); err != nil {
		s.error(w, r, err)
		return
	}
	if d.Experiments, err = s.neg.OfferPolicyExperiments(r.Context(), by); err != nil {
		s.error(w, r, err)
		return
	}
	if d.Teams, err = s.neg.Teams(r.Context(), by); err != nil {
		s.error(w, r, err)
		return
	}
	for i := range d.Versions {
		if d.Versions[i].Status == sqlstore.StrategyPublished {
			d.Published = &d.Versions[i]
		}
	}
	d.ExpShare, d.TeamShare = map[int64]string{}, map[int64]string{}
	for _, e := range d.Experiments {
		if x, err := decimal.NewFromFloat64(e.ChallengerShare); err == nil {
			d.ExpShare[e.ID] = negotiation.Percent(x.Round(4))
		}
	}
	for _, t := range d.Teams {
		if t.Settings != nil && t.Settings.BudgetShare != "" {
			if x, err := decimal.Parse(t.Settings.BudgetShare); err == nil {
				if p, err := x.Mul(decimal.Hundred); err == nil {
					d.TeamShare[t.Team.ID] = p.Trim(0).String()
				}
			}
		}
	}
	s.render(w, r, http.StatusOK, "offer_policy_index.html", d)
}

// policyEditPage is the JSON editor of a new version.
type policyEditPage struct {
	Document string
	From     int64
	Message  string
	Problems []errs.FieldError
	T        map[string]string
}

// handleOfferPolicyNew handles "GET /offer-policies/new?from=ID": the
// editor, starting from version ID, the published version, or the
// built-in default.
func (s *Server) handleOfferPolicyNew(w http.ResponseWriter, r *http.Request) {
	d := policyEditPage{T: policyLabels(langOf(r))}
	from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
	det, err := s.neg.OfferPolicyDetail(r.Context(), actorOf(r), max(from, 0))
	switch {
	case err == nil:
		d.Document, d.From = string(det.Version.Body), det.Version.ID
	case errs.CodeOf(err) == errs.NotFound && from <= 0:
		p := s.neg.OfferPolicy()
		p.Version = 0
		b, _ := json.MarshalIndent(p, "", "  ")
		d.Document = string(b)
	default:
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "offer_policy_edit.html", d)
}

// handleOfferPolicyCreate handles "POST /offer-policies": save the
// document as a draft; a refused one shows the editor again with the
// fields at fault.
func (s *Server) handleOfferPolicyCreate(w http.ResponseWriter, r *http.Request) {
	doc := r.PostFormValue("document")
	v, err := s.neg.CreateOfferPolicyVersion(r.Context(), actorOf(r), []byte(doc))
	if errs.CodeOf(err) == errs.Invalid {
		d := policyEditPage{Document: doc, Message: errs.MessageOf(err), Problems: errs.FieldsOf(err), T: policyLabels(langOf(r))}
		d.From, _ = strconv.ParseInt(r.PostFormValue("from"), 10, 64)
		s.render(w, r, http.StatusUnprocessableEntity, "offer_policy_edit.html", d)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/offer-policies/"+strconv.FormatInt(v.ID, 10)+"?saved=draft", http.StatusSeeOther)
}

// policyPage is one version as its page and the publish confirmation
// show it.
type policyPage struct {
	V         sqlstore.OfferPolicyVersion
	Policy    offer.Policy
	Rows      []negotiation.PolicyRow
	Authority []negotiation.AuthorityRow
	Columns   [][3]string
	Lang      string
	Published *sqlstore.OfferPolicyVersion // the version compared with, when this one is not it
	Changes   []negotiation.PolicyChange
	ShowDiff  bool
	FourEyes  string // why this user may not publish it, when they may not
	Message   string
	Saved     string
	Document  string
	T         map[string]string
}

func (s *Server) policyPage(r *http.Request) (policyPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return policyPage{}, err
	}
	by := actorOf(r)
	det, err := s.neg.OfferPolicyDetail(r.Context(), by, id)
	if err != nil {
		return policyPage{}, err
	}
	lang := langOf(r)
	d := policyPage{V: det.Version, Policy: det.Policy, Rows: negotiation.PolicyRows(det.Policy),
		Authority: negotiation.AuthorityRows(det.Policy), Columns: negotiation.AuthorityColumns, Lang: lang,
		ShowDiff: det.Version.Status != sqlstore.StrategyPublished, Saved: r.URL.Query().Get("saved"), T: policyLabels(lang)}
	var pretty bytes.Buffer
	if json.Indent(&pretty, det.Version.Body, "", "  ") == nil {
		d.Document = pretty.String()
	}
	if d.ShowDiff {
		pub, err := s.neg.OfferPolicyDetail(r.Context(), by, 0)
		switch {
		case err == nil:
			d.Published = &pub.Version
			d.Changes = negotiation.DiffPolicies(pub.Policy, det.Policy)
		case errs.CodeOf(err) == errs.NotFound:
			d.Changes = negotiation.DiffPolicies(s.neg.OfferPolicy(), det.Policy) // against the policy in force
		default:
			return d, err
		}
	}
	if err := s.neg.MayPublishOfferPolicy(by, det.Version); err != nil {
		d.FourEyes = errs.MessageOf(err)
	}
	return d, nil
}

// handleOfferPolicyShow handles "GET /offer-policies/{id}".
func (s *Server) handleOfferPolicyShow(w http.ResponseWriter, r *http.Request) {
	d, err := s.policyPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "offer_policy_show.html", d)
}

// handleOfferPolicyPublish handles "POST /offer-policies/{id}/publish" in
// two steps, like strategies: without confirm=yes it answers the
// confirmation page (the changes against the published version and who may
// publish); with it, it publishes. A refusal shows the confirmation again
// with the reason.
func (s *Server) handleOfferPolicyPublish(w http.ResponseWriter, r *http.Request) {
	d, err := s.policyPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if r.PostFormValue("confirm") != "yes" || d.V.Status != sqlstore.StrategyDraft {
		s.render(w, r, http.StatusOK, "offer_policy_publish.html", d)
		return
	}
	if _, err := s.neg.PublishOfferPolicy(r.Context(), actorOf(r), d.V.ID); err != nil {
		switch errs.CodeOf(err) {
		case errs.Forbidden, errs.Invalid, errs.Conflict:
			d.Message = errs.MessageOf(err)
			s.render(w, r, refusalStatus(errs.CodeOf(err)), "offer_policy_publish.html", d)
		default:
			s.error(w, r, err)
		}
		return
	}
	http.Redirect(w, r, "/offer-policies/"+strconv.FormatInt(d.V.ID, 10)+"?saved=published", http.StatusSeeOther)
}

// handleOfferPolicyExperimentStart handles "POST /offer-policy-experiments"
// (challenger, challenger_share in percent, name).
func (s *Server) handleOfferPolicyExperimentStart(w http.ResponseWriter, r *http.Request) {
	var bad []errs.FieldError
	req := negotiation.PolicyExperimentRequest{Name: r.PostFormValue("name")}
	var err error
	if req.Challenger, err = strconv.ParseInt(r.PostFormValue("challenger"), 10, 64); err != nil {
		bad = append(bad, errs.FieldError{Field: "challenger", Message: "choose the challenger version"})
	}
	if pct, err := decimal.Parse(strings.TrimSpace(r.PostFormValue("challenger_share"))); err != nil {
		bad = append(bad, errs.FieldError{Field: "challenger_share", Message: "must be a percentage such as 20"})
	} else if q, err := pct.Quo(decimal.Hundred); err == nil {
		req.Share, _ = q.Float64()
	}
	if len(bad) > 0 {
		s.error(w, r, errs.Fields("The experiment is not valid.", bad...))
		return
	}
	if _, err := s.neg.StartOfferPolicyExperiment(r.Context(), actorOf(r), req); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/offer-policies?saved=experiment#experiments", http.StatusSeeOther)
}

// handleOfferPolicyExperimentStop handles
// "POST /offer-policy-experiments/{id}/stop".
func (s *Server) handleOfferPolicyExperimentStop(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.neg.StopOfferPolicyExperiment(r.Context(), actorOf(r), id); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/offer-policy-experiments/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// handleOfferPolicyExperimentShow handles
// "GET /offer-policy-experiments/{id}": the results per arm.
func (s *Server) handleOfferPolicyExperimentShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.neg.OfferPolicyExperimentResults(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	arms := []policyArmView{{PolicyArmResult: res.Champion}, {PolicyArmResult: res.Challenger}}
	for i := range arms {
		arms[i].AcceptanceText, arms[i].KeptText = policyRateText(arms[i].Acceptance), policyRateText(arms[i].KeptRate)
	}
	s.render(w, r, http.StatusOK, "offer_policy_experiment.html", map[string]any{"R": res, "Arms": arms, "T": policyLabels(langOf(r))})
}

// policyArmView is an experiment arm with its rates for display.
type policyArmView struct {
	negotiation.PolicyArmResult
	AcceptanceText, KeptText string
}

// policyRateText shows a rate and its interval as percentages: "40.0% (18.2–61.3%)",
// or "–" without observations.
func policyRateText(r strategy.Rate) string {
	if r.N == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%% (%.1f–%.1f%%)", r.Value*100, r.Low*100, r.High*100)
}

// handleTeamNegotiationSave handles "POST /negotiation-teams/{id}": a new
// version of the team's settings (policy_id, experiment, budget_share in
// percent, note).
func (s *Server) handleTeamNegotiationSave(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	req := negotiation.TeamSettingsRequest{Note: r.PostFormValue("note")}
	exp := r.PostFormValue("experiment") == "yes"
	req.Experiment = &exp
	if v := strings.TrimSpace(r.PostFormValue("policy_id")); v != "" {
		if req.PolicyID, err = strconv.ParseInt(v, 10, 64); err != nil {
			s.error(w, r, errs.Field("policy_id", "choose a version"))
			return
		}
	}
	if v := strings.TrimSpace(r.PostFormValue("budget_share")); v != "" {
		pct, err := decimal.Parse(v)
		if err != nil {
			s.error(w, r, errs.Field("budget_share", "must be a percentage such as 2.5"))
			return
		}
		q, err := pct.Quo(decimal.Hundred)
		if err != nil {
			s.error(w, r, errs.Field("budget_share", "must be a percentage such as 2.5"))
			return
		}
		req.BudgetShare = q.Trim(0).String()
	}
	if _, err := s.neg.ConfigureTeam(r.Context(), actorOf(r), id, req); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/offer-policies?saved=team#teams", http.StatusSeeOther)
}
