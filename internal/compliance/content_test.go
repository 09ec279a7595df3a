package compliance

import (
	"bufio"
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestLexicon_Screen(t *testing.T) {
	t.Parallel()
	lex := gov.Lexicon()
	tests := []struct {
		text string
		cat  Category // "" means nothing blocking
		term string
	}{
		{"再不还钱就弄死你", CatAbuse, "弄死"},
		{"杀．了．你", CatAbuse, "杀了你"},
		{"杀 了 你", CatAbuse, "杀了你"},
		{"殺了你", CatAbuse, "杀了你"},
		{"ｓｈａ　ｎｉ", CatAbuse, "sha ni"},
		{"SHA-NI", CatAbuse, "sha ni"},
		{"we will K1LL you", CatAbuse, "kill you"},
		{"k i l l", CatAbuse, "kill"},
		{"police are coming", CatImpersonation, "police"},
		{"公 安 局", CatImpersonation, "公安"},
		{"gongan", CatImpersonation, "gong an"},
		{"法院", CatLegal, "法院"},
		{"FaYuan", CatLegal, "fa yuan"},
		{"以贷养贷", CatPressure, "以贷养贷"},
		{"以貸養貸", CatPressure, "以贷养贷"},
		{"撸口子", CatPressure, "撸口子"},
		{"lu kou zi", CatPressure, "lu kou zi"},
		{"借钱还上", CatPressure, "借钱还"},
		// Ordinary words.
		{"可免除部分罚息", "", ""},
		{"请按时还款", "", ""},
		{"如有疑问请致电客服", "", ""},
		{"如需法律援助请联系当地法律援助中心", "", ""},
		{"我司法务部将与您联系", "", ""},
		{"我司办公安排调整", "", ""},
		{"谨防冒充公检法诈骗", "", ""},
		{"系统死机，秒杀暂停，请安装杀毒软件", "", ""},
		{"skilled staff, courtesy desk, policy update, studied", "", ""},
		{"Shanghai branch", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			s := lex.Screen(tt.text)
			got := map[Category][]string{CatAbuse: s.Abuse, CatImpersonation: s.Impersonation, CatLegal: s.Legal, CatPressure: s.Pressure}
			if tt.cat == "" {
				for c, terms := range got {
					if len(terms) > 0 {
						t.Errorf("Screen(%q) found %s %v", tt.text, c, terms)
					}
				}
				return
			}
			if !slices.Contains(got[tt.cat], tt.term) {
				t.Errorf("Screen(%q) = %+v, want %s %q", tt.text, s, tt.cat, tt.term)
			}
		})
	}
	s := lex.Screen("您的借款已逾期，Reply STOP to opt out")
	if !s.OptOut || !slices.Contains(s.Debt, "借款") || !slices.Contains(s.Debt, "逾期") {
		t.Errorf("debt and opt-out: %+v", s)
	}
}

// TestLexicon_OrdinaryMessages holds real-world service messages that
// must pass screening.
func TestLexicon_OrdinaryMessages(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"【XX消费金融】尊敬的王先生，您的借款已逾期3天，逾期将产生罚息并影响个人征信，请尽快还款。退订回T",
		"您好，我是XX公司的客服小李，工号1234，关于您的借款，请方便时回电。",
		"如您对欠款金额有异议，可拨打客服热线申请核实。",
		"我们可以为您办理延期还款或分期，减免部分罚息和滞纳金。",
		"温馨提示：请通过官方渠道还款，谨防诈骗。",
		"若您遇到困难，可申请停息挂账，我们将尽力协助。",
		"本公司不会以任何名义收取额外费用，也不会要求您向他人借钱。",
		"如逾期超过90天，我司可能委托第三方机构催收或通过司法途径解决。",
		"外访人员将于明天上午10点上门拜访，请知悉。",
		"请勿以贷养贷，理性借贷，远离高利贷。",
		"如遇暴力催收请向公安机关报案或拨打110。",
		"This is an attempt to collect a debt and any information obtained will be used for that purpose.",
		"Please disregard this notice if you have already paid.",
		"我们理解您的处境，可以一起商量一个您能承受的还款方案。",
		"您的还款已到账，感谢您的支持，祝您生活愉快！",
		"本次通话将被录音，以保障双方权益。",
		"请在方便的时候回复本短信或致电400-000-0000。",
		"Your account is past due. Call 1-800-555-0100 to set up a plan. Reply STOP to opt out.",
		"我们不会向您的家人或单位透露任何信息。",
		"我们会上报征信。",
	} {
		s := gov.Lexicon().Screen(text)
		if len(s.Abuse)+len(s.Impersonation)+len(s.Legal)+len(s.Pressure) > 0 {
			t.Errorf("Screen(%q) = %+v", text, s)
		}
	}
}

// TestLexicon_TermsMatchThemselves guards the lexicon file: every term,
// as written, must be found by Screen in its own category.
func TestLexicon_TermsMatchThemselves(t *testing.T) {
	t.Parallel()
	lex := gov.Lexicon()
	sc := bufio.NewScanner(bytes.NewReader(lexiconTxt))
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cat, term, _ := strings.Cut(line, ":")
		cat, term = strings.TrimSpace(cat), strings.TrimSpace(term)
		n++
		s := lex.Screen(term)
		var got []string
		switch Category(cat) {
		case CatAbuse:
			got = s.Abuse
		case CatImpersonation:
			got = s.Impersonation
		case CatLegal:
			got = s.Legal
		case CatPressure:
			got = s.Pressure
		case CatDebt:
			got = s.Debt
		case CatOptOut:
			if !s.OptOut {
				t.Errorf("%q: no opt-out found", term)
			}
			continue
		case CatSafe:
			continue
		}
		if !slices.Contains(got, term) {
			t.Errorf("%s term %q is not found in itself: %+v", cat, term, s)
		}
	}
	if n < 150 {
		t.Errorf("lexicon has %d terms", n)
	}
}

func TestParseLexicon_Errors(t *testing.T) {
	t.Parallel()
	for _, src := range []string{"threat: 杀", "abuse 杀你", "abuse: 杀ni", "abuse: 123"} {
		if _, err := ParseLexicon(strings.NewReader(src), strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ParseLexicon(%q) error = %v", src, err)
		}
	}
	if _, err := ParseLexicon(strings.NewReader(""), strings.NewReader("殺")); err == nil {
		t.Error("bad t2s pair accepted")
	}
}

func TestCheck_Content(t *testing.T) {
	t.Parallel()
	sms := func(text string, fn func(p *Proposed)) Input {
		return cnAt("2026-03-10T10:00:00+08:00", withProposed(func(p *Proposed) {
			p.Channel, p.Text = SMS, text
			if fn != nil {
				fn(p)
			}
		}))
	}
	runCases(t, []checkCase{
		{"ordinary", sms("可免除部分罚息，请按时还款，如有疑问请致电客服。", nil), Allow, nil},
		{"court without case", sms("我们将向法院起诉", nil), Block, []string{RuleCNImpersonation}},
		{"court with case", sms("法院已受理", func(p *Proposed) { p.LegalCase = "(2026)沪0115民初1号" }), Approval, []string{RuleCNImpersonation}},
		{"police even with a case", sms("公安已立案", func(p *Proposed) { p.LegalCase = "(2026)沪0115民初1号" }), Block, []string{RuleCNImpersonation}},
		{"transcript warns", sms("公安已立案", func(p *Proposed) { p.TextSource = "transcript" }), Warn, []string{RuleCNImpersonation}},
	})
	d := gov.Check(sms("老赖，去借钱还", nil))
	if got := detail(t, d, RuleCNAbuse); !slices.Equal(got.Matched, []string{"老赖"}) {
		t.Errorf("matched = %v", got.Matched)
	}
	if got := detail(t, d, RuleCNPressure); !slices.Contains(got.Matched, "去借钱") {
		t.Errorf("matched = %v", got.Matched)
	}
}

func BenchmarkScreen(b *testing.B) {
	lex := gov.Lexicon()
	text := "【某消费金融】尊敬的客户，您的借款本期应还1,280.00元，可免除部分罚息，请按时还款，如有疑问请致电客服。Reply STOP to opt out."
	b.ReportAllocs()
	for b.Loop() {
		lex.Screen(text)
	}
}
