package strategy

import (
	"strings"
	"testing"

	"accord/internal/classify"
	"accord/internal/money"
)

func TestDefaultDefinition(t *testing.T) {
	t.Parallel()
	p := mustCompile(t, DefaultDefinition())
	m1low := Facts{Bucket: "M1", BucketRank: 1, Tier: "low", Segment: "willing_able", DPD: 5}
	with := func(f Facts, change func(*Facts)) Facts { change(&f); return f }
	tests := []struct {
		name      string
		f         Facts
		wantRule  string
		wantKinds string
	}{
		{"short and small → SMS", m1low, "m1_low_sms", "sms"},
		{"short and small with email → email and SMS", with(m1low, func(f *Facts) { f.HasEmail = true }), "m1_low_sms", "email sms"},
		{"M1 medium → call queue", with(m1low, func(f *Facts) { f.Tier = "medium" }), "m1_call", "call sms"},
		{"willing_unable → negotiation", with(m1low, func(f *Facts) { f.Segment = "willing_unable" }), "willing_unable_plan", "negotiation_offer call sms"},
		{"M2 → mid queue and firm SMS", Facts{Bucket: "M2", BucketRank: 2, Tier: "medium", Segment: "unwilling_unable"}, "m2_call", "call sms"},
		{"M3 high → field visit", Facts{Bucket: "M3", BucketRank: 3, Tier: "high", Segment: "willing_able"}, "m3_high_field_visit", "field_visit call"},
		{"M3 unwilling_able → field visit", Facts{Bucket: "M3", BucketRank: 3, Tier: "medium", Segment: "unwilling_able"}, "m3_high_field_visit", "field_visit call"},
		{"M4 high → agency", Facts{Bucket: "M4", BucketRank: 4, Tier: "high", Segment: "willing_able"}, "m4_high_agency", "agency_placement"},
		{"already with agency", Facts{Bucket: "M5", BucketRank: 5, Tier: "high", Segment: "unwilling_able", AgencyPlaced: true}, "with_agency", "call"},
		{"M6 unwilling → legal", Facts{Bucket: "M6", BucketRank: 6, Tier: "high", Segment: "unwilling_able"}, "m6_unwilling_legal", "legal_referral"},
		{"M6 unwilling with open promise → not legal", Facts{Bucket: "M6", BucketRank: 6, Tier: "high", Segment: "unwilling_able", OpenPromise: true}, "m4_high_agency", "agency_placement"},
		{"M7+ willing_unable → plan, not court", Facts{Bucket: "M7+", BucketRank: 7, Tier: "high", Segment: "willing_unable"}, "willing_unable_plan", "negotiation_offer call sms"},
		{"M3 low, willing → late call", Facts{Bucket: "M3", BucketRank: 3, Tier: "medium", Segment: "willing_able"}, "late_call", "call"},
		{"vulnerable → specialist only", with(m1low, func(f *Facts) { f.Flags = []string{"vulnerable"}; f.HasEmail = true }), "vulnerable_specialist", "call"},
		{"vulnerable beats legal", Facts{Bucket: "M7+", BucketRank: 7, Segment: "unwilling_able", Flags: []string{"vulnerable"}}, "vulnerable_specialist", "call"},
		{"disputed → disputes queue", with(m1low, func(f *Facts) { f.Flags = []string{"disputed"} }), "disputed_review", "call"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, ok := p.Evaluate(tt.f)
			var kinds []string
			for _, tr := range res.Treatments {
				kinds = append(kinds, string(tr.Kind))
			}
			if !ok || res.RuleName != tt.wantRule || strings.Join(kinds, " ") != tt.wantKinds {
				t.Errorf("Evaluate() rule %q treatments %q, want %q %q", res.RuleName, strings.Join(kinds, " "), tt.wantRule, tt.wantKinds)
			}
			if tt.wantRule == "vulnerable_specialist" && res.Treatments[0].Queue != "specialist" {
				t.Errorf("vulnerable queue = %q", res.Treatments[0].Queue)
			}
		})
	}
}

func TestDefaultDefinition_Templates(t *testing.T) {
	t.Parallel()
	p := mustCompile(t, DefaultDefinition())
	v := Vars{"name": "张三", "amount": money.Amount(123450).String(), "balance": "8000.00", "due_date": "2026-03-01", "dpd": "12",
		"product": "现金贷", "lender": "安信消金", "hotline": "400-000-0000", "collector": "工号1024", "pay_channel": "官方App"}
	for _, tpl := range p.Definition().Templates {
		for _, lang := range []string{"zh-CN", "en"} {
			m, err := p.Render(tpl.ID, lang, v)
			if err != nil {
				t.Errorf("Render(%s, %s): %v", tpl.ID, lang, err)
				continue
			}
			if strings.Contains(m.Body, "{{") || (tpl.Channel == Email && m.Subject == "") {
				t.Errorf("Render(%s, %s) = %+v", tpl.ID, lang, m)
			}
			for _, bad := range []string{"威胁", "家人", "单位", "曝光", "threat", "family", "employer"} {
				if strings.Contains(m.Body, bad) {
					t.Errorf("template %s mentions %q", tpl.ID, bad)
				}
			}
		}
	}
	m, _ := p.Render("early_reminder", "zh-CN", v)
	if want := "【安信消金】张三您好，您的借款已逾期12天，应还1234.50元。"; !strings.HasPrefix(m.Body, want) {
		t.Errorf("early_reminder = %q, want prefix %q", m.Body, want)
	}
}

// The segment scripts in classify use the same placeholders as templates.
func TestClassifyScriptsParse(t *testing.T) {
	t.Parallel()
	for _, seg := range classify.Segments {
		s := classify.ScriptFor(seg)
		for _, txt := range []string{s.ZH, s.EN} {
			if _, err := ParseText(txt); err != nil {
				t.Errorf("script %s: %v", seg, err)
			}
		}
	}
}
