package collect

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the dashboard as an Excel workbook, one sheet per
// table, headers in Chinese and English. Amounts are yuan numbers and rates
// fractions formatted as percentages, so the sheets can be charted as
// they are.
func (d Dashboard) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return err
	}
	sheets := []struct {
		name string
		rows [][]any
		pcts []string // columns holding rates
	}{
		{"迁徙率 Flow rates", d.flowRows(), pctCols(2+len(d.Buckets), len(d.Buckets)-1)},
		{"迁徙矩阵 Transitions", d.matrixRows(), nil},
		{"出催率 Cure rate", d.cureRows(), []string{"F"}},
		{"回款率 Recovery", d.recoveryRows(), []string{"E"}},
		{"催收员 Collectors", peopleRows(d.Collectors, true), []string{"K"}},
		{"委外机构 Agencies", peopleRows(d.Agencies, false), []string{"J"}},
		{"团队 Teams", peopleRows(d.Teams, false), []string{"J"}},
	}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		for r, row := range sh.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(sh.name, cell, &row); err != nil {
				return err
			}
		}
		for _, col := range sh.pcts {
			if len(sh.rows) > 1 {
				if err := f.SetCellStyle(sh.name, fmt.Sprintf("%s2", col), fmt.Sprintf("%s%d", col, len(sh.rows)), pct); err != nil {
					return err
				}
			}
		}
		_ = f.SetColWidth(sh.name, "A", "A", 16)
	}
	return f.Write(w)
}

// pctCols names n columns starting at 1-based column first.
func pctCols(first, n int) []string {
	var out []string
	for i := range n {
		name, _ := excelize.ColumnNumberToName(first + i)
		out = append(out, name)
	}
	return out
}

// yuan returns fen as a number of yuan for a spreadsheet cell.
func yuan(fen int64) float64 { return float64(fen) / 100 }

// pctCell is a rate for a cell: empty when there was nothing to divide by.
func pctCell(r float64) any {
	if r < 0 {
		return ""
	}
	return r
}

func (d Dashboard) flowRows() [][]any {
	head := []any{"月份 Month", "日期 As of"}
	for _, b := range d.Buckets {
		head = append(head, b+" 余额 balance")
	}
	for i := 0; i+1 < len(d.Buckets); i++ {
		head = append(head, d.Buckets[i]+"→"+d.Buckets[i+1])
	}
	rows := [][]any{head}
	for _, r := range d.Flow {
		row := []any{r.Month, r.AsOf.String()}
		for _, a := range r.Outstanding {
			row = append(row, yuan(int64(a)))
		}
		for _, x := range r.Rates {
			row = append(row, pctCell(x))
		}
		rows = append(rows, row)
	}
	return rows
}

func (d Dashboard) matrixRows() [][]any {
	head := []any{fmt.Sprintf("%s–%s 从\\到 from\\to", d.Matrix.From, d.Matrix.To), "月初 at start"}
	for _, b := range d.Buckets {
		head = append(head, b)
	}
	rows := [][]any{head}
	for i, b := range d.Buckets {
		row := []any{b, d.Matrix.Start[i]}
		for _, n := range d.Matrix.Cells[i] {
			row = append(row, n)
		}
		rows = append(rows, row)
	}
	return rows
}

func (d Dashboard) cureRows() [][]any {
	rows := [][]any{{"月份 Month", "月初在催 Open at start", "新增 Opened", "出催 Cured", "其他结案 Closed otherwise", "出催率 Cure rate"}}
	for _, r := range d.Cure {
		rows = append(rows, []any{r.Month, r.OpenAtStart, r.Opened, r.Cured, r.ClosedOther, pctCell(r.Rate)})
	}
	return rows
}

func (d Dashboard) recoveryRows() [][]any {
	rows := [][]any{{"账龄 Bucket", "月初逾期金额 Overdue at start", "本月回款 Collected", "笔数 Payments", "回款率 Recovery rate"}}
	for _, r := range d.Recovery {
		rows = append(rows, []any{r.Bucket, yuan(int64(r.Overdue)), yuan(int64(r.Collected)), r.Payments, pctCell(r.Rate)})
	}
	return rows
}

func peopleRows(list []CollectorRow, team bool) [][]any {
	head := []any{"ID", "名称 Name"}
	if team {
		head = append(head, "团队 Team")
	}
	head = append(head, "在催案件 Open cases", "容量 Capacity", "回款笔数 Payments", "本月回款 Collected",
		"承诺兑现 Promises kept", "部分兑现 Partly kept", "违约 Broken", "承诺兑现率 Promise-kept rate")
	rows := [][]any{head}
	for _, r := range list {
		row := []any{r.ID, r.Name}
		if team {
			row = append(row, r.Team)
		}
		p := r.Promises
		rows = append(rows, append(row, r.Open, r.Capacity, r.Payments, yuan(int64(r.Collected)), p.Kept, p.Partly, p.Broken,
			pctCell(p.Rate)))
	}
	return rows
}
