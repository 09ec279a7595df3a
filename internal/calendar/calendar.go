package calendar

import (
	"slices"
	"time"

	"accord/internal/date"
)

// DayKind classifies a date.
type DayKind string

// The kinds of day. Holiday and AdjustedWorkday come from the data; WorkingDay
// and Weekend follow from the day of the week.
const (
	WorkingDay      DayKind = "working_day"      // Monday–Friday, not a holiday
	Weekend         DayKind = "weekend"          // Saturday or Sunday, not an adjusted working day
	Holiday         DayKind = "holiday"          // 法定节假日 / 放假
	AdjustedWorkday DayKind = "adjusted_workday" // 调休上班日: a weekend date worked
)

// Name is the name of a holiday or adjusted working day in Chinese and English.
type Name struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Day is one date with its kind and, for holidays and adjusted working days,
// its name (春节 / Spring Festival).
type Day struct {
	Date date.Date `json:"date"`
	Kind DayKind   `json:"kind"`
	Name Name      `json:"name"`
}

// Calendar answers what kind of day a date is. It is immutable and safe for
// concurrent use. Build one with Parse, New, Load or Default.
type Calendar struct {
	days  map[date.Date]Day
	years map[int]bool
}

// New returns a Calendar holding days, which must all be holidays or adjusted
// working days. It returns an Invalid error naming each bad day (by its
// 1-based position) as Validate does.
func New(days []Day) (*Calendar, error) {
	entries := make([]Entry, len(days))
	for i, d := range days {
		entries[i] = Entry{Line: i + 1, Date: d.Date.String(), Kind: string(d.Kind), NameZH: d.Name.ZH, NameEN: d.Name.EN}
	}
	return Parse(entries)
}

// Kind returns the kind of d: Holiday or AdjustedWorkday when the data lists
// it, otherwise Weekend or WorkingDay by the day of the week. For a year the
// calendar does not cover the answer is the weekday rule alone; see Covers.
func (c *Calendar) Kind(d date.Date) DayKind {
	if day, ok := c.days[d]; ok {
		return day.Kind
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return Weekend
	}
	return WorkingDay
}

// Day returns d with its kind and name (empty for ordinary days).
func (c *Calendar) Day(d date.Date) Day {
	if day, ok := c.days[d]; ok {
		return day
	}
	return Day{Date: d, Kind: c.Kind(d)}
}

// IsHoliday reports whether d is a statutory holiday.
func (c *Calendar) IsHoliday(d date.Date) bool { return c.Kind(d) == Holiday }

// IsWorkingDay reports whether d is a working day: Monday to Friday outside a
// holiday, or an adjusted working day.
func (c *Calendar) IsWorkingDay(d date.Date) bool {
	k := c.Kind(d)
	return k == WorkingDay || k == AdjustedWorkday
}

// Covers reports whether the calendar holds data for year y. A year without
// data has no holidays as far as Kind can tell.
func (c *Calendar) Covers(y int) bool { return c.years[y] }

// Years returns the years the calendar covers, in order.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Year returns the holidays and adjusted working days of year y in date
// order, or nil when the calendar does not cover y. Ordinary working days and
// weekends are left out: Kind answers for those.
func (c *Calendar) Year(y int) []Day {
	var out []Day
	for d, day := range c.days {
		if yy, _, _ := d.Parts(); yy == y {
			out = append(out, day)
		}
	}
	slices.SortFunc(out, func(a, b Day) int { return int(a.Date - b.Date) })
	return out
}

// Days returns every listed day in date order, for saving to the store.
func (c *Calendar) Days() []Day {
	out := make([]Day, 0, len(c.days))
	for _, day := range c.days {
		out = append(out, day)
	}
	slices.SortFunc(out, func(a, b Day) int { return int(a.Date - b.Date) })
	return out
}
