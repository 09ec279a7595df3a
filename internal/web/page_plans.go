package web

import (
	"context"
	"maps"
	"net/http"
	"time"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// planLine is one plan on the plan book, evaluated as of today.
type planLine struct {
	Row        sqlstore.PlanRow
	State      plan.State
	NextAmount money.Amount // what is left to pay of the instalment due on State.NextDue
}

// calDay is one day of the revisit calendar; Day is 0 for the padding
// before the month's first day.
type calDay struct {
	Day   int
	Date  date.Date
	Today bool
	Tasks []sqlstore.Task
}

// plansPage is what the plan book shows.
type plansPage struct {
	Today                 date.Date
	Active, Grace, Broken []planLine
	Month                 string // YYYY-MM
	PrevMonth, NextMonth  string
	Weeks                 [][]calDay
	Revisits              []sqlstore.Task
	Truncated             bool
}

// planBookLimit caps the plans read for the page.
const planBookLimit = 500

// handlePlans handles "GET /plans[?month=YYYY-MM]": the repayment plans in
// the user's scope, active (with the next due), in grace and broken, as of
// today, and a month calendar of the open revisit tasks.
func (s *Server) handlePlans(w http.ResponseWriter, r *http.Request) {
	today := s.svc.Today()
	y, m, _ := today.Parts()
	first := date.Of(y, m, 1)
	if v := r.URL.Query().Get("month"); v != "" {
		t, err := time.Parse("2006-01", v)
		if err != nil {
			s.error(w, r, errs.Fields("The month is not valid.", errs.FieldError{Field: "month", Message: "is not a month (YYYY-MM)"}))
			return
		}
		first = date.Of(t.Year(), t.Month(), 1)
	}
	last := first.AddMonthsClamped(1).AddDays(-1)
	pg := plansPage{Today: today, Month: first.String()[:7], PrevMonth: first.AddMonthsClamped(-1).String()[:7],
		NextMonth: first.AddMonthsClamped(1).String()[:7]}
	err := s.svc.Store().Read(r.Context(), func(tx *sqlstore.Tx) error {
		return s.readPlanBook(r.Context(), tx, actorOf(r), &pg, first, last)
	})
	if err != nil {
		s.error(w, r, err)
		return
	}
	pg.Weeks = calendarWeeks(first, last, today, pg.Revisits)
	s.render(w, r, http.StatusOK, "plans.html", map[string]any{"P": pg, "T": negLabels(langOf(r)),
		"Weekdays": weekdayLabels(langOf(r))})
}

func (s *Server) readPlanBook(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, pg *plansPage, first, last date.Date) error {
	scope, err := s.svc.ScopeIn(ctx, tx, by)
	if err != nil {
		return err
	}
	rows, err := tx.ListPlans(ctx, sqlstore.PlanFilter{Scope: &scope, Limit: planBookLimit,
		Statuses: []plan.Status{plan.Active, plan.InGrace, plan.Broken}})
	if err != nil {
		return err
	}
	pg.Truncated = len(rows) == planBookLimit
	pays, err := tx.PlanPayments(ctx, rows)
	if err != nil {
		return err
	}
	for _, row := range rows {
		st := plan.Evaluate(row.Plan, pays[row.ID], pg.Today)
		l := planLine{Row: row, State: st}
		for _, in := range st.Instalments {
			if in.Due == st.NextDue {
				l.NextAmount = in.Amount - in.Paid
			}
		}
		switch {
		case row.Status == plan.Broken || st.Status == plan.Broken:
			pg.Broken = append(pg.Broken, l)
		case st.Status == plan.InGrace:
			pg.Grace = append(pg.Grace, l)
		case st.Status == plan.Active:
			pg.Active = append(pg.Active, l)
		}
	}
	pg.Revisits, err = tx.RevisitTasks(ctx, &scope, negotiation.TaskRevisit, first, last)
	return err
}

// calendarWeeks lays the month first..last out in weeks from Monday, each
// day with its revisit tasks.
func calendarWeeks(first, last, today date.Date, tasks []sqlstore.Task) [][]calDay {
	byDay := map[date.Date][]sqlstore.Task{}
	for _, t := range tasks {
		byDay[t.DueOn] = append(byDay[t.DueOn], t)
	}
	var weeks [][]calDay
	week := make([]calDay, (int(first.Weekday())+6)%7) // Monday first
	for d := first; !d.After(last); d = d.AddDays(1) {
		_, _, n := d.Parts()
		week = append(week, calDay{Day: n, Date: d, Today: d == today, Tasks: byDay[d]})
		if len(week) == 7 {
			weeks = append(weeks, week)
			week = nil
		}
	}
	if len(week) > 0 {
		for len(week) < 7 {
			week = append(week, calDay{})
		}
		weeks = append(weeks, week)
	}
	return weeks
}

// weekdayLabels are the calendar's column heads, Monday first.
func weekdayLabels(lang string) []string {
	if lang == "en" {
		return []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	}
	return []string{"一", "二", "三", "四", "五", "六", "日"}
}

// plansNavMessages are the plan book's navigation label and the
// dashboard's plan labels; they join caseworkMessages.
var plansNavMessages = map[string][2]string{
	"nav.plans":      {"还款计划", "Repayment plans"},
	"dash.plankept":  {"还款计划履约率", "Plans kept"},
	"dash.planrec":   {"还款计划回款（按方案类型）", "Recovered through plans, by offer kind"},
	"dash.offerkind": {"方案类型", "Offer kind"},
	"dash.thismonth": {"本月", "this month"},
	"dash.todate":    {"累计", "to date"},
	"dash.noplanpay": {"尚无还款计划回款。", "Nothing paid under plans yet."},
}

func init() { maps.Copy(caseworkMessages, plansNavMessages) }
