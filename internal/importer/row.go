package importer

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govalues/decimal"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/pii"
)

// rowField is the Field of an error about a whole row rather than one column:
// a line that is not valid JSON, a CSV row with too many values.
const rowField = "(row)"

// cell is one value of a row: text, or a JSON array for a list column.
type cell struct {
	text   string
	list   []string
	isList bool
}

// record holds the cells of one row by column name; a missing column is an
// empty cell.
type record map[string]cell

// row is one data row being read: its line, its cells and what is wrong
// with it. The methods that read a cell record a problem with it and return
// the zero value (or the default) instead of failing, so that one pass
// reports every problem on the row. Each column gets at most one error: the
// first found.
type row struct {
	line int
	rec  record
	errs []errs.FieldError
}

func (r *row) bad(col, format string, args ...any) {
	if !r.failed(col) {
		r.errs = append(r.errs, errs.FieldError{Field: col, Message: fmt.Sprintf(format, args...)})
	}
}

func (r *row) failed(col string) bool {
	for _, f := range r.errs {
		if f.Field == col {
			return true
		}
	}
	return false
}

func (r *row) ok() bool { return len(r.errs) == 0 }

// str returns the text of col with surrounding space trimmed, or "" when it
// is empty or not clean text.
func (r *row) str(col string) string {
	s := strings.TrimSpace(r.rec[col].text)
	if !r.clean(col, s) {
		return ""
	}
	return s
}

// clean reports whether s is valid UTF-8 without control characters other
// than tab and line breaks, recording the problem if not. Both would be
// rejected by PostgreSQL or garble a screen.
func (r *row) clean(col, s string) bool {
	if !utf8.ValidString(s) {
		r.bad(col, "is not valid UTF-8 text; save the file as UTF-8 (in Excel: CSV UTF-8)")
		return false
	}
	if strings.ContainsFunc(s, func(c rune) bool { return (c < ' ' && c != '\t' && c != '\n' && c != '\r') || c == 0x7f }) {
		r.bad(col, "contains a control character")
		return false
	}
	return true
}

// id returns an external id: required elsewhere, at most 100 characters.
func (r *row) id(col string) string {
	s := r.str(col)
	if utf8.RuneCountInString(s) > 100 {
		r.bad(col, "must be at most 100 characters")
	}
	return s
}

// lower returns the text of col in lower case.
func (r *row) lower(col string) string { return strings.ToLower(r.str(col)) }

// list returns the values of a list column: the JSON array's elements or
// the ";"-separated parts of the text, trimmed, without empty ones.
func (r *row) list(col string) []string {
	c := r.rec[col]
	parts := c.list
	if !c.isList {
		parts = strings.Split(c.text, ";")
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" && r.clean(col, p) {
			out = append(out, p)
		}
	}
	return out
}

// amount returns col as a sum in yuan ("8000.00"), or def when it is empty.
func (r *row) amount(col string, def money.Amount) money.Amount {
	s := r.str(col)
	if s == "" {
		return def
	}
	a, err := money.Parse(s)
	if err != nil {
		r.bad(col, "must be an amount in yuan with at most two decimal places, such as 8000.00")
		return def
	}
	return a
}

// rate returns col as a decimal fraction, or def when it is empty; example
// shows a valid value in the message.
func (r *row) rate(col string, def decimal.Decimal, example string) decimal.Decimal {
	s := r.str(col)
	if s == "" {
		return def
	}
	d, err := decimal.Parse(s)
	if err != nil {
		r.bad(col, "must be a decimal fraction such as %s", example)
		return def
	}
	return d
}

// integer returns col as a whole number, 0 when it is empty.
func (r *row) integer(col string) int {
	s := r.str(col)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		r.bad(col, "must be a whole number such as 12")
		return 0
	}
	return n
}

// Dates and times must fall in these years: outside them a value is a typo,
// and 1969-12-31 would read as date.Date's "no date".
const minYear, maxYear = 1970, 2099

// date returns col as a calendar date, YYYY-MM-DD or, as Excel writes it in
// Chinese locales, YYYY/M/D. An empty cell is the zero Date.
func (r *row) date(col string) date.Date {
	s := r.str(col)
	if s == "" {
		return 0
	}
	t, err := time.Parse(date.Layout, s)
	if err != nil {
		t, err = time.Parse("2006/1/2", s)
	}
	if err != nil {
		r.bad(col, "must be a date YYYY-MM-DD")
		return 0
	}
	if t.Year() < minYear || t.Year() > maxYear {
		r.bad(col, "must be a date between %d and %d", minYear, maxYear)
		return 0
	}
	return date.FromTime(t)
}

// chinaTime is China Standard Time, in which Asia/Shanghai has kept its
// clocks since 1991; a fixed zone needs no time zone database.
var chinaTime = time.FixedZone("CST", 8*3600)

// instant returns col as a time in UTC: RFC 3339 (2025-01-15T09:30:00+08:00)
// or "2025-01-15 09:30:00" in China Standard Time. An empty cell is the zero
// time.
func (r *row) instant(col string) time.Time {
	s := r.str(col)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t, err = time.ParseInLocation(time.DateTime, s, chinaTime)
	}
	if err != nil {
		r.bad(col, "must be a time such as 2025-01-15T09:30:00+08:00 or 2025-01-15 09:30:00 (China time)")
		return time.Time{}
	}
	if t.Year() < minYear || t.Year() > maxYear {
		r.bad(col, "must be a time between %d and %d", minYear, maxYear)
		return time.Time{}
	}
	return t.UTC()
}

// coordinate returns col as a finite number within ±limit, and whether the
// cell held one.
func (r *row) coordinate(col string, limit float64) (float64, bool) {
	s := r.str(col)
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > limit {
		r.bad(col, "must be a number between -%g and %g", limit, limit)
		return 0, false
	}
	return f, true
}

// phone normalises a phone number to E.164: spaces and hyphens are dropped,
// a leading 00 becomes +, and an 11-digit mainland mobile (13800138000) gets
// +86. It records an error on col when the result is not a valid number.
func (r *row) phone(col, s string) string {
	n := phoneSeparators.Replace(s)
	if rest, ok := strings.CutPrefix(n, "00"); ok {
		n = "+" + rest
	}
	if len(n) == 11 && n[0] == '1' && digits(n) {
		n = "+86" + n
	}
	if !borrower.ValidPhone(n) {
		// The value is named masked: import reports are shown and kept.
		r.bad(col, "%q is not a phone number in E.164 form such as +8613800138000, or an 11-digit mainland mobile such as 13800138000", pii.MaskPhone(n))
		return ""
	}
	return n
}

var phoneSeparators = strings.NewReplacer(" ", "", "-", "")

// token reports whether s is a lower-case code such as bank_transfer.
var token = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`).MatchString

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// merge records the field errors of a domain Validate error on the columns
// they name: rename maps a field name to a column where they differ, and an
// index such as "phones[1]" is dropped. A column that already has an error
// keeps it.
func (r *row) merge(err error, rename map[string]string) {
	for _, f := range errs.FieldsOf(err) {
		col, _, _ := strings.Cut(f.Field, "[")
		if c, ok := rename[col]; ok {
			col = c
		}
		r.bad(col, "%s", f.Message)
	}
	if err != nil && len(errs.FieldsOf(err)) == 0 {
		r.bad(rowField, "%s", errs.MessageOf(err))
	}
}
