// Package csvsafe writes CSV that a spreadsheet opens as data, never as
// formulas ("CSV injection", OWASP). Every CSV the lender's staff may open
// in Excel or WPS goes through it.
//
// A cell is neutralised by prefixing a single quote when it starts with a
// character a spreadsheet reads as the start of a formula: = + - @, a tab,
// a carriage return or a line feed, or their full-width forms (＝ ＋ － ＠),
// which Chinese input methods produce and some spreadsheets accept.
//
// One exception keeps amounts usable: a cell that is exactly a plain decimal
// number (an optional minus sign, digits, optionally a point and digits,
// such as -12.50) is left alone, whoever wrote it. Such a cell can only ever
// be read as that number, so it cannot carry a formula; prefixing it would
// turn every negative amount into text. Anything else that starts with a
// minus sign ("-1+1", "-2-3", "-cmd") is neutralised.
package csvsafe

import (
	"encoding/csv"
	"io"
	"strings"
)

// Cell returns s made safe to open in a spreadsheet.
func Cell(s string) string {
	if s == "" || plainNumber(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		return "'" + s
	}
	for _, p := range []string{"＝", "＋", "－", "＠"} {
		if strings.HasPrefix(s, p) {
			return "'" + s
		}
	}
	return s
}

// plainNumber reports whether s is -?[0-9]+(\.[0-9]+)?.
func plainNumber(s string) bool {
	if s[0] == '-' {
		s = s[1:]
	}
	whole, frac, dot := strings.Cut(s, ".")
	return digits(whole) && (!dot || digits(frac))
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Writer is a csv.Writer whose every cell goes through Cell.
type Writer struct {
	*csv.Writer
	buf []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{Writer: csv.NewWriter(w)} }

// Write writes one record with every cell neutralised; record itself is
// not changed.
func (w *Writer) Write(record []string) error {
	w.buf = w.buf[:0]
	for _, c := range record {
		w.buf = append(w.buf, Cell(c))
	}
	return w.Writer.Write(w.buf)
}

// WriteAll writes records with Write and flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, r := range records {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
