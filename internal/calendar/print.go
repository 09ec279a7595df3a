package calendar

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
)

// Summary counts the kinds of day in a year.
type Summary struct {
	Holidays         int `json:"holidays"`
	AdjustedWorkdays int `json:"adjusted_workdays"`
	WorkingDays      int `json:"working_days"` // including adjusted working days
	WeekendDays      int `json:"weekend_days"` // weekend dates that are neither holiday nor worked
	Days             int `json:"days"`
}

// Summarize counts the kinds of day in year y.
func (c *Calendar) Summarize(y int) Summary {
	var s Summary
	for d := date.Of(y, time.January, 1); d < date.Of(y+1, time.January, 1); d = d.AddDays(1) {
		s.Days++
		switch c.Kind(d) {
		case Holiday:
			s.Holidays++
		case AdjustedWorkday:
			s.AdjustedWorkdays++
			s.WorkingDays++
		case WorkingDay:
			s.WorkingDays++
		case Weekend:
			s.WeekendDays++
		}
	}
	return s
}

// Print writes year y of cal for the `accord calendar --year 2026` command:
// a table of holiday periods and adjusted working days with a summary, or,
// when asJSON is set, {"year":2026,"days":[…],"summary":{…}} with one entry
// per listed date. It returns a NotFound error when cal does not cover y.
func Print(w io.Writer, cal *Calendar, y int, asJSON bool) error {
	if !cal.Covers(y) {
		return errs.Errorf(errs.NotFound, "The holiday calendar has no data for %d (it covers %v).", y, cal.Years())
	}
	days, sum := cal.Year(y), cal.Summarize(y)
	if asJSON {
		type jsonDay struct {
			Day
			Weekday string `json:"weekday"`
		}
		out := struct {
			Year    int       `json:"year"`
			Days    []jsonDay `json:"days"`
			Summary Summary   `json:"summary"`
		}{Year: y, Days: make([]jsonDay, len(days)), Summary: sum}
		for i, d := range days {
			out.Days[i] = jsonDay{Day: d, Weekday: d.Date.Weekday().String()[:3]}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%d 年法定节假日与调休上班日 / Statutory holidays and adjusted working days, %d\n\n", y, y)
	fmt.Fprintln(tw, "Dates\tDays\tKind\tName (放假 holiday, 调休上班 adjusted working day)")
	for _, p := range periods(days) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s / %s\n", p.dates(), p.weekdays(), p.kind(), p.first.Name.ZH, p.first.Name.EN)
	}
	fmt.Fprintf(tw, "\nHolidays %d · adjusted working days %d · working days %d · weekend days %d · %d days\n",
		sum.Holidays, sum.AdjustedWorkdays, sum.WorkingDays, sum.WeekendDays, sum.Days)
	return tw.Flush()
}

// period is a run of consecutive days with the same kind and name.
type period struct {
	first, last Day
}

func periods(days []Day) []period {
	var ps []period
	for _, d := range days {
		if n := len(ps); n > 0 && ps[n-1].last.Date.AddDays(1) == d.Date && ps[n-1].last.Kind == d.Kind && ps[n-1].last.Name == d.Name {
			ps[n-1].last = d
			continue
		}
		ps = append(ps, period{first: d, last: d})
	}
	return ps
}

func (p period) dates() string {
	if p.first.Date == p.last.Date {
		return p.first.Date.String()
	}
	return p.first.Date.String() + " – " + p.last.Date.String()
}

func (p period) weekdays() string {
	a := p.first.Date.Weekday().String()[:3]
	if p.first.Date == p.last.Date {
		return a
	}
	return a + "–" + p.last.Date.Weekday().String()[:3]
}

func (p period) kind() string {
	n := p.last.Date.Sub(p.first.Date) + 1
	if p.first.Kind == AdjustedWorkday {
		return "adjusted working day"
	}
	if n == 1 {
		return "holiday, 1 day"
	}
	return fmt.Sprintf("holiday, %d days", n)
}
