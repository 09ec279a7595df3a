package strategy

import (
	"slices"
	"strings"
	"testing"

	"accord/internal/errs"
)

func TestParseText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		vars    Vars
		want    string
		wantErr string
	}{
		{"{{name}}您好，应还{{amount}}元", Vars{"name": "李四", "amount": "10.00"}, "李四您好，应还10.00元", ""},
		{"{{ name }} and {{name}}", Vars{"name": "A"}, "A and A", ""},
		{"no placeholders", nil, "no placeholders", ""},
		{"", nil, "", ""},
		{"{{name}}", Vars{"name": "{{amount}}"}, "{{amount}}", ""},
		{"{{name}}!", Vars{"name": "a\nb\tc"}, "a b c!", ""},
		{"{{name}}", Vars{}, "", "No value for placeholder {{name}}"},
		{"hi {{nme}}", nil, "", "Unknown placeholder {{nme}}"},
		{"hi {{}}", nil, "", "Unknown placeholder {{}}"},
		{"{{name}} {{amount", nil, "", "Unclosed \"{{\" at byte 9"},
		{"{{.Name}}", nil, "", "Unknown placeholder"},
	}
	for _, tt := range tests {
		txt, err := ParseText(tt.in)
		var got string
		if err == nil {
			got, err = txt.Render(tt.vars)
		}
		if tt.wantErr != "" {
			if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want Invalid containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	txt, _ := ParseText("{{amount}} {{name}} {{amount}}")
	if got := txt.Placeholders(); !slices.Equal(got, []string{"amount", "name"}) {
		t.Errorf("Placeholders() = %v", got)
	}
}

func TestProgram_RenderLanguage(t *testing.T) {
	t.Parallel()
	p := mustCompile(t, Definition{Name: "s",
		Templates: []Template{
			{ID: "zh_only", Channel: SMS, ZH: "{{name}}您好"},
			{ID: "both", Channel: Email, SubjectZH: "提醒", ZH: "{{name}}您好", EN: "Hello {{name}}"},
		},
		Rules: []Rule{{Name: "a", When: "true", Treatments: []Treatment{{Kind: SMS, Template: "zh_only"}}}}})
	tests := []struct{ id, lang, subject, body string }{
		{"zh_only", "en", "", "Ann您好"},
		{"both", "en-GB", "提醒", "Hello Ann"},
		{"both", "zh-CN", "提醒", "Ann您好"},
	}
	for _, tt := range tests {
		m, err := p.Render(tt.id, tt.lang, Vars{"name": "Ann"})
		if err != nil || m.Subject != tt.subject || m.Body != tt.body {
			t.Errorf("Render(%s, %s) = %+v, %v", tt.id, tt.lang, m, err)
		}
	}
	if _, err := p.Render("nope", "zh", nil); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("unknown template: %v", err)
	}
}

func TestTemplate_SMSLength(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("请", MaxSMSRunes+1)
	_, err := Compile(Definition{Name: "s", Templates: []Template{{ID: "long", Channel: SMS, ZH: long}},
		Rules: []Rule{{Name: "a", When: "true", Treatments: []Treatment{{Kind: SMS, Template: "long"}}}}})
	if err == nil || !strings.Contains(err.Error(), "templates[0].zh") {
		t.Errorf("Compile() = %v, want a length problem", err)
	}
}
