// Package date is a calendar date without a time or a zone: a due date, a
// business date, the as-of date of a nightly run. Using instants at midnight
// for these invites off-by-one-day bugs across time zones, so Accord never does.
package date

import (
	"database/sql/driver"
	"fmt"
	"time"

	"accord/internal/errs"
)

// Date is a proleptic Gregorian calendar date, stored as the number of days
// since 0001-01-01 plus one, so that the zero Date means "no date" and every
// real date (1969-12-31 included) is non-zero.
type Date int32

// epoch is the Date of 1970-01-01.
const epoch = 719163

// Layout is the ISO 8601 form Accord reads and writes: 2026-01-15.
const Layout = "2006-01-02"

// Of returns the date y-m-d, normalising out-of-range values as time.Date does.
func Of(y int, m time.Month, d int) Date {
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400 + epoch)
}

// FromTime returns the calendar date of t in t's own location.
func FromTime(t time.Time) Date {
	y, m, d := t.Date()
	return Of(y, m, d)
}

// Parse reads a date in the form 2026-01-15. It returns an Invalid error for
// anything else.
func Parse(s string) (Date, error) {
	d, ok := parseISO(s)
	if !ok {
		return 0, errs.Errorf(errs.Invalid, "%q is not a date of the form YYYY-MM-DD.", s)
	}
	return d, nil
}

// parseISO reads exactly what time.Parse(Layout, s) accepts — four digits,
// a dash, a month 01–12, a dash, a day that exists in that month — without
// going through a time.Time: every date a night reads from the database is
// parsed here (about half a second of CPU a night on the 1M-loan book with
// time.Parse).
func parseISO(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, okY := digits(s[0:4])
	m, okM := digits(s[5:7])
	d, okD := digits(s[8:10])
	if !okY || !okM || !okD || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return civil(y, m, d), true
}

// digits reads a string of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn returns the number of days of month m (1–12) of year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civil returns the Date of a valid y-m-d (years 0–9999) by the
// days-from-civil algorithm of H. Hinnant (days since 1970-01-01 of the
// proleptic Gregorian calendar), without time.Date's normalising.
func civil(y, m, d int) Date {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := m - 3
	if m <= 2 {
		mp = m + 9
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(era*146097 + doe - 719468 + epoch)
}

// MustParse is Parse for tests and constants; it panics on a bad date.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == 0 }

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time { return time.Unix(int64(d-epoch)*86400, 0).UTC() }

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	y, m, dd := d.Parts()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Parts returns the year, month and day of d.
func (d Date) Parts() (int, time.Month, int) { return d.Time().Date() }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return time.Weekday((int64(d-epoch)%7 + 7 + 4) % 7) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// Sub returns the number of days from e to d (d − e).
func (d Date) Sub(e Date) int { return int(d - e) }

// AddMonthsClamped returns the date n months after d on the same day of the
// month, or on the month's last day when it is shorter: Jan 31 + 1 month is
// Feb 28 (Feb 29 in a leap year).
func (d Date) AddMonthsClamped(n int) Date {
	y, m, dd := d.Parts()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if dd > last {
		dd = last
	}
	return Of(first.Year(), first.Month(), dd)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d < e }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d > e }

// String returns d as 2026-01-15, or "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return d.Time().Format(Layout)
}

// MarshalText writes d as 2026-01-15.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads 2026-01-15; an empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores d as text (2026-01-15), which both SQLite and PostgreSQL's
// date type accept; the zero Date is NULL.
func (d Date) Value() (driver.Value, error) {
	if d == 0 {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date stored as text or as a time (PostgreSQL's date type).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = 0
	case time.Time:
		*d = Of(v.Year(), v.Month(), v.Day())
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10] // SQLite may hand back "2026-01-15T00:00:00Z"
	}
	v, err := Parse(s)
	if err != nil {
		return fmt.Errorf("date: scan %q: %w", s, err)
	}
	*d = v
	return nil
}
