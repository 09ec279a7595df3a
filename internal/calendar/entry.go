package calendar

import (
	"fmt"
	"strings"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
)

// Entry is one row of calendar data as an admin edits it, the store keeps it
// or the CSV file holds it: every field is text until Validate has checked
// it. Line is the row's 1-based line or row number, used in error messages;
// when it is 0 the entry's 1-based position in the slice is used instead.
type Entry struct {
	Line   int    `json:"line,omitempty"`
	Date   string `json:"date"`    // 2026-02-15
	Kind   string `json:"kind"`    // holiday or adjusted_workday
	NameZH string `json:"name_zh"` // 春节
	NameEN string `json:"name_en"` // Spring Festival
}

// Validate checks entries and returns an Invalid error listing every fault
// with its row and field (errs.FieldsOf), or nil. A date must be of the form
// YYYY-MM-DD, the kind must be holiday or adjusted_workday, both names are
// required, a date may appear only once (a day cannot be both a holiday and
// a working day), and an adjusted working day must be a Saturday or Sunday.
func Validate(entries []Entry) error {
	_, err := Parse(entries)
	return err
}

// Parse validates entries (see Validate) and builds a Calendar from them.
func Parse(entries []Entry) (*Calendar, error) {
	c := &Calendar{days: make(map[date.Date]Day, len(entries)), years: make(map[int]bool)}
	seenAt := make(map[date.Date]int, len(entries))
	var bad []errs.FieldError
	for i, e := range entries {
		row := e.Line
		if row == 0 {
			row = i + 1
		}
		day, fe := e.day(row)
		if fe != nil {
			bad = append(bad, fe...)
			continue
		}
		if prev, dup := seenAt[day.Date]; dup {
			bad = append(bad, errs.FieldError{Row: row, Field: "date",
				Message: fmt.Sprintf("%s is already listed on row %d as %s; a day has one kind only.", e.Date, prev, c.days[day.Date].Kind)})
			continue
		}
		seenAt[day.Date] = row
		c.days[day.Date] = day
		y, _, _ := day.Date.Parts()
		c.years[y] = true
	}
	if len(bad) > 0 {
		return nil, errs.Fields("The holiday calendar has errors.", bad...)
	}
	return c, nil
}

// day checks one entry on its own.
func (e Entry) day(row int) (Day, []errs.FieldError) {
	var bad []errs.FieldError
	fail := func(field, format string, args ...any) {
		bad = append(bad, errs.FieldError{Row: row, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	d, err := date.Parse(strings.TrimSpace(e.Date))
	if err != nil {
		fail("date", "%q is not a date of the form YYYY-MM-DD.", e.Date)
	}
	kind := DayKind(strings.TrimSpace(e.Kind))
	switch kind {
	case Holiday:
	case AdjustedWorkday:
		if wd := d.Weekday(); err == nil && wd != time.Saturday && wd != time.Sunday {
			fail("kind", "%s is a %s; an adjusted working day must be a Saturday or Sunday.", e.Date, wd)
		}
	default:
		fail("kind", "%q is not a kind; use holiday or adjusted_workday.", e.Kind)
	}
	name := Name{ZH: strings.TrimSpace(e.NameZH), EN: strings.TrimSpace(e.NameEN)}
	if name.ZH == "" {
		fail("name_zh", "The Chinese name is required.")
	}
	if name.EN == "" {
		fail("name_en", "The English name is required.")
	}
	return Day{Date: d, Kind: kind, Name: name}, bad
}
