package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"accord/internal/classify"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/outbox"
)

// The contact flow: what a collector uses during a call or before a
// message, on the case page and on the borrower page. The case page loads
// it into <div id="contact-panel"> with htmx from GET /cases/{id}/contact
// (the borrower page from GET /borrowers/{id}/contact); without htmx the
// same URLs render a full page. It goes in three steps:
//
//  1. every number, email and registered contact with each channel and the
//     governor's decision now, in the user's language (never a rule code);
//  2. the chosen one (?to=phone:1&channel=call): the decision shown first;
//  3. when allowed, the form: the outcome, what else came of it, a note and,
//     on a case, a promise to pay, saved together in one transaction
//     (collect.LogCaseContact takes the promise through the promise book) —
//     or a message for SMS and email.
//
// The server checks the contact again when it is posted; a refusal shows
// the panel again with the reasons and records nothing but the refusal.

// contactView is what contact_panel.html receives.
type contactView struct {
	Panel    collect.ContactPanel
	Base     string // /borrowers/12 or /cases/34
	Case     bool   // the flow of a case: outcomes of the case, promise to pay
	Result   *contactOutcome
	Sel      *contactSel
	Form     contactFormValues // what was posted, shown again after a refusal or a mistake
	Reasons  func(compliance.Decision) []string
	Outcomes []string // what a call can end in
	Results  []string // what else can come of a contact
	// Promise fields (case flow only).
	Hardships     []string
	Today, MaxDue date.Date
	T             map[string]string // this flow's texts in the page's language
}

// contactSel is the number or address and channel the user chose, with
// the governor's decision about it now.
type contactSel struct {
	Row   collect.PanelRow
	Check collect.PanelCheck
}

// contactFormValues are the values of a posted contact form.
type contactFormValues struct {
	Outcome, Note, Hardship, PromiseAmount, PromiseDue, RecordingRef string
	Results                                                          []string
}

var callOutcomes = []string{string(compliance.Connected), string(compliance.NoAnswer), string(compliance.Busy),
	string(compliance.Voicemail), string(compliance.LimitedContentMessage), string(compliance.Refused),
	string(compliance.InvalidNumber)}

// contactOutcome is the banner after a form was posted.
type contactOutcome struct {
	OK       bool
	Decision compliance.Decision
	Message  string
	Fields   []string // the fields to correct, named in the page's language
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
// "GET /cases/{id}/contact"; ?to=…&channel=… chooses a row.
func (s *Server) handleContactPanel(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.contactPanel(w, r, http.StatusOK, nil, q.Get("to"), q.Get("channel"), contactFormValues{})
}

func (s *Server) contactPanel(w http.ResponseWriter, r *http.Request, status int, result *contactOutcome, to, channel string,
	form contactFormValues) {
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
	v := contactView{Panel: p, Base: base, Case: cid != 0, Result: result, Sel: choose(p, to, channel), Form: form,
		Reasons: reasonsIn(lang), Outcomes: callOutcomes, Results: compliance.Results, T: contactLabels(lang)}
	if v.Case {
		v.Outcomes = v.Outcomes[:0:0]
		for _, o := range collect.CallOutcomes {
			v.Outcomes = append(v.Outcomes, string(o))
		}
		// A promise and a hardship have fields of their own on a case.
		v.Results = slices.DeleteFunc(slices.Clone(compliance.Results), func(x string) bool {
			return x == compliance.ResultPromise || x == compliance.ResultHardship
		})
		v.Hardships = []string{classify.HardshipJobLoss, classify.HardshipIllness, classify.HardshipOther}
		v.Today = s.svc.Today()
		v.MaxDue = v.Today.AddDays(s.neg.Policy().MaxDays)
	}
	if contactHX(r) {
		// htmx swaps only 2xx answers: a refusal comes back as 200 with
		// the refusal shown (nothing was done).
		s.renderPart(w, r, http.StatusOK, "contact_panel.html", "panel", v)
		return
	}
	s.render(w, r, status, "contact_panel.html", v)
}

// choose finds the row and channel the user chose; nil when none is.
func choose(p collect.ContactPanel, to, channel string) *contactSel {
	for _, row := range p.Rows {
		if row.Ref != to {
			continue
		}
		for _, c := range row.Checks {
			if string(c.Channel) == channel {
				return &contactSel{Row: row, Check: c}
			}
		}
	}
	return nil
}

// handleContactCreate handles "POST /borrowers/{id}/contacts" and
// "POST /cases/{id}/contacts": log a contact. The governor checks it again
// on the server; a refused contact is recorded as refused and not as done.
// On a case the outcome, the note and a promise to pay are saved together
// (or nothing is), and the case page is shown again.
func (s *Server) handleContactCreate(w http.ResponseWriter, r *http.Request) {
	bid, cid, base, err := panelTarget(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.error(w, r, errs.Errorf(errs.Invalid, "The form cannot be read."))
		return
	}
	f := r.PostForm
	if cid != 0 {
		cc, err := caseContactForm(f)
		if err == nil {
			err = s.svc.LogCaseContact(r.Context(), actorOf(r), cid, cc)
		}
		if err == nil {
			to := base + "?saved=contact#promises"
			if contactHX(r) {
				w.Header().Set("HX-Redirect", to) // the whole case page: counters, promises, timeline
				w.WriteHeader(http.StatusOK)
				return
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		s.afterContact(w, r, compliance.Decision{}, err, "")
		return
	}
	res, err := s.svc.LogContact(r.Context(), actorOf(r), borrowerContactForm(f, bid))
	s.afterContact(w, r, res.Decision, err, tr(langOf(r), "contact.logged"))
}

// afterContact shows the panel with the outcome of a posted form: the
// governor's refusal, the fields to correct, or okMessage.
func (s *Server) afterContact(w http.ResponseWriter, r *http.Request, d compliance.Decision, err error, okMessage string) {
	f := r.PostForm
	form := contactFormValues{Outcome: f.Get("outcome"), Note: f.Get("note") + f.Get("notes"), Hardship: f.Get("hardship"),
		PromiseAmount: f.Get("promise_amount"), PromiseDue: f.Get("promise_due"), RecordingRef: f.Get("recording_ref"),
		Results: f["results"]}
	T := contactLabels(langOf(r))
	var re *collect.RefusedError
	var fe *errs.Error
	switch {
	case errors.As(err, &re):
		msg := T["refused"]
		if re.Decision.Action == compliance.Approval {
			msg = T["needs_approval"]
		}
		s.contactPanel(w, r, statusOf[errs.CodeOf(err)], &contactOutcome{Decision: re.Decision, Message: msg},
			f.Get("to"), f.Get("channel"), form)
	case errs.CodeOf(err) == errs.Invalid && errors.As(err, &fe):
		out := &contactOutcome{Message: T["invalid"]}
		for _, x := range fe.Fields {
			name := T["field."+x.Field]
			if name == "" {
				name = x.Field
			}
			if langOf(r) == "en" {
				name += ": " + x.Message
			}
			out.Fields = append(out.Fields, name)
		}
		s.contactPanel(w, r, http.StatusUnprocessableEntity, out, f.Get("to"), f.Get("channel"), form)
	case errors.Is(err, collect.ErrCaseClosed):
		s.contactPanel(w, r, http.StatusConflict, &contactOutcome{Message: T["closed"]}, f.Get("to"), f.Get("channel"), form)
	case err != nil:
		s.error(w, r, err)
	default:
		s.contactPanel(w, r, http.StatusOK, &contactOutcome{OK: true, Decision: d, Message: okMessage}, "", "", contactFormValues{})
	}
}

// caseContactForm reads the case flow's form.
func caseContactForm(f map[string][]string) (collect.CaseContact, error) {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	cc := collect.CaseContact{To: get("to"), Channel: get("channel"), Outcome: compliance.Outcome(get("outcome")),
		Hardship: get("hardship"), Note: get("note"), Results: f["results"], RecordingRef: get("recording_ref"),
		Purpose: get("purpose")}
	var bad []errs.FieldError
	var err error
	if v := get("promise_amount"); v != "" {
		if cc.PromiseAmount, err = money.Parse(v); err != nil {
			bad = append(bad, errs.FieldError{Field: "promise_amount", Message: errs.MessageOf(err)})
		}
	}
	if v := get("promise_due"); v != "" {
		if cc.PromiseDue, err = date.Parse(v); err != nil {
			bad = append(bad, errs.FieldError{Field: "promise_due", Message: errs.MessageOf(err)})
		}
	}
	if len(bad) > 0 {
		return cc, errs.Fields("The contact is not valid.", bad...)
	}
	return cc, nil
}

// borrowerContactForm reads the borrower flow's contact form.
func borrowerContactForm(f map[string][]string, borrowerID int64) collect.ContactRequest {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	req := collect.ContactRequest{BorrowerID: borrowerID, Channel: compliance.Channel(get("channel")),
		Direction: get("direction"), Party: compliance.Party(get("party")), To: get("to"), Purpose: get("purpose"),
		Outcome: compliance.Outcome(get("outcome")), Results: f["results"], Notes: strings.TrimSpace(get("notes") + get("note")),
		RecordingRef: strings.TrimSpace(get("recording_ref")), Text: get("text")}
	if req.Text == "" && req.Notes != "" {
		req.Text, req.TextSource = req.Notes, "note"
	}
	if v := get("loan_id"); v != "" {
		req.LoanID, _ = strconv.ParseInt(v, 10, 64)
	}
	return req
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

// reasonsIn returns a function listing why a decision was taken, rule by
// rule, in lang: the rules' own texts, without their codes (which the
// joined Decision.Reasons carries).
func reasonsIn(lang string) func(compliance.Decision) []string {
	return func(d compliance.Decision) []string {
		out := make([]string, 0, len(d.Details))
		for _, x := range d.Details {
			t := x.Reason.ZH
			if lang == "en" {
				t = x.Reason.EN
			}
			if t != "" { // a rule without a text in lang shows nothing rather than the other language
				out = append(out, conditionsIn(lang, t, x.Failed))
			}
		}
		return out
	}
}

// reasonIn returns a function picking the text of a reason in lang.
func reasonIn(lang string) func(compliance.Text) string {
	return func(t compliance.Text) string {
		if lang == "en" {
			return t.EN
		}
		return t.ZH
	}
}
