package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeLoans writes a CSV of n rows drawn from a known logistic model of
// paid on dpd (days past due), income (sometimes empty) and channel, with
// a split column marking every fourth row test.
func writeLoans(t *testing.T, dir string, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(42, 1))
	var b strings.Builder
	b.WriteString("loan_id,dpd,income,channel,split,paid\n")
	for i := 0; i < n; i++ {
		dpd := rng.IntN(90)
		income := 3000 + rng.NormFloat64()*1000
		ch := []string{"app", "app", "web", "branch"}[rng.IntN(4)]
		z := 1.5 - 0.04*float64(dpd) + 0.0004*(income-3000)
		if ch == "web" {
			z -= 0.5
		}
		inc := strconv.FormatFloat(income, 'f', 2, 64)
		if i%10 == 3 {
			inc = ""
		}
		split := "train"
		if i%4 == 0 {
			split = "test"
		}
		paid := "no"
		if rng.Float64() < 1/(1+math.Exp(-z)) {
			paid = "yes"
		}
		fmt.Fprintf(&b, "L%d,%d,%s,%s,%s,%s\n", i, dpd, inc, ch, split, paid)
	}
	path := filepath.Join(dir, "loans.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestModelTrainAndScoreCSV(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	loans := writeLoans(t, dir, 4000)
	modelPath := filepath.Join(dir, "model.json")
	code, out, errOut := runAccord(t, ctx, nil, "model", "train", "--csv", loans, "--target", "paid", "--positive", "yes",
		"--split-column", "split", "--ignore", "loan_id", "--out", modelPath, "--json")
	if code != 0 {
		t.Fatalf("train: exit %d\n%s", code, errOut)
	}
	var m struct {
		Kind      string
		Intercept float64
		Rows      struct{ Train, Test int }
		Features  []struct {
			Name             string
			Type             string
			Median           float64
			MissingIndicator bool `json:"missing_indicator"`
			Coef             float64
			MissingCoef      float64 `json:"missing_coef"`
			Default          string
			Levels           []struct {
				Value string
				Coef  float64
			}
		}
		Metrics struct {
			Train struct{ AUC, KS, Brier float64 }
			Test  *struct{ AUC, KS, Brier float64 }
		}
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("train --json printed %v:\n%s", err, out)
	}
	if m.Kind != "logistic" || m.Rows.Train != 3000 || m.Rows.Test != 1000 || len(m.Features) != 3 {
		t.Fatalf("model: kind %s rows %+v features %d", m.Kind, m.Rows, len(m.Features))
	}
	if m.Metrics.Test == nil || m.Metrics.Test.AUC < 0.7 || m.Metrics.Test.Brier <= 0 || m.Metrics.Test.KS <= 0 {
		t.Errorf("test metrics = %+v", m.Metrics.Test)
	}
	dpd, income, channel := m.Features[0], m.Features[1], m.Features[2]
	if dpd.Name != "dpd" || dpd.MissingIndicator || income.Name != "income" || !income.MissingIndicator || channel.Default != "app" {
		t.Errorf("preprocessing: %+v / %+v / %+v", dpd, income, channel)
	}
	if math.Abs(dpd.Coef-(-0.04)) > 0.01 {
		t.Errorf("dpd coefficient %v, want about −0.04", dpd.Coef)
	}
	if _, err := os.Stat(modelPath); err != nil {
		t.Fatal(err)
	}

	// Score the same file with reasons and check each score against the
	// printed coefficients.
	scores := filepath.Join(dir, "scores.csv")
	code, _, errOut = runAccord(t, ctx, nil, "model", "score", "--model", modelPath, "--csv", loans, "--out", scores, "--reasons", "2", "--lang", "en")
	if code != 0 {
		t.Fatalf("score: exit %d\n%s", code, errOut)
	}
	in, got := readCSVFile(t, loans), readCSVFile(t, scores)
	if strings.Join(got[0], ",") != "row,score,reason1,reason2" || len(got) != len(in) {
		t.Fatalf("scores: header %v, %d lines for %d input lines", got[0], len(got), len(in))
	}
	coef := map[string]float64{}
	for _, l := range channel.Levels {
		coef[l.Value] = l.Coef
	}
	for i := 1; i < len(in); i++ {
		rec := in[i]
		z := m.Intercept + dpd.Coef*atof(t, rec[1]) + coef[rec[3]]
		if rec[2] == "" {
			z += income.Coef*income.Median + income.MissingCoef
		} else {
			z += income.Coef * atof(t, rec[2])
		}
		want := 1 / (1 + math.Exp(-z))
		if got[i][0] != strconv.Itoa(i) || math.Abs(atof(t, got[i][1])-want) > 1e-9 {
			t.Fatalf("line %d: %v, want row %d score %v", i, got[i], i, want)
		}
		for _, r := range got[i][2:] {
			if r != "" && !strings.HasSuffix(r, ": raises the score") && !strings.HasSuffix(r, ": lowers the score") {
				t.Fatalf("line %d: reason %q", i, r)
			}
		}
	}
	// A borrower 89 days late: the first reason is dpd, lowering the score.
	for i := 1; i < len(in); i++ {
		if in[i][1] == "89" {
			if got[i][2] != "dpd: lowers the score" {
				t.Errorf("row %d (dpd 89): reasons %v, want dpd lowering first", i, got[i][2:])
			}
			break
		}
	}

	code, out, errOut = runAccord(t, ctx, nil, "model", "psi", "--model", modelPath, "--csv", loans, "--json")
	var st struct {
		Rows  int
		Score float64
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Rows != 4000 || st.Score > 0.01 {
		t.Errorf("psi: exit %d, %s %s", code, out, errOut)
	}
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestModelScorecardWithoutSplitColumn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	loans := writeLoans(t, dir, 3000)
	modelPath := filepath.Join(dir, "card.json")
	code, out, errOut := runAccord(t, ctx, nil, "model", "train", "--csv", loans, "--target", "paid", "--positive", "yes",
		"--kind", "scorecard", "--base-score", "500", "--pdo", "40", "--ignore", "loan_id,split", "--out", modelPath)
	if code != 0 {
		t.Fatalf("train: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"scorecard model of paid", "500 at odds 1:1, 40 to double the odds", "IV ", "WoE", "test", "AUC", "one row in five held out"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = runAccord(t, ctx, nil, "model", "score", "--model", modelPath, "--csv", loans, "--out", "-", "--reasons", "1")
	if code != 0 {
		t.Fatalf("score: exit %d\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "row,score,points,reason1" || len(lines) != 3001 {
		t.Errorf("scores: header %q, %d lines", lines[0], len(lines))
	}
	if f := strings.Split(lines[1], ","); len(f) != 4 || !strings.Contains(f[3], "：") {
		t.Errorf("first score line %q: want a Chinese reason by default", lines[1])
	}
}

func TestModelBadInput(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	loans := writeLoans(t, dir, 200)
	modelPath := filepath.Join(dir, "m.json")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	third := write("third.csv", "x,paid\n1,yes\n2,no\n3,perhaps\n")
	allNo := write("allno.csv", "x,paid\n1,no\n2,no\n3,no\n4,no\n5,no\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing target column", []string{"model", "train", "--csv", loans, "--target", "repaid", "--positive", "yes", "--out", modelPath}, `"repaid"`},
		{"no positive rows", []string{"model", "train", "--csv", allNo, "--target", "paid", "--positive", "yes", "--out", modelPath}, "--positive"},
		{"target with a third value", []string{"model", "train", "--csv", third, "--target", "paid", "--positive", "yes", "--out", modelPath}, "row 3, paid"},
		{"unreadable file", []string{"model", "train", "--csv", filepath.Join(dir, "nope.csv"), "--target", "paid", "--positive", "yes", "--out", modelPath}, "--csv"},
		{"missing split column", []string{"model", "train", "--csv", loans, "--target", "paid", "--positive", "yes", "--split-column", "part", "--out", modelPath}, `"part"`},
		{"bad kind", []string{"model", "train", "--csv", loans, "--target", "paid", "--positive", "yes", "--kind", "forest", "--out", modelPath}, "--kind"},
		{"negative l2", []string{"model", "train", "--csv", loans, "--target", "paid", "--positive", "yes", "--l2", "-1", "--out", modelPath}, "--l2"},
		{"no target flag", []string{"model", "train", "--csv", loans, "--positive", "yes", "--out", modelPath}, "target"},
		{"not a model", []string{"model", "score", "--model", loans, "--csv", loans, "--out", "-"}, "--model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runAccord(t, ctx, nil, tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 naming %s", code, errOut, tt.want)
			}
		})
	}
	// A model whose column is missing from the table to score.
	if code, _, errOut := runAccord(t, ctx, nil, "model", "train", "--csv", loans, "--target", "paid", "--positive", "yes", "--ignore", "loan_id", "--out", modelPath); code != 0 {
		t.Fatal(errOut)
	}
	noDPD := write("nodpd.csv", "income,channel\n100,app\n")
	if code, _, errOut := runAccord(t, ctx, nil, "model", "score", "--model", modelPath, "--csv", noDPD, "--out", "-"); code != 2 || !strings.Contains(errOut, `"dpd"`) {
		t.Errorf("score without dpd: exit %d, %q", code, errOut)
	}
}
