package model

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"accord/internal/errs"
)

// table is a small CSV with an explicit split: income has missing values
// in training, age only in test, channel has an empty value in training
// and a level only in test ("fax").
const table = `age,income,channel,split,paid
30,1000,app,train,1
40,,web,train,0
50,3000,app,train,1
20,4000,,train,0
35,,web,train,1
45,2000,app,train,0
25,5000,app,train,1
,2500,fax,test,0
x,abc,web,test,1
`

func readTable(t *testing.T) *Dataset {
	t.Helper()
	ds, err := ReadCSV(strings.NewReader(table), ReadOptions{Target: "paid", Positive: "1", Split: "split"})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestReadCSVTypesAndSplit(t *testing.T) {
	ds := readTable(t)
	if ds.Rows() != 9 {
		t.Fatalf("rows = %d, want 9", ds.Rows())
	}
	names := []string{}
	for _, c := range ds.Columns {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "age,income,channel" {
		t.Errorf("feature columns = %v: the target and split columns are never features", names)
	}
	age, income, channel := ds.Columns[0], ds.Columns[1], ds.Columns[2]
	if !age.Numeric || !income.Numeric || channel.Numeric {
		t.Errorf("numeric = %v %v %v, want age and income numeric (their test values x and abc do not count)", age.Numeric, income.Numeric, channel.Numeric)
	}
	if !math.IsNaN(age.Num[8]) || !math.IsNaN(income.Num[8]) || !math.IsNaN(age.Num[7]) {
		t.Error("an empty or non-numeric test value is not missing")
	}
	for i, want := range []bool{true, true, true, true, true, true, true, false, false} {
		if ds.Train[i] != want {
			t.Errorf("row %d train = %v, want %v", i+1, ds.Train[i], want)
		}
	}
	if !ds.Y[0] || ds.Y[1] {
		t.Error("target not read")
	}
}

func TestReadCSVNonNumberInTrainMakesCategorical(t *testing.T) {
	in := "v,y\n1,a\n2,b\nthree,a\n4,b\n"
	ds, err := ReadCSV(strings.NewReader(in), ReadOptions{Target: "y", Positive: "a"})
	if err != nil {
		t.Fatal(err)
	}
	c := ds.Columns[0]
	// Row 3 trains (HoldOut(3) is false), so "three" makes v categorical.
	if HoldOut(3) || c.Numeric || len(c.Levels) != 4 {
		t.Errorf("column v: numeric %v, levels %v; want categorical with 4 levels", c.Numeric, c.Levels)
	}
}

func TestHoldOutIsAboutOneInFive(t *testing.T) {
	n := 0
	for i := 1; i <= 100000; i++ {
		if HoldOut(i) {
			n++
		}
	}
	if n < 19500 || n > 20500 {
		t.Errorf("%d of 100000 rows held out, want about 20000", n)
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, in string
		opt      ReadOptions
		field    string
		row      int
	}{
		{"missing target column", "a,b\n1,2\n", ReadOptions{Target: "paid", Positive: "1"}, "--target", 0},
		{"missing split column", "a,paid\n1,1\n", ReadOptions{Target: "paid", Positive: "1", Split: "s"}, "--split-column", 0},
		{"no positive rows", "a,paid\n1,0\n2,0\n3,0\n", ReadOptions{Target: "paid", Positive: "1"}, "--positive", 0},
		{"target with a third value", "a,paid\n1,0\n2,1\n3,maybe\n", ReadOptions{Target: "paid", Positive: "1"}, "paid", 3},
		{"empty target", "a,paid\n1,0\n2,\n", ReadOptions{Target: "paid", Positive: "1"}, "paid", 2},
		{"no train rows", "a,s,paid\n1,test,0\n2,test,1\n", ReadOptions{Target: "paid", Positive: "1", Split: "s"}, "--split-column", 0},
		{"ragged row", "a,paid\n1,0\n2\n", ReadOptions{Target: "paid", Positive: "1"}, "--csv", 0},
		{"empty file", "", ReadOptions{Target: "paid", Positive: "1"}, "--csv", 0},
		{"ignored column not there", "a,paid\n1,0\n", ReadOptions{Target: "paid", Positive: "1", Ignore: []string{"zz"}}, "--ignore", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.in), tt.opt)
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("err = %v, want Invalid", err)
			}
			f := errs.FieldsOf(err)
			if len(f) == 0 || f[0].Field != tt.field || f[0].Row != tt.row {
				t.Errorf("fields = %+v, want field %q row %d", f, tt.field, tt.row)
			}
		})
	}
}

func TestImputationAndLevels(t *testing.T) {
	m, err := Train(readTable(t), Options{L2: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	age, income, channel := feature(m, "age"), feature(m, "income"), feature(m, "channel")
	// Training incomes 1000 3000 4000 2000 5000: median 3000, two missing.
	if income.Median != 3000 || !income.MissingIndicator || income.MissingTrain != 2 {
		t.Errorf("income: median %v indicator %v missing %d; want 3000, true, 2", income.Median, income.MissingIndicator, income.MissingTrain)
	}
	// Training ages 30 40 50 20 35 45 25: median 35, none missing, so no
	// indicator even though a test row misses it.
	if age.Median != 35 || age.MissingIndicator {
		t.Errorf("age: median %v indicator %v; want 35 without indicator", age.Median, age.MissingIndicator)
	}
	// channel: app ×4, web ×2, missing ×1; the most frequent is the default.
	var lv []string
	for _, l := range channel.Levels {
		lv = append(lv, l.Value)
	}
	if strings.Join(lv, ",") != "app,web,missing" || channel.Default != "app" {
		t.Errorf("channel levels %v default %q; want app,web,missing and app", lv, channel.Default)
	}

	sc, err := m.NewScorer([]string{"channel", "income", "age"})
	if err != nil {
		t.Fatal(err)
	}
	score := func(channel, income, age string) float64 {
		return sc.Score([]string{channel, income, age}, 0).LogOdds
	}
	// A missing age is scored as the median; an unparsable one too.
	if a, b := score("app", "3000", ""), score("app", "3000", "35"); a != b {
		t.Errorf("missing age scores %v, median age %v", a, b)
	}
	if a, b := score("app", "3000", "n/a"), score("app", "3000", "35"); a != b {
		t.Errorf("unparsable age scores %v, median age %v", a, b)
	}
	// A missing income is the median plus the indicator's coefficient.
	if a, b := score("app", "", "35"), score("app", "3000", "35")+income.MissingCoef; !near(a, b, 1e-12) || income.MissingCoef == 0 {
		t.Errorf("missing income scores %v, want median + indicator %v", a, b)
	}
	// A level never seen in training is scored as the most frequent one.
	if a, b := score("fax", "3000", "35"), score("app", "3000", "35"); a != b {
		t.Errorf("unseen level scores %v, most frequent level %v", a, b)
	}
	// An empty categorical value is the level "missing", not the default.
	if a, b := score("", "3000", "35"), score("app", "3000", "35")+levelCoef(channel, "missing"); !near(a, b, 1e-12) || a == score("app", "3000", "35") {
		t.Errorf("empty channel scores %v, want level missing %v", a, b)
	}
	if _, err := m.NewScorer([]string{"channel", "age"}); errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), `"income"`) {
		t.Errorf("header without income: %v", err)
	}
}

func TestUnusedColumns(t *testing.T) {
	in := "const,id,v,y\n"
	for i := 0; i < 400; i++ {
		y := "0"
		if i%3 == 0 {
			y = "1"
		}
		in += "7,id" + itoa(i) + "," + itoa(i%10) + "," + y + "\n"
	}
	ds, err := ReadCSV(strings.NewReader(in), ReadOptions{Target: "y", Positive: "1"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Features) != 1 || m.Features[0].Name != "v" {
		t.Errorf("features = %d (%v), want only v", len(m.Features), m.Unused)
	}
	if len(m.Unused) != 2 || m.Unused[0].Column != "const" || m.Unused[1].Column != "id" {
		t.Errorf("unused = %+v, want const (constant) and id (too many levels)", m.Unused)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestModelJSONRoundTrip(t *testing.T) {
	for _, kind := range []Kind{Logistic, Scorecard} {
		ds := synthetic(3000, 9, true)
		m, err := Train(ds, Options{Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := m.Write(&buf); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"format": "accord.model"`, `"version": 1`, `"kind": "` + string(kind) + `"`, `"features"`, `"metrics"`, `"psi_bins"`} {
			if !strings.Contains(buf.String(), key) {
				t.Errorf("%s: JSON lacks %s", kind, key)
			}
		}
		back, err := Read(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		s1, _ := m.NewScorer([]string{"x1", "x2", "region"})
		s2, _ := back.NewScorer([]string{"x1", "x2", "region"})
		for _, rec := range [][]string{{"0.3", "2", "south"}, {"", "9", "west"}, {"-2", "", "east"}} {
			a, b := s1.Score(rec, 2), s2.Score(rec, 2)
			if a.Probability != b.Probability || a.Points != b.Points || len(a.Reasons) != len(b.Reasons) {
				t.Errorf("%s: %v scores %+v before and %+v after the round trip", kind, rec, a, b)
			}
		}
	}
	for _, bad := range []string{`{"format":"other","version":1,"kind":"logistic"}`, `{"format":"accord.model","version":2,"kind":"logistic"}`,
		`{"format":"accord.model","version":1,"kind":"forest"}`, `not json`} {
		if _, err := Read(strings.NewReader(bad)); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("Read(%s) = %v, want Invalid", bad, err)
		}
	}
}

func TestReasons(t *testing.T) {
	m, err := Train(synthetic(5000, 13, false), Options{})
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := m.NewScorer([]string{"x1", "x2", "region"})
	// x1 far above average raises the score (b1 > 0) most; x2 far above
	// average lowers it (b2 < 0).
	r := sc.Score([]string{"4", "3", "north"}, 3)
	if len(r.Reasons) == 0 || r.Reasons[0].Feature != "x1" || r.Reasons[0].Effect <= 0 {
		t.Fatalf("reasons = %+v, want x1 first, raising", r.Reasons)
	}
	if r.Reasons[0].EN != "x1: raises the score" || r.Reasons[0].ZH != "x1：提高得分" || r.Reasons[0].Text("zh") != r.Reasons[0].ZH {
		t.Errorf("reason texts = %q / %q", r.Reasons[0].EN, r.Reasons[0].ZH)
	}
	r = sc.Score([]string{"0", "15", "north"}, 1)
	if len(r.Reasons) != 1 || r.Reasons[0].Feature != "x2" || r.Reasons[0].Effect >= 0 || r.Reasons[0].Text("en") != "x2: lowers the score" {
		t.Errorf("reasons = %+v, want x2 lowering", r.Reasons)
	}
	// Effects are measured against the training average: the sum of the
	// averages plus the effects is the log-odds.
	r = sc.Score([]string{"1", "2", "west"}, 3)
	sum := m.Intercept
	for _, f := range m.Features {
		sum += f.Average
	}
	for _, x := range r.Reasons {
		sum += x.Effect
	}
	if !near(sum, r.LogOdds, 1e-9) {
		t.Errorf("intercept + averages + effects = %v, log-odds %v", sum, r.LogOdds)
	}
}

// A test set with one class has no AUC or KS: the model still writes and
// reads back, with null for them.
func TestUndefinedMetricsInJSON(t *testing.T) {
	ds := synthetic(400, 8, false)
	ds.Train[0], ds.Train[1] = false, false
	ds.Y[0], ds.Y[1] = true, true
	m, err := Train(ds, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(float64(m.Metrics.Test.AUC)) || m.Metrics.Test.Rows != 2 {
		t.Fatalf("test metrics %+v, want AUC NaN", m.Metrics.Test)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"auc": null`) {
		t.Error("NaN AUC not written as null")
	}
	back, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(float64(back.Metrics.Test.AUC)) || back.Metrics.Test.Brier != m.Metrics.Test.Brier {
		t.Errorf("read back %+v", back.Metrics.Test)
	}
}

func TestReadCSVByteOrderMark(t *testing.T) {
	in := "\ufeffpaid,v\n1,3\n0,4\n1,5\n0,6\n1,7\n"
	ds, err := ReadCSV(strings.NewReader(in), ReadOptions{Target: "paid", Positive: "1"})
	if err != nil {
		t.Fatalf("a header starting with a byte order mark: %v", err)
	}
	if len(ds.Columns) != 1 || ds.Columns[0].Name != "v" {
		t.Errorf("columns = %+v", ds.Columns)
	}
}

func TestReadRejectsInconsistentModel(t *testing.T) {
	m, err := Train(readTable(t), Options{L2: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	feature(m, "channel").Default = "telegram"
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(&buf); errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "telegram") {
		t.Errorf("default level not among the levels: %v", err)
	}
	feature(m, "channel").Default = "app"
	feature(m, "age").PSI.Expected = []float64{1}
	buf.Reset()
	_ = m.Write(&buf)
	if _, err := Read(&buf); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("PSI shares not matching the bins: %v", err)
	}
}
