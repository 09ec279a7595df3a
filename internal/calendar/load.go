package calendar

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"accord/internal/errs"
)

//go:embed data/cn.csv
var cnCSV []byte

// header is the first non-comment line of a calendar CSV file.
var header = []string{"date", "kind", "name_zh", "name_en"}

// Default returns the calendar embedded in the binary: 2025 and 2026 from the
// State Council notices (data/cn.csv). It panics if the embedded data is
// invalid, which a test rules out.
func Default() *Calendar {
	c, err := Load(bytes.NewReader(cnCSV))
	if err != nil {
		panic(fmt.Sprintf("calendar: embedded data: %v", err))
	}
	return c
}

// Load reads a calendar in CSV form: a header line "date,kind,name_zh,name_en"
// and one row per date; lines starting with # are comments. It returns an
// Invalid error naming the line of every bad row.
func Load(r io.Reader) (*Calendar, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	var entries []Entry
	sawHeader := false
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errs.Errorf(errs.Invalid, "The holiday calendar is not valid CSV: %v.", err)
		}
		line, _ := cr.FieldPos(0)
		if !sawHeader {
			if strings.Join(rec, ",") != strings.Join(header, ",") {
				return nil, errs.Field("header", "line %d is %q, want %q", line, strings.Join(rec, ","), strings.Join(header, ","))
			}
			sawHeader = true
			continue
		}
		if len(rec) != len(header) {
			return nil, errs.Fields("The holiday calendar has errors.", errs.FieldError{Row: line, Field: "row",
				Message: fmt.Sprintf("has %d fields, want %d (%s).", len(rec), len(header), strings.Join(header, ","))})
		}
		entries = append(entries, Entry{Line: line, Date: rec[0], Kind: rec[1], NameZH: rec[2], NameEN: rec[3]})
	}
	if !sawHeader {
		return nil, errs.Field("header", "the file is empty; want the header %q", strings.Join(header, ","))
	}
	return Parse(entries)
}
