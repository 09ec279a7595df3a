package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"accord/internal/errs"
)

// column is one column of an import kind. A list column holds several values:
// ";"-separated in CSV, an array or a ";"-separated string in JSON lines.
type column struct {
	name     string
	required bool
	list     bool
}

// spec is what the readers need to know about a kind: its columns and how
// to turn one checked row into a value on the Batch.
type spec struct {
	columns []column
	convert func(r *row, b *Batch)
}

var specs = map[Kind]spec{
	Borrowers: {borrowerColumns, convertBorrower},
	Contacts:  {contactColumns, convertContact},
	Loans:     {loanColumns, convertLoan},
	Payments:  {paymentColumns, convertPayment},
}

// lookup returns the column named name.
func (s spec) lookup(name string) (column, bool) {
	for _, c := range s.columns {
		if c.name == name {
			return c, true
		}
	}
	return column{}, false
}

func (s spec) names() string {
	var names []string
	for _, c := range s.columns {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

// collector gathers the rows of one file, checks what is common to every
// kind (required columns, duplicate external ids) and keeps the errors.
type collector struct {
	kind    Kind
	name    string
	spec    spec
	order   map[string]int // column position, for listing a row's errors in column order
	maxRows int            // MaxRows; lower in tests
	batch   Batch
	seen    map[string]int // external id → row
	rec     record         // the cells of the current row, reused
	invalid int
	fields  []errs.FieldError
}

func newCollector(kind Kind, name string, sp spec) *collector {
	c := &collector{kind: kind, name: name, spec: sp, maxRows: MaxRows, order: map[string]int{}, seen: map[string]int{}, rec: record{}}
	c.batch.Kind = kind
	for i, col := range sp.columns {
		c.order[col.name] = i + 1 // rowField sorts first, at 0
	}
	return c
}

// next starts data row line. It returns an Invalid error once the file has
// more than MaxRows rows.
func (c *collector) next(line int) (*row, error) {
	if c.batch.Rows == c.maxRows {
		return nil, errs.Errorf(errs.Invalid, "Import file %s has more than %d rows; split it into smaller files.", c.name, c.maxRows)
	}
	c.batch.Rows++
	clear(c.rec)
	return &row{line: line, rec: c.rec}, nil
}

// finish checks and converts r, unless it could not be read at all, and
// records its errors.
func (c *collector) finish(r *row) {
	if !r.failed(rowField) {
		for _, col := range c.spec.columns {
			if col.required && r.str(col.name) == "" {
				r.bad(col.name, "is required")
			}
		}
		if id := r.str("external_id"); id != "" {
			if first, dup := c.seen[id]; dup {
				r.bad("external_id", "duplicate external_id also on row %d", first)
			} else {
				c.seen[id] = r.line
			}
		}
		c.spec.convert(r, &c.batch)
	}
	if len(r.errs) == 0 {
		return
	}
	c.invalid++
	slices.SortStableFunc(r.errs, func(a, b errs.FieldError) int { return cmp.Compare(c.order[a.Field], c.order[b.Field]) })
	for _, f := range r.errs {
		if len(c.fields) < MaxErrors {
			f.Row = r.line
			c.fields = append(c.fields, f)
		}
	}
}

// err returns the Invalid error listing every invalid row, or nil.
func (c *collector) err() error {
	switch {
	case c.invalid > 0:
		msg := fmt.Sprintf("Import file %s has %d invalid %s.", c.name, c.invalid, plural(c.invalid, "row", "rows"))
		if len(c.fields) == MaxErrors {
			msg += fmt.Sprintf(" Only the first %d problems are listed.", MaxErrors)
		}
		return errs.Fields(msg, c.fields...)
	case c.batch.Rows == 0:
		return errs.Errorf(errs.Invalid, "Import file %s has no data rows.", c.name)
	}
	return nil
}

// header maps the names of a CSV header row, read from line, to columns. It returns
// an Invalid error naming every unknown, unnamed, repeated or missing column.
func (c *collector) header(line int, names []string) ([]string, error) {
	var fs []errs.FieldError
	bad := func(field, format string, args ...any) {
		fs = append(fs, errs.FieldError{Row: line, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	cols := make([]string, len(names))
	at := map[string]int{}
	for i, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		_, known := c.spec.lookup(n)
		switch first, dup := at[n]; {
		case n == "":
			bad(fmt.Sprintf("column %d", i+1), "has no name; name it or delete the column")
		case !known:
			bad(n, "is an unknown column; a %s file has the columns %s", c.kind, c.spec.names())
		case dup:
			bad(n, "appears twice, as columns %d and %d", first+1, i+1)
		}
		at[n], cols[i] = i, n
	}
	for _, col := range c.spec.columns {
		if _, ok := at[col.name]; col.required && !ok {
			bad(col.name, "is a required column and is missing")
		}
	}
	if len(fs) > 0 {
		return nil, errs.Fields(fmt.Sprintf("Import file %s has a bad header row.", c.name), fs...)
	}
	return cols, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
