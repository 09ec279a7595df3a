package model

import (
	"encoding/csv"
	"io"
	"strconv"

	"accord/internal/csvsafe"
	"accord/internal/errs"
)

// ScoreOptions shape the output of ScoreCSV.
type ScoreOptions struct {
	Reasons int    // reason columns per row (0: none)
	Lang    string // language of the reasons: "zh" (default) or "en"
}

// ScoreCSV reads a table with a header from r, one record at a time, and
// writes one line per data row to w: row (1-based), score (probability of
// the positive value), points for a scorecard, then reason1..reasonN. It
// returns the number of rows scored.
func (m *Model) ScoreCSV(r io.Reader, w io.Writer, opt ScoreOptions) (int, error) {
	if opt.Reasons < 0 {
		return 0, errs.Field("--reasons", "must be zero or more")
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return 0, errs.Field("--csv", "the file is empty: a header row is needed")
	}
	if err != nil {
		return 0, csvError(err)
	}
	sc, err := m.NewScorer(header)
	if err != nil {
		return 0, err
	}
	out := csvsafe.NewWriter(w)
	head := []string{"row", "score"}
	if m.Kind == Scorecard {
		head = append(head, "points")
	}
	for k := 1; k <= opt.Reasons; k++ {
		head = append(head, "reason"+strconv.Itoa(k))
	}
	if err := out.Write(head); err != nil {
		return 0, err
	}
	line := make([]string, len(head))
	n := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, csvError(err)
		}
		n++
		res := sc.Score(rec, opt.Reasons)
		line = line[:0]
		line = append(line, strconv.Itoa(n), strconv.FormatFloat(res.Probability, 'g', -1, 64))
		if m.Kind == Scorecard {
			line = append(line, strconv.FormatFloat(res.Points, 'f', 2, 64))
		}
		for k := 0; k < opt.Reasons; k++ {
			text := ""
			if k < len(res.Reasons) {
				text = res.Reasons[k].Text(opt.Lang)
			}
			line = append(line, text)
		}
		if err := out.Write(line); err != nil {
			return n, err
		}
	}
	out.Flush()
	return n, out.Error()
}
