package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"accord/internal/errs"
)

// readCSV reads a CSV file: a header row naming the columns, in any order,
// then one row per value. Rows whose cells are all empty are skipped, as
// spreadsheets leave them at the end of a sheet.
func readCSV(r io.Reader, c *collector) error {
	cr := csv.NewReader(&lineLimit{r: r})
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return c.err() // no rows
	}
	if err != nil {
		return c.headerError(err)
	}
	line, _ := cr.FieldPos(0)
	cols, err := c.header(line, head)
	if err != nil {
		return err
	}
	for {
		rec, err := cr.Read()
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return nil
		case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) && blank(rec):
			continue
		case errors.As(err, &pe):
			// The reader resumes on the line after a bad row, so carry on
			// and report every bad row.
			if err := c.badCSVRow(pe, len(rec), len(cols)); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		case blank(rec):
			continue
		}
		line, _ := cr.FieldPos(0)
		r, err := c.next(line)
		if err != nil {
			return err
		}
		for i, v := range rec {
			r.rec[cols[i]] = cell{text: v}
		}
		c.finish(r)
	}
}

// badCSVRow records a row the CSV reader could not read: n values where the
// header has want, or bad quoting.
func (c *collector) badCSVRow(pe *csv.ParseError, n, want int) error {
	r, err := c.next(pe.StartLine)
	if err != nil {
		return err
	}
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		r.bad(rowField, "has %d values but the header row has %d columns", n, want)
	} else {
		r.bad(rowField, "is not valid CSV: %v (a value with a comma, quote or line break must be in double quotes, with quotes inside doubled)", pe.Err)
	}
	c.finish(r)
	return nil
}

// headerError turns a parse error in the header row into an Invalid error.
func (c *collector) headerError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errs.Fields(fmt.Sprintf("Import file %s has a bad header row.", c.name),
			errs.FieldError{Row: pe.StartLine, Field: rowField, Message: "is not valid CSV: " + pe.Err.Error()})
	}
	return err
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
