package compliance

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"accord/internal/errs"
)

// TestScenarios runs every file in testdata/scenarios and compares the
// decision and the rules with the file's "expect" block.
func TestScenarios(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/scenarios/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 80 {
		t.Fatalf("%d scenario files, want at least 80", len(files))
	}
	g := New(nil, nil)
	fired := map[string]bool{}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		s, err := ReadScenario(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if s.Expect == nil {
			t.Errorf("%s: no expect block", file)
			continue
		}
		got := g.Check(s.Input)
		want := s.Expect.Rules
		if want == nil {
			want = []string{}
		}
		if got.Action != s.Expect.Decision || !slices.Equal(got.Rules, want) {
			t.Errorf("%s (%s):\n got %s %v\nwant %s %v\n%s", filepath.Base(file), s.Description, got.Action, got.Rules, s.Expect.Decision, want, got.Reasons.EN)
		}
		for _, r := range got.Rules {
			fired[r] = true
		}
	}
	for _, j := range []Jurisdiction{CN, US, UK} {
		for _, r := range Rules(j) {
			if !fired[r.ID] {
				t.Errorf("no scenario fires %s", r.ID)
			}
		}
	}
}

func TestReadScenario_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json string
		field      string
	}{
		{"unknown field", `{"proposed":{"colectors":["a"]}}`, "proposed.colectors"},
		{"unknown nested in list", `{"history":[{"at":"2026-03-10T09:00:00+08:00","channel":"call","result":"x"}]}`, "history[0].result"},
		{"bad time", `{"history":[{"at":"2026-03-10 09:00","channel":"call"}]}`, "history[0].at"},
		{"bad channel", `{"proposed":{"channel":"fax"}}`, "proposed.channel"},
		{"bad flag", `{"borrower":{"flags":["vulnerabel"]}}`, "borrower.flags[0]"},
		{"bad type", `{"borrower":{"phones":"+8613800138000"}}`, "borrower.phones"},
		{"bad jurisdiction", `{"jurisdiction":"FR"}`, "jurisdiction"},
		{"bad quiet start", `{"policy":{"quiet_start":"9pm"}}`, "policy.quiet_start"},
		{"bad role", `{"proposed":{"approved_roles":["boss"]}}`, "proposed.approved_roles[0]"},
		{"bad expected rule", `{"expect":{"decision":"block","rules":["CN-NIGHT"]}}`, "expect.rules[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseScenario(strings.NewReader(tt.json))
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("err = %v, want Invalid", err)
			}
			fields := errs.FieldsOf(err)
			if len(fields) == 0 || fields[0].Field != tt.field {
				t.Errorf("fields = %+v, want %s first (%v)", fields, tt.field, err)
			}
		})
	}
	if _, err := ParseScenario(strings.NewReader("{\n  \"borrower\": {\n}")); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("syntax error = %v, want line 3", err)
	}
}
