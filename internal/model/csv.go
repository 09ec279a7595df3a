package model

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"accord/internal/errs"
)

// MaxLevels is the most distinct training levels a categorical column may
// have; a column with more is not used as a feature (an identifier, a free
// text).
const MaxLevels = 100

// maxDict bounds the distinct values kept while reading a column that may
// still turn out categorical.
const maxDict = 1000

// ReadOptions say how to read a training table.
type ReadOptions struct {
	Target   string   // the target column (required)
	Positive string   // its positive value (required)
	Split    string   // optional split column: rows whose value is "train" train
	Ignore   []string // columns that are not features
}

// ReadCSV reads a comma-separated table with a header row, one record at a
// time, into a Dataset. A column is numeric when every non-empty value on a
// training row parses as a number; on other rows a value that does not
// parse is then missing. The target and split columns are never features.
// Without a split column, HoldOut chooses the test rows. Errors are Invalid
// and name the flag, column or data row (1-based, the header not counted).
func ReadCSV(r io.Reader, opt ReadOptions) (*Dataset, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errs.Field("--csv", "the file is empty: a header row is needed")
	}
	if err != nil {
		return nil, csvError(err)
	}
	header = trimAll(append([]string(nil), header...))
	opt.Target, opt.Positive, opt.Split = strings.TrimSpace(opt.Target), strings.TrimSpace(opt.Positive), strings.TrimSpace(opt.Split)
	pos := map[string]int{}
	for i, h := range header {
		if _, dup := pos[h]; dup {
			return nil, errs.Field("--csv", "column %q appears twice in the header", h)
		}
		pos[h] = i
	}
	ti, ok := pos[opt.Target]
	if !ok || opt.Target == "" {
		return nil, errs.Field("--target", "column %q is not in the header (%s)", opt.Target, strings.Join(header, ", "))
	}
	if opt.Positive == "" {
		return nil, errs.Field("--positive", "give the target value that counts as positive")
	}
	si := -1
	if opt.Split != "" {
		if si, ok = pos[opt.Split]; !ok {
			return nil, errs.Field("--split-column", "column %q is not in the header", opt.Split)
		}
		if si == ti {
			return nil, errs.Field("--split-column", "the split column cannot be the target")
		}
	}
	skip := map[int]bool{ti: true}
	if si >= 0 {
		skip[si] = true
	}
	for _, name := range opt.Ignore {
		i, ok := pos[name]
		if !ok {
			return nil, errs.Field("--ignore", "column %q is not in the header", name)
		}
		skip[i] = true
	}
	var builders []*colBuilder
	var at []int
	for i, h := range header {
		if !skip[i] {
			builders = append(builders, newColBuilder(h))
			at = append(at, i)
		}
	}
	ds := &Dataset{Target: opt.Target, Positive: opt.Positive}
	negative := ""
	var nTrainPos, nTrainNeg int
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		t := strings.TrimSpace(rec[ti])
		y := t == opt.Positive
		if !y {
			if t == "" {
				return nil, errs.Fields("Invalid target value.", errs.FieldError{Row: row, Field: opt.Target, Message: "empty"})
			}
			if negative == "" {
				negative = t
			}
			if t != negative {
				return nil, errs.Fields("Invalid target value.", errs.FieldError{Row: row, Field: opt.Target,
					Message: fmt.Sprintf("%q is neither the positive value %q nor the other value %q", t, opt.Positive, negative)})
			}
		}
		train := !HoldOut(row)
		if si >= 0 {
			train = strings.EqualFold(strings.TrimSpace(rec[si]), "train")
		}
		if train && y {
			nTrainPos++
		} else if train {
			nTrainNeg++
		}
		ds.Y = append(ds.Y, y)
		ds.Train = append(ds.Train, train)
		for k, b := range builders {
			b.add(rec[at[k]], train)
		}
	}
	switch {
	case nTrainPos+nTrainNeg == 0 && si >= 0:
		return nil, errs.Field("--split-column", "no row of column %q has the value train", opt.Split)
	case nTrainPos+nTrainNeg == 0:
		return nil, errs.Field("--csv", "the file has no data rows")
	case nTrainPos == 0:
		return nil, errs.Field("--positive", "no training row has %s = %q", opt.Target, opt.Positive)
	case nTrainNeg == 0:
		return nil, errs.Field("--target", "every training row has %s = %q: a second value is needed", opt.Target, opt.Positive)
	}
	for _, b := range builders {
		ds.Columns = append(ds.Columns, b.column())
	}
	return ds, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errs.Fields("Unreadable CSV.", errs.FieldError{Field: "--csv",
			Message: fmt.Sprintf("line %d: %v", pe.Line, pe.Err)})
	}
	return errs.Field("--csv", "%v", err)
}

// trimAll trims the cells of a header, and the byte order mark that
// spreadsheet programs put at the start of a UTF-8 file.
func trimAll(s []string) []string {
	for i := range s {
		if i == 0 {
			s[i] = strings.TrimPrefix(s[i], "\ufeff")
		}
		s[i] = strings.TrimSpace(s[i])
	}
	return s
}

// colBuilder collects one column both as numbers (while every training
// value parses) and as levels (while there are few enough), and decides
// which it is at the end.
type colBuilder struct {
	name   string
	num    []float64
	numOK  bool
	codes  []int32
	dict   map[string]int32
	levels []string
	dictOK bool
}

func newColBuilder(name string) *colBuilder {
	return &colBuilder{name: name, numOK: true, dictOK: true, dict: map[string]int32{}}
}

func (b *colBuilder) add(raw string, train bool) {
	s := strings.TrimSpace(raw)
	if b.numOK {
		f, ok := parseNum(s)
		if !ok && train {
			b.numOK, b.num = false, nil
		} else {
			b.num = append(b.num, f)
		}
	}
	if b.dictOK {
		if s == "" {
			s = Missing
		}
		k, ok := b.dict[s]
		if !ok {
			if len(b.levels) == maxDict {
				b.dictOK, b.dict, b.levels, b.codes = false, nil, nil, nil
				return
			}
			k = int32(len(b.levels))
			b.dict[s] = k
			b.levels = append(b.levels, s)
		}
		b.codes = append(b.codes, k)
	}
}

func (b *colBuilder) column() *Column {
	switch {
	case b.numOK:
		return &Column{Name: b.name, Numeric: true, Num: b.num}
	case b.dictOK:
		return &Column{Name: b.name, Codes: b.codes, Levels: b.levels}
	default:
		return &Column{Name: b.name, Skip: fmt.Sprintf("not numeric and more than %d distinct values", maxDict)}
	}
}
