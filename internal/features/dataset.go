package features

import (
	"math"
	"strconv"

	"accord/internal/date"
	"accord/internal/model"
)

// Header returns the columns of a Record: the numeric features in order,
// then the product.
func Header() []string {
	h := make([]string, 0, NumCount+1)
	h = append(h, Names[:]...)
	return append(h, ProductName)
}

// Record returns v as the text record a model.Scorer reads, laid out as
// Header (a missing value is empty), reusing buf when it is large enough.
func (v Vector) Record(buf []string) []string {
	buf = buf[:0]
	for _, x := range v.Num {
		if math.IsNaN(x) {
			buf = append(buf, "")
		} else {
			buf = append(buf, strconv.FormatFloat(x, 'g', -1, 64))
		}
	}
	return append(buf, v.Product)
}

// Row is one training example: a borrower's features as of a date, the
// outcome that followed, and whether it trains the model (false: it is
// held out for validation).
type Row struct {
	BorrowerID int64
	AsOf       date.Date
	V          Vector
	Y          bool
	Train      bool
}

// Dataset returns rows as a model.Dataset for target t: one numeric column
// per feature and the product as a categorical column.
func Dataset(t Target, rows []Row) *model.Dataset {
	return DatasetOf(t, [][]Row{rows})
}

// DatasetOf is Dataset of the rows of parts, in order. It lets go of each
// part (parts[i] = nil) once its rows are copied, so that the rows and the
// columns of a large training set are not all held at once.
func DatasetOf(t Target, parts [][]Row) *model.Dataset {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	ds := &model.Dataset{Target: string(t), Positive: "1", Y: make([]bool, n), Train: make([]bool, n)}
	cols := make([][]float64, NumCount)
	for k := range cols {
		cols[k] = make([]float64, n)
	}
	prod := make([]string, n)
	i := 0
	for j, p := range parts {
		for _, r := range p {
			for k, x := range r.V.Num {
				cols[k][i] = x
			}
			prod[i], ds.Y[i], ds.Train[i] = r.V.Product, r.Y, r.Train
			i++
		}
		parts[j] = nil
	}
	for k, name := range Names {
		ds.Columns = append(ds.Columns, model.NumericColumn(name, cols[k]))
	}
	ds.Columns = append(ds.Columns, model.CategoricalColumn(ProductName, prod))
	return ds
}

// Label texts of the features, Chinese and English, for reason codes.
var labels = map[string][2]string{
	"dpd": {"当前逾期天数", "days past due"}, "dpd_max_90": {"近90天最高逾期天数", "worst days past due in 90 days"},
	"dpd_change_30":       {"近30天逾期天数变化", "change in days past due over 30 days"},
	"overdue_share":       {"逾期金额占比", "share of the balance overdue"},
	"pay_ratio_90":        {"近90天还款比例", "share of amounts due paid in 90 days"},
	"days_since_payment":  {"距上次还款天数", "days since the last payment"},
	"payments_90":         {"近90天还款次数", "payments in 90 days"},
	"partial_payments_90": {"近90天部分还款次数", "partial payments in 90 days"},
	"promises_made_90":    {"近90天承诺还款次数", "promises made in 90 days"},
	"promises_kept":       {"履约承诺次数", "promises kept"}, "promises_broken": {"违约承诺次数", "promises broken"},
	"calls_30": {"近30天电话次数", "calls in 30 days"}, "rpc_rate_30": {"近30天本人接通率", "right-party contact rate in 30 days"},
	"inst_to_income": {"月供收入比", "installments to income"}, "tenure_months": {"客户账龄（月）", "months as a customer"},
	"loans_open": {"在贷笔数", "open loans"}, "plans": {"还款计划次数", "repayment plans"},
	"plans_broken": {"还款计划违约次数", "repayment plans broken"}, "plan_active": {"正在执行还款计划", "a repayment plan running"},
	"visits_90": {"近90天外访次数", "field visits in 90 days"}, "visits_met_90": {"近90天外访见到本人次数", "visits that met the borrower in 90 days"},
	"product": {"产品", "product"},
}

// LabelOf returns the Chinese and English name of a feature (its raw name
// when it has none).
func LabelOf(name string) (zh, en string) {
	if l, ok := labels[name]; ok {
		return l[0], l[1]
	}
	return name, name
}

// Outcome returns the Chinese and English description of t's outcome.
func (t Target) Outcome() (zh, en string) {
	switch t {
	case Cure30:
		return "30天内结清逾期", "curing within 30 days"
	case Roll30:
		return "30天内逾期升级", "rolling to the next bucket within 30 days"
	case PlanKept:
		return "还款计划90天内不违约", "keeping a repayment plan for its first 90 days"
	default:
		return "90天内逾期30天以上", "reaching 30+ days past due within 90 days"
	}
}
