package csvsafe_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"accord/internal/csvsafe"
)

func TestCell(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"张三", "张三"},
		{"=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"},
		{"=1+1", "'=1+1"},
		{"+86 138 0000 0000", "'+86 138 0000 0000"},
		{"-1+1", "'-1+1"},
		{"-2-3", "'-2-3"},
		{"-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"\n=1+1", "'\n=1+1"},
		{"＝1+1", "'＝1+1"},
		{"＠SUM(A1)", "'＠SUM(A1)"},
		{"－1", "'－1"},
		{"-12.50", "-12.50"},
		{"12.50", "12.50"},
		{"-0", "-0"},
		{"-", "'-"},
		{"-.5", "'-.5"},
		{"-12.", "'-12."},
		{"-1e5", "'-1e5"},
		{"a=1", "a=1"},
		{"2026-03-20 10:00:00", "2026-03-20 10:00:00"},
	}
	for _, c := range cases {
		if got := csvsafe.Cell(c.in); got != c.want {
			t.Errorf("Cell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := csvsafe.NewWriter(&b)
	rec := []string{"=cmd", "-12.50", "ok"}
	if err := w.WriteAll([][]string{rec}); err != nil {
		t.Fatal(err)
	}
	if rec[0] != "=cmd" {
		t.Errorf("Write changed the caller's record: %q", rec)
	}
	got, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0][0] != "'=cmd" || got[0][1] != "-12.50" || got[0][2] != "ok" {
		t.Errorf("read back %q", got)
	}
}

func FuzzCell(f *testing.F) {
	for _, s := range []string{"=1", "-1", "-1.5", "＝", "\t", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := csvsafe.Cell(s)
		if got == "" {
			return
		}
		switch got[0] {
		case '=', '+', '@', '\t', '\r', '\n':
			t.Fatalf("Cell(%q) = %q starts with a formula character", s, got)
		case '-':
			if got != s {
				t.Fatalf("Cell(%q) = %q changed a cell it left starting with -", s, got)
			}
			if _, err := parseNumber(got); err != nil {
				t.Fatalf("Cell(%q) = %q starts with - and is not a plain number", s, got)
			}
		}
		if got != s && got != "'"+s {
			t.Fatalf("Cell(%q) = %q: neither unchanged nor quoted", s, got)
		}
	})
}

func parseNumber(s string) (string, error) {
	for i, r := range s {
		if (r < '0' || r > '9') && r != '.' && !(i == 0 && r == '-') {
			return "", &numErr{}
		}
	}
	return s, nil
}

type numErr struct{}

func (*numErr) Error() string { return "not a number" }
