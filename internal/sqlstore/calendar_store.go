package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/calendar"
	"accord/internal/errs"
)

// CalendarDays returns the holiday calendar as admins edited it: the
// holidays and adjusted working days of every year stored, in date order.
// A year stored here replaces that year of the calendar built into the
// binary (calendar.Default); see collect's calendar use cases.
func (tx *Tx) CalendarDays(ctx context.Context) ([]calendar.Day, error) {
	rows, err := tx.query(ctx, "SELECT on_date, kind, name_zh, name_en FROM calendar_days ORDER BY on_date")
	if err != nil {
		return nil, fmt.Errorf("list calendar days: %w", err)
	}
	defer rows.Close()
	var out []calendar.Day
	for rows.Next() {
		var (
			d    calendar.Day
			kind string
		)
		if err := rows.Scan(&d.Date, &kind, &d.Name.ZH, &d.Name.EN); err != nil {
			return nil, fmt.Errorf("scan calendar day: %w", err)
		}
		d.Kind = calendar.DayKind(kind)
		out = append(out, d)
	}
	return out, interpretError(rows.Err())
}

// ReplaceCalendarYear stores days as the whole of year's holidays and
// adjusted working days, replacing what was stored for it; with no days
// the year reverts to the built-in calendar. by names the admin. Every day
// must fall in year (an Invalid error otherwise); validate them with
// calendar.New first.
func (tx *Tx) ReplaceCalendarYear(ctx context.Context, year int, days []calendar.Day, by string) error {
	for _, d := range days {
		if y, _, _ := d.Date.Parts(); y != year {
			return errs.Field("date", "%s is not in %d", d.Date, year)
		}
	}
	if _, err := tx.exec(ctx, "DELETE FROM calendar_days WHERE year = ?", year); err != nil {
		return fmt.Errorf("replace calendar %d: %w", year, err)
	}
	if len(days) == 0 {
		return nil
	}
	args := make([]any, 0, 7*len(days))
	for _, d := range days {
		args = append(args, d.Date, year, string(d.Kind), d.Name.ZH, d.Name.EN, ts(tx.now), by)
	}
	_, err := tx.exec(ctx, "INSERT INTO calendar_days (on_date, year, kind, name_zh, name_en, updated_at, updated_by) VALUES "+
		rowsOf(len(days), 7), args...)
	if err != nil {
		return fmt.Errorf("replace calendar %d: %w", year, conflict(err, "A day is listed twice in %d.", year))
	}
	return nil
}
