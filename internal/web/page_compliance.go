package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"accord/internal/calendar"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// The compliance console: flagged contacts and rule hit rates, queued
// messages the governor warned about, approvals, the template checker, the policy in force, the holiday calendar and the
// regulator export.

// compliancePeriod reads ?from=YYYY-MM-DD&to=YYYY-MM-DD as lender-local
// days, to inclusive; the default is the last 7 days up to today.
func (s *Server) compliancePeriod(r *http.Request) (from, to time.Time, err error) {
	return s.complianceDays(r.URL.Query().Get("from"), r.URL.Query().Get("to"))
}

// handleComplianceIndex handles "GET /compliance".
func (s *Server) handleComplianceIndex(w http.ResponseWriter, r *http.Request) {
	from, to, err := s.compliancePeriod(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	o, err := s.svc.ComplianceOverview(r.Context(), actorOf(r), from, to, 100, max(offset, 0))
	if err != nil {
		s.error(w, r, err)
		return
	}
	rules := map[string]bool{}
	for _, hits := range [][]sqlstore.RuleHits{o.ByTeam, o.ByAgency, o.ByCollector} {
		for _, h := range hits {
			for rule := range h.Rules {
				rules[rule] = true
			}
		}
	}
	ids := ruleKeys(rules)
	warned, warnedTotal, err := s.svc.WarnedQueued(r.Context(), actorOf(r), 100, 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "compliance.html", map[string]any{
		"O": o, "Warned": warned, "WarnedTotal": warnedTotal, "From": date.FromTime(from.In(s.zone())).String(), "To": date.FromTime(to.In(s.zone())).AddDays(-1).String(),
		"Rules": ids, "Reason": reasonIn(langOf(r)),
		"Tables": []hitTable{hitTableOf("team", "compliance.by_team", o.ByTeam, ids),
			hitTableOf("agency", "compliance.by_agency", o.ByAgency, ids),
			hitTableOf("collector", "compliance.by_user", o.ByCollector, ids)},
	})
}

// hitTable is one table of rule hit rates: a row per team, agency or
// collector, a cell per rule.
type hitTable struct {
	Key, Title string
	Rows       []hitRow
}

type hitRow struct {
	Label             string // "" for the lender's own staff or the system
	Attempts, Flagged int
	Cells             []hitCell
}

type hitCell struct {
	N   int
	Pct string
}

func hitTableOf(key, title string, hits []sqlstore.RuleHits, rules []string) hitTable {
	t := hitTable{Key: key, Title: title}
	for _, h := range hits {
		row := hitRow{Attempts: h.Attempts, Flagged: h.Flagged}
		switch {
		case key == "collector":
			row.Label = h.Name
		case h.Key != 0:
			row.Label = "#" + strconv.FormatInt(h.Key, 10)
		}
		for _, rule := range rules {
			n := h.Rules[rule]
			row.Cells = append(row.Cells, hitCell{N: n, Pct: fmt.Sprintf("%.1f%%", 100*float64(n)/float64(max(h.Attempts, 1)))})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// handleComplianceApprovals handles "GET /compliance/approvals".
func (s *Server) handleComplianceApprovals(w http.ResponseWriter, r *http.Request) {
	f := sqlstore.ApprovalFilter{Limit: 200}
	if st := r.URL.Query().Get("status"); st != "all" {
		pending := sqlstore.ApprovalPending
		f.Status = &pending
	}
	list, total, err := s.svc.Approvals(r.Context(), actorOf(r), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "compliance_approvals.html", map[string]any{"Items": list, "Total": total,
		"Reason": reasonIn(langOf(r))})
}

// handleComplianceDecide handles "POST /compliance/approvals/{id}/approve"
// and ".../deny".
func (s *Server) handleComplianceDecide(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	approve := strings.HasSuffix(r.URL.Path, "/approve")
	if _, err := s.svc.DecideApproval(r.Context(), actorOf(r), id, approve, r.PostFormValue("note")); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/compliance/approvals", http.StatusSeeOther)
}

// handleComplianceScreen handles "POST /compliance/screen": the template
// checker, as an htmx fragment (or a page without htmx).
func (s *Server) handleComplianceScreen(w http.ResponseWriter, r *http.Request) {
	text := r.PostFormValue("text")
	sc, err := s.svc.ScreenText(actorOf(r), text)
	if err != nil {
		s.error(w, r, err)
		return
	}
	data := map[string]any{"Text": text, "Screen": sc, "Checked": true, "Groups": screenGroupsOf(sc),
		"Clean": sc.Clean() && len(sc.Debt) == 0}
	if contactHX(r) {
		s.renderPart(w, r, http.StatusOK, "compliance_screen.html", "screen", data)
		return
	}
	s.render(w, r, http.StatusOK, "compliance_screen.html", data)
}

// screenGroup is one category of phrases the template checker found.
type screenGroup struct {
	Category string
	Phrases  []string
	Blocks   bool // the category is prohibited outright (not legal or debt)
}

func screenGroupsOf(sc compliance.Screening) []screenGroup {
	var out []screenGroup
	for _, c := range compliance.Categories {
		if ph := sc.Phrases(c); len(ph) > 0 {
			out = append(out, screenGroup{Category: string(c), Phrases: ph, Blocks: c != compliance.CatLegal})
		}
	}
	if len(sc.Debt) > 0 {
		out = append(out, screenGroup{Category: string(compliance.CatDebt), Phrases: sc.Debt})
	}
	return out
}

// handleComplianceScreenShow handles "GET /compliance/screen".
func (s *Server) handleComplianceScreenShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "compliance_screen.html", map[string]any{})
}

// handleCompliancePolicy handles "GET /compliance/policy".
func (s *Server) handleCompliancePolicy(w http.ResponseWriter, r *http.Request) {
	s.compliancePolicy(w, r, http.StatusOK, nil)
}

func (s *Server) compliancePolicy(w http.ResponseWriter, r *http.Request, status int, failure error) {
	ps, err := s.svc.Policies(r.Context(), actorOf(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	data := map[string]any{"Profiles": ps}
	if failure != nil {
		data["Error"], data["Fields"] = errs.MessageOf(failure), errs.FieldsOf(failure)
	}
	s.render(w, r, status, "compliance_policy.html", data)
}

// handleCompliancePolicyUpdate handles "POST /compliance/policy/{jurisdiction}".
func (s *Server) handleCompliancePolicyUpdate(w http.ResponseWriter, r *http.Request) {
	j := compliance.Jurisdiction(r.PathValue("jurisdiction"))
	if err := r.ParseForm(); err != nil {
		s.error(w, r, errs.Errorf(errs.Invalid, "The form cannot be read."))
		return
	}
	f := r.PostForm
	num := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(f.Get(k))); return n }
	onOff := func(k string) *bool {
		switch f.Get(k) {
		case "on":
			v := true
			return &v
		case "off":
			v := false
			return &v
		}
		return nil
	}
	ps := collect.PolicySettings{NoHolidayContact: onOff("no_holiday_contact"), HolidayAction: f.Get("holiday_action"),
		VisitAdvanceNotice: onOff("visit_advance_notice"), VisitNoticeHours: num("visit_notice_hours"),
		UKVisitNoticeDays: num("uk_visit_notice_days"), QuietStart: strings.TrimSpace(f.Get("quiet_start")),
		QuietEnd: strings.TrimSpace(f.Get("quiet_end")), MaxConnected: num("max_connected_calls_per_day"),
		MaxUnanswered: num("max_unanswered_per_number_per_day"), MaxCalls7: num("max_calls_per_7_days"),
		LostContactAttempts: num("lost_contact_attempts")}
	err := s.svc.SavePolicy(r.Context(), actorOf(r), j, ps)
	if err == nil && f.Get("activate") == "on" {
		err = s.svc.ActivateProfile(r.Context(), actorOf(r), j)
	}
	if errs.CodeOf(err) == errs.Invalid {
		s.compliancePolicy(w, r, http.StatusUnprocessableEntity, err)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/compliance/policy", http.StatusSeeOther)
}

// handleComplianceCalendar handles "GET /compliance/calendar?year=2026".
func (s *Server) handleComplianceCalendar(w http.ResponseWriter, r *http.Request) {
	s.complianceCalendar(w, r, http.StatusOK, "", nil)
}

func (s *Server) complianceCalendar(w http.ResponseWriter, r *http.Request, status int, text string, failure error) {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	if v := r.PathValue("year"); v != "" {
		year, _ = strconv.Atoi(v)
	}
	if year == 0 {
		year = s.now().In(s.zone()).Year()
	}
	cal, edited, err := s.svc.HolidayCalendar(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	days := cal.Year(year)
	if text == "" {
		text = calendarCSV(days)
	}
	data := map[string]any{"Year": year, "Days": days, "Edited": edited, "Years": cal.Years(), "CSV": text,
		"Covered": cal.Covers(year), "Prev": year - 1, "Next": year + 1}
	if failure != nil {
		data["Error"], data["Fields"] = errs.MessageOf(failure), errs.FieldsOf(failure)
	}
	s.render(w, r, status, "compliance_calendar.html", data)
}

// calendarCSV is the editable form of a year: one "date,kind,name_zh,name_en"
// row per day.
func calendarCSV(days []calendar.Day) string {
	var b strings.Builder
	cw := csv.NewWriter(&b)
	for _, d := range days {
		_ = cw.Write([]string{d.Date.String(), string(d.Kind), d.Name.ZH, d.Name.EN})
	}
	cw.Flush()
	return b.String()
}

// handleComplianceCalendarUpdate handles "POST /compliance/calendar/{year}":
// the year's rows as CSV (date,kind,name_zh,name_en), validated row by
// row; an empty text restores the built-in year.
func (s *Server) handleComplianceCalendarUpdate(w http.ResponseWriter, r *http.Request) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		s.error(w, r, errs.Errorf(errs.NotFound, "Not found."))
		return
	}
	text := r.PostFormValue("days")
	entries, err := parseCalendarCSV(text)
	if err == nil {
		err = s.svc.ReplaceCalendarYear(r.Context(), actorOf(r), year, entries)
	}
	if errs.CodeOf(err) == errs.Invalid {
		s.complianceCalendar(w, r, http.StatusUnprocessableEntity, text, err)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/compliance/calendar?year="+strconv.Itoa(year), http.StatusSeeOther)
}

// parseCalendarCSV reads "date,kind,name_zh,name_en" rows; a header row
// and blank lines are skipped. Line numbers are kept for the errors.
func parseCalendarCSV(text string) ([]calendar.Entry, error) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var out []calendar.Entry
	for {
		rec, err := cr.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, errs.Field("days", "%v", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" || rec[0] == "date" {
			continue
		}
		if len(rec) != 4 {
			return nil, errs.Fields("The holiday calendar has errors.", errs.FieldError{Row: line, Field: "days",
				Message: fmt.Sprintf("want 4 fields (date,kind,name_zh,name_en), got %d", len(rec))})
		}
		out = append(out, calendar.Entry{Line: line, Date: rec[0], Kind: rec[1], NameZH: rec[2], NameEN: rec[3]})
	}
}

// handleComplianceExport handles "GET /compliance/export?from=&to=&format=csv|xlsx":
// every contact attempt of the period with its decision and rules, for a
// regulator. It streams; an error after the first byte ends the download.
func (s *Server) handleComplianceExport(w http.ResponseWriter, r *http.Request) {
	from, to, err := s.compliancePeriod(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	types := map[string]string{"csv": "text/csv; charset=utf-8",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	ct, ok := types[format]
	if !ok {
		s.error(w, r, errs.Field("format", "%q is not csv or xlsx", format))
		return
	}
	name := fmt.Sprintf("contacts_%s_%s.%s", date.FromTime(from.In(s.zone())), date.FromTime(to.In(s.zone())).AddDays(-1), format)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", "attachment; filename="+url.PathEscape(name))
	sw := &exportWriter{w: w}
	if err := s.svc.ExportContacts(r.Context(), actorOf(r), from, to, format, sw); err != nil {
		if !sw.started {
			w.Header().Del("Content-Disposition")
			s.error(w, r, err)
			return
		}
		s.logError("export", err)
	}
}

// exportWriter reports whether anything was written, so that an error before
// the first byte can still become a proper error response.
type exportWriter struct {
	w       http.ResponseWriter
	started bool
}

func (l *exportWriter) Write(p []byte) (int, error) {
	l.started = true
	return l.w.Write(p)
}

func ruleKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
