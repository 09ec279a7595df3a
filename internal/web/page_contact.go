package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/outbox"
)

// The contact panel: what the collector sees before dialling or sending.
// The case page loads it into <div id="contact-panel"> with htmx from
// GET /cases/{id}/contact; until that page exists the borrower page has
// its own, GET /borrowers/{id}/contact. Without htmx the same URLs render a
// full page. The forms in the panel post back to the same place and get
// the panel again, with the outcome on top.

// contactView is what contact_panel.html receives.
type contactView struct {
	Panel    collect.ContactPanel
	Base     string // /borrowers/12 or /cases/34
	Result   *contactOutcome
	Reason   func(compliance.Text) string
	Outcomes []string // what a call can end in
	Results  []string // what can come of a contact
}

var callOutcomes = []string{string(compliance.Connected), string(compliance.NoAnswer), string(compliance.Busy),
	string(compliance.Voicemail), string(compliance.LimitedContentMessage), string(compliance.Refused),
	string(compliance.InvalidNumber)}

// contactOutcome is the banner after a form was posted.
type contactOutcome struct {
	OK       bool
	Decision compliance.Decision
	Message  string
}

// panelTarget reads the borrower or the case of a panel route (the service
// finds the borrower of a case).
func panelTarget(r *http.Request) (borrowerID, caseID int64, base string, err error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, 0, "", err
	}
	if strings.HasPrefix(r.URL.Path, "/cases/") {
		return 0, id, "/cases/" + strconv.FormatInt(id, 10), nil
	}
	return id, 0, "/borrowers/" + strconv.FormatInt(id, 10), nil
}

// handleContactPanel handles "GET /borrowers/{id}/contact" and
// "GET /cases/{id}/contact".
func (s *Server) handleContactPanel(w http.ResponseWriter, r *http.Request) {
	s.contactPanel(w, r, http.StatusOK, nil)
}

func (s *Server) contactPanel(w http.ResponseWriter, r *http.Request, status int, result *contactOutcome) {
	bid, cid, base, err := panelTarget(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.svc.ContactPanel(r.Context(), actorOf(r), bid, cid)
	if err != nil {
		s.error(w, r, err)
		return
	}
	lang := langOf(r)
	v := contactView{Panel: p, Base: base, Result: result, Reason: reasonIn(lang), Outcomes: callOutcomes,
		Results: compliance.Results}
	if contactHX(r) {
		// htmx swaps only 2xx answers: a refusal comes back as 200 with
		// the refusal shown (nothing was done).
		s.renderPart(w, r, http.StatusOK, "contact_panel.html", "panel", v)
		return
	}
	s.render(w, r, status, "contact_panel.html", v)
}

// handleContactCreate handles "POST /borrowers/{id}/contacts" and
// "POST /cases/{id}/contacts": log a contact. The governor checks it again
// on the server; a refused contact is recorded as refused and not as done.
func (s *Server) handleContactCreate(w http.ResponseWriter, r *http.Request) {
	bid, cid, _, err := panelTarget(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	req, err := contactForm(r, bid, cid)
	if err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.svc.LogContact(r.Context(), actorOf(r), req)
	s.afterContact(w, r, res.Decision, err, tr(langOf(r), "contact.logged"))
}

// afterContact shows the panel with the outcome of a posted form.
func (s *Server) afterContact(w http.ResponseWriter, r *http.Request, d compliance.Decision, err error, okMessage string) {
	var re *collect.RefusedError
	switch {
	case errors.As(err, &re):
		s.contactPanel(w, r, statusOf[errs.CodeOf(err)], &contactOutcome{Decision: re.Decision, Message: errs.MessageOf(err)})
	case err != nil:
		s.error(w, r, err)
	default:
		s.contactPanel(w, r, http.StatusOK, &contactOutcome{OK: true, Decision: d, Message: okMessage})
	}
}

// contactForm reads the panel's contact form.
func contactForm(r *http.Request, borrowerID, caseID int64) (collect.ContactRequest, error) {
	if err := r.ParseForm(); err != nil {
		return collect.ContactRequest{}, errs.Errorf(errs.Invalid, "The form cannot be read.")
	}
	f := r.PostForm
	req := collect.ContactRequest{BorrowerID: borrowerID, CaseID: caseID, Channel: compliance.Channel(f.Get("channel")),
		Direction: f.Get("direction"), Party: compliance.Party(f.Get("party")), To: f.Get("to"), Purpose: f.Get("purpose"),
		Outcome: compliance.Outcome(f.Get("outcome")), Results: f["results"], Notes: strings.TrimSpace(f.Get("notes")),
		RecordingRef: strings.TrimSpace(f.Get("recording_ref")), Text: f.Get("text")}
	if req.Text == "" && req.Notes != "" {
		req.Text, req.TextSource = req.Notes, "note"
	}
	if v := f.Get("loan_id"); v != "" {
		req.LoanID, _ = strconv.ParseInt(v, 10, 64)
	}
	return req, nil
}

// handleContactMessage handles "POST /borrowers/{id}/messages" and
// "POST /cases/{id}/messages": send an SMS or email through the outbox.
func (s *Server) handleContactMessage(w http.ResponseWriter, r *http.Request) {
	bid, cid, _, err := panelTarget(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, errs.Errorf(errs.Invalid, "The form cannot be read."))
		return
	}
	f := r.PostForm
	m, err := s.svc.SendMessage(r.Context(), actorOf(r), collect.MessageRequest{BorrowerID: bid, CaseID: cid,
		Channel: outbox.Channel(f.Get("channel")), To: f.Get("to"), Subject: f.Get("subject"), Body: f.Get("body"),
		Key: f.Get("key")})
	s.afterContact(w, r, m.Decision, err, tr(langOf(r), "contact.queued"))
}

func contactHX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// reasonIn returns a function picking the text of a reason in lang.
func reasonIn(lang string) func(compliance.Text) string {
	return func(t compliance.Text) string {
		if lang == "en" {
			return t.EN
		}
		return t.ZH
	}
}
