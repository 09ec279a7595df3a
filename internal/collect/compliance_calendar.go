package collect

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"accord/internal/calendar"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// HolidayCalendar returns the holiday calendar the governor applies: the
// one built into the binary with the years admins edited replaced, and
// those edited years.
func (s *Service) HolidayCalendar(ctx context.Context) (*calendar.Calendar, []int, error) {
	var cal *calendar.Calendar
	var edited []int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if cal, err = tenantCalendar(ctx, tx); err != nil {
			return err
		}
		days, err := tx.CalendarDays(ctx)
		for _, d := range days {
			if y, _, _ := d.Date.Parts(); len(edited) == 0 || edited[len(edited)-1] != y {
				edited = append(edited, y)
			}
		}
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load holiday calendar: %w", err)
	}
	return cal, edited, nil
}

// ReplaceCalendarYear makes entries the holidays and adjusted working days
// of year, replacing the built-in data or an earlier edit; no entries
// restores the built-in year. Entries are validated as calendar.Validate
// does (dates, kinds, both names, no date twice, adjusted working days on
// weekends) and must all fall in year; it returns an Invalid error naming
// each bad row. It returns Forbidden unless by is an admin or compliance
// officer. The change is audited with the days before and after.
func (s *Service) ReplaceCalendarYear(ctx context.Context, by Actor, year int, entries []calendar.Entry) error {
	if err := mayEditPolicy(by); err != nil {
		return err
	}
	if year < 2000 || year > 2100 {
		return errs.Field("year", "%d is not a year between 2000 and 2100", year)
	}
	parsed, err := calendar.Parse(entries)
	if err != nil {
		return err
	}
	days := parsed.Days()
	var bad []errs.FieldError
	for i, e := range entries {
		row := e.Line
		if row == 0 {
			row = i + 1
		}
		if d, err := date.Parse(strings.TrimSpace(e.Date)); err == nil {
			if y, _, _ := d.Parts(); y != year {
				bad = append(bad, errs.FieldError{Row: row, Field: "date", Message: fmt.Sprintf("%s is not in %d.", e.Date, year)})
			}
		}
	}
	if len(bad) > 0 {
		return errs.Fields("The holiday calendar has errors.", bad...)
	}
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		before, err := tenantCalendar(ctx, tx)
		if err != nil {
			return err
		}
		if err := tx.ReplaceCalendarYear(ctx, year, days, by.User.Username); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "compliance.calendar.update", "calendar", strconv.Itoa(year),
			map[string]any{"before": before.Year(year), "after": days}))
	})
}
