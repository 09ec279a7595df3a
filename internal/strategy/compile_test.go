package strategy

import (
	"errors"
	"strings"
	"testing"

	"accord/internal/errs"
)

func smsTemplate() Template {
	return Template{ID: "t1", Channel: SMS, ZH: "{{name}}您好，应还{{amount}}元。"}
}

func TestCompile_Problems(t *testing.T) {
	t.Parallel()
	call := Treatment{Kind: Call, Queue: "early", Priority: 3}
	tests := []struct {
		name      string
		def       Definition
		wantRule  int
		wantField string
		wantLine  int
		wantCol   int
		wantMsg   string
	}{
		{
			name:     "unknown name",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "ok", When: "true", Treatments: []Treatment{call}}, {Name: "typo", When: "buckett == \"M1\"", Treatments: []Treatment{call}}}},
			wantRule: 1, wantField: "rules[1].when", wantLine: 1, wantCol: 1, wantMsg: "unknown name buckett",
		},
		{
			name:     "type mismatch on line 2",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "cmp", When: "dpd > 3 &&\n  bucket > 3", Treatments: []Treatment{call}}}},
			wantRule: 0, wantField: "rules[0].when", wantLine: 2, wantCol: 10, wantMsg: "invalid operation",
		},
		{
			name:     "not a boolean",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "num", When: "dpd + 1", Treatments: []Treatment{call}}}},
			wantRule: 0, wantField: "rules[0].when", wantMsg: "bool",
		},
		{
			name:     "syntax error",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "syn", When: "dpd >", Treatments: []Treatment{call}}}},
			wantRule: 0, wantField: "rules[0].when", wantLine: 1, wantMsg: "unexpected",
		},
		{
			name:     "empty condition",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "e", When: " ", Treatments: []Treatment{call}}}},
			wantRule: 0, wantField: "rules[0].when", wantMsg: "empty",
		},
		{
			name:     "methods are not reachable",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "m", When: "SetAmounts(1, 2) == nil", Treatments: []Treatment{call}}}},
			wantRule: 0, wantField: "rules[0].when", wantMsg: "SetAmounts",
		},
		{
			name:     "call without priority",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "c", When: "true", Treatments: []Treatment{{Kind: Call, Queue: "early"}}}}},
			wantRule: 0, wantField: "rules[0].treatments[0].priority", wantMsg: "from 1",
		},
		{
			name:     "field not used by kind",
			def:      Definition{Name: "s", Templates: []Template{smsTemplate()}, Rules: []Rule{{Name: "c", When: "true", Treatments: []Treatment{{Kind: SMS, Template: "t1", Queue: "x"}}}}},
			wantRule: 0, wantField: "rules[0].treatments[0].queue", wantMsg: "not used by a sms",
		},
		{
			name:     "missing template",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "c", When: "true", Treatments: []Treatment{{Kind: SMS, Template: "nope"}}}}},
			wantRule: 0, wantField: "rules[0].treatments[0].template", wantMsg: "no template",
		},
		{
			name:     "template of the wrong channel",
			def:      Definition{Name: "s", Templates: []Template{smsTemplate()}, Rules: []Rule{{Name: "c", When: "true", Treatments: []Treatment{{Kind: Email, Template: "t1"}}}}},
			wantRule: 0, wantField: "rules[0].treatments[0].template", wantMsg: "is for sms",
		},
		{
			name:     "unknown offer",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "c", When: "true", Treatments: []Treatment{{Kind: NegotiationOffer, Offer: "forgive_all"}}}}},
			wantRule: 0, wantField: "rules[0].treatments[0].offer", wantMsg: "must be one of",
		},
		{
			name:     "agency without criteria",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "c", When: "true", Treatments: []Treatment{{Kind: AgencyPlacement}}}}},
			wantRule: 0, wantField: "agency", wantMsg: "needs agency criteria",
		},
		{
			name:     "legal referral without reason",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "c", When: "true", Treatments: []Treatment{{Kind: LegalReferral}}}}},
			wantRule: 0, wantField: "rules[0].treatments[0].reason", wantMsg: "needs a reason",
		},
		{
			name:     "unknown kind",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "c", When: "true", Treatments: []Treatment{{Kind: "threaten"}}}}},
			wantRule: 0, wantField: "rules[0].treatments[0].kind", wantMsg: "must be one of",
		},
		{
			name:     "no treatments",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "c", When: "true"}}},
			wantRule: 0, wantField: "rules[0].treatments", wantMsg: "at least one",
		},
		{
			name:     "duplicate rule name",
			def:      Definition{Name: "s", Rules: []Rule{{Name: "a", When: "true", Treatments: []Treatment{call}}, {Name: "a", When: "true", Treatments: []Treatment{call}}}},
			wantRule: 1, wantField: "rules[1].name", wantMsg: "already used by rules[0]",
		},
		{
			name:     "no rules",
			def:      Definition{Name: "s"},
			wantRule: -1, wantField: "rules", wantMsg: "at least one rule",
		},
		{
			name:     "unknown placeholder",
			def:      Definition{Name: "s", Templates: []Template{{ID: "t", Channel: SMS, ZH: "{{nme}}您好"}}, Rules: []Rule{{Name: "a", When: "true", Treatments: []Treatment{call}}}},
			wantRule: -1, wantField: "templates[0].zh", wantMsg: "Unknown placeholder {{nme}}",
		},
		{
			name:     "email without subject",
			def:      Definition{Name: "s", Templates: []Template{{ID: "t", Channel: Email, ZH: "x"}}, Rules: []Rule{{Name: "a", When: "true", Treatments: []Treatment{call}}}},
			wantRule: -1, wantField: "templates[0].subject_zh", wantMsg: "needs a Chinese subject",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Compile(tt.def)
			if p != nil || errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("Compile() = %v, %v; want an Invalid error", p, err)
			}
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not a *CompileError", err)
			}
			for _, pr := range ce.Problems {
				if pr.Rule == tt.wantRule && strings.HasSuffix(pr.Field, tt.wantField) && strings.Contains(pr.Message, tt.wantMsg) &&
					(tt.wantLine == 0 || pr.Line == tt.wantLine) && (tt.wantCol == 0 || pr.Column == tt.wantCol) {
					if pr.Rule >= 0 && pr.RuleName != tt.def.Rules[pr.Rule].Name {
						t.Errorf("problem names rule %q, want %q", pr.RuleName, tt.def.Rules[pr.Rule].Name)
					}
					return
				}
			}
			t.Errorf("problems = %+v\nwant rule %d, field %s, line %d, column %d, message containing %q",
				ce.Problems, tt.wantRule, tt.wantField, tt.wantLine, tt.wantCol, tt.wantMsg)
		})
	}
}

func TestCompile_ErrorText(t *testing.T) {
	t.Parallel()
	_, err := Compile(Definition{Name: "s", Rules: []Rule{
		{Name: "fine", When: "true", Treatments: []Treatment{{Kind: Call, Queue: "q", Priority: 1}}},
		{Name: "m1 small", When: `bucket == "M1" && overdue < 2000`, Treatments: []Treatment{{Kind: Call, Queue: "q", Priority: 1}}},
	}})
	want := `rule 1 "m1 small", rules[1].when (line 1, column 19): unknown name overdue`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v\nwant it to contain %s", err, want)
	}
	if got := errs.FieldsOf(err); len(got) != 1 || got[0].Field != "rules[1].when" {
		t.Errorf("FieldsOf = %v", got)
	}
}

func TestParseDefinition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"syntax error position", "{\n  \"name\": \"s\",\n  \"rules\": [\n    {\"name\": \"a\" \"when\": \"true\"}\n  ]\n}", "line 4, column 18"},
		{"unknown field", `{"name":"s","rules":[{"name":"a","when":"true","treatment":[]}]}`, "unknown field \"treatment\""},
		{"wrong type", `{"name":"s","rules":[{"name":"a","when":true}]}`, "wrong type at line 1"},
		{"trailing data", `{"name":"s"} {}`, "data after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDefinition([]byte(tt.in))
			if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseDefinition() = %v, want Invalid containing %q", err, tt.want)
			}
		})
	}
}
