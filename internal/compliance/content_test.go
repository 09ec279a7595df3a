package compliance

import (
	"slices"
	"strings"
	"testing"
)

func TestSegment(t *testing.T) {
	t.Parallel()
	lex := gov.Lexicon()
	for _, tt := range []struct {
		text string
		want []string
	}{
		// Dictionary words keep terms from matching inside them.
		{"我司法务部", []string{"我司", "法务部"}},
		{"我司办公安排调整", []string{"我司", "办公安排", "调整"}},
		{"请安装杀毒软件", []string{"请", "安", "装", "杀毒软件"}},
		// Width, traditional characters, case, look-alike digits.
		{"再不還錢就殺了你", []string{"再", "不还钱", "就", "杀了你"}},
		{"ＫＩＬＬ you", []string{"kill", "you"}},
		{"we will K1LL you", []string{"we", "will", "kill", "you"}},
		{"won’t", []string{"wont"}},
		// Numbers separate words and are dropped.
		{"还款1280元", []string{"还款", "元"}},
		// Spaces between Chinese characters are ignored.
		{"公 安 局", []string{"公安局"}},
	} {
		if got := lex.Segment(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Segment(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestScreen_Categories(t *testing.T) {
	t.Parallel()
	lex := gov.Lexicon()
	tests := []struct {
		text   string
		cat    Category // "" means nothing found
		phrase string
	}{
		// Spacing and punctuation do not hide a term.
		{"杀．了．你", CatThreat, "杀．了．你"},
		{"杀 了 你", CatThreat, "杀 了 你"},
		{"k i l l", CatThreat, "k i l l"},
		{"SHA-NI", CatThreat, "SHA-NI"},
		{"ｓｈａ　ｎｉ", CatThreat, "ｓｈａ　ｎｉ"},
		// Phrase patterns: an action and a target within a window.
		{"再不还钱我们就通知你单位领导", CatImpliedThreat, "通知你单位"},
		{"If you don't pay we will contact your employer.", CatImpliedThreat, "contact your employer"},
		{"Your boss will find out about this.", CatImpliedThreat, "boss will find out"},
		{"明天我们直接去你公司找你", CatImpliedThreat, "去你公司"},
		// A promise not to tell "if you pay" is the same threat.
		{"We won't tell your employer if you settle today.", CatImpliedThreat, "won't tell your employer if you settle"},
		// Negation cancelled by the next word.
		{"我们不会放过你的", CatThreat, "不会放过你"},
		{"Don't make us call your mother.", CatImpliedThreat, "call your mother"},
		{"公安已立案", CatFalseLegal, "公安已立案"},
		{"We will report you to the police.", CatFalseLegal, "We will report you to the police"},
		{"我是公安局的", CatImpersonation, "我是公安局"},
		{"This is Officer Daniels from the county sheriff's office.", CatImpersonation, "sheriff's office"},
		{"我们将向法院起诉你", CatLegal, "法院"},
		{"fa yuan chuan piao", CatLegal, "fa yuan"},
		{"以貸養貸", CatBorrowToRepay, "以貸養貸"},
		{"你去找亲戚朋友借点钱先还上", CatBorrowToRepay, "借点钱"},
		{"Borrow from family to clear this.", CatBorrowToRepay, "Borrow from"},
		{"需另外支付上门费200元", CatPressure, "上门费"},
		// Negation scoped to the clause.
		{"我们不会联系您的家人或单位。", "", ""},
		{"We will never visit your home.", "", ""},
		{"We will never contact your employer or your family.", "", ""},
		{"逾期不会坐牢，但会影响征信", "", ""},
		{"You will not be arrested or go to jail for this debt.", "", ""},
		{"请勿以贷养贷，远离高利贷", "", ""},
		// A hedged, truthful statement of possible civil action is lawful.
		{"如您持续未还款，我司保留依法向人民法院提起诉讼的权利。", "", ""},
		{"If the balance remains unpaid, we may consider legal action.", "", ""},
		// Harmless phrases that look violent.
		{"双十一秒杀活动火爆进行中，爆款低至五折！", "", ""},
		{"请安装杀毒软件", "", ""},
		{"砸金蛋赢好礼", "", ""},
		{"This plan will kill two birds with one stone.", "", ""},
		{"Our new low rates are to die for.", "", ""},
		{"我司法务部将与您联系", "", ""},
		{"我司办公安排调整", "", ""},
		{"谨防冒充公检法诈骗", "", ""},
		{"如遇暴力催收请向公安机关报案", "", ""},
		{"skilled staff, courtesy desk, policy update, studied", "", ""},
		{"Call us to discuss your options.", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			s := lex.Screen(tt.text)
			if tt.cat == "" {
				if !s.Clean() {
					t.Errorf("Screen(%q) found %+v", tt.text, s.Findings)
				}
				return
			}
			if got := s.Phrases(tt.cat); !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, tt.phrase) }) {
				t.Errorf("Screen(%q) = %+v, want %s with %q", tt.text, s.Findings, tt.cat, tt.phrase)
			}
		})
	}
}

func TestScreen_GroupsAndFacts(t *testing.T) {
	t.Parallel()
	s := gov.Lexicon().Screen("老赖！公安马上上门抓人，赶紧去借钱还。您的借款已逾期，Reply STOP to opt out")
	if len(s.Abuse) == 0 || len(s.Impersonation) == 0 || len(s.Pressure) == 0 || len(s.Legal) != 0 {
		t.Errorf("groups: %+v", s)
	}
	if !s.OptOut || !slices.Contains(s.Debt, "借款") || !slices.Contains(s.Debt, "逾期") {
		t.Errorf("debt and opt-out: %+v", s)
	}
	for _, f := range s.Findings {
		if f.Pattern == "" || !strings.HasPrefix(f.Pattern, string(f.Category)+":") {
			t.Errorf("finding %+v has no pattern id of its category", f)
		}
	}
	// A court named inside a claim to be it is the claim, not a legal reference.
	if s := gov.Lexicon().Screen("I am calling from the district court."); len(s.Legal) != 0 || !s.Has(CatImpersonation) {
		t.Errorf("court claim: %+v", s.Findings)
	}
}

// TestScreen_PatternTermsAlone guards the pattern file: every term of a
// one-element rule, written on its own, is found in its category.
func TestScreen_PatternTermsAlone(t *testing.T) {
	t.Parallel()
	lex := gov.Lexicon()
	n := 0
	for _, r := range lex.ps.rules {
		if len(r.elems) != 1 || r.cat == CatDebt || r.cat == CatOptOut {
			continue
		}
		for _, term := range lex.ps.terms {
			if !slices.Contains(term.groups, r.elems[0]) {
				continue
			}
			n++
			if s := lex.Screen(term.text); !s.Has(r.cat) {
				t.Errorf("%s term %q is not found on its own: %+v", r.id, term.text, s.Findings)
			}
		}
	}
	if n < 200 {
		t.Errorf("only %d single terms", n)
	}
}

func TestParseLexicon_Errors(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		"threat: 杀",                // unknown category
		"abuse 杀你",                 // no colon
		"abuse: 杀ni",               // mixed scripts
		"abuse: 123",               // no letters
		"abuse: @missing",          // unknown group
		"abuse: 杀你 ; within 99",    // window too wide
		"abuse: 杀你 ; sometimes",    // unknown option
		"@Bad = 杀",                 // group name
		"abuse: 杀你 + ",             // empty element
		"implied_threat: a | | b",  // empty term
		"legal: 法院 ; unless @nope", // unknown group in unless
	} {
		if _, err := ParseLexicon(strings.NewReader(src), strings.NewReader(""), strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ParseLexicon(%q) error = %v", src, err)
		}
	}
	if _, err := ParseLexicon(strings.NewReader(""), strings.NewReader("abc"), strings.NewReader("")); err == nil {
		t.Error("a Latin word in the word list accepted")
	}
	if _, err := ParseLexicon(strings.NewReader(""), strings.NewReader(""), strings.NewReader("殺")); err == nil {
		t.Error("bad t2s pair accepted")
	}
	// A small custom file works end to end, groups defined after use.
	l, err := ParseLexicon(strings.NewReader("implied_threat: @v + @t ; within 3\n@neg = 不\n@v = 告诉\n@t = 老板"), strings.NewReader("老板娘"), strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{"告诉你老板": true, "不告诉你老板": false, "告诉老板娘": false, "告诉你的那个老板": false} {
		if got := l.Screen(text).Has(CatImpliedThreat); got != want {
			t.Errorf("custom Screen(%q) = %v, want %v", text, got, want)
		}
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
		{"hedged civil action", sms("如您持续未还款，我司保留依法提起诉讼的权利。", nil), Allow, nil},
		{"police even with a case", sms("公安已立案", func(p *Proposed) { p.LegalCase = "(2026)沪0115民初1号" }), Block, []string{RuleCNImpersonation}},
		{"transcript warns", sms("公安已立案", func(p *Proposed) { p.TextSource = "transcript" }), Warn, []string{RuleCNImpersonation}},
		{"implied threat", sms("再不还钱我们就通知你单位领导", nil), Block, []string{RuleCNAbuse}},
		{"negated threat", sms("我们不会通知您的单位或家人", nil), Allow, nil},
	})
	d := gov.Check(sms("老赖，去借钱还", nil))
	if got := detail(t, d, RuleCNAbuse); !slices.Equal(got.Matched, []string{"老赖"}) || !strings.Contains(got.Reason.ZH, "辱骂") || !strings.Contains(got.Reason.EN, "insults") {
		t.Errorf("abuse detail = %+v", got)
	}
	if got := detail(t, d, RuleCNPressure); !slices.ContainsFunc(got.Matched, func(m string) bool { return strings.Contains(m, "借钱") }) ||
		!strings.Contains(got.Reason.ZH, "以贷养贷") || !strings.Contains(got.Reason.EN, "borrowing elsewhere") {
		t.Errorf("pressure detail = %+v", got)
	}
	// Several categories under one rule each give their reason.
	d = gov.Check(sms("你这个人渣，再不还钱我们就去你单位闹", nil))
	if got := detail(t, d, RuleCNAbuse); !strings.Contains(got.Reason.ZH, "辱骂") || !strings.Contains(got.Reason.ZH, "单位") || len(got.Matched) != 2 {
		t.Errorf("two categories: %+v", got)
	}
	// US: a false arrest threat is caught too.
	us := usAt("2026-03-17T10:00:00-04:00", withProposed(func(p *Proposed) {
		p.Channel, p.Text = SMS, "If you don't pay, you will be arrested. Reply STOP to opt out."
	}))
	if d := gov.Check(us); !d.Fired(RuleUSAbuse) || d.Action != Block {
		t.Errorf("US arrest threat: %+v", d)
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

func BenchmarkScreen_Violation(b *testing.B) {
	lex := gov.Lexicon()
	text := "老赖！再不还钱我们就通知你单位领导和你通讯录里的所有人，公安马上上门抓人，赶紧去借钱还上。We will call your employer."
	b.ReportAllocs()
	for b.Loop() {
		lex.Screen(text)
	}
}

// FuzzScreen: any text screens without panicking, and every phrase
// reported is a piece of the text.
func FuzzScreen(f *testing.F) {
	for _, s := range []string{"杀．了．你", "We won't tell your employer if you pay.", "k.i.l.l", "ｄｅａｄｂｅａｔ", "公 安 局，報警", "'", "a'b", "1,280.00元", "\n\n。", "不"} {
		f.Add(s)
	}
	lex := DefaultLexicon()
	f.Fuzz(func(t *testing.T, text string) {
		s := lex.Screen(text)
		for _, fd := range s.Findings {
			if fd.Phrase == "" || !strings.Contains(text, fd.Phrase) || !slices.Contains(Categories, fd.Category) {
				t.Fatalf("Screen(%q) finding %+v", text, fd)
			}
		}
		for _, d := range s.Debt {
			if !strings.Contains(text, d) {
				t.Fatalf("Screen(%q) debt %q", text, d)
			}
		}
	})
}

func TestSegment_NumbersDoNotSplitSentences(t *testing.T) {
	t.Parallel()
	// The promise-not-to-tell pattern spans the whole sentence: a decimal
	// point inside the amount must not end it.
	for _, text := range []string{
		"只要你今天还1,280.00元，我们就不会通知你的家人。",
		"As long as you pay $1,280.00 today, we won't contact your family.",
	} {
		if s := gov.Lexicon().Screen(text); !s.Has(CatImpliedThreat) {
			t.Errorf("Screen(%q) = %+v", text, s.Findings)
		}
	}
}
