package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"accord/internal/borrower"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/fieldwork"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// visitRow is a visit as the console lists it: amounts grouped, codes
// kept for lbl.
type visitRow struct {
	ID, CaseID                           int64
	State, Source, Region, City, Address string
	Purpose, Target, RequestedBy         string
	RequestedAt                          time.Time
	Overdue, Expected, Cost, Net         string
	NetNegative                          bool
	PlannedOn                            string
	Outcome                              string
	RecordingDevice                      string
	CheckInFlagged                       bool
	CheckInDistanceM                     int64
}

func visitRowOf(v sqlstore.Visit) visitRow {
	net := v.ExpectedMinor - v.CostMinor
	r := visitRow{ID: v.ID, CaseID: v.CaseID, State: v.State, Source: v.Source, Region: v.Region, City: v.AddressCity,
		Address: v.AddressLine, Purpose: v.Purpose, Target: v.Target, RequestedBy: v.RequestedBy, RequestedAt: v.RequestedAt,
		Overdue: money.Amount(v.OverdueMinor).Grouped(), Expected: money.Amount(v.ExpectedMinor).Grouped(),
		Cost: money.Amount(v.CostMinor).Grouped(), Net: money.Amount(net).Grouped(), NetNegative: net < 0,
		Outcome: v.OutcomeKind, RecordingDevice: v.RecordingDevice, CheckInFlagged: v.CheckInFlagged,
		CheckInDistanceM: int64(v.CheckInDistanceM + 0.5)}
	if v.PlannedOn != 0 {
		r.PlannedOn = v.PlannedOn.String()
	}
	return r
}

func visitRows(list []sqlstore.Visit) []visitRow {
	out := make([]visitRow, len(list))
	for i, v := range list {
		out[i] = visitRowOf(v)
	}
	return out
}

// fieldworkRefusal returns the governor's reasons of a refused visit.
func fieldworkRefusal(err error) (compliance.Text, bool) {
	if r, ok := fieldwork.AsRefused(err); ok {
		return r.Decision.Reasons, true
	}
	return compliance.Text{}, false
}

// visitFail answers a failed console action with the visit error page:
// the message in the user's language (the governor's reasons for a
// refusal), the fields at fault and a way back.
func (s *Server) visitFail(w http.ResponseWriter, r *http.Request, err error, back string) {
	p := s.problem(r, err)
	if wantsJSON(r) || p.Status == http.StatusUnauthorized || p.Status == http.StatusNotFound {
		s.writeProblem(w, r, p)
		return
	}
	lang := langOf(r)
	_, refused := fieldworkRefusal(err)
	data := map[string]any{"T": visitLabels(lang), "Message": visitErrorText(lang, err), "Refused": refused, "Back": back,
		"Fields": errs.FieldsOf(err)}
	s.render(w, r, p.Status, "visit_error.html", data)
}

// handleVisitApprovals handles "GET /visits/approvals": the requests
// awaiting a decision and the approved visits awaiting their notice.
func (s *Server) handleVisitApprovals(w http.ResponseWriter, r *http.Request) {
	s.renderApprovals(w, r, http.StatusOK, nil)
}

func (s *Server) renderApprovals(w http.ResponseWriter, r *http.Request, status int, results []bulkRow) {
	by := actorOf(r)
	req, _, err := s.visits.Visits(r.Context(), by, fieldwork.Query{States: []string{string(visit.Requested)}, Limit: fieldwork.MaxBulk})
	if err != nil {
		s.visitFail(w, r, err, "/")
		return
	}
	appr, _, err := s.visits.Visits(r.Context(), by, fieldwork.Query{States: []string{string(visit.Approved)}, Limit: fieldwork.MaxBulk})
	if err != nil {
		s.visitFail(w, r, err, "/")
		return
	}
	open, err := s.visits.Incidents(r.Context(), by, true)
	if err != nil {
		s.visitFail(w, r, err, "/")
		return
	}
	s.render(w, r, status, "visit_approvals.html", map[string]any{"T": visitLabels(langOf(r)), "Requested": visitRows(req),
		"Approved": visitRows(appr), "Results": results, "Saved": r.URL.Query().Get("saved"),
		"NoticeDay": s.visits.Today().AddDays(2).String(), "Incidents": incidentRows(open)})
}

// bulkRow is one visit's answer to a bulk decision, in the user's language.
type bulkRow struct {
	ID      int64
	OK      bool
	State   string
	Message string
}

// handleVisitDecideMany handles "POST /visits/decisions": the checked
// visits (ids) approved (decision=approve) or rejected with the note, each
// on its own; the page shows each one's result.
func (s *Server) handleVisitDecideMany(w http.ResponseWriter, r *http.Request) {
	var ids []int64
	for _, v := range r.PostForm["ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.visitFail(w, r, errs.Field("ids", "%q is not a visit", v), "/visits/approvals")
			return
		}
		ids = append(ids, id)
	}
	approve := r.PostFormValue("decision") != "reject"
	res, err := s.visits.DecideMany(r.Context(), actorOf(r), ids, approve, r.PostFormValue("note"))
	if err != nil {
		s.visitFail(w, r, err, "/visits/approvals")
		return
	}
	lang := langOf(r)
	rows := make([]bulkRow, len(res))
	for i, x := range res {
		rows[i] = bulkRow{ID: x.ID, OK: x.OK}
		if x.Visit != nil {
			rows[i].State = x.Visit.State
		}
		if !x.OK {
			rows[i].Message = visitMessageText(lang, x.Code, x.Error)
		}
	}
	s.renderApprovals(w, r, http.StatusOK, rows)
}

// handleVisitDecideOne handles "POST /visits/{id}/approve" and "…/reject".
func (s *Server) handleVisitDecideOne(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	note := r.PostFormValue("note")
	if strings.HasSuffix(r.URL.Path, "/approve") {
		_, err = s.visits.Approve(r.Context(), actorOf(r), id, note)
	} else {
		_, err = s.visits.Reject(r.Context(), actorOf(r), id, note)
	}
	if err != nil {
		s.visitFail(w, r, err, "/visits/approvals")
		return
	}
	http.Redirect(w, r, "/visits/approvals?saved=decided", http.StatusSeeOther)
}

// handleVisitNotice handles "POST /visits/{id}/notice" with the day.
func (s *Server) handleVisitNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := parseDay("date", r.PostFormValue("date"))
	if err == nil {
		_, err = s.visits.SendNotice(r.Context(), actorOf(r), id, d)
	}
	if err != nil {
		s.visitFail(w, r, err, "/visits/approvals")
		return
	}
	http.Redirect(w, r, "/visits/approvals?saved=noticed", http.StatusSeeOther)
}

// handleVisitRequestForm handles "GET /cases/{id}/visits/new": the request
// form and the case's visits.
func (s *Server) handleVisitRequestForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.svc.Case(r.Context(), actorOf(r), id); err != nil {
		s.error(w, r, err)
		return
	}
	list, _, err := s.visits.Visits(r.Context(), actorOf(r), fieldwork.Query{CaseID: id, Limit: 50})
	if err != nil {
		s.visitFail(w, r, err, "/cases/"+strconv.FormatInt(id, 10))
		return
	}
	s.render(w, r, http.StatusOK, "visit_request.html", map[string]any{"T": visitLabels(langOf(r)), "CaseID": id,
		"Visits": visitRows(list), "Saved": r.URL.Query().Get("saved")})
}

// handleVisitRequest handles "POST /cases/{id}/visits".
func (s *Server) handleVisitRequest(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var bad []errs.FieldError
	dur := formInt(r, "duration_min", &bad)
	back := "/cases/" + strconv.FormatInt(id, 10) + "/visits/new"
	if len(bad) > 0 {
		s.visitFail(w, r, errs.Fields("The visit request is not valid.", bad...), back)
		return
	}
	_, err = s.visits.RequestVisit(r.Context(), actorOf(r), fieldwork.NewRequest{CaseID: id,
		Purpose: strings.TrimSpace(r.PostFormValue("purpose")), Target: strings.TrimSpace(r.PostFormValue("target")),
		PrefFrom: r.PostFormValue("pref_from"), PrefUntil: r.PostFormValue("pref_until"), DurationMin: dur})
	if err != nil {
		s.visitFail(w, r, err, back)
		return
	}
	http.Redirect(w, r, back+"?saved=requested", http.StatusSeeOther)
}

// loanRow is a loan of the pack: its contract and repayment position.
type loanRow struct {
	Product, Principal, Rate, Method, Disbursed string
	Term, DPD, Paid, OverdueN                   int
	Outstanding, Overdue                        string
}

// handleVisitPack handles "GET /visits/{id}/pack": the preparation pack,
// printable and readable on a phone.
func (s *Server) handleVisitPack(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	pk, err := s.visits.Preparation(r.Context(), actorOf(r), id)
	if err != nil {
		s.visitFail(w, r, err, "/")
		return
	}
	loans := make([]loanRow, len(pk.Loans))
	for i, l := range pk.Loans {
		p := l.Position
		loans[i] = loanRow{Product: l.Loan.ProductCode, Principal: l.Loan.Principal.Grouped(), Rate: percent(l.Loan.AnnualRate),
			Method: string(l.Loan.Method), Disbursed: l.Loan.DisbursedOn.String(), Term: l.Loan.TermMonths, DPD: p.DPD,
			Paid: p.PaidInstallments, OverdueN: p.OverdueInstallments, Outstanding: p.OutstandingPrincipal.Grouped(),
			Overdue: (p.OverduePrincipal + p.OverdueInterest + p.PenaltyDue + p.FeesDue).Grouped()}
	}
	lang := langOf(r)
	approach := pk.Approach.ZH
	if lang == "en" {
		approach = pk.Approach.EN
	}
	s.render(w, r, http.StatusOK, "visit_pack.html", map[string]any{"T": visitLabels(lang), "P": pk, "V": visitRowOf(pk.Visit),
		"Loans": loans, "Earlier": visitRows(pk.EarlierVisits), "Ask": pk.AskAmount.Grouped(), "Approach": approach,
		"EN": lang == "en"})
}

// stopRow is one stop of a day plan with its visit.
type stopRow struct {
	N                    int
	Arrive, Start, Leave string
	V                    visitRow
}

// planRow is a pair's planned day as the console shows it.
type planRow struct {
	PairID                int64
	Pair, Agent1, Agent2  string
	Version               int
	Reason                string
	TravelKm              string
	BackAt, Value, MapURL string
	Stops                 []stopRow
	LeftOut               []leftRow
}

type leftRow struct {
	VisitID      int64
	Code, Detail string
}

// leftRowOf is a visit left out of a day with its reason in lang: the code
// is labelled by the template; the detail (a governor's refusal, why no
// time was left) is given in Chinese unless lang is English.
func leftRowOf(l sqlstore.PlanLeftOut, lang string) leftRow {
	code, detail, _ := strings.Cut(l.Reason, ":")
	row := leftRow{VisitID: l.VisitID, Code: strings.TrimSpace(code), Detail: strings.TrimSpace(detail)}
	if lang == "en" || row.Detail == "" {
		return row
	}
	if _, zh, ok := strings.Cut(l.ReasonZH, ":"); ok && strings.TrimSpace(zh) != "" {
		row.Detail = refusalZH(strings.TrimSpace(zh))
	} else if zh, ok := visitErrorsZH[row.Detail]; ok {
		row.Detail = zh
	}
	return row
}

func leftRows(list []sqlstore.PlanLeftOut, lang string) []leftRow {
	out := make([]leftRow, len(list))
	for i, l := range list {
		out[i] = leftRowOf(l, lang)
	}
	return out
}

func planRows(list []fieldwork.DayPlanView, on date.Date, lang string) []planRow {
	out := make([]planRow, len(list))
	for i, dv := range list {
		p := dv.Plan
		pr := planRow{PairID: dv.Pair.ID, Pair: dv.Pair.Name, Agent1: dv.Pair.Agent1, Agent2: dv.Pair.Agent2, Version: p.Version,
			Reason: p.Reason, TravelKm: strconv.FormatFloat(p.TravelKm, 'f', 2, 64), BackAt: p.BackAt,
			Value:  money.Amount(p.ValueMinor).Grouped(),
			MapURL: "/api/v1/visit-maps/" + strconv.FormatInt(dv.Pair.ID, 10) + "?" + url.Values{"date": {on.String()}}.Encode()}
		for j, st := range p.Stops {
			row := stopRow{N: j + 1, Arrive: st.Arrive, Start: st.Start, Leave: st.Leave}
			if j < len(dv.Visits) {
				row.V = visitRowOf(dv.Visits[j])
			}
			pr.Stops = append(pr.Stops, row)
		}
		pr.LeftOut = leftRows(p.LeftOut, lang)
		out[i] = pr
	}
	return out
}

// handleVisitDays handles "GET /visits/days?date=": every pair's plan of
// the day (tomorrow by default), with the map, and the visits left out.
func (s *Server) handleVisitDays(w http.ResponseWriter, r *http.Request) {
	on := s.visits.Today().AddDays(1)
	if q := r.URL.Query().Get("date"); q != "" {
		d, err := parseDay("date", q)
		if err != nil {
			s.visitFail(w, r, err, "/visits/days")
			return
		}
		on = d
	}
	list, err := s.visits.DayPlans(r.Context(), actorOf(r), on, 0)
	if err != nil {
		s.visitFail(w, r, err, "/")
		return
	}
	s.render(w, r, http.StatusOK, "visit_days.html", map[string]any{"T": visitLabels(langOf(r)), "On": on.String(),
		"Plans": planRows(list, on, langOf(r)), "Saved": r.URL.Query().Get("saved")})
}

// handleVisitPlanDay handles "POST /visits/days/plan" (date): plans, or
// re-plans, the day of every active pair, and shows the plans with every
// visit left out of the day and why (no time that day, the governor's
// refusal, the planner's reasons), which only this answer carries.
func (s *Server) handleVisitPlanDay(w http.ResponseWriter, r *http.Request) {
	d, err := parseDay("date", r.PostFormValue("date"))
	var res fieldwork.DayResult
	if err == nil {
		res, err = s.visits.PlanDay(r.Context(), actorOf(r), d)
	}
	if err != nil {
		s.visitFail(w, r, err, "/visits/days")
		return
	}
	lang := langOf(r)
	s.render(w, r, http.StatusOK, "visit_days.html", map[string]any{"T": visitLabels(lang), "On": d.String(),
		"Plans": planRows(res.Plans, d, lang), "Saved": "planned", "DayLeftOut": leftRows(res.LeftOut, lang)})
}

// handleVisitCancel handles "POST /visits/{id}/cancel" (note): the visit
// is called off and its pair's day re-planned without it.
func (s *Server) handleVisitCancel(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	back := safeVisitBack(r.PostFormValue("back"))
	v, err := s.visits.Cancel(r.Context(), actorOf(r), id, r.PostFormValue("note"))
	if err != nil {
		s.visitFail(w, r, err, back)
		return
	}
	if back == "/visits/days" && v.PlannedOn != 0 {
		back += "?" + url.Values{"date": {v.PlannedOn.String()}}.Encode()
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	http.Redirect(w, r, back+sep+"saved=cancelled", http.StatusSeeOther)
}

// safeVisitBack keeps a return path among the visit pages.
func safeVisitBack(p string) string {
	switch p {
	case "/visits/today", "/visits/approvals":
		return p
	}
	return "/visits/days"
}

// handleVisitToday handles "GET /visits/today": the field agent's stops
// of today, with the check-in and outcome forms.
func (s *Server) handleVisitToday(w http.ResponseWriter, r *http.Request) {
	s.renderToday(w, r, http.StatusOK, 0, "", false)
}

func (s *Server) renderToday(w http.ResponseWriter, r *http.Request, status int, failedID int64, msg string, refused bool) {
	by := actorOf(r)
	on := s.visits.Today()
	list, err := s.visits.DayPlans(r.Context(), by, on, 0)
	if err != nil {
		s.visitFail(w, r, err, "/")
		return
	}
	type todayPlan struct {
		planRow
		Partner string
	}
	var plans []todayPlan
	for _, p := range planRows(list, on, langOf(r)) {
		partner := p.Agent2
		if partner == by.User.Username {
			partner = p.Agent1
		}
		plans = append(plans, todayPlan{planRow: p, Partner: partner})
	}
	lang := langOf(r)
	s.render(w, r, status, "visit_today.html", map[string]any{"T": visitLabels(lang), "On": on.String(), "Plans": plans,
		"Kinds": visitKinds, "Channels": fieldwork.Channels, "EN": lang == "en", "Saved": r.URL.Query().Get("saved"),
		"FailedID": failedID, "Message": msg, "Refused": refused, "Flagged": r.URL.Query().Get("flagged") == "1"})
}

// handleVisitCheckIn handles "POST /visits/{id}/check-in": the phone's
// position (from the browser, or typed), the partner and the device. A
// refusal shows on the day's page with the governor's reasons in the
// user's language.
func (s *Server) handleVisitCheckIn(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue("lat")), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue("lon")), 64)
	if err1 != nil || err2 != nil {
		err = errs.Field("lat", "give the phone's position (latitude and longitude)")
	} else {
		var v sqlstore.Visit
		v, err = s.visits.CheckIn(r.Context(), actorOf(r), id, fieldwork.CheckInRequest{Lat: lat, Lon: lon,
			Partner: r.PostFormValue("partner"), RecordingDevice: r.PostFormValue("recording_device")})
		if err == nil {
			q := url.Values{"saved": {"checkin"}}
			if v.CheckInFlagged {
				q.Set("flagged", "1")
			}
			http.Redirect(w, r, "/visits/today?"+q.Encode()+"#visit-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return
		}
	}
	if wantsJSON(r) {
		s.error(w, r, err)
		return
	}
	_, refused := fieldworkRefusal(err)
	s.renderToday(w, r, s.problem(r, err).Status, id, visitErrorText(langOf(r), err), refused)
}

// maxPhotos is the most photos one outcome form takes.
const maxPhotos = fieldwork.MaxAttachments

// handleVisitOutcome handles "POST /visits/{id}/outcome" (multipart): the
// outcome, its note, the promise or payment fields and the photos.
func (s *Server) handleVisitOutcome(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	var bad []errs.FieldError
	o := fieldwork.NewOutcome{Kind: visit.Kind(r.PostFormValue("kind")), Note: r.PostFormValue("note"),
		MetWhom: r.PostFormValue("met_whom"), PaymentRef: strings.TrimSpace(r.PostFormValue("payment_ref")),
		Amount: formAmount(r, "amount", &bad)}
	if d := strings.TrimSpace(r.PostFormValue("promise_date")); d != "" {
		pd, err := date.Parse(d)
		if err != nil {
			bad = append(bad, errs.FieldError{Field: "promise_date", Message: "must be YYYY-MM-DD"})
		}
		o.PromiseDate = pd
	}
	if line := strings.TrimSpace(r.PostFormValue("new_address")); line != "" {
		o.NewAddress = &borrower.Address{Line: line} // of the visited address's kind
	}
	if r.MultipartForm != nil {
		files := r.MultipartForm.File["photo"]
		if len(files) > maxPhotos {
			bad = append(bad, errs.FieldError{Field: "photo", Message: fmt.Sprintf("at most %d photos", maxPhotos)})
			files = nil
		}
		for _, fh := range files {
			f, err := fh.Open()
			if err != nil {
				s.visitFail(w, r, err, "/visits/today")
				return
			}
			data, err := io.ReadAll(f)
			_ = f.Close()
			if err != nil {
				s.visitFail(w, r, err, "/visits/today")
				return
			}
			if len(data) == 0 {
				continue
			}
			o.Attachments = append(o.Attachments, fieldwork.NewAttachment{Name: fh.Filename,
				ContentType: fh.Header.Get("Content-Type"), Data: data})
		}
	}
	if len(bad) > 0 {
		err = errs.Fields("The outcome is not valid.", bad...)
	} else {
		_, err = s.visits.RecordOutcome(r.Context(), actorOf(r), id, o)
	}
	if err != nil {
		if wantsJSON(r) {
			s.error(w, r, err)
			return
		}
		msg := visitErrorText(langOf(r), err)
		for _, f := range errs.FieldsOf(err) {
			msg += " [" + f.Field + ": " + f.Message + "]"
		}
		_, refused := fieldworkRefusal(err)
		s.renderToday(w, r, s.problem(r, err).Status, id, msg, refused)
		return
	}
	http.Redirect(w, r, "/visits/today?saved=outcome#visit-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// reportRow is a report row with its amounts grouped.
type reportRow struct {
	fieldwork.ReportRow
	TravelKmText, CostText, CostPerVisitText, RecoveredText string
}

// handleVisitReport handles "GET /visits/report?from=&to=": the visits
// per pair and region and the comparison with unvisited cases (the last
// 30 days by default).
func (s *Server) handleVisitReport(w http.ResponseWriter, r *http.Request) {
	to := s.visits.Today()
	from := to.AddDays(-29)
	q := r.URL.Query()
	var err error
	if v := q.Get("from"); v != "" {
		if from, err = parseDay("from", v); err != nil {
			s.visitFail(w, r, err, "/visits/report")
			return
		}
	}
	if v := q.Get("to"); v != "" {
		if to, err = parseDay("to", v); err != nil {
			s.visitFail(w, r, err, "/visits/report")
			return
		}
	}
	rep, err := s.visits.Report(r.Context(), actorOf(r), from, to)
	if err != nil {
		s.visitFail(w, r, err, "/visits/report")
		return
	}
	conv := func(list []fieldwork.ReportRow) []reportRow {
		out := make([]reportRow, len(list))
		for i, x := range list {
			out[i] = reportRow{ReportRow: x, TravelKmText: strconv.FormatFloat(x.TravelKm, 'f', 1, 64), CostText: x.Cost.Grouped(),
				CostPerVisitText: x.CostPerVisit.Grouped(), RecoveredText: x.Recovered.Grouped()}
		}
		return out
	}
	s.render(w, r, http.StatusOK, "visit_report.html", map[string]any{"T": visitLabels(langOf(r)), "From": from.String(),
		"To": to.String(), "ByPair": conv(rep.ByPair), "ByRegion": conv(rep.ByRegion), "Comparison": rep.Comparison})
}
